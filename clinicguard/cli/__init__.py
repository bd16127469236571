"""Command line: ``clinicguard [COMMAND] [OPTIONS]``.

Each sub-command lives in its own module exposing ``register(subparsers)``
which adds its parser and sets ``func``. With no command, the dashboard
opens (or, where the dashboard cannot start, the headless check runs).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import sys
from collections.abc import Callable, Mapping

from clinicguard import __version__
from clinicguard.cli.common import (  # noqa: F401 - the package's names, as before
    EXIT_ERROR,
    EXIT_OK,
    EXIT_RED,
    Parser,
    add_common,
    language,
    resolve_language,
    say,
    session_of,
    speak_in,
    tell,
)
from clinicguard.core.errors import ClinicGuardError
from clinicguard.i18n import LANGUAGES, detect_language, t

_Parser = Parser

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
    "fleet",
)


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, its help and usage errors in ``lang`` (default: French unless asked otherwise)."""
    from clinicguard.cli.help_text import localise, use_language

    lang = lang or detect_language()
    use_language(lang)
    parser = Parser(prog="clinicguard")
    parser.add_argument("--version", action="version", version=f"clinicguard {__version__}")
    add_common(parser, top=True)
    # Restart the same command with administrator rights (UAC, sudo or pkexec); see clinicguard/engine/elevation.py.
    parser.add_argument("--elevate", action="store_true", default=False)
    parser.add_argument("--elevation-baseline", metavar="FILE", default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(
        dest="command",
        parser_class=Parser,
        title=t("argparse.commands", lang),
        metavar=t("cli_help.metavar.COMMAND", lang),
    )
    for name in COMMANDS:
        importlib.import_module(f"clinicguard.cli.{name.replace('-', '_')}").register(sub)
    localise(parser, lang)
    return parser


def language_of_argv(argv: list[str]) -> str:
    """The language asked by ``--lang`` anywhere on the line, else the settings, else the system; for --help."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang", choices=LANGUAGES)
    pre.add_argument("--config")
    known, _ = pre.parse_known_args(argv)
    if known.lang:
        return str(known.lang)
    try:
        from clinicguard.files.config import load_config

        settings = load_config(known.config)
    except ClinicGuardError:
        settings = None  # a broken settings file is reported by the command itself, in its own words
    return resolve_language(known, settings)


def can_draw_dashboard(environ: dict[str, str] | None = None) -> bool:
    """A terminal that can host the full-screen dashboard: not a pipe, not TERM=dumb (Emacs shells, some IDEs)."""
    import os

    env = os.environ if environ is None else environ
    return sys.stdout.isatty() and sys.stdin.isatty() and env.get("TERM", "") != "dumb"


def headless_check(args: argparse.Namespace) -> int:
    """The plain-text checklist of this machine: ``clinicguard`` with no command where no dashboard opens."""
    from clinicguard.cli.check import run_check

    args.format, args.output, args.only, args.verbose, args.replay = "text", None, None, False, None
    return run_check(args)


DefaultAction = Callable[[argparse.Namespace], int]


def main(
    argv: list[str] | None = None,
    default: DefaultAction = headless_check,
    dashboards: Mapping[str, Callable[..., int]] | None = None,
) -> int:
    """Run one command; with none, ``default``.

    The program's entry point (:mod:`clinicguard.launcher`) passes the dashboard as ``default`` and, in
    ``dashboards``, the dashboard views a command may open (``args.dashboards["fleet"]``), so the command
    line offers them without importing the dashboard package.
    """
    from clinicguard.files.logsetup import setup_logging

    setup_logging()
    parser = build_parser(language_of_argv(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if getattr(args, "lang", None):
        speak_in(args.lang)
    args.dashboards = dict(dashboards or {})
    if args.elevate:
        from clinicguard.cli.elevated import run_elevate

        code = run_elevate(args, list(sys.argv[1:] if argv is None else argv), resolve_language(args))
        if code is not None:
            return code
    func = getattr(args, "func", None) or default
    try:
        code = int(func(args))
        sys.stdout.flush()  # a closed pipe or a full disk shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # The reader went away (`clinicguard checks | head -1`): nothing left to say to anyone.
        _drop_stdout()
        return EXIT_ERROR
    except OSError as exc:
        if not _stdout_failed(exc):
            return _internal_error(exc)
        _drop_stdout()
        tell("output_failed", problem=str(exc.strerror or exc))
        return EXIT_ERROR
    except ClinicGuardError as exc:
        say(exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        say(t("cli.interrupted", getattr(args, "lang", None) or language()))
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - never a traceback in the user's face
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    from clinicguard.files.logsetup import log_path

    logging.getLogger("clinicguard").error("internal error", exc_info=exc)
    tell("internal_error", kind=type(exc).__name__, problem=str(exc), log=str(log_path()))
    return EXIT_ERROR


def _stdout_failed(exc: OSError) -> bool:
    """Whether this is the standard output failing (full disk, device error) rather than a named file.

    Files clinicguard writes fail as ClinicGuardError naming them; an OSError
    without a file name and with one of these causes comes from the output.
    """
    return exc.filename is None and exc.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT)


def _drop_stdout() -> None:
    """Point the standard output at nothing, so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests, embedded use)
        pass
