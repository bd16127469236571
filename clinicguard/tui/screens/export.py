"""Export dialog: pick a format, optionally anonymise, choose the file, write the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, RadioSet, Static

from clinicguard.catalogue import Catalogue
from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Assessment
from clinicguard.i18n import t
from clinicguard.present.safe import safe_line
from clinicguard.report import FORMATS
from clinicguard.tui.toggles import MarkedCheckbox, MarkedRadioButton

# The report formats, then "the establishment's fleet folder" (one visit file, see clinicguard.fleet).
CHOICES = (*FORMATS, "fleet")


def export_report(
    assessment: Assessment,
    fmt: str,
    path: Path,
    lang: str,
    *,
    anonymized: bool,
    settings: dict[str, Any] | None,
    previous: Assessment | None,
    catalogue: Catalogue | None,
) -> tuple[Path, int]:
    """Render and write one report; the same steps as ``clinicguard report``."""
    from clinicguard.report import build_view, render, write_report
    from clinicguard.report.anonymize import anonymize

    if anonymized:
        assessment = anonymize(assessment, lang)
    view = build_view(
        assessment, lang, settings=settings, previous=previous, anonymized=anonymized, catalogue=catalogue
    )
    data = render(fmt, view)
    return write_report(path, data), len(data)


class ExportScreen(ModalScreen[Path | None]):
    """Dismissed with the written file, or None when closed without exporting."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 90%; max-width: 90; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 0 1;
        overflow-y: auto;  /* on a screen smaller than 80×24 the rest is reached by scrolling, never cut */
    }
    ExportScreen .title { text-style: bold; }
    ExportScreen RadioSet { width: 100%; }
    ExportScreen #export-path { width: 100%; }
    ExportScreen .help { color: $text-muted; padding: 0 0 0 4; }
    ExportScreen #export-buttons { height: auto; margin-top: 1; }
    ExportScreen #export-buttons Button { margin-right: 2; }
    ExportScreen #export-status { height: auto; }
    """
    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(
        self,
        assessment: Assessment,
        lang: str,
        *,
        settings: dict[str, Any] | None = None,
        previous: Assessment | None = None,
        catalogue: Catalogue | None = None,
        folder: Path | None = None,
        fleet_export: Callable[[Path], Path] | None = None,
    ) -> None:
        super().__init__()
        # Writes this assessment into a fleet folder and returns the file (None: no fleet choice).
        self.fleet_export = fleet_export
        self._report_path = ""
        self.assessment = assessment
        self.lang = lang
        self.settings = settings
        self.previous = previous
        self.catalogue = catalogue
        # One rule for CLI and dashboard: without a folder, reports go to the current folder (shown as a
        # bare file name; the message after writing gives the full path).
        self.folder = folder or Path()
        self.fmt = "html"
        self.written: Path | None = None

    @property
    def fleet_folder(self) -> Path:
        configured = str(((self.settings or {}).get("fleet") or {}).get("folder", "") or "")
        return Path(configured).expanduser() if configured else Path.home() / "parc-clinicguard"

    @classmethod
    def with_history(
        cls,
        assessment: Assessment,
        lang: str,
        *,
        settings: dict[str, Any] | None = None,
        catalogue: Catalogue | None = None,
        folder: Path | None = None,
        fleet_export: Callable[[Path], Path] | None = None,
    ) -> ExportScreen:
        """The dialog for the dashboard's assessment, compared with the last saved one (if any)."""
        from clinicguard.records.history import open_history

        previous = None
        try:
            with open_history() as history:
                ids = [e.id for e in history.entries() if e.finished_at < assessment.finished_at]
                previous = history.load(ids[-1]) if ids else None
        except ClinicGuardError:
            previous = None  # the report is still written, without its "changes" section
        return cls(
            assessment,
            lang,
            settings=settings,
            previous=previous,
            catalogue=catalogue,
            folder=folder,
            fleet_export=fleet_export,
        )

    def default_path(self, fmt: str) -> Path:
        from clinicguard.report import file_name

        return self.folder / file_name(self.lang, self.assessment.finished_at, fmt)

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="export"):
            yield Static(t("export.title", lang), classes="title")
            yield Static(t("export.format", lang))
            with RadioSet(id="export-format"):
                for fmt in CHOICES if self.fleet_export is not None else FORMATS:
                    yield MarkedRadioButton(t(f"export.format_{fmt}", lang), value=fmt == self.fmt, id=f"fmt-{fmt}")
            # Compact checkbox, path field and buttons: at 80×24 the whole dialog fits, buttons in view.
            yield MarkedCheckbox(t("export.anonymize", lang), id="export-anonymize", compact=True)
            # The explanation wraps on its own line: a checkbox label is one line and would be cut at 80 columns.
            yield Static(t("export.anonymize_help", lang), classes="help")
            yield Static(t("export.file", lang))
            yield Input(str(self.default_path(self.fmt)), id="export-path", compact=True)
            with Horizontal(id="export-buttons"):
                yield Button(t("export.write", lang), variant="primary", id="export-write", compact=True)
                yield Button(t("export.close", lang), id="export-close", compact=True)
            yield Static("", id="export-status")

    @on(RadioSet.Changed, "#export-format")
    def format_changed(self, event: RadioSet.Changed) -> None:
        new = (event.pressed.id or "fmt-html").removeprefix("fmt-")
        field = self.query_one("#export-path", Input)
        current = Path(field.value)
        if new == "fleet":
            # A folder (USB key, network share), not a file: the report path is kept for later.
            self._report_path = field.value
            field.value = str(self.fleet_folder)
        elif self.fmt == "fleet":
            field.value = str(Path(self._report_path or self.default_path(new)).with_suffix(f".{new}"))
        elif current.suffix.lstrip(".") in FORMATS:
            # Keep the person's own file name; only the extension follows the format.
            field.value = str(current.with_suffix(f".{new}"))
        self.query_one("#export-anonymize", Checkbox).disabled = new == "fleet"
        self.fmt = new

    @on(Button.Pressed, "#export-close")
    def action_close(self) -> None:
        self.dismiss(self.written)

    @on(Button.Pressed, "#export-write")
    @on(Input.Submitted, "#export-path")
    def start_export(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.show_status(t("export.no_file", self.lang), error=True)
            return
        self.query_one("#export-write", Button).disabled = True
        self.show_status(t("export.writing", self.lang))
        anonymized = self.query_one("#export-anonymize", Checkbox).value
        self._export(Path(raw).expanduser().absolute(), self.fmt, anonymized)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _export(self, path: Path, fmt: str, anonymized: bool) -> None:
        # PDF rendering takes about a second: off the interface thread.
        if fmt == "fleet" and self.fleet_export is not None:
            try:
                written = self.fleet_export(path)
            except ClinicGuardError as exc:
                self.app.call_from_thread(self._finished, None, t("export.failed", self.lang, error=str(exc)))
                return
            self.app.call_from_thread(self._finished, written, t("fleet.saved", self.lang, path=str(written)))
            return
        try:
            written, size = export_report(
                self.assessment,
                fmt,
                path,
                self.lang,
                anonymized=anonymized,
                settings=self.settings,
                previous=self.previous,
                catalogue=self.catalogue,
            )
        except ClinicGuardError as exc:
            self.app.call_from_thread(self._finished, None, t("export.failed", self.lang, error=str(exc)))
            return
        self.app.call_from_thread(self._finished, written, t("report.written", self.lang, path=str(written), size=size))

    def _finished(self, written: Path | None, message: str) -> None:
        self.query_one("#export-write", Button).disabled = False
        if written is not None:
            self.written = written
        self.show_status(message, error=written is None)

    def show_status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Text(safe_line(message)))  # quotes a file name the person typed or an OS error
        status.set_class(error, "error")
