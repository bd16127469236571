"""The fleet dashboard application: opens the fleet in a worker, then shows the matrix."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import var

from clinicguard.catalogue import Catalogue
from clinicguard.core.errors import ClinicGuardError
from clinicguard.fleet.aggregate import FleetPicture, MachineState, TrendPoint
from clinicguard.fleet.importer import ImportReport
from clinicguard.fleet.report.content import FleetReportView, build_fleet_view
from clinicguard.i18n import message_text, t
from clinicguard.present.safe import safe_line
from clinicguard.tui.fleet.screens import FleetScreen, MachineScreen, machine_header

log = logging.getLogger("clinicguard.tui")

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()


class FleetApp(App[int]):
    """``opener()`` returns an open :class:`clinicguard.fleet.service.Fleet` (called in a worker thread)."""

    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+c", "quit", show=False, priority=True)]

    lang: var[str] = var("fr", init=False)

    def __init__(
        self,
        opener: Callable[[], Any],
        *,
        catalogue: Catalogue,
        settings: dict[str, Any] | None = None,
        lang: str = "fr",
        clock: Clock = local_now,
        since: date | None = None,
        report_folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.opener = opener
        self.catalogue = catalogue
        self.settings = settings or {}
        self.set_reactive(FleetApp.lang, lang)
        self.clock = clock
        self.since = since
        self.report_folder = report_folder or Path.home()
        self.fleet: Any = None
        self.picture: FleetPicture | None = None
        self.trend_points: list[TrendPoint] = []
        self.column_numbers: dict[str, int] = {}
        self.theme = "textual-dark"
        self.main = FleetScreen()

    @property
    def establishment(self) -> str:
        name = str((self.settings.get("establishment") or {}).get("name", "") or "")
        if not name and self.picture is not None and len(self.picture.sites) == 1:
            return self.picture.sites[0]
        return name

    @property
    def folder(self) -> Path | None:
        return self.fleet.folder if self.fleet is not None else None

    @property
    def imported(self) -> ImportReport | None:
        return self.fleet.imported if self.fleet is not None else None

    def today(self) -> date:
        return self.clock().date()

    def on_mount(self) -> None:
        self.title = t("fleet.tui.title", self.lang)
        self.push_screen(self.main)
        self.load()

    @work(thread=True, exclusive=True, group="fleet", exit_on_error=False)
    def load(self, reopen: bool = True) -> None:
        """Open (or re-import) the fleet and build the picture, off the interface thread."""
        try:
            if reopen or self.fleet is None:
                if self.fleet is not None:
                    self.fleet.close()
                self.fleet = self.opener()
            picture = self.fleet.picture(self.lang, self.today(), since=self.since)
            self.call_from_thread(self._loaded, picture)
            # The trend reads every visit: after the matrix is on screen.
            trend = self.fleet.trend(self.today())
            self.call_from_thread(self._trend_loaded, trend)
        except ClinicGuardError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=15)
            return
        except Exception:  # noqa: BLE001 - a broken fleet must not close the dashboard
            log.exception("fleet could not be read")
            self.call_from_thread(
                self.notify, t("tui.screen_failed", self.lang, log="clinicguard.log"), severity="error", timeout=15
            )
            return

    def _trend_loaded(self, trend: list[TrendPoint]) -> None:
        self.trend_points = trend
        self.main.refresh_header()

    def _loaded(self, picture: FleetPicture) -> None:
        self.picture = picture
        self.column_numbers = {cid: n for n, cid in enumerate(picture.items, 1)}
        self.main.refresh_all()
        for notice in self.fleet.notices if self.fleet is not None else []:
            self.notify(safe_line(message_text(notice, self.lang)), severity="warning", timeout=15, markup=False)
        if self.imported is not None and self.imported.skipped:
            self.notify(
                t("fleet.tui.skipped", self.lang, count=len(self.imported.skipped)), severity="warning", timeout=10
            )

    def report_view(self, anonymized: bool = False) -> FleetReportView:
        assert self.picture is not None
        return build_fleet_view(
            self.picture, self.catalogue, settings=self.settings, trend=self.trend_points, anonymized=anonymized
        )

    def watch_lang(self, lang: str) -> None:
        self.title = t("fleet.tui.title", lang)
        self.main.set_lang(lang)
        if self.fleet is not None:
            self.load(reopen=False)  # titles and words are resolved in the picture

    def open_machine(self, machine: MachineState) -> None:
        from clinicguard.present.wording import Wording

        try:
            visits = self.fleet.machine_visits(machine.machine_id)
            assessment = self.fleet.assessment(machine.visit_id)
        except ClinicGuardError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        wording = Wording(self.catalogue, self.lang, assessment.host.platform)
        self.push_screen(
            MachineScreen(machine, machine_header(machine, visits, self.lang), list(assessment.results), wording)
        )

    def open_questionnaire(self) -> None:
        from clinicguard.fleet.establishment import answers_store
        from clinicguard.tui.screens.questionnaire import QuestionnaireScreen

        if self.folder is None:
            self.notify(t("fleet.no_visits", self.lang, folder="DIR"), severity="warning")
            return
        try:
            store = answers_store(self.folder)
        except ClinicGuardError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.push_screen(QuestionnaireScreen(self.catalogue, store, self.lang, self.today()), self._changed)

    def open_accept(self, check_id: str, machine: MachineState | None) -> None:
        from clinicguard.fleet.establishment import FLEET_WIDE, FleetExceptions
        from clinicguard.tui.screens.accept import AcceptScreen

        if self.folder is None:
            return
        cell = machine.cells.get(check_id) if machine else None
        status = (
            cell.status
            if cell
            else max(
                (
                    m.cells[check_id].status
                    for m in (self.picture.machines if self.picture else [])
                    if check_id in m.cells
                ),
                key=lambda s: {"FAIL": 3, "WARN": 2}.get(s.value, 0),
                default=None,
            )
        )
        if status is None or status.value not in ("FAIL", "WARN"):
            self.notify(t("accept.screen.not_acceptable", self.lang), severity="warning")
            return
        try:
            exceptions = FleetExceptions.load(self.folder)
        except ClinicGuardError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        spec = self.catalogue.checks.get(check_id)
        title = spec.title(self.lang) if spec else check_id
        if machine is not None:
            from clinicguard.present.safe import safe_line

            title = f"{title} — {safe_line(machine.label)}"
        scope = exceptions.scope(machine.machine_id if machine else FLEET_WIDE)
        self.push_screen(
            AcceptScreen(check_id, title, status, scope, self.lang, self.today()),  # type: ignore[arg-type]
            self._changed,
        )

    def _changed(self, changed: object) -> None:
        if changed:
            self.load()  # re-import: the establishment's files are copied into the index

    async def action_quit(self) -> None:
        self.exit(0)

    def on_unmount(self) -> None:
        if self.fleet is not None:
            self.fleet.close()
