"""Small helpers shared by the Linux probes of updates, firewall, antivirus and backups."""

from __future__ import annotations

from datetime import UTC, datetime

from clinicguard.errors import ProbeError
from clinicguard.host import AccessDenied, CommandResult, CommandTimeout, FileMissing, ToolMissing
from clinicguard.model import Reason


def reason_of(exc: BaseException) -> tuple[str, str]:
    """(Reason value, detail) for an error met while gathering one field."""
    if isinstance(exc, ProbeError):
        return exc.reason.value, exc.detail
    if isinstance(exc, ToolMissing):
        return Reason.TOOL_MISSING.value, str(exc)
    if isinstance(exc, AccessDenied):
        return Reason.NEEDS_ADMIN.value, str(exc)
    if isinstance(exc, CommandTimeout):
        return Reason.TIMED_OUT.value, str(exc)
    if isinstance(exc, FileMissing):
        return Reason.NOT_FOUND.value, str(exc)
    return Reason.NOT_READABLE.value, str(exc)


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
