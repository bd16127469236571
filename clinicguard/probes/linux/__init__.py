"""Probes for Linux workstations (Debian/Ubuntu, Fedora and relatives)."""

from clinicguard.probes.linux import pam, system  # noqa: F401
