"""Importing a fleet folder into the fleet index: idempotent, every skipped file listed with its reason.

The visit files are the reference; the index only speeds up reading them.
A file already imported (same content hash) is one visit, whatever its
name. A file that is damaged, changed after it was written, written by a
newer clinicguard, or that reuses another machine's label is skipped, never
merged silently, and listed with the reason every time the folder is read.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clinicguard.fleet import establishment
from clinicguard.fleet.store import INDEX_NAME, FleetStore, NewVisit
from clinicguard.fleet.visit import Visit, VisitError, read_visit

IMPORTED = "imported"


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str  # one of visit.REASONS
    detail: str


@dataclass
class ImportReport:
    folder: str
    site: str
    imported: int = 0
    already: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def visit_files(folder: Path) -> list[os.DirEntry[str]]:
    """Candidate visit files: every ``*.json`` but the establishment's own files and temporary files."""
    own = set(establishment.FILE_NAMES)
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        from clinicguard.core.errors import ClinicGuardError

        raise ClinicGuardError("fleet_folder_unreadable", path=str(folder), problem=str(exc.strerror or exc)) from exc
    return sorted(
        (
            e
            for e in entries
            if e.name.lower().endswith(".json")
            and not e.name.startswith(".")
            and e.name not in own
            and e.name != INDEX_NAME
        ),
        key=lambda e: e.name,
    )


def summarise(visit: Visit, site: str) -> NewVisit:
    """The index row of a visit: scores and, per item, status, weight, theme and acceptance."""
    doc = visit.assessment_doc
    score = doc.get("score") or {}
    statuses: dict[str, list[Any]] = {}
    for r in doc["results"]:
        statuses[str(r["id"])] = [
            str(r["status"]),
            int(r.get("weight", 1) or 1),
            str(r.get("theme", "")),
            str((r.get("accepted") or {}).get("expires", "")),
        ]
    counts = {k: int(v) for k, v in (score.get("counts") or {}).items()}
    host = doc.get("host") or {}
    os_text = " ".join(str(x) for x in (host.get("os_name", ""), host.get("os_version", "")) if x)
    return NewVisit(
        content_hash=visit.content_hash,
        machine_id=visit.machine_id,
        site=site,
        label=visit.label,
        hostname=visit.hostname,
        platform=str(host.get("platform", "")),
        os=os_text,
        finished_at=visit.finished_at.astimezone(UTC).isoformat(timespec="seconds"),
        tool_version=visit.tool_version,
        score=int(score.get("value", 0)),
        coverage=int(score.get("coverage", 0)),
        counts=counts,
        statuses=statuses,
        user=str(host.get("user", "")),
        blob=zlib.compress(visit.raw, 6),
        source=visit.source,
    )


FLUSH_EVERY = 500


def _flush(
    store: FleetStore,
    new: list[NewVisit],
    remember: list[tuple[str, int, int, str, str]],
    report: ImportReport,
    site: str,
    now: datetime,
) -> None:
    inserted = store.add_visits(new, now)
    report.imported += inserted
    report.already += len(new) - inserted  # imported meanwhile by another volunteer
    store.remember_files(site, remember)
    new.clear()
    remember.clear()


def import_folder(store: FleetStore, folder: str | Path, site: str = "", now: datetime | None = None) -> ImportReport:
    """Import every new or changed visit file of ``folder``, and the establishment's answers and exceptions."""
    folder = Path(folder)
    now = now or datetime.now(UTC)
    report = ImportReport(str(folder), site)
    seen = store.seen_files(site)
    known: set[str] | None = None  # read only when some file is new or changed
    labels: dict[tuple[str, str], str] = {}
    remember: list[tuple[str, int, int, str, str]] = []
    new: list[NewVisit] = []
    for entry in visit_files(folder):
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            report.skipped.append(Skipped(entry.name, "unreadable", exc.strerror or str(exc)))
            continue
        cached = seen.get(entry.name)
        if cached is not None and cached.size == info.st_size and cached.mtime_ns == info.st_mtime_ns:
            if cached.outcome == IMPORTED:
                report.already += 1
            else:
                report.skipped.append(Skipped(entry.name, cached.outcome, cached.detail))
            continue
        try:
            visit = read_visit(folder / entry.name)
        except VisitError as exc:
            report.skipped.append(Skipped(entry.name, exc.reason, exc.detail))
            remember.append((entry.name, info.st_size, info.st_mtime_ns, exc.reason, exc.detail))
            continue
        if known is None:
            known, labels = store.known_hashes(), store.labels()
        owner = labels.get((site, visit.label.casefold()))
        if owner is not None and owner != visit.machine_id:
            # Not remembered: once the other machine is relabelled, this file imports.
            report.skipped.append(
                Skipped(
                    entry.name,
                    "duplicate_label",
                    f"'{visit.label}' is already the label of another machine ({owner[:12]}…)",
                )
            )
            continue
        labels[(site, visit.label.casefold())] = visit.machine_id
        remember.append((entry.name, info.st_size, info.st_mtime_ns, IMPORTED, ""))
        if visit.content_hash in known:
            report.already += 1
            continue
        known.add(visit.content_hash)
        new.append(summarise(visit, site))
        if len(new) >= FLUSH_EVERY:  # bounded memory on a folder of thousands of visits
            _flush(store, new, remember, report, site, now)
    _flush(store, new, remember, report, site, now)
    report.notices += establishment.sync_to_store(store, folder, site)
    return report
