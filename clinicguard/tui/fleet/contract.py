"""What the fleet screens need from the fleet application (so the screens do not import the app)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from clinicguard.catalogue import Catalogue
from clinicguard.fleet.aggregate import FleetPicture, MachineState, TrendPoint
from clinicguard.fleet.importer import ImportReport
from clinicguard.fleet.report.content import FleetReportView


class FleetDashboard(Protocol):
    lang: str
    catalogue: Catalogue
    picture: FleetPicture | None
    trend_points: list[TrendPoint]
    column_numbers: dict[str, int]
    report_folder: Path

    @property
    def establishment(self) -> str: ...

    @property
    def folder(self) -> Path | None: ...

    @property
    def imported(self) -> ImportReport | None: ...

    @property
    def size(self) -> Any: ...

    def report_view(self, anonymized: bool = False) -> FleetReportView: ...

    def open_machine(self, machine: MachineState) -> None: ...

    def open_questionnaire(self) -> None: ...

    def open_accept(self, check_id: str, machine: MachineState | None) -> None: ...

    def push_screen(self, screen: Any, callback: Callable[[Any], None] | None = None) -> Any: ...

    def exit(self, result: Any = None) -> None: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...
