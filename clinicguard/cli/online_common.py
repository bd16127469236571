"""Shared bits of the online sub-commands (not a sub-command itself)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clinicguard.online.http import OnlineError


def settings_and_lang(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from clinicguard.cli.common import session_of

    session = session_of(args)
    return session.settings, session.lang


def say(text: str) -> None:
    """Status lines go to stderr so that stdout stays clean for scripts."""
    print(text, file=sys.stderr)


def failed(exc: OnlineError, lang: str) -> int:
    from clinicguard.cli.common import EXIT_ERROR

    say(f"clinicguard: {exc.message(lang)}")
    return EXIT_ERROR
