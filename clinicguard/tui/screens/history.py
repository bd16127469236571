"""Saved assessments: the score trend, each run, and what changed since the previous one."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from clinicguard.catalogue import Catalogue
from clinicguard.core.diff import Diff
from clinicguard.i18n import message_text, t
from clinicguard.present.changes import diff_lines
from clinicguard.present.dates import format_when
from clinicguard.present.safe import safe_line
from clinicguard.records.history import Entry

BARS = "▁▂▃▄▅▆▇█"


def trend(scores: list[int]) -> str:
    """One bar per assessment, 0 to 100."""
    return "".join(BARS[min(len(BARS) - 1, max(0, score) * len(BARS) // 101)] for score in scores)


def history_body(
    entries: list[Entry], diff: Diff | None, catalogue: Catalogue, lang: str, next_due: date | None, notice: str = ""
) -> Group:
    parts: list[Any] = [Text(t("history.screen.title", lang), style="bold reverse"), Text("")]
    if notice:
        parts += [Text(safe_line(notice), style="bold yellow"), Text("")]
    if not entries:
        parts.append(Text(t("history.empty", lang)))
        return Group(*parts)
    scores = [e.score for e in entries]
    parts += [
        Text.assemble(
            (t("history.screen.trend", lang) + "  ", "bold"),
            (trend(scores), "bold cyan"),
            f"  {scores[0]} → {scores[-1]}/100",
        )
    ]
    if next_due is not None:
        parts.append(Text(t("history.next_due", lang, due_date=next_due.isoformat()), style="bold"))
    parts.append(Text(""))
    table = Table(box=None, padding=(0, 1), header_style="bold")
    for key in ("number", "date", "score", "coverage", "fail", "warn"):
        table.add_column(t(f"history.screen.col_{key}", lang), justify="right" if key != "date" else "left")
    for e in reversed(entries):
        table.add_row(
            str(e.id),
            format_when(e.finished_at, lang),
            f"{e.score}/100",
            f"{e.coverage} %",
            str(e.fail_count),
            str(e.warn_count),
        )
    parts += [table, Text("")]
    parts.append(Text(t("history.screen.changes", lang), style="bold underline"))
    if diff is None:
        parts.append(Text(t("report.changes_none", lang)))
    else:
        parts += [Text(line) for line in diff_lines(diff, catalogue, lang)]
    parts += [Text(""), Text(t("history.screen.close", lang), style="dim")]
    return Group(*parts)


class HistoryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > VerticalScroll {
        width: 90%; max-width: 110; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q,h", "dismiss", show=False)]

    def __init__(
        self,
        entries: list[Entry],
        diff: Diff | None,
        catalogue: Catalogue,
        lang: str,
        next_due: date | None = None,
        notice: str = "",
    ) -> None:
        super().__init__()
        self.notice = notice
        self.entries = entries
        self.diff = diff
        self.catalogue = catalogue
        self.lang = lang
        self.next_due = next_due

    @classmethod
    def from_history(cls, catalogue: Catalogue, lang: str, settings: dict[str, Any] | None = None) -> HistoryScreen:
        """Read the saved history (recovering a damaged file) and compare the last two runs."""
        from clinicguard.core.diff import compare
        from clinicguard.engine.workflow import next_due
        from clinicguard.records.history import open_history

        with open_history() as history:
            notice = history.notice
            entries = history.entries()
            diff = None
            if len(entries) >= 2:
                diff = compare(history.load(entries[-2].id), history.load(entries[-1].id))
        due = next_due(entries[-1].finished_at, settings) if entries else None
        return cls(entries, diff, catalogue, lang, due, message_text(notice, lang) if notice else notice)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history"):
            yield Static(
                history_body(self.entries, self.diff, self.catalogue, self.lang, self.next_due, self.notice),
                id="history-body",
            )

    def on_mount(self) -> None:
        self.query_one("#history").focus()
