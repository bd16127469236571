"""Command line: ``clinicguard [COMMAND] [OPTIONS]``.

Each sub-command lives in its own module exposing ``register(subparsers)``
which adds its parser and sets ``func``. With no command, the dashboard
opens (or, where the dashboard cannot start, the headless check runs).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from clinicguard import __version__
from clinicguard.errors import ClinicGuardError
from clinicguard.i18n import LANGUAGES, detect_language, t
from clinicguard.present.safe import safe_line

# Modules under clinicguard.cli that provide sub-commands.
COMMANDS = (
    "check",
    "checks",
    "questionnaire",
    "accept",
    "history",
    "diff",
    "report",
    "config",
    "update-eol",
    "update-iocs",
    "password-test",
    "breach-check",
    "collect",
)

EXIT_OK, EXIT_RED, EXIT_ERROR = 0, 1, 2


def say(message: object) -> None:
    """One line to the user on stderr, about a file, a setting or a problem; what it quotes is shown safely."""
    print(f"clinicguard: {safe_line(message)}", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"clinicguard: {message}\n")


def add_common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Options accepted before and after the command (``clinicguard --lang en check`` = ``check --lang en``).

    Only the top-level parser sets their defaults: a sub-command's parser sets
    them only when given, so it never overwrites what came before the command.
    """
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--lang", choices=LANGUAGES, default=default, help="fr | en (default: system language)")
    parser.add_argument("--config", metavar="FILE", default=default,
                        help="settings file (default: user config folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="clinicguard", description="Security checklist for clinic workstations.")
    parser.add_argument("--version", action="version", version=f"clinicguard {__version__}")
    add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"clinicguard.cli.{name.replace('-', '_')}").register(sub)
    return parser


def resolve_language(args: argparse.Namespace, settings: dict | None = None) -> str:
    if getattr(args, "lang", None):
        return args.lang
    configured = (settings or {}).get("interface", {}).get("language")
    return configured or detect_language()


def _default(args: argparse.Namespace) -> int:
    try:
        tui = importlib.import_module("clinicguard.tui.launch")
    except ModuleNotFoundError:
        tui = None
    if tui is not None and sys.stdout.isatty():
        return int(tui.run(args))
    from clinicguard.cli.check import run_check

    args.format, args.output, args.only, args.verbose, args.replay = "text", None, None, False, None
    return run_check(args)


def main(argv: list[str] | None = None) -> int:
    from clinicguard.logsetup import setup_logging

    setup_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None) or _default
    try:
        return int(func(args))
    except ClinicGuardError as exc:
        say(exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("clinicguard: " + t("cli.interrupted", getattr(args, "lang", None) or detect_language()), file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - never a traceback in the user's face
        from clinicguard.logsetup import log_path

        logging.getLogger("clinicguard").exception("internal error")
        say(f"internal error ({type(exc).__name__}: {exc}); details in {log_path()}")
        return EXIT_ERROR
