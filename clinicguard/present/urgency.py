"""One order of urgency for "what to do first", in the dashboard and in every report."""

from __future__ import annotations

from collections.abc import Iterable

from clinicguard.catalogue import Catalogue
from clinicguard.core.model import SEVERITY_ORDER, CheckResult, Status

ACTIONABLE = (Status.FAIL, Status.WARN)
# An item the catalogue does not know comes after every known one of its colour.
UNKNOWN_PRIORITY = 9


def urgency_key(status: Status, check_id: str, catalogue: Catalogue) -> tuple[int, int, int, int, str]:
    """Red before amber, then catalogue priority, then the heaviest, then catalogue order."""
    spec = catalogue.checks.get(check_id)
    priority = spec.priority if spec else UNKNOWN_PRIORITY
    weight = spec.weight if spec else 1
    theme = spec.theme if spec else ""
    return (SEVERITY_ORDER[status], priority, -weight, catalogue.theme_order(theme), check_id)


def by_urgency(results: Iterable[CheckResult], catalogue: Catalogue) -> list[CheckResult]:
    """The red and amber results, most urgent first."""
    return sorted(
        (r for r in results if r.status in ACTIONABLE), key=lambda r: urgency_key(r.status, r.check_id, catalogue)
    )
