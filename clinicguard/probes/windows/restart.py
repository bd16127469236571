"""Restart pending on Windows: the registry flags servicing and Windows Update raise.

These are the flags the usual pending-restart scripts read. Every key below is
readable by a standard user on Windows 10 and 11 (HKLM SOFTWARE and SYSTEM
grant Users read access); a flag that cannot be read is reported, and the
answer is unknown only when none could be read.
"""

from __future__ import annotations

from clinicguard.core.facts import RestartNeeded, Unknown
from clinicguard.core.model import Reason
from clinicguard.host import FileMissing, Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.windows import reg

CBS = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing"
WU = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate"
SESSION_MANAGER = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager"
UPDATES = r"HKLM\SOFTWARE\Microsoft\Updates"
NETLOGON = r"HKLM\SYSTEM\CurrentControlSet\Services\Netlogon"
COMPUTER_NAME = r"HKLM\SYSTEM\CurrentControlSet\Control\ComputerName"

# (flag name shown as evidence, key whose existence raises it)
FLAG_KEYS = (
    ("CBS RebootPending", CBS + r"\RebootPending"),
    ("CBS RebootInProgress", CBS + r"\RebootInProgress"),
    ("CBS PackagesPending", CBS + r"\PackagesPending"),
    ("WindowsUpdate RebootRequired", WU + r"\Auto Update\RebootRequired"),
    ("WindowsUpdate PostRebootReporting", WU + r"\Auto Update\PostRebootReporting"),
)
# (flag name, key, value) raised when the value is present and not empty / not zero
FLAG_VALUES = (
    ("PendingFileRenameOperations", SESSION_MANAGER, "PendingFileRenameOperations"),
    ("PendingFileRenameOperations2", SESSION_MANAGER, "PendingFileRenameOperations2"),
    ("UpdateExeVolatile", UPDATES, "UpdateExeVolatile"),
    ("Netlogon JoinDomain", NETLOGON, "JoinDomain"),
    ("Netlogon AvoidSpnSet", NETLOGON, "AvoidSpnSet"),
)


def _raised(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, list | tuple):
        return any(str(v).strip() for v in value)
    if isinstance(value, str):
        return bool(value.strip()) and value.strip() != "0"
    if isinstance(value, bytes | bytearray):
        return any(value)
    return reg.as_int(value) not in (0, None)


def pending_flags(host: Host) -> tuple[tuple[str, ...] | None, list[str]]:
    """(flags raised or None if none could be read, notes on what could not be read)."""
    flags: list[str] = []
    notes: list[str] = []
    readable = 0
    for name, key in FLAG_KEYS:
        try:
            present = reg.key_exists(host, key)
        except HostError as exc:
            notes.append(f"{name}: {exc.detail}")
            continue
        readable += 1
        if present:
            flags.append(name)
    cache: dict[str, dict[str, object] | None | HostError] = {}
    for name, key, value in FLAG_VALUES:
        if key not in cache:
            try:
                cache[key] = reg.values(host, key)
            except HostError as exc:
                cache[key] = exc
        vals = cache[key]
        if isinstance(vals, HostError):
            notes.append(f"{name}: {vals}")
            continue
        readable += 1
        if vals is not None and _raised(vals.get(value.lower())):
            flags.append(name)
    try:
        active = reg.get_str(reg.values(host, COMPUTER_NAME + r"\ActiveComputerName"), "ComputerName")
        wanted = reg.get_str(reg.values(host, COMPUTER_NAME + r"\ComputerName"), "ComputerName")
        readable += 1
        if active and wanted and active.lower() != wanted.lower():
            flags.append("ComputerName change")
    except (HostError, FileMissing) as exc:
        notes.append(f"ComputerName: {exc.detail}")
    return (tuple(flags) if readable else None), notes


@probe("restart_needed", "windows")
def windows_restart_needed(host: Host) -> RestartNeeded:
    flags, notes = pending_flags(host)
    why = {} if flags is not None else {"flags": Unknown(Reason.NOT_READABLE, "; ".join(notes))}
    return RestartNeeded(
        flags=flags,
        stale_programs=None,
        sources=(CBS, WU + r"\Auto Update", SESSION_MANAGER),
        notes=tuple(notes),
        why_unknown=why,
    )
