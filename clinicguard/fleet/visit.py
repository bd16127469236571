"""One visit file: one machine, one assessment, in the fleet folder.

Format (``clinicguard/schema/fleet-visit.schema.json``)::

    {"format": "clinicguard-fleet-visit", "version": 1,
     "machine": {"id": "<sha256 of the OS machine id>", "label": "Infirmerie 1", "hostname": "...",
                 "establishment": "..."},
     "tool_version": "0.1.0",
     "assessment": <the assessment document, clinicguard/schema/assessment.schema.json>,
     "answers": {"ask.x": {"answer": "yes", "date": "2026-01-31", "note": ""}},
     "content_hash": "sha256:<hex of the canonical JSON of everything above>"}

The content hash detects a file changed by hand or damaged in transit; it is
not a signature. Files are written to a temporary name then renamed, so a
USB key pulled out mid-write never leaves half a visit under a real name.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clinicguard.core.errors import DataFileError
from clinicguard.core.jsontext import dumps, loads
from clinicguard.core.model import Assessment
from clinicguard.files.fsutil import atomic_write, read_capped

FORMAT = "clinicguard-fleet-visit"
VERSION = 1
SUFFIX = ".cgvisit.json"
MAX_FILE_BYTES = 16 * 1024 * 1024  # a real visit is ~100 kB
DOC_LANG = "en"  # texts stored in the file; views re-render them in the reader's language
_ID = re.compile(r"^[0-9a-f]{64}$")


class VisitError(Exception):
    """A file that cannot be imported: ``reason`` is one of REASONS, ``detail`` says more."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


# Why a file is skipped (i18n keys fleet.skip.<reason>).
REASONS = ("unreadable", "invalid", "newer", "tampered", "duplicate_label")


_HASH_TAIL = re.compile(rb',"content_hash":"(sha256:[0-9a-f]{64})"}\s*$')


def canonical_bytes(document: dict[str, Any]) -> bytes:
    body = {k: v for k, v in document.items() if k != "content_hash"}
    return dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_hash(document: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical_bytes(document)).hexdigest()


RESULT_KEYS = ("id", "theme", "weight", "status", "summary_key", "params", "reason", "detail", "duration_s", "accepted")


def compact_assessment(assessment: Assessment) -> dict[str, Any]:
    """The assessment document without the texts the catalogue gives back (titles, why, how to fix).

    Readable by ``serialize.assessment_from_dict``; five times smaller, which matters for a
    folder of thousands of visits on a USB key.
    """
    from clinicguard.records.serialize import assessment_to_dict

    doc = assessment_to_dict(assessment, DOC_LANG)
    doc.pop("themes", None)
    doc["results"] = [
        {
            **{k: r[k] for k in RESULT_KEYS},
            "evidence": [{"label": e["label"], "value": e["value"], "source": e["source"]} for e in r["evidence"]],
        }
        for r in doc["results"]
    ]
    return doc


def build_visit(
    assessment: Assessment, machine_id: str, label: str, answers: dict[str, Any] | None = None, establishment: str = ""
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "machine": {
            "id": machine_id,
            "label": label or assessment.host.hostname,
            "hostname": assessment.host.hostname,
            "establishment": establishment,
        },
        "tool_version": assessment.tool_version,
        "assessment": compact_assessment(assessment),
        "answers": dict(answers or {}),
    }
    document["content_hash"] = content_hash(document)
    return document


def slug(text: str, limit: int = 40) -> str:
    """A file-name-safe ASCII form of a label (accents dropped, anything else a dash)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return cleaned[:limit].strip("-") or "poste"


def visit_file_name(document: dict[str, Any]) -> str:
    finished = datetime.fromisoformat(document["assessment"]["finished_at"]).astimezone(UTC)
    machine = document["machine"]
    return f"{slug(machine['label'])}_{machine['id'][:12]}_{finished:%Y%m%dT%H%M%SZ}{SUFFIX}"


def write_visit(folder: str | os.PathLike[str], document: dict[str, Any]) -> Path:
    """Write the visit into ``folder`` atomically; the same visit written twice is the same file."""
    target = Path(folder)
    from clinicguard.core.errors import ClinicGuardError

    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClinicGuardError(
            "fleet_folder_create_failed", path=str(target), problem=str(exc.strerror or exc)
        ) from exc
    return atomic_write(target / visit_file_name(document), visit_bytes(document), mode=0o600)


def visit_bytes(document: dict[str, Any]) -> bytes:
    """The file's bytes: the canonical JSON of the document with ``content_hash`` as its last member.

    So a reader checks an untouched file by hashing its bytes up to that member, without re-encoding
    it; a file re-indented by an editor is still checked, the slow way.
    """
    body = canonical_bytes(document)
    return body[:-1] + f',"content_hash":"{content_hash(document)}"}}\n'.encode("ascii")


@dataclass(frozen=True)
class Visit:
    """A visit file read and checked."""

    source: str  # file name (or other origin), for messages
    machine_id: str
    label: str
    hostname: str
    tool_version: str
    content_hash: str
    document: dict[str, Any]
    raw: bytes = b""  # the file as read

    @property
    def assessment_doc(self) -> dict[str, Any]:
        return dict(self.document["assessment"])

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.document.get("answers") or {})

    @property
    def finished_at(self) -> datetime:
        return datetime.fromisoformat(self.document["assessment"]["finished_at"])


def parse_visit(data: bytes, source: str) -> Visit:
    """Check a visit document: readable, of a known version, intact, complete."""
    from clinicguard.records.serialize import SCHEMA_VERSION

    try:
        document = loads(data)
    except UnicodeDecodeError as exc:
        raise VisitError("unreadable", "not UTF-8 text") from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise VisitError("unreadable", f"invalid JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise VisitError("invalid", "not a clinicguard visit file")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise VisitError("invalid", "no file version")
    if version > VERSION:
        raise VisitError("newer", f"file version {version}, this clinicguard reads up to {VERSION}; update it")
    assessment = document.get("assessment")
    if (
        isinstance(assessment, dict)
        and isinstance(assessment.get("schema_version"), int)
        and assessment["schema_version"] > SCHEMA_VERSION
    ):
        raise VisitError(
            "newer",
            f"assessment version {assessment['schema_version']}, this clinicguard reads up to "
            f"{SCHEMA_VERSION}; update it",
        )
    declared = document.get("content_hash")
    if not isinstance(declared, str) or not _hash_matches(data, document, declared):
        raise VisitError("tampered", "content hash does not match: the file was changed after it was written")
    machine = document.get("machine")
    if not isinstance(machine, dict) or not isinstance(machine.get("id"), str) or not _ID.match(machine["id"]):
        raise VisitError("invalid", "no valid machine identity")
    label = machine.get("label")
    if not isinstance(label, str) or not label.strip():
        raise VisitError("invalid", "no machine label")
    if not isinstance(assessment, dict):
        raise VisitError("invalid", "no assessment")
    if not isinstance(document.get("answers", {}), dict):
        raise VisitError("invalid", "answers must be a table")
    problem = assessment_problem(assessment)
    if problem:
        raise VisitError("invalid", f"assessment cannot be read ({problem})")
    return Visit(
        source=source,
        machine_id=machine["id"],
        label=" ".join(label.split()),
        hostname=str(machine.get("hostname", "")),
        tool_version=str(document.get("tool_version", "")),
        content_hash=declared,
        document=document,
        raw=data,
    )


def _hash_matches(data: bytes, document: dict[str, Any], declared: str) -> bool:
    tail = _HASH_TAIL.search(data)
    if tail is not None and tail.group(1).decode("ascii") == declared:
        body = data[: tail.start()] + b"}"
        if "sha256:" + hashlib.sha256(body).hexdigest() == declared:
            return True
    # Re-indented or re-ordered by an editor: the same content still checks out.
    return declared == content_hash(document)


_STATUSES = frozenset({"PASS", "WARN", "FAIL", "UNKNOWN", "NOT_APPLICABLE"})


def assessment_problem(doc: dict[str, Any]) -> str:
    """What makes an assessment document unusable, or "" (the checks the fleet relies on, without rebuilding it)."""
    host = doc.get("host")
    if not isinstance(host, dict) or not all(isinstance(host.get(k), str) for k in ("hostname", "platform")):
        return "no host"
    results = doc.get("results")
    if not isinstance(results, list):
        return "no results"
    for r in results:
        if not isinstance(r, dict) or not isinstance(r.get("id"), str) or r.get("status") not in _STATUSES:
            return "a result without an id or a known status"
        weight = r.get("weight", 1)
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 < weight <= 100:
            return f"result {r['id'][:60]!r}: invalid weight"
        accepted = r.get("accepted")
        if accepted is not None and not (isinstance(accepted, dict) and isinstance(accepted.get("expires"), str)):
            return f"result {r['id'][:60]!r}: invalid acceptance"
    score = doc.get("score")
    if (
        not isinstance(score, dict)
        or not isinstance(score.get("value"), int)
        or not isinstance(score.get("coverage", 0), int)
    ):
        return "no score"
    try:
        finished = datetime.fromisoformat(str(doc.get("finished_at")))
    except ValueError:
        return "invalid date"
    if finished.tzinfo is None:
        return "assessment date without a time zone"
    return ""


def read_visit(path: Path) -> Visit:
    try:
        data = read_capped(path, MAX_FILE_BYTES)  # the one capped reader: no link followed, no FIFO waited on
    except DataFileError as exc:
        raise VisitError("unreadable", exc.problem) from exc
    return parse_visit(data, path.name)
