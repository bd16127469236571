"""Probes for Linux workstations (Debian/Ubuntu, Fedora and relatives)."""

from clinicguard.probes.linux import antivirus, backups, firewall, pam, system, updates  # noqa: F401
