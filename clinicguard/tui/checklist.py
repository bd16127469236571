"""What the checklist shows: grouping, filters and search.

Plain functions over results and the catalogue, kept apart from the widgets
so they are tested without a terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clinicguard.core.model import CheckResult, Status
from clinicguard.present.wording import Wording

# Filters cycled by the "f" key, in this order.
FILTERS = ("all", "todo", "FAIL", "WARN", "UNKNOWN")
_TODO = {Status.FAIL, Status.WARN, Status.UNKNOWN}


@dataclass(frozen=True)
class Group:
    theme: str
    title: str
    results: tuple[CheckResult, ...]


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


def matches_search(result: CheckResult, query: str, wording: Wording) -> bool:
    words = fold(query).split()
    if not words:
        return True
    texts = wording.texts(result)
    theme = wording.theme_title(wording.theme_of(result))
    haystack = fold(" ".join((texts["title"], texts["summary"], theme, result.check_id, wording.status(result.status))))
    return all(w in haystack for w in words)


def ordered(results: Iterable[CheckResult], wording: Wording) -> list[CheckResult]:
    """Catalogue order (theme, then id): rows never jump around while a scan fills them in."""
    catalogue = wording.catalogue
    return sorted(results, key=lambda r: (catalogue.theme_order(wording.theme_of(r)), wording.theme_of(r), r.check_id))


def visible_groups(
    results: Mapping[str, CheckResult],
    wording: Wording,
    filter_name: str = "all",
    query: str = "",
) -> list[Group]:
    groups: list[Group] = []
    for result in ordered(results.values(), wording):
        if not matches_filter(result, filter_name):
            continue
        if not matches_search(result, query, wording):
            continue
        theme = wording.theme_of(result)
        if groups and groups[-1].theme == theme:
            last = groups[-1]
            groups[-1] = Group(last.theme, last.title, last.results + (result,))
        else:
            groups.append(Group(theme, wording.theme_title(theme), (result,)))
    return groups


def counts(results: Iterable[CheckResult]) -> dict[Status, int]:
    out = dict.fromkeys(Status, 0)
    for r in results:
        out[r.status] += 1
    return out
