"""Numbers and plurals by each language's rules (CLDR, through Babel), never by hand-made "(s)".

French takes the singular for 0 and 1 ("0 point vérifié", "1 point", "2 points"), English only for 1; Babel
knows both, and the thousands separator of each ("1 234" with a narrow no-break space, "1,234").
Catalogue texts that depend on a number are tables of variants, ``{ one = "…", other = "…" }``
(``many`` and the other CLDR categories fall back to ``other``); ``by`` names the parameter that decides
when it is not ``count``. Inside one text, ``{days|jour|jours}`` picks the word that agrees with ``days``
("il y a {days} {days|jour|jours}" -> "il y a 1 jour", "il y a 3 jours").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

PLURAL_FALLBACK = "other"
DEFAULT_DRIVER = "count"


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def plural_category(lang: str, n: int | float) -> str:
    """The CLDR plural category of ``n`` in ``lang``: "one", "other" (or "many", "few"… in other languages)."""
    return str(_locale(lang).plural_form(abs(n)))


def format_number(n: int | float, lang: str) -> str:
    """``n`` written the way a reader of ``lang`` expects ("1 234,5" in French, "1,234.5" in English)."""
    return str(format_decimal(n, locale=lang))


# Decimal units (1 Mo = 1 000 000 octets), as file managers and disks count; CLDR names them per language.
SIZE_UNITS = ((10**9, "digital-gigabyte"), (10**6, "digital-megabyte"), (10**3, "digital-kilobyte"))


def format_size(n_bytes: int | float, lang: str) -> str:
    """A size as a reader of ``lang`` writes it: "1,4 Mo", "512 ko" in French; "1.4 MB", "512 kB" in English."""
    from babel.units import format_unit

    for scale, unit in SIZE_UNITS:
        if abs(n_bytes) >= scale:
            return str(format_unit(n_bytes / scale, unit, locale=lang, length="short", format="#,##0.#"))
    return str(format_unit(n_bytes, "digital-byte", locale=lang, length="long", format="#,##0"))


def as_number(value: Any) -> int | float | None:
    """The number a parameter holds (an int, a float or a numeric string), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def is_plural_table(template: Any) -> bool:
    return isinstance(template, Mapping) and PLURAL_FALLBACK in template


def choose_variant(template: Mapping[str, Any], params: Mapping[str, Any] | None, lang: str) -> str:
    """The variant of a plural table that fits the deciding parameter (``other`` when it is missing)."""
    driver = str(template.get("by", DEFAULT_DRIVER))
    n = as_number((params or {}).get(driver))
    category = plural_category(lang, n) if n is not None else PLURAL_FALLBACK
    return str(template.get(category) or template[PLURAL_FALLBACK])


AGREEMENT = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def agree(template: str, params: Mapping[str, Any] | None, lang: str) -> str:
    """Resolve the ``{name|singular|plural}`` words of ``template`` from the numbers in ``params``."""
    if "|" not in template:
        return template

    def pick(match: re.Match[str]) -> str:
        n = as_number((params or {}).get(match.group(1)))
        one = n is not None and plural_category(lang, n) == "one"
        return match.group(2) if one else match.group(3)

    return AGREEMENT.sub(pick, template)
