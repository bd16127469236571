"""Fleet reports for the director and the regional health agency (HTML, PDF, Markdown, CSV, JSON).

Page 1: establishment score, coverage, the top five establishment actions
with their workstation counts, the workstations in red. Then per theme (with
the trend), per workstation, the questionnaire, accepted risks, the incident
card and a signature line. Every format lays out one
:class:`~clinicguard.fleet.report.content.FleetReportView`; styles, badges,
PDF drawing and the atomic owner-only write come from ``clinicguard.report``.
"""

from __future__ import annotations

from clinicguard.fleet.report.content import FleetReportView, build_fleet_view
from clinicguard.report import FORMATS, render_with

__all__ = ["FORMATS", "FleetReportView", "build_fleet_view", "default_fleet_name", "render_fleet"]


def render_fleet(fmt: str, view: FleetReportView) -> bytes:
    return render_with(__name__, fmt, view)


def default_fleet_name(view: FleetReportView, fmt: str) -> str:
    stem = "clinicguard-parc" if view.lang == "fr" else "clinicguard-fleet"
    return f"{stem}-{view.today.isoformat()}.{fmt}"
