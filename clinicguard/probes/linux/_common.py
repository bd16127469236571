"""Small helpers shared by the Linux probes of updates, firewall, antivirus and backups."""

from __future__ import annotations

from datetime import UTC, datetime

from clinicguard.core.errors import ProbeError
from clinicguard.core.model import Reason
from clinicguard.host import CommandResult


def first_line(res: CommandResult) -> str:
    for text in (res.stderr, res.stdout):
        for line in text.splitlines():
            if line.strip():
                return line.strip()[:200]
    return f"exit code {res.returncode}"


def command_failed(res: CommandResult) -> ProbeError:
    """A ProbeError for a command that exited with an unexpected code."""
    line = first_line(res)
    low = line.lower()
    if "permission denied" in low or "not permitted" in low or "must be root" in low:
        return ProbeError(Reason.NEEDS_ADMIN, f"{res.source}: {line}")
    return ProbeError(Reason.UNEXPECTED_OUTPUT, f"{res.source}: {line}")


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
