"""Exported checklist reports for the director, the board or the regional health agency.

``render(fmt, view)`` lays out a :class:`~clinicguard.report.content.ReportView`
as HTML, PDF, Markdown, CSV or JSON; ``write_report`` writes it atomically
with owner-only permissions.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from clinicguard.files.fsutil import atomic_write
from clinicguard.report.content import ReportView, build_view

FORMATS = ("html", "pdf", "md", "json", "csv")

__all__ = ["FORMATS", "ReportView", "build_view", "default_name", "render", "write_report"]


def render(fmt: str, view: ReportView) -> bytes:
    if fmt == "html":
        from clinicguard.report.html import render_html

        return render_html(view).encode("utf-8")
    if fmt == "md":
        from clinicguard.report.markdown import render_markdown

        return render_markdown(view).encode("utf-8")
    if fmt == "csv":
        from clinicguard.report.tabular import render_csv

        return render_csv(view).encode("utf-8")
    if fmt == "json":
        from clinicguard.report.tabular import render_json

        return render_json(view).encode("utf-8")
    if fmt == "pdf":
        from clinicguard.report.pdf import render_pdf

        return render_pdf(view)
    raise ValueError(f"unknown report format {fmt!r}")


def file_name(lang: str, finished_at: datetime, fmt: str) -> str:
    """The name a report gets when none is given; it goes in the current folder (CLI and dashboard alike)."""
    stem = "clinicguard-rapport" if lang == "fr" else "clinicguard-report"
    return f"{stem}-{finished_at.astimezone().date().isoformat()}.{fmt}"


def default_name(view: ReportView, fmt: str) -> str:
    return file_name(view.lang, view.assessment.finished_at, fmt)


def write_report(path: str | Path, data: bytes) -> Path:
    """Temporary file then rename, mode 0600: a failed write leaves nothing half-written."""
    return atomic_write(path, data, mode=0o600)
