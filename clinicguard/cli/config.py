"""``clinicguard config set-key NAME`` / ``delete-key NAME``: API keys in the OS keyring."""

from __future__ import annotations

import argparse
import getpass
import sys

from clinicguard.cli.online_common import failed, settings_and_lang
from clinicguard.i18n import t
from clinicguard.online.http import OnlineError
from clinicguard.online.secrets import KEYS, delete_key, set_key, usable_keyring


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import Parser, add_common

    p = sub.add_parser("config")
    add_common(p)
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    s = actions.add_parser("set-key")
    add_common(s)
    s.add_argument("name", choices=sorted(KEYS))
    s.add_argument("--stdin", action="store_true")
    s.set_defaults(func=run_set_key)
    d = actions.add_parser("delete-key")
    add_common(d)
    d.add_argument("name", choices=sorted(KEYS))
    d.set_defaults(func=run_delete_key)


def run_set_key(args: argparse.Namespace) -> int:
    _, lang = settings_and_lang(args)
    try:
        usable_keyring()  # refuse before the user types anything
        if args.stdin:
            value = sys.stdin.readline()
        else:
            value = getpass.getpass(t("online.keyring.prompt", lang, name=args.name) + " ")
        backend = set_key(args.name, value)
    except OnlineError as exc:
        return failed(exc, lang)
    finally:
        value = ""
    print(t("online.keyring.stored", lang, name=args.name, backend=backend))
    return 0


def run_delete_key(args: argparse.Namespace) -> int:
    _, lang = settings_and_lang(args)
    try:
        removed = delete_key(args.name)
    except OnlineError as exc:
        return failed(exc, lang)
    print(t("online.keyring.deleted" if removed else "online.keyring.absent", lang, name=args.name))
    return 0
