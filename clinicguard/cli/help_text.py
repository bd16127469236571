"""``--help`` and usage errors in the reader's language, from the i18n catalogue.

Option descriptions live in ``cli_help.<command>.<option>`` (``cli_help.common.<option>`` for the options every
command shares), not in the code, so French and English help stay side by side and a test can hold both complete.
Python's argparse marks its own texts ("usage: ", "options", error messages) for gettext through its module-level
``_``/``ngettext``; pointing those at the catalogue is the translation hook argparse provides.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from clinicguard.i18n import catalog, t

# argparse's English message ids -> keys under [argparse] in the catalogue.
ARGPARSE_MESSAGES = {
    "usage: ": "usage",
    "options": "options",
    "positional arguments": "positional",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "expected one argument": "expected_one",
    "expected at least one argument": "expected_at_least_one",
    "expected at most one argument": "expected_at_most_one",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "not allowed with argument %s": "not_allowed_with",
    "one of the arguments %s is required": "one_required",
    "the following arguments are required: %s": "required",
    "unrecognized arguments: %s": "unrecognized",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unknown_parser",
    "can't open '%(filename)s': %(error)s": "cannot_open",
}
ARGPARSE_PLURALS = {("expected %s argument", "expected %s arguments"): ("expected_n_one", "expected_n_many")}


def use_language(lang: str) -> None:
    """Send argparse's own texts through the catalogue of ``lang`` (one language per process run)."""
    table = catalog(lang)

    def gettext(message: str) -> str:
        key = ARGPARSE_MESSAGES.get(message)
        return table.get(f"argparse.{key}", message) if key else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        keys = ARGPARSE_PLURALS.get((singular, plural))
        if keys is None:
            return singular if n == 1 else plural
        # French and English both take the singular for 1 only here ("1 valeur", "2 valeurs").
        return table.get(f"argparse.{keys[0] if n == 1 else keys[1]}", singular if n == 1 else plural)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def option_name(action: argparse.Action) -> str:
    """The key of an option: its first long name without dashes ("--data-dir" -> "data-dir"), or the dest."""
    longs = [o for o in action.option_strings if o.startswith("--")]
    return longs[0][2:] if longs else action.dest


def walk(parser: argparse.ArgumentParser, path: str = "") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every parser with its command path ("" for the program, "check", "config.set-key")."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from walk(sub, f"{path}.{name}" if path else name)


def help_key(path: str, name: str, lang: str) -> str | None:
    """The catalogue key describing option ``name`` of command ``path``, if any."""
    table = catalog(lang)
    for key in (f"cli_help.{path or 'main'}.{name}", f"cli_help.common.{name}"):
        if key in table:
            return key
    return None


def localise(parser: argparse.ArgumentParser, lang: str) -> None:
    """Fill every description, option help and placeholder name of ``parser`` from the catalogue."""
    parser.description = t("cli_help.description", lang)
    parser.epilog = t("cli_help.epilog", lang)
    for path, node in walk(parser):
        if path:
            node.description = t(f"cli_help.{path}.summary", lang)
        for action in node._actions:
            if isinstance(action, argparse._SubParsersAction):
                # argparse lists a command only when add_parser() got a help text; the catalogue gives them all.
                prefix = f"{path}." if path else ""
                action._choices_actions = [
                    action._ChoicesPseudoAction(name, (), t(f"cli_help.{prefix}{name}.summary", lang))
                    for name in action.choices
                ]
                continue
            key = help_key(path, option_name(action), lang)
            if key is not None and action.help is not argparse.SUPPRESS:
                action.help = t(key, lang)
            if isinstance(action.metavar, str):
                action.metavar = catalog(lang).get(f"cli_help.metavar.{action.metavar}", action.metavar)
