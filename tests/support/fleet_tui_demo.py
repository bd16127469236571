"""A fixed fictitious fleet for the fleet view's tests, snapshots and screenshots (generated, hand-made)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from clinicguard.catalogue import load_catalogue
from clinicguard.core.model import Status
from clinicguard.fleet.visit import write_visit
from tests.support.fleet_support import FROZEN, make_assessment, visit_document

LABELS = (
    "Accueil",
    "Infirmerie 1",
    "Infirmerie 2",
    "Direction",
    "Cuisine",
    "Salle de soins",
    "Secrétariat",
    "Kiné",
    "Pharmacie",
    "Lingerie",
)
SETTINGS = {"establishment": {"name": "EHPAD Les Tilleuls"}, "assessment": {"interval_days": 90}}


def utc() -> None:
    os.environ["TZ"] = "UTC"
    if hasattr(time, "tzset"):
        time.tzset()


def make_demo_fleet(folder: Path, machines: int = 10) -> Path:
    catalogue = load_catalogue()
    for n in range(machines):
        label = LABELS[n] if n < len(LABELS) else f"Poste {n:03d}"
        for back in (120, 30 + 10 * n):
            statuses: dict[str, Status] = {}
            if n % 3 == 0:
                statuses["updates.automatic"] = Status.FAIL
            if n in (1, 4):
                statuses["network.firewall"] = Status.FAIL
            if n % 4 == 1:
                statuses["backups.backup"] = Status.WARN
            a = make_assessment(
                statuses,
                hostname=f"PC-{n}",
                when=FROZEN - timedelta(days=back),
                seed=n * 7 + back,
                catalogue=catalogue,
                version="0.0.9" if n == 9 else "0.1.0",
            )
            write_visit(folder, visit_document(n, label, a))
    return folder


def demo_fleet_app(folder: Path, lang: str = "fr"):  # type: ignore[no-untyped-def]
    from clinicguard.fleet.service import open_fleet
    from clinicguard.tui.fleet.app import FleetApp

    catalogue = load_catalogue()
    return FleetApp(
        lambda: open_fleet(folder, settings=SETTINGS, catalogue=catalogue),
        catalogue=catalogue,
        settings=SETTINGS,
        lang=lang,
        clock=lambda: FROZEN,
        report_folder=folder.parent,
    )
