"""``clinicguard update-eol``: refresh the end-of-support dates from endoflife.date."""

from __future__ import annotations

import argparse
from typing import Any

from clinicguard.cli.online_common import failed, say, settings_and_lang
from clinicguard.i18n import t
from clinicguard.online.eol_refresh import offline_note, refresh_eol, refresh_if_stale
from clinicguard.online.http import OnlineError


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common

    p = sub.add_parser("update-eol")
    add_common(p)
    p.set_defaults(func=run_update_eol)


def run_update_eol(args: argparse.Namespace) -> int:
    settings, lang = settings_and_lang(args)
    try:
        done = refresh_eol(settings)
    except OnlineError as exc:
        code = failed(exc, lang)
        say(offline_note(lang))
        return code
    print(t("online.eol.updated", lang, count=done.count, fetched_date=done.fetched_at))
    return 0


def refresh_before_check(settings: dict[str, Any], lang: str) -> bool:
    """For ``check --online``: status lines on stderr, the report on stdout stays clean."""
    ok, lines = refresh_if_stale(settings, lang)
    for line in lines:
        say(line)
    return ok
