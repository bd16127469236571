"""What the checklist shows: grouping, filters, search and priority order.

Plain functions over results and the catalogue, kept apart from the widgets
so they are tested without a terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clinicguard.catalogue import Catalogue
from clinicguard.i18n import t
from clinicguard.model import SEVERITY_ORDER, CheckResult, Status
from clinicguard.serialize import result_texts

# Filters cycled by the "f" key, in this order.
FILTERS = ("all", "todo", "FAIL", "WARN", "UNKNOWN")
_TODO = {Status.FAIL, Status.WARN, Status.UNKNOWN}

MARKS = {
    Status.PASS: "●",
    Status.WARN: "▲",
    Status.FAIL: "✖",
    Status.UNKNOWN: "?",
    Status.NOT_APPLICABLE: "—",
}


@dataclass(frozen=True)
class Group:
    theme: str
    title: str
    results: tuple[CheckResult, ...]


def theme_of(result: CheckResult, catalogue: Catalogue) -> str:
    spec = catalogue.checks.get(result.check_id)
    return spec.theme if spec else ""


def theme_title(theme: str, catalogue: Catalogue, lang: str) -> str:
    th = catalogue.themes.get(theme)
    return th.title(lang) if th else theme


def fold(text: str) -> str:
    """Lower case without accents, so "verrouillage" finds "Verrouillage" and "securite" finds "sécurité"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matches_filter(result: CheckResult, name: str) -> bool:
    if name == "all":
        return True
    if name == "todo":
        return result.status in _TODO
    return result.status.value == name


def matches_search(result: CheckResult, query: str, catalogue: Catalogue, lang: str, platform: str) -> bool:
    words = fold(query).split()
    if not words:
        return True
    texts = result_texts(result, catalogue, lang, platform)
    theme = theme_title(theme_of(result, catalogue), catalogue, lang)
    haystack = fold(" ".join((texts["title"], texts["summary"], theme, result.check_id,
                              t(f"status.{result.status.value}", lang))))
    return all(w in haystack for w in words)


def ordered(results: Iterable[CheckResult], catalogue: Catalogue) -> list[CheckResult]:
    """Catalogue order (theme, then id): rows never jump around while a scan fills them in."""
    return sorted(results, key=lambda r: (catalogue.theme_order(theme_of(r, catalogue)), theme_of(r, catalogue),
                                          r.check_id))


def visible_groups(
    results: Mapping[str, CheckResult],
    catalogue: Catalogue,
    lang: str,
    platform: str,
    filter_name: str = "all",
    query: str = "",
) -> list[Group]:
    groups: list[Group] = []
    for result in ordered(results.values(), catalogue):
        if not matches_filter(result, filter_name):
            continue
        if not matches_search(result, query, catalogue, lang, platform):
            continue
        theme = theme_of(result, catalogue)
        if groups and groups[-1].theme == theme:
            last = groups[-1]
            groups[-1] = Group(last.theme, last.title, last.results + (result,))
        else:
            groups.append(Group(theme, theme_title(theme, catalogue, lang), (result,)))
    return groups


def priority_list(results: Iterable[CheckResult], catalogue: Catalogue) -> list[CheckResult]:
    """Red then amber items, most urgent first: red before amber, catalogue priority, then weight."""

    def key(r: CheckResult) -> tuple:
        spec = catalogue.checks.get(r.check_id)
        priority = spec.priority if spec else 9
        weight = spec.weight if spec else 1
        return (SEVERITY_ORDER[r.status], priority, -weight, catalogue.theme_order(theme_of(r, catalogue)),
                r.check_id)

    return sorted((r for r in results if r.status in (Status.FAIL, Status.WARN)), key=key)


def counts(results: Iterable[CheckResult]) -> dict[Status, int]:
    out = dict.fromkeys(Status, 0)
    for r in results:
        out[r.status] += 1
    return out
