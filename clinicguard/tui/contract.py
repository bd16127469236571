"""What the dashboard's screens need from the application, without importing it.

The main screen and the app refer to each other only through these types,
so neither module imports the other's (no import cycle). Plain Python: no
textual here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from clinicguard.catalogue import Catalogue
from clinicguard.core.model import Assessment
from clinicguard.present.wording import Wording

if TYPE_CHECKING:
    from clinicguard.engine.runner import Progress


@dataclass
class ScanOutcome:
    """A finished (or cancelled) scan: the assessment and notices about damaged files kept aside."""

    assessment: Assessment
    notices: list[str] = field(default_factory=list)


# Runs one assessment, reporting each finished check; ``cancel`` ends it early.
AssessFn = Callable[[Callable[["Progress"], None], threading.Event], ScanOutcome]
Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()


class Dashboard(Protocol):
    """The application as its screens see it."""

    lang: str
    catalogue: Catalogue
    platform: str
    hostname: str
    clock: Clock
    settings: dict[str, Any]
    log_file: Path | None
    scan_on_start: bool
    assess: AssessFn

    @property
    def establishment(self) -> str: ...

    @property
    def wording(self) -> Wording: ...

    async def action_quit(self) -> None: ...
