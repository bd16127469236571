"""Probes for Macs (macOS 13 and later), run as the logged-in user.

Tools are called by absolute path (a user's PATH may lack /usr/sbin) and
property lists are parsed with plistlib, which reads binary and XML alike.
"""

from clinicguard.probes.macos import (  # noqa: F401
    accounts,
    antivirus,
    backups,
    disk,
    firewall,
    pwpolicy,
    screen,
    services,
    system,
    updates,
)
