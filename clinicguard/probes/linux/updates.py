"""Pending updates, automatic updates and pending restart on Linux: the probe, which asks apt or dnf.

Nothing here refreshes the package lists or needs root: the pending count is
what the last refresh (by the system or the user) downloaded, and the probe
reports how old that refresh is. apt is read by :mod:`.apt`, dnf by
:mod:`.dnf`; both judge a pending restart with :mod:`.kernel`.

Notes are prefixed with the check they explain (``pending:``, ``automatic:``,
``reboot:``) so each check shows only its own.
"""

from __future__ import annotations

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import UpdateStatus
from clinicguard.core.model import Reason
from clinicguard.host import Host
from clinicguard.probes import probe
from clinicguard.probes.common import parse_key_values, read_optional
from clinicguard.probes.linux.apt import apt_status
from clinicguard.probes.linux.dnf import dnf_status


def package_manager(host: Host) -> tuple[str, str]:
    """('apt' | 'dnf' | '', os id) from os-release, then from the installed tools."""
    info = parse_key_values(read_optional(host, "/etc/os-release") or read_optional(host, "/usr/lib/os-release") or "")
    os_id = info.get("ID", "").lower()
    family = f"{os_id} {info.get('ID_LIKE', '').lower()}".split()
    if any(f in ("debian", "ubuntu") for f in family):
        return "apt", os_id
    if any(f in ("fedora", "rhel", "centos") for f in family):
        return "dnf", os_id
    if host.exists("/usr/bin/apt-get"):
        return "apt", os_id
    if host.exists("/usr/bin/dnf") or host.exists("/usr/bin/dnf5"):
        return "dnf", os_id
    return "", os_id


@probe("updates", "linux")
def linux_updates(host: Host) -> UpdateStatus:
    manager, os_id = package_manager(host)
    if manager == "apt":
        return apt_status(host, os_id)
    if manager == "dnf":
        return dnf_status(host)
    raise ProbeError(Reason.UNSUPPORTED, "no apt or dnf package manager found")
