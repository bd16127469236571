"""Disk encryption, exposed services and browser-password counting."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinicguard.checks import CheckContext
from clinicguard.checks.data import disk_encryption
from clinicguard.checks.network import exposed_services
from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import DiskEncryption, ExposedServices, FirewallStatus, SystemFacts
from clinicguard.core.model import Reason, Status
from clinicguard.host import UserInfo
from clinicguard.host.local import LocalHost
from clinicguard.probes import browsers, listeners
from clinicguard.probes.linux import disk
from tests.conftest import recorded
from tests.probes.test_linux_access import assert_text_exists
from tests.support.paths import FIXTURES

LSBLK = FIXTURES / "linux" / "lsblk"
CTX = CheckContext(platform="linux", now=datetime(2026, 11, 28, tzinfo=UTC), user=UserInfo(name="alice"))
WIN = CheckContext(platform="windows", now=CTX.now, user=CTX.user)


def lsblk_host(name: str, old: bool = False):
    out = (LSBLK / name).read_text()
    cmds = [
        {
            "argv": disk.LSBLK,
            "returncode": 1 if old else 0,
            "stdout": "" if old else out,
            "stderr": "lsblk: unknown column: MOUNTPOINTS" if old else "",
        }
    ]
    if old:
        cmds.append({"argv": disk.LSBLK_OLD, "returncode": 0, "stdout": out})
    return recorded(commands=cmds)


def test_luks_under_lvm_is_encrypted():
    d = disk.linux_disk_encryption(lsblk_host("ubuntu-luks-lvm.json"))
    assert (d.system_encrypted, d.method) == (True, "luks")
    assert "nvme0n1p3_crypt(crypt)" in d.notes[0]


def test_plain_disk_and_old_util_linux():
    assert disk.linux_disk_encryption(lsblk_host("debian12-plain.json")).system_encrypted is False
    assert disk.linux_disk_encryption(lsblk_host("old-util-linux.json", old=True)).system_encrypted is True


def test_encrypted_root_with_plain_home_is_partial():
    d = disk.linux_disk_encryption(lsblk_host("fedora-btrfs-luks-home-plain.json"))
    assert d.other_volumes_unencrypted == ("/home",)
    assert disk_encryption(CTX, d).status is Status.WARN


def test_lsblk_garbage_and_container_root():
    bad = recorded(commands=[{"argv": disk.LSBLK, "stdout": "<html>nope"}])
    with pytest.raises(ProbeError) as err:
        disk.linux_disk_encryption(bad)
    assert err.value.reason is Reason.UNEXPECTED_OUTPUT
    overlay = recorded(commands=[{"argv": disk.LSBLK, "stdout": '{"blockdevices": []}'}])
    with pytest.raises(ProbeError):
        disk.linux_disk_encryption(overlay)


def test_zfs_root():
    host = recorded(
        commands=[
            {
                "argv": ["findmnt", "-J", "-o", "SOURCE,TARGET,FSTYPE", "/"],
                "stdout": '{"filesystems":[{"source":"rpool/ROOT/ubuntu","target":"/","fstype":"zfs"}]}',
            },
            {"argv": ["zfs", "get", "-H", "-o", "value", "encryption", "rpool/ROOT/ubuntu"], "stdout": "aes-256-gcm\n"},
        ]
    )
    assert disk.linux_disk_encryption(host).system_encrypted is True


@pytest.mark.parametrize(
    ("facts", "laptop", "expected"),
    [
        (DiskEncryption(system_encrypted=True, state="on"), True, Status.PASS),
        (DiskEncryption(system_encrypted=True, state="encrypting"), True, Status.WARN),
        (DiskEncryption(system_encrypted=False, state="off"), True, Status.FAIL),
        (DiskEncryption(system_encrypted=False, state="off"), False, Status.WARN),
        (DiskEncryption(system_encrypted=False, state="off"), None, Status.WARN),
        (DiskEncryption(system_encrypted=True, state="suspended"), False, Status.FAIL),
        (DiskEncryption(system_encrypted=None, state="waiting"), False, Status.FAIL),
        (DiskEncryption(system_encrypted=False, state="decrypting"), False, Status.FAIL),
        (DiskEncryption(system_encrypted=None), False, Status.UNKNOWN),
    ],
)
def test_disk_encryption_boundaries(facts, laptop, expected):
    system = SystemFacts(os_id="x", os_version="1", os_name="x", is_laptop=laptop)
    v = disk_encryption(CTX, facts, system)
    assert v.status is expected
    assert_text_exists("data.disk_encryption", v)


# -- exposed services ------------------------------------------------------------


def test_loopback_listeners_are_ignored():
    host = recorded(
        listeners=[
            {"ip": "127.0.0.1", "port": 631, "proto": "tcp", "process": "cupsd"},
            {"ip": "::1", "port": 5432, "proto": "tcp", "process": "postgres"},
            {"ip": "0.0.0.0", "port": 22, "proto": "tcp", "process": "sshd"},
        ]
    )
    e = listeners.exposed_services(host)
    assert e.listeners == (("0.0.0.0", 22, "tcp", "sshd"),)
    assert e.ssh_server is True


def fw(*values):
    return FirewallStatus(enabled={f"p{i}": v for i, v in enumerate(values)})


@pytest.mark.parametrize(
    ("items", "firewall", "ctx", "expected"),
    [
        ((), None, CTX, Status.PASS),
        ((("0.0.0.0", 5353, "udp", "avahi"), ("0.0.0.0", 68, "udp", "dhclient")), None, CTX, Status.PASS),
        ((("0.0.0.0", 40000, "udp", "x"),), None, CTX, Status.PASS),
        ((("0.0.0.0", 22, "tcp", "sshd"),), None, CTX, Status.WARN),
        ((("0.0.0.0", 40000, "tcp", "x"),), None, CTX, Status.WARN),
        ((("0.0.0.0", 5900, "tcp", "vino"),), fw(True), CTX, Status.WARN),
        ((("0.0.0.0", 5900, "tcp", "vino"),), None, CTX, Status.WARN),
        ((("0.0.0.0", 5900, "tcp", "vino"),), fw(False, None), CTX, Status.WARN),
        ((("0.0.0.0", 5900, "tcp", "vino"),), fw(False, False), CTX, Status.FAIL),
        ((("0.0.0.0", 3389, "tcp", "svchost"),), fw(False, False, False), WIN, Status.FAIL),
        ((("0.0.0.0", 49666, "tcp", "lsass"), ("0.0.0.0", 135, "tcp", "svchost")), None, WIN, Status.PASS),
        ((("0.0.0.0", 445, "tcp", "System"), ("::", 139, "tcp", "System")), None, WIN, Status.PASS),
        (
            (("0.0.0.0", 445, "tcp", "System"),),
            FirewallStatus(enabled={"private": True, "public": True}),
            WIN,
            Status.PASS,
        ),
        (
            (("0.0.0.0", 445, "tcp", "System"),),
            FirewallStatus(enabled={"private": True, "public": False}),
            WIN,
            Status.WARN,
        ),
        ((("0.0.0.0", 445, "tcp", "smbd"),), None, CTX, Status.WARN),
    ],
)
def test_exposed_services_boundaries(items, firewall, ctx, expected):
    v = exposed_services(ctx, ExposedServices(listeners=items), firewall)
    assert v.status is expected
    assert_text_exists("network.exposed_services", v)


def test_listeners_not_readable_is_needs_admin():
    from clinicguard.engine.runner import run_assessment

    host = recorded(platform="macos", listeners={"error": "denied"})
    r = run_assessment(host, check_ids=["network.exposed_services"]).results[0]
    assert (r.status, r.reason) == (Status.UNKNOWN, Reason.NEEDS_ADMIN)


# -- browser passwords (real files in a temporary home) ---------------------------------


def login_db(path: Path, saved: int, never: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE logins (origin_url TEXT, password_value BLOB, blacklisted_by_user INTEGER)")
    rows = [("https://dpi.example", b"\x01secret", 0)] * saved + [("https://x", b"", 1)] * never
    con.executemany("INSERT INTO logins VALUES (?, ?, ?)", rows)
    con.commit()
    con.close()


class HomeHost(LocalHost):
    def user(self):
        return UserInfo(name="alice", home="/home/alice")


def test_counts_chrome_profiles_and_firefox_without_reading_secrets(tmp_path):
    chrome = tmp_path / "home/alice/.config/google-chrome"
    login_db(chrome / "Default" / "Login Data", saved=3, never=2)
    login_db(chrome / "Profile 1" / "Login Data", saved=1)
    (chrome / "Local State").write_text(json.dumps({"profile": {"info_cache": {"Default": {}, "Profile 1": {}}}}))
    ff = tmp_path / "home/alice/.mozilla/firefox"
    (ff / "abcd.default-release").mkdir(parents=True)
    (ff / "profiles.ini").write_text("[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd.default-release\n")
    (ff / "abcd.default-release" / "logins.json").write_text(
        json.dumps({"nextId": 3, "logins": [{"encryptedPassword": "MDoE"}, {"encryptedPassword": "MDoF"}]})
    )
    b = browsers.browser_passwords(HomeHost(root=tmp_path))
    counts = {(p.browser, p.profile): p.saved_logins for p in b.profiles}
    assert counts == {("Chrome", "Default"): 3, ("Chrome", "Profile 1"): 1, ("Firefox", "abcd.default-release"): 2}
    assert "MDoE" not in repr(b) and "secret" not in repr(b)


def test_corrupt_login_database_is_uncounted(tmp_path):
    bad = tmp_path / "home/alice/.config/chromium/Default/Login Data"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"\x00garbage" * 200)
    b = browsers.browser_passwords(HomeHost(root=tmp_path))
    assert b.profiles[0].saved_logins is None and b.profiles[0].error


def test_windows_paths_from_environment():
    host = recorded(
        platform="windows",
        env={"LOCALAPPDATA": "C:\\Users\\alice\\AppData\\Local", "APPDATA": "C:\\Users\\alice\\AppData\\Roaming"},
        files={"C:/Users/alice/AppData/Local/Microsoft/Edge/User Data/Default/Preferences": {"text": "{}"}},
        sqlite=[
            {
                "path": "C:/Users/alice/AppData/Local/Microsoft/Edge/User Data/Default/Login Data",
                "sql": browsers.COUNT_SQL,
                "value": 7,
            }
        ],
    )
    b = browsers.browser_passwords(host)
    assert [(p.browser, p.saved_logins) for p in b.profiles] == [("Edge", 7)]


def test_autorun_not_applicable_without_desktop():
    from clinicguard.checks.data import autorun
    from clinicguard.core.facts import AutorunPolicy

    headless = SystemFacts(os_id="debian", os_version="12", os_name="Debian", has_desktop=False)
    desktop = SystemFacts(os_id="debian", os_version="12", os_name="Debian", has_desktop=True)
    policy = AutorunPolicy(autorun_never=False)
    assert autorun(CTX, policy, headless).status is Status.NOT_APPLICABLE
    assert autorun(CTX, policy, desktop).status is Status.WARN
    assert autorun(CTX, policy, None).status is Status.WARN
    assert_text_exists("data.autorun", autorun(CTX, policy, headless))
