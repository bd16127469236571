"""Opening a fleet: the index, the folder's new visits imported, and the establishment picture on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from clinicguard.catalogue import Catalogue, load_catalogue
from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Assessment
from clinicguard.fleet.aggregate import FleetPicture, TrendPoint, build_picture, trend
from clinicguard.fleet.importer import ImportReport, import_folder
from clinicguard.fleet.store import FleetStore, VisitSummary, describe, open_store


def default_site(folder: Path | None, settings: dict[str, Any] | None) -> str:
    name = str(((settings or {}).get("establishment") or {}).get("name", "") or "").strip()
    if name:
        return name
    return folder.resolve().name if folder is not None else ""


@dataclass
class Fleet:
    store: FleetStore
    folder: Path | None
    site: str
    catalogue: Catalogue
    settings: dict[str, Any]
    imported: ImportReport | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return str(self.folder) if self.folder is not None and self.store.dialect == "sqlite" else self.store.where

    @property
    def interval_days(self) -> int:
        return int((self.settings.get("assessment") or {}).get("interval_days", 90))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Fleet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def picture(self, lang: str, today: date, *, since: date | None = None, site: str | None = None) -> FleetPicture:
        from clinicguard import __version__

        latest = self.store.latest_visits(site)
        counts: dict[str, int] = {}
        for v in self.store.all_visits_counts(site):
            counts[v[0]] = v[1]
        return build_picture(
            latest,
            self.catalogue,
            lang,
            today,
            site_documents=self.store.site_documents(),
            machines=[m for m in self.store.machines() if site is None or m.site == site],
            visit_counts=counts,
            interval_days=self.interval_days,
            since=since,
            current_version=__version__,
        )

    def trend(self, today: date, *, site: str | None = None, months: int = 12) -> list[TrendPoint]:
        return trend(
            self.store.iter_statuses(site),
            self.catalogue,
            today,
            site_documents=self.store.site_documents(),
            months=months,
        )

    def machine_visits(self, machine_id: str) -> list[VisitSummary]:
        return self.store.all_visits(machine_id=machine_id)

    def assessment(self, visit_id: int) -> Assessment:
        from clinicguard.records.serialize import assessment_from_dict

        doc = self.store.visit_document(visit_id)
        try:
            return assessment_from_dict(doc["assessment"], self.catalogue)
        except (KeyError, TypeError, ValueError) as exc:
            raise ClinicGuardError(
                "visit_unreadable", path=str(self.store.where), number=str(visit_id), problem=str(exc)
            ) from exc


def open_fleet(
    folder: str | Path | None = None,
    *,
    db: str | None = None,
    site: str | None = None,
    settings: dict[str, Any] | None = None,
    catalogue: Catalogue | None = None,
    import_new: bool = True,
) -> Fleet:
    """The fleet of ``folder`` (its own SQLite index) or of the ``db`` server, with new visits imported."""
    if folder is None and db is None:
        raise ClinicGuardError("fleet_folder_or_db_needed")
    path = Path(folder) if folder is not None else None
    if path is not None and path.exists() and not path.is_dir():
        raise ClinicGuardError("not_a_folder", path=str(path))
    store, notice = open_store(db if db else path)  # type: ignore[arg-type]
    fleet = Fleet(
        store,
        path,
        site if site is not None else default_site(path, settings),
        catalogue or load_catalogue(),
        dict(settings or {}),
        notices=[notice] if notice else [],
    )
    if path is not None and import_new:
        try:
            fleet.imported = import_folder(store, path, fleet.site)
        except BaseException:
            store.close()
            raise
        fleet.notices += fleet.imported.notices
    return fleet


__all__ = ["Fleet", "describe", "open_fleet"]
