"""macOS parsers on recorded outputs: every known wording, and garbage is an error, never a guess."""

from __future__ import annotations

import json
import plistlib
from datetime import UTC, datetime

import pytest

from clinicguard.core.errors import ParseError
from clinicguard.probes.macos import accounts, backups, disk, firewall, pwpolicy, screen, services, system, updates
from clinicguard.probes.macos.antivirus import parse_spctl
from clinicguard.probes.macos.plists import bool_or_none, needs_fda, parse_plist
from tests.support.paths import FIXTURES

MAC = FIXTURES / "macos"


def fixture(name: str) -> str:
    return (MAC / name).read_text(encoding="utf-8")


# -- system ---------------------------------------------------------------
def test_sw_vers():
    info = system.parse_sw_vers("ProductName:\t\tmacOS\nProductVersion:\t\t15.1.1\nBuildVersion:\t\t24B91\n")
    assert info["ProductVersion"] == "15.1.1" and info["BuildVersion"] == "24B91"
    with pytest.raises(ParseError):
        system.parse_sw_vers("sw_vers: error\n")


@pytest.mark.parametrize(
    ("version", "name"),
    [
        ("13.7.2", "macOS Ventura 13.7.2"),
        ("14.7.1", "macOS Sonoma 14.7.1"),
        ("15.1", "macOS Sequoia 15.1"),
        ("26.1", "macOS Tahoe 26.1"),
        ("27.0", "macOS 27.0"),
        ("", "macOS "),
    ],
)
def test_release_names(version, name):
    assert system.release_name(version) == name


def test_pmset_batt():
    assert system.parse_pmset_batt("Now drawing from 'AC Power'\n -InternalBattery-0 (id=1)\t100%; charged;\n")
    assert system.parse_pmset_batt("Now drawing from 'AC Power'\n") is False
    assert system.parse_pmset_batt("No batteries available\n") is None


# -- password policy ------------------------------------------------------
def test_pwpolicy_unmanaged_mac_has_no_rule():
    p = pwpolicy.parse_pwpolicy(fixture("pwpolicy-unmanaged.txt"))
    assert (p.min_length, p.lockout, p.complexity, p.empty_allowed, p.identifiers) == (0, 0, False, True, ())


def test_pwpolicy_default_filevault_rule_still_accepts_empty():
    p = pwpolicy.parse_pwpolicy(fixture("pwpolicy-fde-default.txt"))
    assert (p.min_length, p.empty_allowed, p.lockout) == (4, True, 0)
    assert p.identifiers == ("com.apple.defaultpasswordpolicy.fde",)


def test_pwpolicy_managed_profile():
    p = pwpolicy.parse_pwpolicy(fixture("pwpolicy-managed.txt"))
    assert (p.min_length, p.lockout, p.empty_allowed) == (12, 5, False)
    assert p.classes == {"upper", "lower", "digit"} and p.complexity


def test_pwpolicy_legacy_identifiers_and_expiry():
    data = {
        "policyCategoryPasswordContent": [
            {"policyContent": "policyAttributePassword matches '.{8,}+'", "policyIdentifier": "minChars"},
            {"policyContent": "x", "policyIdentifier": "com.apple.policy.legacy.requiresAlpha"},
            {"policyContent": "x", "policyIdentifier": "com.apple.policy.legacy.requiresNumeric"},
        ],
        "policyCategoryPasswordChange": [
            {"policyIdentifier": "expires", "policyParameters": {"policyAttributeExpiresEveryNDays": 365}}
        ],
    }
    p = pwpolicy.parse_pwpolicy(plistlib.dumps(data).decode())
    assert (p.min_length, p.max_age_days, p.complexity) == (8, 365, False)
    assert p.classes == {"alpha", "digit"}


@pytest.mark.parametrize(
    "text",
    [
        "Getting global account policies\n",
        "Getting global account policies\n<?xml version='1.0'?><plist><dict><key>a</key></plist>",
        "Getting global account policies\n" + plistlib.dumps([1, 2]).decode(),
        "Getting global account policies\n" + plistlib.dumps({"policyCategoryPasswordContent": "not a list"}).decode(),
    ],
)
def test_pwpolicy_garbage(text):
    with pytest.raises(ParseError):
        pwpolicy.parse_pwpolicy(text)


# -- accounts -------------------------------------------------------------
def test_dscl_attribute_single_and_wrapped():
    assert accounts.parse_dscl_attribute("GroupMembership: root alice\n", "GroupMembership") == ["root", "alice"]
    wrapped = "GroupMembership:\n root alice\n bob\nNestedGroups: ABC\n"
    assert accounts.parse_dscl_attribute(wrapped, "GroupMembership") == ["root", "alice", "bob"]
    assert accounts.parse_dscl_attribute("No such key: GroupMembership\n", "GroupMembership") is None


def test_dscl_list():
    users = accounts.parse_dscl_list("_www    70\nnobody   -2\nroot 0\nalice   501\nbroken line here\n")
    assert users == {"_www": 70, "nobody": -2, "root": 0, "alice": 501}


# -- FileVault ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FileVault is On.\n", (True, "on", [])),
        ("FileVault is Off.\n", (False, "off", [])),
        (
            "FileVault is On.\nEncryption in progress: Percent completed = 45.3\n",
            (True, "encrypting", ["fdesetup percent=45.3"]),
        ),
        (
            "FileVault is On.\nDecryption in progress: Percent completed = 12.0\n",
            (True, "decrypting", ["fdesetup percent=12.0"]),
        ),
        (
            "FileVault is Off.\nDeferred enablement appears to be active for user 'alice'.\n",
            (False, "off", ["macos_filevault_deferred"]),
        ),
    ],
)
def test_fdesetup(text, expected):
    assert disk.parse_fdesetup(text) == expected


def test_fdesetup_garbage():
    with pytest.raises(ParseError):
        disk.parse_fdesetup("Error: unable to determine status\n")


# -- firewall -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Firewall is disabled. (State = 0)\n", 0),
        ("Firewall is enabled. (State = 1)\n", 1),
        ("Firewall is blocking all non-essential incoming connections. (State = 2)\n", 2),
    ],
)
def test_global_state(text, state):
    assert firewall.parse_global_state(text) == state


@pytest.mark.parametrize("text", ["", "Firewall is enabled.", "(State = 7)", "Firewall is enabled. (State = x)"])
def test_global_state_garbage(text):
    with pytest.raises(ParseError):
        firewall.parse_global_state(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Firewall stealth mode is on\n", True),
        ("Firewall stealth mode is off\n", False),
        ("Stealth mode enabled\n", True),
        ("Stealth mode disabled\n", False),
        ("Firewall has block all state set to enabled.\n", True),
        ("Firewall has block all state set to disabled.\n", False),
        ("Block all DISABLED! \n", False),
        ("", None),
        ("Something new in macOS 27\n", None),
    ],
)
def test_toggles(text, value):
    assert firewall.parse_toggle(text) is value


def test_system_profiler_firewall():
    entry = {"spfirewall_globalstate": "spfirewall_globalstate_block_all", "spfirewall_stealthenabled": "Yes"}
    text = json.dumps({"SPFirewallDataType": [entry]})
    assert firewall.parse_profiler(text) == (2, True)
    with pytest.raises(ParseError):
        firewall.parse_profiler('{"SPFirewallDataType": [{"spfirewall_globalstate": "new_value"}]}')
    with pytest.raises(ParseError):
        firewall.parse_profiler("not json")


# -- screen lock ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "delay"),
    [
        ("2026-11-28 10:00:01.123 sysadminctl[2345:67890] screenLock delay is immediate\n", 0),
        ("2026-11-28 10:00:01.123 sysadminctl[2345:67890] screenLock delay is 300 seconds\n", 300),
        ("screenLock delay is 5 seconds", 5),
        ("2026-11-28 10:00:01.123 sysadminctl[2345:67890] screenLock is off\n", None),
        ("screenLock delay is -1.000000 seconds\n", None),
    ],
)
def test_screenlock_status(text, delay):
    assert screen.parse_screenlock(text) == delay


def test_screenlock_garbage():
    with pytest.raises(ParseError):
        screen.parse_screenlock("2026-11-28 sysadminctl[1:2] Unexpected screenLock state: 42\n")


def test_idle_time():
    assert screen.parse_idle_time("300\n", 0) == 300
    assert screen.parse_idle_time("0\n", 0) == 0
    absent = "\nThe domain/default pair of (com.apple.screensaver, idleTime) does not exist\n"
    assert screen.parse_idle_time(absent, 1) is None
    with pytest.raises(ParseError):
        screen.parse_idle_time("five minutes\n", 0)
    with pytest.raises(ParseError):
        screen.parse_idle_time("defaults: crashed\n", 134)


def test_pmset_display_sleep_and_assertions():
    values, notes = screen.parse_pmset(fixture("pmset-g.txt"))
    assert values == {"displaysleep": 10}
    assert notes == ["displaysleep (display sleep prevented by zoom.us)"]
    assert screen.parse_pmset("nothing\n") == ({}, [])


# -- updates --------------------------------------------------------------
def test_install_history_last_system_update_ignores_security_data_and_apps():
    history = updates.parse_install_history((MAC / "InstallHistory.plist").read_bytes())
    assert len(history) == 5
    newest = updates.last_system_update(history)
    assert newest is not None and newest.name == "macOS Sequoia 15.1.1"
    assert newest.date == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert updates.last_system_update([i for i in history if i.config_data]) is None


def test_install_history_garbage():
    with pytest.raises(ParseError):
        updates.parse_install_history(b"<html>")
    with pytest.raises(ParseError):
        updates.parse_install_history(plistlib.dumps({"not": "an array"}))


def test_pending_updates():
    prefs = plistlib.loads((MAC / "SoftwareUpdate-pending.plist").read_bytes())
    pending, security, names, upgrades = updates.pending_updates(prefs, 14)
    assert (pending, security, upgrades) == (2, 2, ["macOS Sequoia 15.1.1"])
    assert names == ["macOS Sonoma 14.7.2", "Safari 18.2"]
    assert updates.pending_updates({}) == (None, None, [], [])
    assert updates.pending_updates({"LastRecommendedUpdatesAvailable": 3}) == (3, None, [], [])
    assert updates.pending_updates({"LastRecommendedUpdatesAvailable": 0, "RecommendedUpdates": []}) == (0, 0, [], [])
    other = {"RecommendedUpdates": [{"Display Name": "Command Line Tools for Xcode", "Display Version": "16.2"}]}
    assert updates.pending_updates(other)[:2] == (1, 0)


def test_a_new_major_macos_is_an_upgrade_not_a_missing_update():
    offered = [
        {"Display Name": "macOS Sequoia 15.1", "Display Version": "15.1"},
        {"Display Name": "macOS Sonoma 14.7.2", "Display Version": "14.7.2"},
    ]
    prefs = {"LastRecommendedUpdatesAvailable": 2, "RecommendedUpdates": offered}
    assert updates.pending_updates(prefs, 14) == (1, 1, ["macOS Sonoma 14.7.2"], ["macOS Sequoia 15.1"])
    assert updates.pending_updates({"RecommendedUpdates": offered[:1]}, 14) == (0, 0, [], ["macOS Sequoia 15.1"])
    assert updates.pending_updates(prefs)[:2] == (2, 2)  # installed version unknown: everything counts


@pytest.mark.parametrize(
    ("prefs", "expected"),
    [
        (
            {
                "AutomaticCheckEnabled": True,
                "AutomaticDownload": True,
                "AutomaticallyInstallMacOSUpdates": True,
                "CriticalUpdateInstall": True,
            },
            True,
        ),
        ({"AutomaticCheckEnabled": False}, False),
        ({"AutomaticCheckEnabled": True, "AutomaticallyInstallMacOSUpdates": False}, False),
        ({"AutomaticCheckEnabled": True}, None),
        ({}, None),
    ],
)
def test_automatic_updates(prefs, expected):
    assert updates.automatic(prefs)[0] is expected


# -- antivirus ------------------------------------------------------------
def test_spctl():
    assert parse_spctl("assessments enabled\n") is True
    assert parse_spctl("assessments disabled\n") is False
    assert parse_spctl("spctl: unknown\n") is None


# -- Time Machine ---------------------------------------------------------
def test_destinationinfo_local_network_and_none():
    local = backups.parse_destinationinfo(fixture("tmutil-destinationinfo-local.txt"))
    assert local == [
        {
            "Name": "Sauvegarde",
            "Kind": "Local",
            "Mount Point": "/Volumes/Sauvegarde",
            "ID": "1C2D3E4F-5A6B-7C8D-9E0F-A1B2C3D4E5F6",
        }
    ]
    network = backups.parse_destinationinfo(fixture("tmutil-destinationinfo-network.txt"))
    assert network[0]["Kind"] == "Network" and network[0]["URL"].startswith("smb://")
    assert backups.parse_destinationinfo("No destinations configured.\n") == []
    two = fixture("tmutil-destinationinfo-local.txt") + fixture("tmutil-destinationinfo-network.txt")
    assert len(backups.parse_destinationinfo(two)) == 2
    with pytest.raises(ParseError):
        backups.parse_destinationinfo("tmutil: something unexpected\n")


def test_latestbackup():
    path = "/Volumes/.timemachine/1C2D/2026-11-26-183012.backup/2026-11-26-183012.backup\n"
    assert backups.parse_latestbackup(path) == datetime(2026, 11, 26, 18, 30, 12, tzinfo=UTC)
    assert backups.parse_latestbackup("/Volumes/TM/Backups.backupdb/mac/2019-01-02-030405\n").year == 2019
    assert backups.parse_latestbackup("Failed to mount backup destination\n") is None


def test_time_machine_plist():
    data = plistlib.loads((MAC / "TimeMachine.plist").read_bytes())
    dests, last, notes = backups.parse_tm_plist(data)
    assert len(dests) == 1 and last == datetime(2026, 11, 27, 7, 0, tzinfo=UTC) and notes == []
    off = {"AutoBackup": False, "Destinations": [{"LastKnownEncryptionState": "NotEncrypted"}]}
    assert backups.parse_tm_plist(off) == (
        [{"LastKnownEncryptionState": "NotEncrypted"}],
        None,
        ["macos_tm_not_encrypted", "macos_tm_auto_off"],
    )
    assert backups.parse_tm_plist({}) == ([], None, [])


# -- listening sockets ----------------------------------------------------
def test_netstat_listeners():
    found = services.parse_netstat(fixture("netstat-remote-login.txt"))
    assert [(x.ip, x.port) for x in found] == [
        ("0.0.0.0", 22),
        ("::", 22),
        ("127.0.0.1", 631),
        ("::1", 631),
        ("::", 5900),
    ]
    scoped = services.parse_netstat(
        "Proto Recv-Q Send-Q Local Address Foreign Address (state)\n"
        "tcp6  0 0  fe80::1%lo0.631   *.*   LISTEN\n"
        "tcp4  0 0  192.168.1.20.3306  *.*  LISTEN\n"
        "tcp4  0 0  *.*  *.*  CLOSED\n"
    )
    assert [(x.ip, x.port) for x in scoped] == [("fe80::1%lo0", 631), ("192.168.1.20", 3306)]
    with pytest.raises(ParseError):
        services.parse_netstat("netstat: sysctl: net.inet.tcp.pcblist_n: Operation not permitted\n")


# -- helpers --------------------------------------------------------------
def test_plist_helpers():
    assert parse_plist(plistlib.dumps({"a": 1}, fmt=plistlib.FMT_BINARY), "x") == {"a": 1}
    with pytest.raises(ParseError):
        parse_plist(b"\x00\x01garbage", "x")
    assert [bool_or_none(v) for v in (True, 0, "YES", "no", "maybe", None)] == [True, False, True, False, None, None]
    assert needs_fda("tmutil: latestbackup requires Full Disk Access privileges.")
    assert not needs_fda("No destinations configured.")
