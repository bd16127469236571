"""``clinicguard password-test``: strength estimate and, with --online, the leaked-password check."""

from __future__ import annotations

import argparse
import getpass
import sys

from clinicguard.cli.online_common import say, settings_and_lang
from clinicguard.i18n import t
from clinicguard.online import online_allowed
from clinicguard.online.password_test import PasswordTester


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common

    p = sub.add_parser("password-test")
    add_common(p)
    net = p.add_mutually_exclusive_group()
    net.add_argument("--online", dest="online", action="store_true", default=None)
    net.add_argument("--offline", dest="online", action="store_false")
    p.set_defaults(func=run_password_test)


def run_password_test(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import EXIT_ERROR, EXIT_OK, EXIT_RED

    settings, lang = settings_and_lang(args)
    tester = PasswordTester(settings, online=online_allowed(args.online, settings))
    if sys.stdin.isatty():
        password = getpass.getpass(t("online.password.prompt", lang) + " ")
    else:  # a script pipes it in: read one line, nothing echoed
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        if not password:
            say(t("online.password.empty", lang))
            return EXIT_ERROR
        report = tester.test(password)
    finally:
        password = ""
    for line in report.lines(lang):
        print(line)
    if report.pwned is not None:
        print(t("online.password.attribution", lang))
    return EXIT_RED if report.status == "red" else EXIT_OK
