"""Probes for Linux workstations (Debian/Ubuntu, Fedora and relatives)."""

from clinicguard.probes.linux import (  # noqa: F401
    accounts,
    antivirus,
    backups,
    desktop,
    disk,
    firewall,
    pam,
    restart,
    system,
    updates,
)
