"""French and English interface text, kept in TOML catalogs.

Every user-visible string of the interface lives in ``fr.toml`` and
``en.toml`` beside this file (check texts live with each check in
``clinicguard/catalogue/checks``). French is the default language.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from clinicguard.core.errors import MESSAGE_PREFIX, english
from clinicguard.core.notes import NOTE_PREFIX, note  # noqa: F401 - note is used through i18n
from clinicguard.files.datafiles import load_toml, package_file
from clinicguard.i18n.numbers import (
    DEFAULT_DRIVER,
    PLURAL_FALLBACK,
    agree,
    choose_variant,
    format_number,
    format_size,
    is_plural_table,
)
from clinicguard.i18n.typography import french_spacing

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang}")
    merged: dict[str, str] = {}
    folder = package_file("i18n", lang)
    if folder.is_dir():
        # One file per area (cli.toml, tui.toml, report.toml...) so parts of
        # the program keep their text apart.
        for node in sorted(folder.iterdir(), key=lambda n: n.name):
            if node.name.endswith(".toml"):
                merged.update(flatten(load_toml(node, f"clinicguard/i18n/{lang}/{node.name}")))
    return merged


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def format_value(key: str, value: Any, lang: str, driver: str = "") -> Any:
    """Dates in the reader's convention; ISO dates in params ending in _date too; numbers by the language's rules."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str) and key.endswith("_date") and len(value) >= 10:
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()
    if key.endswith("_bytes") and isinstance(value, int | float) and not isinstance(value, bool):
        return format_size(value, lang)
    if isinstance(value, float) or (key == driver and isinstance(value, int) and not isinstance(value, bool)):
        # The counted number and decimals follow the reader ("1 234", "12,5"); other integers (years, ports,
        # versions) are left as they are.
        return format_number(value, lang)
    return value


def render(template: str | Mapping[str, Any], params: dict[str, Any] | None, lang: str) -> str:
    """``template`` filled with ``params``; a plural table (i18n/numbers.py) gives the variant that fits."""
    driver = ""
    if is_plural_table(template):
        assert isinstance(template, Mapping)
        driver = str(template.get("by", DEFAULT_DRIVER))
        template = choose_variant(template, params, lang)
    assert isinstance(template, str)
    # Our own text gets French spacing (never the parameters: they can come from the machine).
    template = agree(french_spacing(template, lang), params, lang)
    if not params:
        return template
    safe = _SafeDict({k: format_value(k, v, lang, driver) for k, v in params.items()})
    try:
        return template.format_map(safe)
    except (ValueError, IndexError):
        return template


def plural_table(key: str, lang: str) -> dict[str, str] | None:
    """The variants of ``key`` when the catalogue gives one text per plural category (``key.one``, ``key.other``)."""
    table = catalog(lang)
    if f"{key}.{PLURAL_FALLBACK}" not in table:
        return None
    prefix = key + "."
    return {k[len(prefix) :]: v for k, v in table.items() if k.startswith(prefix) and "." not in k[len(prefix) :]}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for ``key`` in ``lang``; English, then the key, as fallbacks."""
    for language in (lang, "en"):
        text = catalog(language).get(key)
        if text is not None:
            return render(text, params, lang)
        variants = plural_table(key, language)
        if variants is not None:
            return render(variants, params, lang)
    return render(key, params, lang)


def evidence_label(label: str, lang: str) -> str:
    """Plain-language name of an evidence label ("min_length" -> "Longueur minimale")."""
    return catalog(lang).get(f"evidence.{label}") or catalog("en").get(f"evidence.{label}") or label


def evidence_value(value: str, lang: str, label: str = "") -> str:
    """Translate the few word values evidence uses (on/off/yes/no/never...), agreeing with ``label`` in French."""
    if NOTE_PREFIX in value:
        # A note, or a list of names some of which are notes ("cron, note:linux.systemd_timers").
        return note_text(value, lang)
    table = catalog(lang)
    gender = table.get(f"grammar.gender.{label}") if label else None
    if gender:
        agreed = table.get(f"grammar.value_{gender}.{value}")
        if agreed:
            return agreed
    return table.get(f"value.{value}", value)


def locale_language(value: str) -> str | None:
    """The supported language a locale name asks for ("en_GB.UTF-8" -> "en"), None for C, POSIX or others."""
    code = value.split(".", 1)[0].split("@", 1)[0].split("_", 1)[0].split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def detect_language(environ: dict[str, str] | None = None) -> str:
    """French unless the locale explicitly asks for another supported language.

    The locale in effect for messages is the first of LC_ALL, LC_MESSAGES, LANG that is set (POSIX order);
    C, POSIX, an unset locale or an unsupported language keep French, the program's first language.
    LANGUAGE (GNU's priority list) counts only under a real locale, as in gettext.
    """
    env = os.environ if environ is None else environ
    forced = env.get("CLINICGUARD_LANG", "")
    if forced in LANGUAGES:
        return forced
    effective = next((env[var] for var in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(var)), "")
    if effective and effective.split(".", 1)[0] not in ("C", "POSIX"):
        for entry in env.get("LANGUAGE", "").split(":"):
            if entry and (lang := locale_language(entry)):
                return lang
        return locale_language(effective) or DEFAULT_LANGUAGE
    if not effective and sys.platform.startswith("win") and environ is None:
        return _windows_ui_language()
    return DEFAULT_LANGUAGE


def _windows_ui_language() -> str:
    try:
        import ctypes

        langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return DEFAULT_LANGUAGE
    # Primary language id 0x09 is English (en-US, en-GB...); every other interface language keeps French.
    return "en" if (langid & 0x3FF) == 0x09 else DEFAULT_LANGUAGE


# A probe note that people read is stored as a catalogue key with its parameters (core.notes), so it shows in the
# reader's language; a technical text may carry notes inside it ("secedit: note:host.tool_missing {...}").
_NOTE = re.compile(re.escape(NOTE_PREFIX) + r"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)")


def note_text(value: str, lang: str) -> str:
    """A text in ``lang``: every stored note in it is translated, any other text (a command, a path, a tool's own
    message) is shown as it is."""
    if NOTE_PREFIX not in value:
        return value
    out: list[str] = []
    pos = 0
    for match in _NOTE.finditer(value):
        if match.start() < pos:
            continue
        key, end, params = match.group(1), match.end(), {}
        if value.startswith(" {", end):
            try:
                decoded, stop = json.JSONDecoder().raw_decode(value, end + 1)
            except ValueError:
                decoded, stop = None, end
            if isinstance(decoded, dict):
                params, end = decoded, stop
        if f"note.{key}" not in catalog("en") and plural_table(f"note.{key}", "en") is None:
            continue
        out.append(value[pos : match.start()])
        # A parameter may itself carry a note (the error of a command inside a probe's remark).
        out.append(
            t(f"note.{key}", lang, **{k: note_text(v, lang) if isinstance(v, str) else v for k, v in params.items()})
        )
        pos = end
    out.append(value[pos:])
    return "".join(out)


def message_text(value: object, lang: str) -> str:
    """A message for people in ``lang``: an error or text stored with ``core.errors.message`` (its parameters may
    be messages too) is translated; any other text is returned as it is."""
    render_in = getattr(value, "message", None)
    if callable(render_in):  # an error that words itself (online.http.OnlineError)
        return str(render_in(lang))
    text = str(getattr(value, "encoded", value))
    if not text.startswith(MESSAGE_PREFIX):
        return text
    key, _, raw = text[len(MESSAGE_PREFIX) :].partition(" ")
    try:
        params = json.loads(raw) if raw else {}
    except ValueError:
        return text[len(MESSAGE_PREFIX) :]
    full = f"message.{key}"
    if not isinstance(params, dict) or (full not in catalog("en") and plural_table(full, "en") is None):
        return text[len(MESSAGE_PREFIX) :]
    shown = {
        k: message_text(v, lang) if isinstance(v, str) and v.startswith(MESSAGE_PREFIX) else v
        for k, v in params.items()
    }
    return t(full, lang, **shown)


english.append(lambda text: message_text(text, "en"))


def plural(lang: str, key: str, count: int | float, **params: Any) -> str:
    """The catalogue text ``key`` for ``count`` things ("3 autres touches")."""
    return t(key, lang, count=count, **params)
