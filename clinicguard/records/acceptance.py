"""Accepted exceptions: a red or amber item knowingly kept, with why and until when.

Kept in ``<data dir>/exceptions.json``. An accepted item keeps its status
(it is never counted as green) and is shown as accepted; once the expiry
date has passed it is shown as an ordinary red or amber item again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Acceptance, Assessment, CheckResult, Status
from clinicguard.files.fsutil import load_versioned_json, save_json
from clinicguard.files.paths import data_dir
from clinicguard.present.safe import safe_line

FORMAT = "clinicguard-exceptions"
VERSION = 1
ACCEPTABLE = (Status.WARN, Status.FAIL)
MAX_JUSTIFICATION_CHARS = 1000  # a sentence or two: who decided, why, until what


def _parse_exceptions(data: dict[str, Any]) -> dict[str, Acceptance]:
    return {
        cid: Acceptance(e["justification"], date.fromisoformat(e["expires"]), date.fromisoformat(e["accepted_on"]))
        for cid, e in data.get("exceptions", {}).items()
    }


def exceptions_path() -> Path:
    return data_dir() / "exceptions.json"


class ExceptionStore:
    """Accepted items keyed by check id."""

    def __init__(self, items: dict[str, Acceptance] | None = None, path: Path | None = None) -> None:
        self.items: dict[str, Acceptance] = dict(items or {})
        self.path = path or exceptions_path()
        self.notice = ""

    @classmethod
    def load(cls, path: Path | None = None) -> ExceptionStore:
        path = path or exceptions_path()
        store = cls(path=path)
        items, store.notice = load_versioned_json(path, FORMAT, VERSION, "accepted exceptions", _parse_exceptions)
        store.items = items or {}
        return store

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "exceptions": {cid: a.to_dict() for cid, a in sorted(self.items.items())},
        }

    def save(self) -> Path:
        return save_json(self.path, self.to_dict())

    def accept(self, check_id: str, justification: str, expires: date, today: date) -> Acceptance:
        justification = " ".join(justification.split())
        if not justification:
            raise ClinicGuardError("justification_needed")
        if len(justification) > MAX_JUSTIFICATION_CHARS:
            raise ClinicGuardError("justification_too_long", count=MAX_JUSTIFICATION_CHARS)
        if expires <= today:
            raise ClinicGuardError("expiry_not_after_today", expires_date=expires.isoformat())
        acceptance = Acceptance(justification=justification, expires=expires, accepted_on=today)
        self.items[check_id] = acceptance
        return acceptance

    def remove(self, check_id: str) -> bool:
        return self.items.pop(check_id, None) is not None

    def active(self, today: date) -> dict[str, Acceptance]:
        return {cid: a for cid, a in self.items.items() if a.expires >= today}


def parse_day(text: str) -> date:
    """A date typed by a person: 2027-01-31 or 31/01/2027."""
    raw = text.strip()
    try:
        if "/" in raw:
            day, month, year = (int(part) for part in raw.split("/"))
            return date(year, month, day)
        return date.fromisoformat(raw)
    except (ValueError, OverflowError):  # a year of twenty digits overflows before it is found invalid
        raise ClinicGuardError("invalid_date", text=safe_line(text)) from None


def apply_to_results(results: tuple[CheckResult, ...], store: ExceptionStore, today: date) -> tuple[CheckResult, ...]:
    """Mark red/amber results that have an unexpired acceptance."""
    active = store.active(today)
    return tuple(
        replace(r, accepted=active[r.check_id]) if r.check_id in active and r.status in ACCEPTABLE else r
        for r in results
    )


def apply_exceptions(assessment: Assessment, store: ExceptionStore, today: date) -> Assessment:
    # The score is unchanged on purpose: an accepted item still earns no credit.
    return replace(assessment, results=apply_to_results(assessment.results, store, today))
