"""Probes for Windows 10/11 workstations.

Language-neutral sources first (registry, well-known SIDs, PowerShell
objects as JSON, Win32 calls); localised console text only as a fallback,
in English or French. Everything runs as a standard user; what needs an
elevated run is UNKNOWN with that reason.
"""

from clinicguard.probes.windows import (  # noqa: F401
    accounts,
    backups,
    exposure,
    protection,
    restart,
    session,
    system,
    updates,
)
