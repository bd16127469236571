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

FORMATS = ("html", "pdf", "md", "json", "csv")

__all__ = ["FORMATS", "FleetReportView", "build_fleet_view", "default_fleet_name", "render_fleet"]


def render_fleet(fmt: str, view: FleetReportView) -> bytes:
    if fmt == "html":
        from clinicguard.fleet.report.html import render_html

        return render_html(view).encode("utf-8")
    if fmt == "md":
        from clinicguard.fleet.report.markdown import render_markdown

        return render_markdown(view).encode("utf-8")
    if fmt == "csv":
        from clinicguard.fleet.report.tabular import render_csv

        return render_csv(view).encode("utf-8")
    if fmt == "json":
        from clinicguard.fleet.report.tabular import render_json

        return render_json(view).encode("utf-8")
    if fmt == "pdf":
        from clinicguard.fleet.report.pdf import render_pdf

        return render_pdf(view)
    raise ValueError(f"unknown report format {fmt!r}")


def default_fleet_name(view: FleetReportView, fmt: str) -> str:
    stem = "clinicguard-parc" if view.lang == "fr" else "clinicguard-fleet"
    return f"{stem}-{view.today.isoformat()}.{fmt}"
