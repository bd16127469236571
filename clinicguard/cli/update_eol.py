"""``clinicguard update-eol``: refresh the end-of-support dates from endoflife.date."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import Any

from clinicguard.cli.online_common import failed, say, settings_and_lang
from clinicguard.i18n import t
from clinicguard.online.eol_refresh import MAX_AGE, cached_fetched_at, refresh_eol
from clinicguard.online.http import OnlineError


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli import add_common

    p = sub.add_parser("update-eol", help="download the end-of-support dates of Windows, macOS and Linux (online)")
    add_common(p)
    p.set_defaults(func=run_update_eol)


def _offline_note(lang: str) -> str:
    when = cached_fetched_at()
    if when is None:
        return t("online.eol.offline_bundled", lang)
    return t("online.eol.offline_cached", lang, fetched_date=when)


def run_update_eol(args: argparse.Namespace) -> int:
    settings, lang = settings_and_lang(args)
    try:
        done = refresh_eol(settings)
    except OnlineError as exc:
        code = failed(exc, lang)
        say(_offline_note(lang))
        return code
    print(t("online.eol.updated", lang, count=done.count, fetched_date=done.fetched_at))
    return 0


def refresh_before_check(settings: dict[str, Any], lang: str, now: datetime | None = None) -> bool:
    """For ``check --online``: refresh a cache older than a day; say so when falling back offline."""
    current = now or datetime.now(UTC)
    when = cached_fetched_at()
    if when is not None and timedelta(0) <= current - when < MAX_AGE:
        say(t("online.eol.fresh", lang, fetched_date=when))
        return True
    try:
        done = refresh_eol(settings, now=current)
    except OnlineError as exc:
        say(exc.message(lang))
        say(_offline_note(lang))
        return False
    say(t("online.eol.updated", lang, count=done.count, fetched_date=done.fetched_at))
    return True

