"""Recorded Linux machines for the updates, antivirus, firewall and backup probes.

Each builder returns the parts of a recording (commands, files, processes)
so a test can change one piece and replay the machine through RecordedHost.
"""

from __future__ import annotations

import base64
import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from clinicguard.host.replay import RecordedHost
from tests.conftest import FROZEN_NOW, recorded
from tests.support.paths import FIXTURES

LINUX = FIXTURES / "linux"
NOW = datetime.fromisoformat(FROZEN_NOW)


def fixture(rel: str) -> str:
    return (LINUX / rel).read_text(encoding="utf-8")


def fixture_b64(rel: str) -> str:
    return base64.b64encode((LINUX / rel).read_bytes()).decode()


def ago(days: float) -> float:
    """Epoch seconds ``days`` before the frozen clock."""
    return (NOW - timedelta(days=days)).timestamp()


def cmd(argv: list[str], stdout: str = "", returncode: int = 0, stderr: str = "", **extra: Any) -> dict[str, Any]:
    return {"argv": argv, "returncode": returncode, "stdout": stdout, "stderr": stderr, **extra}


def err(argv: list[str], error: str) -> dict[str, Any]:
    return {"argv": argv, "error": error}


APT_LIST = ["apt", "list", "--upgradable"]
APT_SIM = ["apt-get", "-s", "-o", "Debug::NoLocking=1", "dist-upgrade"]
APT_CONFIG = ["apt-config", "dump"]
DPKG_KERNEL = ["dpkg-query", "-W", "-f=${Version}", "linux-image-6.1.0-27-amd64"]


def debian12(**changes: Any) -> dict[str, Any]:
    """A Debian 12 desktop: real apt outputs, 130 pending (87 security), no unattended-upgrades."""
    parts: dict[str, Any] = {
        "commands": [
            cmd(
                APT_LIST,
                fixture("debian12/apt_list_upgradable.txt"),
                stderr="\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n",
            ),
            cmd(APT_SIM, fixture("debian12/apt_get_s_dist_upgrade.txt")),
            cmd(APT_CONFIG, fixture("debian12/apt_config_dump.txt")),
            cmd(DPKG_KERNEL, "6.1.115-1"),
        ],
        "files": {
            "/etc/os-release": {"text": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'},
            "/var/lib/apt/lists": {
                "dir": [
                    "deb.debian.org_debian-security_dists_bookworm-security_InRelease",
                    "deb.debian.org_debian_dists_bookworm_InRelease",
                    "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
                    "lock",
                    "partial",
                ]
            },
            "/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease": {
                "text": "",
                "mtime": ago(2),
            },
            "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease": {"text": "", "mtime": ago(140)},
            "/var/log/apt/history.log": {"text": fixture("debian12/apt_history.log")},
            "/proc/sys/kernel/osrelease": {"text": "6.1.0-27-amd64\n"},
            "/proc/version": {
                "text": "Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org) "
                "(gcc-12 (Debian 12.2.0-14) 12.2.0, "
                "GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)\n"
            },
            "/boot": {
                "dir": [
                    "System.map-6.1.0-27-amd64",
                    "config-6.1.0-27-amd64",
                    "initrd.img-6.1.0-27-amd64",
                    "vmlinuz-6.1.0-27-amd64",
                ]
            },
        },
    }
    return _apply(parts, changes)


def ubuntu2404(**changes: Any) -> dict[str, Any]:
    """An Ubuntu 24.04 desktop with unattended-upgrades, a pending kernel restart, no Ubuntu Pro."""
    parts: dict[str, Any] = {
        "commands": [
            cmd(APT_LIST, fixture("ubuntu2404/apt_list_upgradable.txt")),
            cmd(APT_CONFIG, fixture("ubuntu2404/apt_config_dump_periodic.txt")),
        ],
        "files": {
            "/etc/os-release": {
                "text": 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n'
            },
            "/var/lib/apt/lists": {
                "dir": [
                    "fr.archive.ubuntu.com_ubuntu_dists_noble-updates_InRelease",
                    "security.ubuntu.com_ubuntu_dists_noble-security_InRelease",
                ]
            },
            "/var/lib/apt/lists/fr.archive.ubuntu.com_ubuntu_dists_noble-updates_InRelease": {
                "text": "",
                "mtime": ago(1),
            },
            "/var/lib/apt/lists/security.ubuntu.com_ubuntu_dists_noble-security_InRelease": {
                "text": "",
                "mtime": ago(1.2),
            },
            "/var/lib/apt/periodic/update-success-stamp": {"text": "", "mtime": ago(0.5)},
            "/var/log/apt/history.log": {"text": fixture("ubuntu2404/apt_history.log")},
            "/usr/bin/unattended-upgrade": {"text": ""},
            "/run/reboot-required": {"text": "*** System restart required ***\n", "mtime": ago(8)},
            "/run/reboot-required.pkgs": {"text": fixture("ubuntu2404/reboot-required.pkgs")},
            "/var/lib/ubuntu-advantage/status.json": {"text": fixture("ubuntu2404/pro_status.json")},
        },
    }
    return _apply(parts, changes)


DNF_HISTORY = ["dnf", "history", "list"]
DNF_ALL = ["dnf", "-C", "-q", "check-update"]
DNF_SEC = ["dnf", "-C", "-q", "check-update", "--security"]
RPM_QA = ["rpm", "-qa", "--qf", "%{INSTALLTIME} %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"]


def fedora40(**changes: Any) -> dict[str, Any]:
    """A Fedora 40 workstation (dnf 4) with 8 pending updates, 5 security, a kernel awaiting restart."""
    parts: dict[str, Any] = {
        "commands": [
            cmd(DNF_ALL, fixture("fedora/dnf4_check_update.txt"), returncode=100),
            cmd(DNF_SEC, fixture("fedora/dnf4_check_update_security.txt"), returncode=100),
            cmd(RPM_QA, fixture("fedora/rpm_qa_installtime.txt")),
            cmd(DNF_HISTORY, fixture("fedora/dnf4_history_list.txt")),
            cmd(["needs-restarting", "-r"], fixture("fedora/needs_restarting_yes.txt"), returncode=1),
        ],
        "files": {
            "/etc/os-release": {
                "text": 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n'
                'PRETTY_NAME="Fedora Linux 40 (Workstation Edition)"\n'
            },
            "/var/cache/dnf": {"dir": ["fedora-4b0a8ec9a17e1f7c", "updates-8d6a1cd27b02a1e3", "last_makecache"]},
            "/var/cache/dnf/updates-8d6a1cd27b02a1e3/repodata/repomd.xml": {"text": "", "mtime": ago(1)},
            "/var/cache/dnf/fedora-4b0a8ec9a17e1f7c/repodata/repomd.xml": {"text": "", "mtime": ago(200)},
            "/etc/systemd/system/timers.target.wants/dnf-automatic.timer": {"text": ""},
            "/etc/dnf/automatic.conf": {
                "text": "[commands]\nupgrade_type = default\ndownload_updates = yes\napply_updates = yes\n"
            },
            "/proc/sys/kernel/osrelease": {"text": "6.11.9-200.fc40.x86_64\n"},
            "/boot": {
                "dir": ["vmlinuz-0-rescue-3f1c", "vmlinuz-6.11.9-200.fc40.x86_64", "vmlinuz-6.11.10-200.fc40.x86_64"]
            },
        },
    }
    return _apply(parts, changes)


PROCESSES = [
    {"pid": 1, "name": "systemd", "exe": "/usr/lib/systemd/systemd"},
    {"pid": 812, "name": "gnome-shell", "exe": "/usr/bin/gnome-shell"},
]


def _apply(parts: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``files={path: None}`` removes a file; ``commands=[...]`` replaces same-argv commands."""
    parts = copy.deepcopy(parts)
    parts.setdefault("processes", copy.deepcopy(PROCESSES))
    for path, entry in changes.pop("files", {}).items():
        if entry is None:
            parts["files"].pop(path, None)
        else:
            parts["files"][path] = entry
    for new in changes.pop("commands", []):
        parts["commands"] = [c for c in parts["commands"] if c["argv"] != new["argv"]] + [new]
    parts.update(changes)
    return parts


def host(parts: dict[str, Any], **identity: Any) -> RecordedHost:
    return recorded(**parts, **identity)


def root_user() -> dict[str, Any]:
    return {"name": "root", "uid": 0, "groups": ["root"], "home": "/root", "is_admin": True}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
