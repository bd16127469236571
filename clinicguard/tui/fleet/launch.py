"""``clinicguard fleet [DIR]`` in a terminal: open the fleet view."""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

from clinicguard.i18n import t

log = logging.getLogger("clinicguard.tui")


def build_app(
    folder: Path | None,
    *,
    db: str | None = None,
    site: str | None = None,
    settings: dict[str, Any] | None = None,
    lang: str = "fr",
    since: date | None = None,
):  # type: ignore[no-untyped-def]
    from clinicguard.catalogue import load_catalogue
    from clinicguard.fleet.service import open_fleet
    from clinicguard.tui.fleet.app import FleetApp

    catalogue = load_catalogue()

    def opener():  # type: ignore[no-untyped-def]
        return open_fleet(folder, db=db, site=site, settings=settings, catalogue=catalogue)

    return FleetApp(opener, catalogue=catalogue, settings=settings, lang=lang, since=since, report_folder=Path.cwd())


def run(
    folder: Path | None,
    *,
    db: str | None = None,
    site: str | None = None,
    settings: dict[str, Any] | None = None,
    lang: str = "fr",
    since: date | None = None,
) -> int:
    app = build_app(folder, db=db, site=site, settings=settings, lang=lang, since=since)
    try:
        app.run()
    except Exception as exc:  # noqa: BLE001 - the terminal could not host the dashboard
        from clinicguard.files.logsetup import log_path

        log.exception("fleet dashboard could not start")
        print(t("tui.start_failed", lang, error=type(exc).__name__, log=log_path()), file=sys.stderr)
        return 2
    return 0
