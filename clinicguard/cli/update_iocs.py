"""``clinicguard update-iocs``: refresh the infostealer digest list from abuse.ch."""

from __future__ import annotations

import argparse

from clinicguard.cli.online_common import failed, say, settings_and_lang
from clinicguard.i18n import t
from clinicguard.online.http import OnlineError
from clinicguard.online.iocs import current_meta, recently_fetched, refresh_iocs
from clinicguard.online.secrets import get_key


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common

    p = sub.add_parser("update-iocs")
    add_common(p)
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=run_update_iocs)


def _kept(lang: str) -> str:
    meta = current_meta()
    if meta and isinstance(meta.get("count"), int):
        return t("online.iocs.kept", lang, count=meta["count"], fetched_date=str(meta.get("fetched_at", "")))
    return t("online.iocs.kept_bundled", lang)


def run_update_iocs(args: argparse.Namespace) -> int:
    settings, lang = settings_and_lang(args)
    meta = current_meta()
    if not args.force and meta and recently_fetched(meta):
        print(t("online.iocs.recent", lang, count=meta.get("count", "?"), fetched_date=str(meta["fetched_at"])))
        return 0
    auth_key = get_key("abusech")
    if not auth_key:
        say(t("online.iocs.no_key", lang))
    try:
        done = refresh_iocs(settings, auth_key=auth_key)
    except OnlineError as exc:
        code = failed(exc, lang)
        say(_kept(lang))
        return code
    finally:
        auth_key = None
    print(t("online.iocs.updated", lang, count=done.count, source=done.source, fetched_date=done.fetched_at))
    return 0
