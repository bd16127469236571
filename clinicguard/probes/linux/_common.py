"""Small helpers shared by the Linux probes of updates, firewall, antivirus and backups."""

from __future__ import annotations

from datetime import UTC, datetime

from clinicguard.core import errors
from clinicguard.core.errors import NotEstablished, ProbeError
from clinicguard.core.model import Reason
from clinicguard.host import CommandResult


def reason_of(exc: BaseException) -> tuple[str, str]:
    """(Reason value, detail) for an error met while gathering one field.

    See :func:`clinicguard.core.errors.reason_of`.
    """
    if not isinstance(exc, NotEstablished):
        return Reason.NOT_READABLE.value, str(exc)  # whatever else went wrong, the field could not be read
    reason, detail = errors.reason_of(exc)
    return reason.value, detail


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
