"""``clinicguard breach-check EMAIL...``: staff addresses against Have I Been Pwned (consent first)."""

from __future__ import annotations

import argparse
import sys

from clinicguard.cli.online_common import failed, say, settings_and_lang
from clinicguard.i18n import t
from clinicguard.online.hibp import Breach, breaches_for, valid_email
from clinicguard.online.http import Client, OnlineError, base_url
from clinicguard.online.secrets import get_key, usable_keyring

MAX_LISTED = 10


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common

    p = sub.add_parser("breach-check")
    add_common(p)
    p.add_argument("emails", nargs="+", metavar="EMAIL")
    p.add_argument("--yes", action="store_true")
    p.set_defaults(func=run_breach_check)


def consented(emails: list[str], lang: str, yes: bool) -> bool:
    say(t("online.breach.consent", lang, count=len(emails)))
    for address in emails:
        say(f"  - {address}")
    if yes:
        return True
    if not sys.stdin.isatty():
        say(t("online.breach.need_yes", lang))
        return False
    try:
        answer = input(t("online.breach.question", lang) + " ")
    except EOFError:
        return False
    return answer.strip().lower() in (("o", "oui", "y", "yes") if lang == "fr" else ("y", "yes"))


def describe(breaches: list[Breach], lang: str) -> list[str]:
    shown = [f"{b.title} ({b.breach_date[:7] or '?'})" for b in breaches[:MAX_LISTED]]
    if len(breaches) > MAX_LISTED:
        shown.append("…")
    lines = [t("online.breach.found", lang, count=len(breaches), names=", ".join(shown))]
    if any(b.passwords for b in breaches):
        lines.append(t("online.breach.passwords", lang))
    return lines


def run_breach_check(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import EXIT_ERROR, EXIT_OK, EXIT_RED

    settings, lang = settings_and_lang(args)
    emails = [e.strip() for e in args.emails]
    bad = [e for e in emails if not valid_email(e)]
    if bad:
        say("clinicguard: " + t("online.breach.bad_email", lang, email=bad[0]))
        return EXIT_ERROR
    try:
        usable_keyring()
        url = base_url("hibp", settings)
    except OnlineError as exc:
        return failed(exc, lang)
    api_key = get_key("hibp")
    if not api_key:
        say("clinicguard: " + t("online.breach.no_key", lang))
        return EXIT_ERROR
    if not consented(emails, lang, args.yes):
        say(t("online.breach.cancelled", lang))
        return EXIT_ERROR
    red = errors = False
    with Client("hibp", url) as client:
        for address in emails:
            prefix = f"{address} : " if lang == "fr" else f"{address}: "
            try:
                breaches = breaches_for(client, api_key, address)
            except OnlineError as exc:
                errors = True
                print(prefix + t("online.breach.unknown", lang, error=exc.message(lang)))
                if exc.kind in ("unauthorized", "rate_limited", "network", "tls", "timeout"):
                    break  # the next addresses would fail the same way
                continue
            if not breaches:
                print(prefix + t("online.breach.clean", lang))
                continue
            red = red or any(b.passwords for b in breaches)
            lines = describe(breaches, lang)
            print(prefix + lines[0])
            for line in lines[1:]:
                print("  " + line)
    api_key = ""
    print(t("online.breach.attribution", lang))
    return EXIT_RED if red else (EXIT_ERROR if errors else EXIT_OK)
