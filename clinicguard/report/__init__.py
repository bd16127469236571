"""Exported checklist reports for the director, the board or the regional health agency.

``render(fmt, view)`` lays out a :class:`~clinicguard.report.content.ReportView`
as HTML, PDF, Markdown, CSV or JSON; ``write_report`` writes it atomically
with owner-only permissions.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from pathlib import Path
from typing import Any

from clinicguard.files.fsutil import atomic_write
from clinicguard.report.content import ReportView, build_view

FORMATS = ("html", "pdf", "md", "json", "csv")

__all__ = ["FORMATS", "ReportView", "build_view", "default_name", "render", "render_with", "write_report"]


# Each format: the module of a report package that renders it, and that module's function.
_RENDERERS = {
    "html": ("html", "render_html"),
    "md": ("markdown", "render_markdown"),
    "csv": ("tabular", "render_csv"),
    "json": ("tabular", "render_json"),
    "pdf": ("pdf", "render_pdf"),
}


def render_with(package: str, fmt: str, view: Any) -> bytes:
    """Render ``view`` as ``fmt`` with the renderers of ``package`` (this one, or the fleet's), imported when used."""
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}")
    module, function = _RENDERERS[fmt]
    out = getattr(importlib.import_module(f"{package}.{module}"), function)(view)
    return out if isinstance(out, bytes) else out.encode("utf-8")


def render(fmt: str, view: ReportView) -> bytes:
    return render_with(__name__, fmt, view)


def file_name(lang: str, finished_at: datetime, fmt: str) -> str:
    """The name a report gets when none is given; it goes in the current folder (CLI and dashboard alike)."""
    stem = "clinicguard-rapport" if lang == "fr" else "clinicguard-report"
    return f"{stem}-{finished_at.astimezone().date().isoformat()}.{fmt}"


def default_name(view: ReportView, fmt: str) -> str:
    return file_name(view.lang, view.assessment.finished_at, fmt)


def write_report(path: str | Path, data: bytes) -> Path:
    """Temporary file then rename, mode 0600: a failed write leaves nothing half-written."""
    return atomic_write(path, data, mode=0o600)
