"""Probes for Linux workstations (Debian/Ubuntu, Fedora and relatives)."""

from clinicguard.probes.linux import accounts, desktop, disk, pam, system  # noqa: F401
