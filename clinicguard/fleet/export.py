"""Writing this machine's assessment into a fleet folder (``check --save --to DIR``, the dashboard's export)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Assessment
from clinicguard.fleet.identity import NoMachineId, machine_identity
from clinicguard.fleet.visit import build_visit, write_visit
from clinicguard.host import Host


def machine_label(settings: dict[str, Any] | None, hostname: str) -> str:
    """``[machine] label`` from the settings, else the host name."""
    label = str(((settings or {}).get("machine") or {}).get("label", "") or "")
    return " ".join(label.split()) or hostname or "?"


def export_visit(
    assessment: Assessment,
    folder: str | Path,
    host: Host,
    *,
    settings: dict[str, Any] | None = None,
    answers: dict[str, Any] | None = None,
    machine_id: str | None = None,
) -> Path:
    """Write one visit file into ``folder``; returns its path."""
    if assessment.cancelled:
        raise ClinicGuardError("interrupted_not_exported")
    if machine_id is None:
        try:
            machine_id = machine_identity(host)
        except NoMachineId as exc:
            raise ClinicGuardError("machine_identity_unreadable", problem=str(exc)) from exc
    establishment = str(((settings or {}).get("establishment") or {}).get("name", "") or "")
    document = build_visit(
        assessment, machine_id, machine_label(settings, assessment.host.hostname), answers, establishment
    )
    return write_visit(folder, document)
