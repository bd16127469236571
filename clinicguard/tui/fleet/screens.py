"""Screens of the fleet view: the matrix, a workstation's checklist and history, actions, attention, report."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, DataTable, Input, OptionList, RadioSet, Static
from textual.widgets.option_list import Option

from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Status
from clinicguard.fleet.aggregate import COLOUR_FILTERS, Filters, MachineState, matrix, sparkline
from clinicguard.fleet.report import FORMATS
from clinicguard.i18n import format_value, t
from clinicguard.present.safe import safe_line
from clinicguard.present.wording import Wording
from clinicguard.tui import render as base_render
from clinicguard.tui.fleet import render
from clinicguard.tui.keys import Key, bindings, shown
from clinicguard.tui.toggles import MarkedCheckbox, MarkedRadioButton
from clinicguard.tui.widgets import Checklist, DetailPane, KeyBar

if TYPE_CHECKING:
    from clinicguard.tui.fleet.contract import FleetDashboard as FleetApp

log = logging.getLogger("clinicguard.tui")

FLEET_KEYS: tuple[Key, ...] = (
    Key("enter", "↵", "open_machine", "fleet_open", rank=1),
    Key("f", "f", "cycle_filter", "fleet_filter", rank=1),
    Key("t", "t", "cycle_theme", "fleet_theme", rank=2),
    Key("slash", "/", "search", "fleet_search", rank=2),
    Key("p", "p", "actions", "fleet_actions", rank=1),
    Key("o", "o", "attention", "fleet_attention", rank=2),
    Key("u", "u", "questionnaire", "fleet_answers", rank=3),
    Key("x", "x", "accept_machine", "fleet_accept", rank=3),
    Key("X", "X", "accept_fleet", "fleet_accept_all", in_bar=False),
    Key("e", "e", "export", "fleet_export", rank=2),
    Key("l", "l", "switch_language", "fleet_language", rank=1),
    Key("question_mark,f1", "?", "help", "fleet_help", rank=0),
    Key("q", "q", "quit", "fleet_quit", rank=0),
)
LABEL_WIDTH = 16


class FleetScreen(Screen):
    """Workstations (rows, worst first) × items (columns), with the selected cell explained below."""

    DEFAULT_CSS = """
    FleetScreen #fleet-header { height: auto; padding: 0 1; background: $panel; }
    FleetScreen #matrix { height: 1fr; }
    FleetScreen #fleet-cell { height: auto; min-height: 1; padding: 0 1; background: $boost; }
    FleetScreen #fleet-search { display: none; }
    FleetScreen.-searching #fleet-search { display: block; }
    """
    BINDINGS = [*[b for b in bindings(FLEET_KEYS) if b.key != "enter"], Binding("escape", "escape", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self.rows: list[MachineState] = []
        self.columns: list[str] = []

    @property
    def fa(self) -> FleetApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(t("fleet.tui.loading", self.fa.lang), id="fleet-header")
        table: DataTable = DataTable(id="matrix", cursor_type="cell", zebra_stripes=True, cell_padding=0)
        table.fixed_columns = 2
        yield table
        yield Static("", id="fleet-cell")
        yield Input(id="fleet-search", placeholder=t("tui.search.placeholder", self.fa.lang))
        yield KeyBar(FLEET_KEYS, self.fa.lang)

    def on_mount(self) -> None:
        self.query_one("#matrix", DataTable).focus()

    # ----- drawing

    def refresh_all(self) -> None:
        fa = self.fa
        if fa.picture is None:
            return
        self.rows, self.columns = matrix(fa.picture, fa.catalogue, self.filters)
        self._draw_header()
        self._draw_table()
        self._draw_cell()

    def refresh_header(self) -> None:
        if self.fa.picture is not None:
            self._draw_header()

    def _draw_header(self) -> None:
        fa = self.fa
        assert fa.picture is not None
        theme_title = (
            fa.catalogue.themes[self.filters.theme].title(fa.lang)
            if self.filters.theme in fa.catalogue.themes
            else self.filters.theme
        )
        self.query_one("#fleet-header", Static).update(
            render.header(
                fa.picture,
                fa.establishment,
                fa.trend_points,
                self.filters,
                fa.lang,
                theme_title,
                self.app.size.width - 2,
            )
        )

    def _draw_table(self) -> None:
        fa = self.fa
        table = self.query_one("#matrix", DataTable)
        keep = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column(t("fleet.machine", fa.lang), width=LABEL_WIDTH + 1, key="label")
        table.add_column("/100", width=5, key="score")
        multi_site = fa.picture is not None and len(fa.picture.sites) > 1
        if multi_site:
            table.add_column(t("fleet.site", fa.lang), width=13, key="site")
            table.fixed_columns = 3
        for n, cid in enumerate(self.columns, 1):
            table.add_column(self._column_label(cid, n), width=3, key=cid)
        if not self.rows:
            return
        for m in self.rows:
            cells: list[Any] = [
                Text(" " + safe_line(m.label)[:LABEL_WIDTH], style="bold" if m.red else ""),
                base_render.Text(f"{m.score:>4}", style=base_render.STYLES[m.worst]),
            ]
            if multi_site:
                cells.append(" " + safe_line(m.site)[:12])
            cells += [render.cell_text(m.cells.get(cid)) for cid in self.columns]
            table.add_row(*cells, key=m.machine_id)
        row = min(keep.row, len(self.rows) - 1)
        column = min(max(keep.column, 0), len(self.columns) + table.fixed_columns - 1)
        table.move_cursor(row=row, column=column, animate=False)

    def _column_label(self, cid: str, n: int) -> Text:
        # Numbered: the selected column's title is spelled out under the matrix.
        return Text(f"{self.fa.column_numbers.get(cid, n):>2}", style="bold")

    def selected(self) -> tuple[MachineState | None, str | None]:
        table = self.query_one("#matrix", DataTable)
        if not self.rows:
            return None, None
        coord = table.cursor_coordinate
        machine = self.rows[coord.row] if 0 <= coord.row < len(self.rows) else None
        index = coord.column - table.fixed_columns
        cid = self.columns[index] if 0 <= index < len(self.columns) else None
        return machine, cid

    def _draw_cell(self) -> None:
        fa = self.fa
        static = self.query_one("#fleet-cell", Static)
        if not self.rows:
            static.update(
                Text(
                    t("fleet.filter.empty", fa.lang)
                    if fa.picture and fa.picture.machines
                    else t("fleet.no_visits", fa.lang, folder=safe_line(str(fa.folder or "DIR"))),
                    style="bold",
                )
            )
            return
        machine, cid = self.selected()
        if machine is None:
            static.update("")
            return
        if cid is None:
            when = format_value("x_date", machine.finished_at.astimezone().date(), fa.lang)
            line = Text(
                f"{safe_line(machine.label)} — {machine.score}/100 · ✖ {machine.red} · ▲ {machine.amber}"
                f" · {when} · clinicguard {safe_line(machine.tool_version)}"
            )
            if machine.site and fa.picture is not None and len(fa.picture.sites) > 1:
                line.append(f" · {safe_line(machine.site)}")
            static.update(line)
            return
        spec = fa.catalogue.checks.get(cid)
        title = spec.title(fa.lang) if spec else cid
        static.update(render.cell_line(machine.label, title, machine.cells.get(cid), fa.lang))

    @on(DataTable.CellHighlighted, "#matrix")
    def _highlighted(self) -> None:
        self._draw_cell()

    @on(DataTable.CellSelected, "#matrix")
    def _selected(self) -> None:
        self.action_open_machine()

    # ----- filters

    def action_cycle_filter(self) -> None:
        nxt = COLOUR_FILTERS[(COLOUR_FILTERS.index(self.filters.colour) + 1) % len(COLOUR_FILTERS)]
        self.filters = Filters(nxt, self.filters.theme, self.filters.machine, self.filters.search)
        self.refresh_all()

    def action_cycle_theme(self) -> None:
        fa = self.fa
        picture = fa.picture
        if picture is None:
            return
        themes = [""] + [
            th.id
            for th in picture.themes
            if any(c in fa.catalogue.checks and fa.catalogue.checks[c].theme == th.id for c in picture.items)
        ]
        current = themes.index(self.filters.theme) if self.filters.theme in themes else 0
        self.filters = Filters(
            self.filters.colour, themes[(current + 1) % len(themes)], self.filters.machine, self.filters.search
        )
        self.refresh_all()

    def action_search(self) -> None:
        self.add_class("-searching")
        self.query_one("#fleet-search", Input).focus()

    @on(Input.Changed, "#fleet-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filters = Filters(self.filters.colour, self.filters.theme, self.filters.machine, event.value.strip())
        self.refresh_all()

    @on(Input.Submitted, "#fleet-search")
    def _search_done(self) -> None:
        self.query_one("#matrix", DataTable).focus()
        if not self.filters.search:
            self.remove_class("-searching")

    def action_escape(self) -> None:
        if self.has_class("-searching") or self.filters.active:
            self.query_one("#fleet-search", Input).value = ""
            self.remove_class("-searching")
            self.filters = Filters()
            self.refresh_all()
        self.query_one("#matrix", DataTable).focus()

    # ----- other screens

    def action_open_machine(self) -> None:
        machine, _ = self.selected()
        if machine is not None:
            self.fa.open_machine(machine)

    def action_actions(self) -> None:
        self.fa.push_screen(TextScreen(render.actions_body(self.fa.report_view()), "p"))

    def action_attention(self) -> None:
        self.fa.push_screen(TextScreen(render.attention_body(self.fa.report_view(), self.fa.imported), "o"))

    def action_questionnaire(self) -> None:
        self.fa.open_questionnaire()

    def action_accept_machine(self) -> None:
        machine, cid = self.selected()
        if machine is not None and cid is not None:
            self.fa.open_accept(cid, machine)

    def action_accept_fleet(self) -> None:
        _, cid = self.selected()
        if cid is not None:
            self.fa.open_accept(cid, None)

    def action_export(self) -> None:
        if self.fa.picture is not None:
            self.fa.push_screen(FleetReportScreen())

    def action_switch_language(self) -> None:
        self.fa.lang = "en" if self.fa.lang == "fr" else "fr"

    def action_help(self) -> None:
        self.fa.push_screen(TextScreen(help_body(self.fa.lang), "question_mark"))

    async def action_quit(self) -> None:
        self.app.exit(0)

    def set_lang(self, lang: str) -> None:
        self.query_one(KeyBar).set_lang(lang)
        self.query_one("#fleet-search", Input).placeholder = t("tui.search.placeholder", lang)


def help_body(lang: str) -> Group:
    keys = Table.grid(padding=(0, 2))
    keys.add_column(no_wrap=True, style="bold")
    keys.add_column()
    for key in FLEET_KEYS:
        keys.add_row(shown(key, lang), t(f"tui.keyhelp.{key.name}", lang))
    return Group(
        Text(t("fleet.tui.help_title", lang), style="bold reverse"),
        Text(""),
        keys,
        Text(""),
        Text(t("fleet.tui.help_text", lang).strip()),
        Text(""),
        Text(t("fleet.legend", lang)),
        Text(""),
        Text(t("tui.help.close", lang), style="dim"),
    )


class TextScreen(ModalScreen[None]):
    """A scrollable page of text (actions, attention, help), closed with Esc or its own key."""

    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > VerticalScroll { width: 95%; max-width: 120; height: 95%; border: thick $primary;
                                  background: $surface; padding: 0 1; }
    """

    def __init__(self, body: Group, key: str) -> None:
        super().__init__()
        self.body = body
        self._bindings.bind(f"escape,q,{key}", "dismiss", show=False)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.body)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


class MachineScreen(Screen[None]):
    """One workstation: its history (score per visit) and its own checklist with the detail of each item."""

    DEFAULT_CSS = """
    MachineScreen #machine-header { height: auto; padding: 0 1; background: $panel; }
    MachineScreen #machine-body { height: 1fr; }
    MachineScreen #checklist { width: 1fr; }
    MachineScreen #detail { width: 1fr; }
    MachineScreen.-narrow #machine-body { layout: vertical; }
    MachineScreen.-narrow #checklist { width: 100%; height: 1fr; }
    MachineScreen.-narrow #detail { width: 100%; height: 1fr; }
    """
    BINDINGS = [Binding("escape,backspace", "back", show=False), Binding("q", "app.quit", show=False)]

    def __init__(self, machine: MachineState, header: Text, results: list[Any], wording: Wording) -> None:
        super().__init__()
        self.machine = machine
        self.header_text = header
        self.results = {r.check_id: r for r in results}
        self.wording = wording

    def compose(self) -> ComposeResult:
        yield Static(self.header_text, id="machine-header")
        with Horizontal(id="machine-body"):
            yield Checklist(id="checklist")
            yield DetailPane(id="detail")
        yield KeyBar((Key("escape", "Esc", "back", "back"),), self.wording.lang)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")
        checklist = self.query_one(Checklist)
        width = max(30, (self.app.size.width if self.app.size.width < 100 else self.app.size.width // 2) - 6)
        order = sorted(
            self.results.values(),
            key=lambda r: (
                {Status.FAIL: 0, Status.WARN: 1, Status.UNKNOWN: 2, Status.PASS: 3}.get(r.status, 4),
                self.wording.catalogue.theme_order(self.wording.theme_of(r)),
                r.check_id,
            ),
        )
        checklist.set_options([Option(base_render.row(r, self.wording, width), id=r.check_id) for r in order])
        if order:
            checklist.highlighted = 0
        checklist.focus()
        self._detail()

    @on(OptionList.OptionHighlighted, "#checklist")
    def _detail(self) -> None:
        rid = self.query_one(Checklist).highlighted_id()
        self.query_one(DetailPane).show(base_render.detail(self.results.get(rid or ""), self.wording))

    def action_back(self) -> None:
        self.dismiss(None)


def machine_header(machine: MachineState, visits: list[Any], lang: str) -> Text:
    out = Text(t("fleet.machine_title", lang, label=safe_line(machine.label)), style="bold")
    if machine.site:
        out.append(f" · {safe_line(machine.site)}")
    out.append(
        f" · {machine.score}/100 · ✖ {machine.red} · ▲ {machine.amber} · clinicguard "
        f"{safe_line(machine.tool_version)}\n"
    )
    out.append(t("fleet.machine_history", lang) + "  ", style="bold")
    scores = [v.score for v in visits]
    out.append(sparkline(scores), style="bold cyan")
    recent = "  ".join(
        f"{format_value('x_date', v.finished_at.astimezone().date(), lang)} {v.score}" for v in visits[-4:]
    )
    out.append(f"  {recent}")
    return out


class FleetReportScreen(ModalScreen[Path | None]):
    """Pick a format, optionally anonymise, choose the file, write the fleet report."""

    DEFAULT_CSS = """
    FleetReportScreen { align: center middle; }
    FleetReportScreen > Vertical { width: 90%; max-width: 90; height: auto; max-height: 95%;
                                   border: thick $primary; background: $surface; padding: 0 1; }
    FleetReportScreen .title { text-style: bold; }
    FleetReportScreen #fleet-report-buttons { height: auto; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.fmt = "html"
        self.written: Path | None = None

    @property
    def fa(self) -> FleetApp:
        return self.app  # type: ignore[return-value]

    def default_path(self, fmt: str) -> Path:
        from clinicguard.fleet.report import default_fleet_name

        return self.fa.report_folder / default_fleet_name(self.fa.report_view(), fmt)

    def compose(self) -> ComposeResult:
        lang = self.fa.lang
        with Vertical():
            yield Static(t("fleet.tui.export_title", lang), classes="title")
            yield Static(t("export.format", lang))
            with RadioSet(id="fleet-report-format"):
                for fmt in FORMATS:
                    yield MarkedRadioButton(t(f"export.format_{fmt}", lang), value=fmt == self.fmt, id=f"ffmt-{fmt}")
            yield MarkedCheckbox(t("export.anonymize", lang), id="fleet-report-anonymize")
            yield Static(t("export.file", lang))
            yield Input(str(self.default_path(self.fmt)), id="fleet-report-path")
            with Horizontal(id="fleet-report-buttons"):
                yield Button(t("export.write", lang), variant="primary", id="fleet-report-write")
                yield Button(t("export.close", lang), id="fleet-report-close")
            yield Static("", id="fleet-report-status")

    @on(RadioSet.Changed, "#fleet-report-format")
    def _format(self, event: RadioSet.Changed) -> None:
        self.fmt = (event.pressed.id or "ffmt-html").removeprefix("ffmt-")
        field = self.query_one("#fleet-report-path", Input)
        current = Path(field.value)
        if current.suffix.lstrip(".") in FORMATS:
            field.value = str(current.with_suffix(f".{self.fmt}"))

    @on(Button.Pressed, "#fleet-report-close")
    def action_close(self) -> None:
        self.dismiss(self.written)

    @on(Button.Pressed, "#fleet-report-write")
    @on(Input.Submitted, "#fleet-report-path")
    def _write(self) -> None:
        raw = self.query_one("#fleet-report-path", Input).value.strip()
        if not raw:
            self.query_one("#fleet-report-status", Static).update(t("export.no_file", self.fa.lang))
            return
        self.query_one("#fleet-report-write", Button).disabled = True
        self.query_one("#fleet-report-status", Static).update(t("export.writing", self.fa.lang))
        self._export(Path(raw).expanduser(), self.fmt, self.query_one("#fleet-report-anonymize", Checkbox).value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _export(self, path: Path, fmt: str, anonymized: bool) -> None:
        from clinicguard.fleet.report import render_fleet
        from clinicguard.report import write_report

        lang = self.fa.lang
        try:
            data = render_fleet(fmt, self.fa.report_view(anonymized=anonymized))
            written = write_report(path, data)
            message = t("fleet.report_written", lang, path=str(written), size=len(data))
        except ClinicGuardError as exc:
            written, message = None, t("export.failed", lang, error=str(exc))
        self.app.call_from_thread(self._done, written, message)

    def _done(self, written: Path | None, message: str) -> None:
        self.query_one("#fleet-report-write", Button).disabled = False
        if written is not None:
            self.written = written
        self.query_one("#fleet-report-status", Static).update(message)
