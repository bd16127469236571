"""What every sub-command shares: exit codes, status lines, common options and its session.

The sub-command modules import from here, not from the package, so the
package (which loads them) and its modules do not import each other.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from clinicguard.i18n import LANGUAGES, detect_language, message_text, t
from clinicguard.present.safe import safe_line

if TYPE_CHECKING:
    from clinicguard.engine.session import Session

EXIT_OK, EXIT_RED, EXIT_ERROR = 0, 1, 2


_language: list[str] = []  # the language of the command being run, once known (set by speak_in)


def speak_in(lang: str) -> None:
    """Messages of this run (``say``) are in ``lang`` from now on."""
    _language[:] = [lang]


def language() -> str:
    """The language messages are shown in: the command's, else the system's (French unless asked otherwise)."""
    return _language[0] if _language else detect_language()


def say(message: object, lang: str | None = None) -> None:
    """One line to the user on stderr, about a file, a setting or a problem, in the reader's language (a catalogue
    message is translated, see ``core.errors.message``); what it quotes is shown safely."""
    print(f"clinicguard: {safe_line(message_text(message, lang or language()))}", file=sys.stderr)


def tell(key: str, /, lang: str | None = None, **params: Any) -> None:
    """Say the catalogue message ``key`` (under ``message.``)."""
    say(t(f"message.{key}", lang or language(), **params), lang)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        # argparse's own "%(prog)s: error: %(message)s" template, in the reader's language (cli/help_text.py).
        self.exit(
            EXIT_ERROR,
            argparse._("%(prog)s: error: %(message)s\n")  # type: ignore[attr-defined]
            % {"prog": self.prog, "message": message},
        )


def add_common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Options accepted before and after the command (``clinicguard --lang en check`` = ``check --lang en``).

    Only the top-level parser sets their defaults: a sub-command's parser sets
    them only when given, so it never overwrites what came before the command.
    Their descriptions come from the catalogue (cli/help_text.py), in the reader's language.
    """
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--lang", choices=LANGUAGES, default=default)
    parser.add_argument("--config", metavar="FILE", default=default)


def resolve_language(args: argparse.Namespace, settings: dict[str, Any] | None = None) -> str:
    """--lang, else the settings, else the system's language.

    See :func:`clinicguard.engine.session.resolve_language`.
    """
    from clinicguard.engine.session import resolve_language as resolve

    return resolve(getattr(args, "lang", None), settings)


def session_of(args: argparse.Namespace, **options: Any) -> Session:
    """The session of one command: its --config, --lang, --data-dir and --replay, read once."""
    from clinicguard.engine.session import open_session

    if getattr(args, "lang", None):
        speak_in(args.lang)
    session = open_session(
        config=getattr(args, "config", None),
        lang=getattr(args, "lang", None),
        replay=getattr(args, "replay", None),
        data_dir=getattr(args, "data_dir", None),
        **options,
    )
    speak_in(session.lang)
    return session
