"""One helper collects what a probe read, noted and could not establish."""

from __future__ import annotations

from clinicguard.core.facts import Unknown, UpdateStatus
from clinicguard.core.model import Reason
from clinicguard.host import AccessDenied
from clinicguard.probes.gathered import Gathered


def test_sources_once_in_order_notes_kept_and_unknowns_from_errors_or_explicit():
    g = Gathered()
    g.sources += ["apt list --upgradable", "/var/lib/apt/lists", "apt list --upgradable"]
    g.notes.append("pending: no upgrade in the history")
    g.unknown("pending", AccessDenied("/var/lib/apt/lists"))
    g.unknown("reboot_required", Unknown(Reason.NOT_FOUND, "no flag file"))
    fact = UpdateStatus(
        manager="apt",
        pending=None,
        pending_security=None,
        last_install=None,
        metadata_age_days=None,
        automatic=None,
        reboot_required=None,
        **g.fields(),
    )
    assert fact.sources == ("apt list --upgradable", "/var/lib/apt/lists")
    assert fact.notes == ("pending: no upgrade in the history",)
    assert fact.why_unknown == {
        "pending": Unknown(Reason.NEEDS_ADMIN, "/var/lib/apt/lists"),
        "reboot_required": Unknown(Reason.NOT_FOUND, "no flag file"),
    }
    g.unknown("automatic", TimeoutError())
    assert "automatic" not in fact.why_unknown  # the fact keeps its own copy
