"""Property lists and small helpers shared by the macOS probes."""

from __future__ import annotations

import plistlib
from datetime import UTC, datetime
from typing import Any
from xml.parsers.expat import ExpatError

from clinicguard.core.errors import ParseError
from clinicguard.core.notes import note
from clinicguard.host import FileMissing, Host

# Absolute paths of the system tools (a user's PATH may lack /usr/sbin).
DEFAULTS = "/usr/bin/defaults"
DSCL = "/usr/bin/dscl"
FDESETUP = "/usr/bin/fdesetup"
NETSTAT = "/usr/sbin/netstat"
PMSET = "/usr/bin/pmset"
PWPOLICY = "/usr/bin/pwpolicy"
SOCKETFILTERFW = "/usr/libexec/ApplicationFirewall/socketfilterfw"
SPCTL = "/usr/sbin/spctl"
SW_VERS = "/usr/bin/sw_vers"
SYSADMINCTL = "/usr/sbin/sysadminctl"
SYSCTL = "/usr/sbin/sysctl"
SYSTEM_PROFILER = "/usr/sbin/system_profiler"
TMUTIL = "/usr/bin/tmutil"

LOGINWINDOW = "/Library/Preferences/com.apple.loginwindow.plist"
MANAGED_PREFS = "/Library/Managed Preferences"

# What macOS prints when the terminal lacks Full Disk Access (TCC).
FDA_MARKERS = ("full disk access", "operation not permitted")
FDA_DETAIL = note("macos.full_disk_access")


def parse_plist(data: bytes, source: str) -> Any:
    """Binary or XML property list; ParseError on anything else."""
    try:
        return plistlib.loads(data)
    except (plistlib.InvalidFileException, ExpatError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise ParseError(note("macos.not_a_plist", path=source, error=str(exc))) from exc


def read_plist(host: Host, path: str) -> dict[str, Any]:
    """A dictionary property list. HostError (missing, denied) propagates."""
    data = parse_plist(host.read_bytes(path), path)
    if not isinstance(data, dict):
        raise ParseError(f"{path}: expected a dictionary, got {type(data).__name__}")
    return data


def read_plist_optional(host: Host, path: str) -> dict[str, Any] | None:
    try:
        return read_plist(host, path)
    except FileMissing:
        return None


def with_managed(host: Host, path: str, sources: list[str]) -> dict[str, Any]:
    """A preference file overlaid with its MDM-managed copy (managed values win)."""
    merged: dict[str, Any] = {}
    name = path.rsplit("/", 1)[-1]
    for candidate in (path, f"{MANAGED_PREFS}/{name}"):
        data = read_plist_optional(host, candidate)
        if data is not None:
            sources.append(candidate)
            merged.update(data)
    return merged


def utc(value: Any) -> datetime | None:
    """plistlib gives naive UTC datetimes; make them aware."""
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def bool_or_none(value: Any) -> bool | None:
    """Plist booleans, sometimes stored as 0/1 or "YES"/"NO" by scripts."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in ("1", "yes", "true"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("0", "no", "false"):
        return False
    return None


def needs_fda(text: str) -> bool:
    low = text.lower()
    return any(marker in low for marker in FDA_MARKERS)
