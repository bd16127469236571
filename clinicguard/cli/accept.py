"""``clinicguard accept``: accept a red or amber item with a justification and an expiry date."""

from __future__ import annotations

import argparse
from datetime import date

from clinicguard.cli.common import say
from clinicguard.core.errors import ClinicGuardError
from clinicguard.i18n import format_value, t
from clinicguard.present.safe import safe_line
from clinicguard.records.acceptance import ExceptionStore, parse_day


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common
    from clinicguard.cli.datadir import add_data_dir

    p = sub.add_parser("accept")
    add_common(p)
    add_data_dir(p)
    p.add_argument("check_id", nargs="?", metavar="ITEM")
    p.add_argument("--reason", metavar="TEXT")
    p.add_argument("--until", metavar="DATE")
    p.add_argument("--remove", action="store_true")
    p.add_argument("--list", action="store_true")
    p.set_defaults(func=run_accept)


def run_accept(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import session_of

    session = session_of(args)
    lang, catalogue = session.lang, session.catalogue
    today = date.today()
    store = ExceptionStore.load()
    if store.notice:
        say(store.notice)
    if args.list or not args.check_id:
        if not store.items:
            print(t("accept.none", lang))
        for cid, a in sorted(store.items.items()):
            spec = catalogue.checks.get(cid)
            key = "accept.line" if a.expires >= today else "accept.line_expired"
            print(
                t(
                    key,
                    lang,
                    title=spec.title(lang) if spec else safe_line(cid),
                    id=safe_line(cid),
                    expires_date=a.expires.isoformat(),
                    justification=safe_line(a.justification),
                )
            )
        return 0
    if args.check_id not in catalogue.checks:
        raise ClinicGuardError("unknown_item", item=safe_line(args.check_id))
    if args.remove:
        if store.remove(args.check_id):
            store.save()
        print(t("accept.removed", lang, id=safe_line(args.check_id)))
        return 0
    if not args.reason or not args.until:
        raise ClinicGuardError("accept_needs_reason_until")
    until = parse_day(args.until)
    store.accept(args.check_id, args.reason, until, today)
    store.save()
    print(
        t(
            "accept.done",
            lang,
            title=catalogue.checks[args.check_id].title(lang),
            expires_date=format_value("expires_date", until, lang),
        )
    )
    return 0
