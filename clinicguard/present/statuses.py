"""The word and the mark of each status: colour is never the only signal."""

from __future__ import annotations

from clinicguard.core.model import Status
from clinicguard.i18n import t

# One mark per status, shown beside its word on the screen, in the terminal and in every report.
MARKS: dict[Status, str] = {
    Status.PASS: "●",
    Status.WARN: "▲",
    Status.FAIL: "✖",
    Status.UNKNOWN: "?",
    Status.NOT_APPLICABLE: "—",
}


def status_label(status: Status, lang: str) -> str:
    """The status in words: "Conforme", "Non vérifié", ..."""
    return t(f"status.{status.value}", lang)


def marked_label(status: Status, lang: str) -> str:
    """Mark and word together, e.g. "✖ Critique"."""
    return f"{MARKS[status]} {status_label(status, lang)}"


def label_width(lang: str) -> int:
    """Room for the longest marked status word of ``lang``, so columns line up."""
    return max(len(status_label(s, lang)) for s in Status) + 2
