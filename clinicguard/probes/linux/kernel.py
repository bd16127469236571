"""Is a newer kernel installed than the one running? Read from /boot or the modules folders, and on Debian from
the kernel package version (Debian keeps the ABI name across kernel updates).
"""

from __future__ import annotations

import re
from datetime import datetime

from clinicguard.host import Host, HostError
from clinicguard.probes.linux._common import utc
from clinicguard.probes.linux.packages import SHORT_TIMEOUT_S, natural_key, newest_mtime


def installed_kernels(host: Host) -> tuple[list[str], str]:
    """Installed kernel versions (from /boot, else /lib/modules) and where they came from."""
    try:
        names = host.listdir("/boot")
        versions = [n[len("vmlinuz-") :] for n in names if n.startswith("vmlinuz-") and "rescue" not in n]
        if versions:
            return versions, "/boot"
    except HostError:
        pass
    for folder in ("/lib/modules", "/usr/lib/modules"):
        try:
            versions = [n for n in host.listdir(folder) if n[:1].isdigit()]
        except HostError:
            continue
        if versions:
            return versions, folder
    return [], ""


def kernel_reboot(host: Host, rpm_times: dict[str, int] | None = None) -> tuple[bool | None, datetime | None, str]:
    """Is a newer kernel installed than the one running? (needed, since, evidence)."""
    try:
        running = host.read_text("/proc/sys/kernel/osrelease").strip()
    except HostError:
        return None, None, ""
    versions, where = installed_kernels(host)
    if not running or not versions:
        return None, None, ""
    newest = max(versions, key=natural_key)
    if newest == running:
        return False, None, f"running kernel {running} is the newest installed ({where})"
    if natural_key(newest) < natural_key(running) and running in versions:
        return False, None, f"running kernel {running} is the newest installed ({where})"
    since = None
    if rpm_times:
        for nvra, t in rpm_times.items():
            if nvra in (f"kernel-core-{newest}", f"kernel-{newest}"):
                since = utc(t)
    if since is None:
        mtime = newest_mtime(
            host,
            [f"/var/lib/dpkg/info/linux-image-{newest}.list", f"/lib/modules/{newest}", f"/usr/lib/modules/{newest}"],
        )
        since = utc(mtime) if mtime is not None else None
    return True, since, f"kernel {newest} installed, {running} running ({where})"


def _debian_same_abi_upgrade(host: Host) -> tuple[bool | None, datetime | None, str]:
    """Debian keeps the ABI name across kernel updates: compare package versions."""
    try:
        version_line = host.read_text("/proc/version")
        running = host.read_text("/proc/sys/kernel/osrelease").strip()
    except HostError:
        return None, None, ""
    m = re.search(r"Debian (\S+) \(", version_line)
    if not m or not running:
        return None, None, ""
    try:
        res = host.run(["dpkg-query", "-W", "-f=${Version}", f"linux-image-{running}"], timeout=SHORT_TIMEOUT_S)
    except HostError:
        return None, None, ""
    installed = res.stdout.strip()
    if res.returncode != 0 or not installed:
        return None, None, ""
    if installed == m.group(1):
        return False, None, f"kernel package {installed} is running"
    t = newest_mtime(host, [f"/var/lib/dpkg/info/linux-image-{running}.list"])
    return True, (utc(t) if t is not None else None), f"kernel package {installed} installed, {m.group(1)} running"
