"""What is decided once for the whole establishment, kept in the fleet folder.

- ``establishment-answers.json``: the questionnaire's organisational answers
  (same format as a computer's ``answers.json``). They apply to every
  machine and are authoritative: a machine's own answer to the same question
  is shown beside it but does not count.
- ``establishment-exceptions.json``: accepted red or amber items, either for
  the whole fleet or for one machine (by its identity).

Both are copied into the fleet index on import, so a PostgreSQL server
shows each site with its own answers and exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Acceptance
from clinicguard.files.fsutil import load_versioned_json, save_json
from clinicguard.records.questionnaire import Answer, AnswerStore

ANSWERS_FILE = "establishment-answers.json"
EXCEPTIONS_FILE = "establishment-exceptions.json"
FILE_NAMES = (ANSWERS_FILE, EXCEPTIONS_FILE)
EXCEPTIONS_FORMAT = "clinicguard-fleet-exceptions"
EXCEPTIONS_VERSION = 1
FLEET_WIDE = "*"  # machine key of an exception that applies to every machine


def answers_store(folder: str | Path) -> AnswerStore:
    return AnswerStore.load(Path(folder) / ANSWERS_FILE)


def answers_from_document(document: dict[str, Any] | None) -> dict[str, Answer]:
    if not document:
        return {}
    out = {}
    for qid, a in (document.get("answers") or {}).items():
        try:
            out[qid] = Answer(qid, a["answer"], date.fromisoformat(a["date"]), a.get("note", ""))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _acceptance(d: dict[str, Any]) -> Acceptance:
    return Acceptance(str(d["justification"]), date.fromisoformat(d["expires"]), date.fromisoformat(d["accepted_on"]))


@dataclass
class FleetExceptions:
    """Accepted items: ``items[machine id or "*"][check id]``; a machine's own entry wins over the fleet-wide one."""

    items: dict[str, dict[str, Acceptance]] = field(default_factory=dict)
    path: Path | None = None
    notice: str = ""

    @classmethod
    def from_document(cls, document: dict[str, Any] | None) -> FleetExceptions:
        out = cls()
        for machine, entries in ((document or {}).get("exceptions") or {}).items():
            for cid, raw in (entries or {}).items():
                try:
                    out.items.setdefault(machine, {})[cid] = _acceptance(raw)
                except (KeyError, TypeError, ValueError):
                    continue
        return out

    @classmethod
    def load(cls, folder: str | Path) -> FleetExceptions:
        path = Path(folder) / EXCEPTIONS_FILE
        loaded, notice = load_versioned_json(
            path, EXCEPTIONS_FORMAT, EXCEPTIONS_VERSION, "fleet exceptions", cls.from_document
        )
        out = loaded or cls()
        out.path, out.notice = path, notice
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": EXCEPTIONS_FORMAT,
            "version": EXCEPTIONS_VERSION,
            "exceptions": {
                m: {cid: a.to_dict() for cid, a in sorted(e.items())} for m, e in sorted(self.items.items()) if e
            },
        }

    def save(self) -> Path:
        if self.path is None:
            raise ClinicGuardError("no_fleet_folder_for_exceptions")
        return save_json(self.path, self.to_dict())

    def accept(
        self, check_id: str, justification: str, expires: date, today: date, machine_id: str = FLEET_WIDE
    ) -> Acceptance:
        justification = " ".join(justification.split())
        if not justification:
            raise ClinicGuardError("justification_needed")
        if expires <= today:
            raise ClinicGuardError("expiry_not_after_today", expires_date=expires.isoformat())
        acceptance = Acceptance(justification, expires, today)
        self.items.setdefault(machine_id, {})[check_id] = acceptance
        return acceptance

    def remove(self, check_id: str, machine_id: str = FLEET_WIDE) -> bool:
        return self.items.get(machine_id, {}).pop(check_id, None) is not None

    def scope(self, machine_id: str = FLEET_WIDE) -> ScopedExceptions:
        """The accepted items of one workstation (or of the whole fleet), shaped like a local ExceptionStore."""
        return ScopedExceptions(self, machine_id)

    def for_machine(self, machine_id: str, check_id: str, today: date) -> Acceptance | None:
        for key in (machine_id, FLEET_WIDE):
            acc = self.items.get(key, {}).get(check_id)
            if acc is not None and acc.expires >= today:
                return acc
        return None


class ScopedExceptions:
    """One workstation's (or the fleet-wide) exceptions: ``items``, ``accept``, ``remove``, ``save``."""

    def __init__(self, parent: FleetExceptions, machine_id: str) -> None:
        self.parent = parent
        self.machine_id = machine_id

    @property
    def items(self) -> dict[str, Acceptance]:
        return self.parent.items.get(self.machine_id, {})

    def accept(self, check_id: str, justification: str, expires: date, today: date) -> Acceptance:
        return self.parent.accept(check_id, justification, expires, today, self.machine_id)

    def remove(self, check_id: str) -> bool:
        return self.parent.remove(check_id, self.machine_id)

    def save(self) -> Path:
        return self.parent.save()


def sync_to_store(store: Any, folder: Path, site: str) -> list[str]:
    """Copy the folder's answers and exceptions into the index; returns notices about damaged files."""
    notices = []
    try:
        answers = answers_store(folder)
        store.set_site_document(site, "answers", answers.to_dict() if answers.answers else None)
        notices += [answers.notice] if answers.notice else []
    except ClinicGuardError as exc:
        notices.append(str(exc))
    try:
        exceptions = FleetExceptions.load(folder)
        store.set_site_document(site, "exceptions", exceptions.to_dict() if exceptions.items else None)
        notices += [exceptions.notice] if exceptions.notice else []
    except ClinicGuardError as exc:
        notices.append(str(exc))
    return notices
