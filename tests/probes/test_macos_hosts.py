"""Recorded Macs through the whole pipeline: probes -> facts -> checks -> verdicts."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import BackupTool
from clinicguard.core.model import Reason, Status
from clinicguard.core.notes import note
from clinicguard.engine.runner import run_assessment
from clinicguard.host import ToolMissing
from clinicguard.i18n import note_text
from clinicguard.probes import provider, registered_facts
from tests.conftest import load_host, recorded

P, W, F, U = Status.PASS, Status.WARN, Status.FAIL, Status.UNKNOWN
ANY = ...  # reason or summary key not asserted
MACS = ["macos15-standard", "macos14-admin", "macos15-managed", "macos26-standard", "macos-faults", "macos15-sudo"]
FACTS = {
    "system", "password_policy", "autologin", "admin_rights", "local_accounts", "updates", "antivirus",
    "firewall", "disk_encryption", "screen_lock", "backups", "exposed_services", "browser_passwords", "remote_tools",
}  # fmt: skip

# check id -> (status, reason, summary key) per recording; a summary key of None is not asserted.
# Checks not in the catalogue of this build are skipped.
EXPECTED = {
    "macos15-standard": {
        "network.remote_tools": (P, None, "none"),
        "updates.os_support": (P, None, None),
        "updates.pending": (P, None, "up_to_date"),
        "updates.automatic": (P, None, "enabled"),
        "updates.reboot": (U, Reason.UNSUPPORTED, "reboot_unknown"),
        "malware.antivirus": (P, None, "active_ok_days"),
        "network.firewall": (P, None, "on"),
        "backups.backup": (P, None, "recent"),
        "access.password_policy": (W, None, "macos_no_policy"),
        "access.autologin": (P, None, "off"),
        "access.admin_user": (P, None, "standard"),
        "access.local_accounts": (U, Reason.UNSUPPORTED, "empty_unknown"),
        "access.screen_lock": (P, None, "ok"),
        "access.browser_passwords": (P, None, "no_browser_profile"),
        "data.disk_encryption": (P, None, "on"),
        "network.exposed_services": (P, None, "none"),
    },
    "macos14-admin": {
        "network.remote_tools": (P, None, "none"),
        "updates.os_support": (P, None, None),
        "updates.pending": (F, None, "security_overdue_install"),
        "updates.automatic": (F, None, "disabled"),
        "malware.antivirus": (W, None, "signatures_aging"),
        "network.firewall": (F, None, "off_exposed"),
        "backups.backup": (F, None, "none_found"),
        "access.password_policy": (W, None, "macos_default_only"),  # the real stock pwpolicy shape
        "access.autologin": (F, None, "on_password_stored"),
        "access.admin_user": (W, None, "admin"),
        "access.local_accounts": (F, None, "guest_enabled"),
        "access.screen_lock": (F, None, "never"),
        "data.disk_encryption": (W, None, "off_desktop"),
        "network.exposed_services": (F, None, "high_no_firewall"),
    },
    "macos15-managed": {
        "network.remote_tools": (W, None, "unattended"),
        "updates.pending": (P, None, "up_to_date"),
        "updates.automatic": (P, None, "enabled"),
        "malware.antivirus": (P, None, "active_ok_days"),
        "network.firewall": (P, None, "on"),
        "backups.backup": (P, None, "recent"),
        "access.local_accounts": (U, Reason.UNSUPPORTED, "empty_unknown"),
        "access.password_policy": (P, None, "ok_long"),
        "access.autologin": (P, None, "off"),
        "access.admin_user": (P, None, "standard"),
        "access.screen_lock": (W, None, "slow"),
        "data.disk_encryption": (W, None, "encrypting"),
        "network.exposed_services": (P, None, "none"),
    },
    "macos26-standard": {
        "updates.os_support": (P, None, None),
        "updates.pending": (P, None, "up_to_date"),
        "malware.antivirus": (P, None, "active_ok_days"),
        "network.firewall": (P, None, "on"),
        "backups.backup": (F, None, "none_found"),
        "access.password_policy": (W, None, "macos_no_policy"),
        "access.admin_user": (P, None, "standard"),
        "access.screen_lock": (P, None, "ok"),
        "data.disk_encryption": (P, None, "on"),
        "network.exposed_services": (W, None, "other"),
    },
    "macos-faults": {
        "network.remote_tools": (U, Reason.NEEDS_ADMIN, None),
        "updates.os_support": (P, None, None),
        "updates.pending": (U, Reason.UNEXPECTED_OUTPUT, None),
        "updates.automatic": (U, Reason.UNEXPECTED_OUTPUT, None),
        "malware.antivirus": (U, Reason.NOT_FOUND, None),
        "network.firewall": (U, Reason.TOOL_MISSING, None),
        "backups.backup": (U, Reason.NOT_READABLE, None),
        "access.password_policy": (U, Reason.UNEXPECTED_OUTPUT, None),
        "access.autologin": (U, Reason.NOT_READABLE, "unknown"),
        "access.admin_user": (P, None, "standard"),
        "access.local_accounts": (U, Reason.TOOL_MISSING, None),
        "access.screen_lock": (U, Reason.UNEXPECTED_OUTPUT, None),
        "data.disk_encryption": (U, Reason.TOOL_MISSING, None),
        "network.exposed_services": (U, Reason.NEEDS_ADMIN, None),
    },
    "macos15-sudo": {
        "backups.backup": (F, None, "old"),
        "access.admin_user": (W, None, "admin"),
        "access.screen_lock": (U, Reason.NOT_READABLE, None),
        "data.disk_encryption": (P, None, "on"),
        "network.exposed_services": (W, None, "medium"),
    },
}


@pytest.fixture(scope="module")
def assessments():
    return {name: run_assessment(load_host(name)) for name in MACS}


def test_every_fact_has_a_macos_probe():
    assert registered_facts("macos") >= FACTS


@pytest.mark.parametrize("name", MACS)
def test_recorded_mac_verdicts(assessments, name):
    results = {r.check_id: r for r in assessments[name].results}
    assert {"access.password_policy", "data.disk_encryption"} <= set(results)
    for check_id, (status, reason, key) in EXPECTED[name].items():
        if check_id not in results:
            continue
        r = results[check_id]
        assert r.status is status, (check_id, r.status, r.summary_key, r.detail)
        if reason is not ANY:
            assert r.reason is reason, (check_id, r.reason, r.detail)
        if key is not None:
            assert r.summary_key == key, (check_id, r.summary_key)


@pytest.mark.parametrize("name", MACS)
def test_no_green_without_evidence_and_no_crash(assessments, name):
    for r in assessments[name].results:
        assert r.reason is not Reason.CHECK_ERROR, (r.check_id, r.detail)
        if r.status is Status.UNKNOWN:
            assert r.reason is not None


def test_faults_are_grey_for_every_unreadable_fact():
    host = load_host("macos-faults")
    for fact, reason in [
        ("updates", Reason.UNEXPECTED_OUTPUT),
        ("antivirus", Reason.NOT_FOUND),
        ("backups", Reason.NOT_READABLE),
    ]:
        with pytest.raises(ProbeError) as err:
            provider(fact, "macos")(host)
        assert err.value.reason is reason, fact
    with pytest.raises(ToolMissing):
        provider("firewall", "macos")(host)


def test_time_machine_without_full_disk_access_says_so():
    with pytest.raises(ProbeError) as err:
        provider("backups", "macos")(load_host("macos-faults"))
    assert "Full Disk Access" in note_text(err.value.detail, "en")


def fact(name: str, fact_name: str):
    return provider(fact_name, "macos")(load_host(name))


def test_system_facts():
    s = fact("macos15-standard", "system")
    assert (s.os_id, s.os_version, s.os_name, s.is_laptop) == ("macos", "15.1.1", "macOS Sequoia 15.1.1", True)
    assert fact("macos14-admin", "system").is_laptop is False
    assert fact("macos26-standard", "system").os_name == "macOS Tahoe 26.1"
    fallback = fact("macos-faults", "system")  # sw_vers missing: SystemVersion.plist
    assert (fallback.os_version, fallback.is_laptop) == ("15.0.1", None)


def test_update_facts():
    u = fact("macos15-standard", "updates")
    assert (u.manager, u.pending, u.pending_security, u.automatic) == ("softwareupdate", 0, 0, True)
    assert u.last_install == datetime(2026, 11, 20, 9, 0, tzinfo=UTC) and u.metadata_age_days == 1.0
    old = fact("macos14-admin", "updates")
    assert (old.pending, old.pending_security, old.automatic) == (2, 2, False)
    assert "pending: " + note("macos.upgrade_offered", name="macOS Sequoia 15.1.1") in old.notes
    assert old.last_install == datetime(2026, 10, 28, 9, 0, tzinfo=UTC)


def test_antivirus_facts():
    (xp,) = fact("macos15-standard", "antivirus").products
    assert (xp.name, xp.enabled, xp.realtime, xp.signature_age_days) == ("XProtect", True, None, 3.0)
    assert "Gatekeeper=on" in fact("macos15-standard", "antivirus").notes
    assert fact("macos14-admin", "antivirus").products[0].signature_age_days == 80.0
    managed = fact("macos15-managed", "antivirus")
    assert "XProtect=5282" in managed.notes  # the newer /var/protected copy wins


def test_firewall_facts():
    on = fact("macos15-standard", "firewall")
    assert (on.enabled, on.backend, on.default_inbound_block) == ({"alf": True}, "alf", None)
    assert fact("macos14-admin", "firewall").enabled == {"alf": False}
    block = fact("macos15-managed", "firewall")
    assert block.enabled == {"alf": True} and block.default_inbound_block is True
    assert "macos_stealth_on" in block.notes


def test_backup_facts():
    std = fact("macos15-standard", "backups")  # plist denied, date from the mounted disk
    assert std.tools == (
        BackupTool(
            name="Time Machine",
            configured=True,
            last_success=datetime(2026, 11, 26, 18, 30, 12, tzinfo=UTC),
            target="Local: Sauvegarde",
        ),
    )
    assert fact("macos14-admin", "backups").tools == ()
    nas = fact("macos15-managed", "backups").tools[0]  # Full Disk Access granted: dates from the plist
    assert nas.last_success == datetime(2026, 11, 27, 7, 0, tzinfo=UTC) and nas.target.startswith("Network")
    old = fact("macos15-sudo", "backups")
    assert old.tools[0].last_success == datetime(2026, 10, 14, 9, 0, tzinfo=UTC)
    assert "macos_tm_not_encrypted" in old.notes


def test_account_facts():
    admin = fact("macos14-admin", "admin_rights")
    assert admin.user_is_admin and admin.admins == ("accueil", "direction", "prestataire")
    assert fact("macos15-sudo", "admin_rights").nopasswd is False  # sudoers readable as root
    auto = fact("macos14-admin", "autologin")
    assert (auto.enabled, auto.user, auto.password_stored) == (True, "accueil", True)
    managed = fact("macos15-managed", "local_accounts")
    assert (managed.guest_enabled, managed.blank_password_allowed, managed.empty_password) == (False, False, None)


def test_remote_tools_found():
    (tool,) = fact("macos15-managed", "remote_tools").tools
    assert (tool.name, tool.autostart) == ("TeamViewer", True)


@pytest.mark.parametrize("name", MACS)
def test_probe_set_is_fast(name):
    host = load_host(name)
    started = time.perf_counter()
    for fact_name in sorted(FACTS):
        try:
            provider(fact_name, "macos")(host)
        except Exception:  # noqa: BLE001 - faults are expected here; only time matters
            pass
    assert time.perf_counter() - started < 2.0


# -- probe edge cases on small inline recordings ---------------------------
def mac(**parts):
    parts.setdefault("user", {"name": "alice", "uid": 501, "groups": ["staff"], "home": "/Users/alice"})
    return recorded(platform="macos", **parts)


def cmd(argv, stdout="", stderr="", rc=0):
    return {"argv": argv, "returncode": rc, "stdout": stdout, "stderr": stderr}


SFW = "/usr/libexec/ApplicationFirewall/socketfilterfw"
SCREEN = ["/usr/sbin/sysadminctl", "-screenLock", "status"]
IDLE = ["/usr/bin/defaults", "-currentHost", "read", "com.apple.screensaver", "idleTime"]
ABSENT = "The domain/default pair of (com.apple.screensaver, idleTime) does not exist\n"
PMSET = ["/usr/bin/pmset", "-g"]


def test_autologin_is_off_while_filevault_is_on():
    import plistlib

    host = mac(
        files={
            "/Library/Preferences/com.apple.loginwindow.plist": {
                "text": plistlib.dumps({"autoLoginUser": "alice"}).decode()
            },
            "/etc/kcpassword": {"error": "denied"},
        },
        commands=[cmd(["/usr/bin/fdesetup", "status"], "FileVault is On.\n")],
    )
    a = provider("autologin", "macos")(host)
    assert a.enabled is False
    assert "macos_autologin_ignored_filevault" in a.notes and "macos_kcpassword_present" in a.notes


def test_autologin_without_loginwindow_prefs_is_off():
    assert provider("autologin", "macos")(mac()).enabled is False


def test_root_account_enabled_is_reported():
    host = mac(
        commands=[
            cmd(["/usr/bin/dscl", ".", "-list", "/Users", "UniqueID"], "root 0\nalice 501\ntoor 0\n"),
            cmd(
                ["/usr/bin/dscl", ".", "-read", "/Users/root", "AuthenticationAuthority"],
                "AuthenticationAuthority: ;ShadowHash;HASHLIST:<SALTED-SHA512-PBKDF2,SRP-RFC5054-4096-SHA512-PBKDF2>\n",
            ),
        ]
    )
    accounts = provider("local_accounts", "macos")(host)
    assert accounts.builtin_admin_enabled is True and accounts.extra_superusers == ("toor",)


def test_screen_lock_never_when_saver_and_display_never_start():
    host = mac(
        commands=[cmd(SCREEN, "", "screenLock delay is immediate\n"), cmd(IDLE, "0\n"), cmd(PMSET, " displaysleep 0\n")]
    )
    s = provider("screen_lock", "macos")(host)
    assert (s.lock_enabled, s.lock_after_s) == (True, 0)


def test_screen_lock_unknown_when_no_idle_delay_is_known():
    host = mac(commands=[cmd(SCREEN, "", "screenLock delay is immediate\n"), cmd(IDLE, "", ABSENT, 1)])
    with pytest.raises(ProbeError) as err:
        provider("screen_lock", "macos")(host)
    assert err.value.reason is Reason.NOT_READABLE


def test_screen_lock_takes_the_earliest_idle_delay_plus_password_delay():
    host = mac(
        commands=[
            cmd(SCREEN, "", "screenLock delay is 60 seconds\n"),
            cmd(IDLE, "1200\n"),
            cmd(PMSET, " displaysleep 5\n"),
        ]
    )
    assert provider("screen_lock", "macos")(host).lock_after_s == 360


def test_a_profile_imposed_screen_saver_delay_wins():
    import plistlib

    managed = {"text": plistlib.dumps({"idleTime": 300}).decode()}
    host = mac(
        files={"/Library/Managed Preferences/alice/com.apple.screensaver.plist": managed},
        commands=[
            cmd(SCREEN, "", "screenLock delay is immediate\n"),
            cmd(IDLE, "1800\n"),
            cmd(PMSET, " displaysleep 20\n"),
        ],
    )
    s = provider("screen_lock", "macos")(host)
    assert s.lock_after_s == 300 and "/Library/Managed Preferences/alice/com.apple.screensaver.plist" in s.sources


def test_firewall_needing_root_is_needs_admin_and_profiler_is_the_fallback():
    denied = mac(commands=[cmd([SFW, "--getglobalstate"], "", "Must be root to change settings.\n", 1)])
    with pytest.raises(ProbeError) as err:
        provider("firewall", "macos")(denied)
    assert err.value.reason is Reason.NEEDS_ADMIN
    profiler = (
        '{"SPFirewallDataType": [{"spfirewall_globalstate": "spfirewall_globalstate_limit_connections",'
        ' "spfirewall_stealthenabled": "No"}]}'
    )
    fallback = mac(
        commands=[
            cmd([SFW, "--getglobalstate"], "", "Must be root\n", 1),
            cmd(["/usr/sbin/system_profiler", "SPFirewallDataType", "-json"], profiler),
        ]
    )
    fw = provider("firewall", "macos")(fallback)
    assert fw.enabled == {"alf": True} and fw.sources == ("system_profiler SPFirewallDataType",)


def test_listeners_from_psutil_when_allowed():
    host = mac(listeners=[{"ip": "0.0.0.0", "port": 5900, "proto": "tcp", "process": "screensharingd"}])
    e = provider("exposed_services", "macos")(host)
    assert e.listeners == (("0.0.0.0", 5900, "tcp", "screensharingd"),) and e.sources == ("psutil.net_connections",)


def test_garbage_netstat_is_unexpected_output():
    host = mac(listeners={"error": "denied"}, commands=[cmd(["/usr/sbin/netstat", "-an", "-p", "tcp"], "??\n")])
    with pytest.raises(ProbeError) as err:
        provider("exposed_services", "macos")(host)
    assert err.value.reason is Reason.UNEXPECTED_OUTPUT


def test_software_update_without_automatic_settings_says_why():
    import plistlib

    prefs = {"text": plistlib.dumps({"LastRecommendedUpdatesAvailable": 0}).decode()}
    u = provider("updates", "macos")(mac(files={"/Library/Preferences/com.apple.SoftwareUpdate.plist": prefs}))
    assert (u.pending, u.automatic) == (0, None)
    assert u.why_unknown["automatic"].reason == "not_found" and "reboot_required" in u.why_unknown


def test_software_update_never_run_is_not_found():
    with pytest.raises(ProbeError) as err:
        provider("updates", "macos")(mac())
    assert err.value.reason is Reason.NOT_FOUND


def test_mac_notes_are_translated():
    from clinicguard.i18n import catalog

    tokens = set()
    for name in MACS:
        for r in run_assessment(load_host(name)).results:
            tokens |= {e.value for e in r.evidence if e.label == "technical_note" and e.value.startswith("macos_")}
        for fact_name in ("updates", "antivirus", "firewall", "backups"):
            try:
                tokens |= {n for n in provider(fact_name, "macos")(load_host(name)).notes if n.startswith("macos_")}
            except Exception:  # noqa: BLE001
                pass
    assert len(tokens) >= 6
    for lang in ("fr", "en"):
        missing = {t for t in tokens if f"value.{t}" not in catalog(lang)}
        assert not missing, (lang, missing)


@pytest.mark.parametrize("name", ["macos15-standard", "macos14-admin", "macos-faults"])
def test_a_mac_collected_and_replayed_gets_the_same_verdicts(assessments, name):
    from clinicguard.cli.collect import collect
    from clinicguard.host.replay import RecordedHost

    again = run_assessment(RecordedHost(collect(load_host(name))))
    assert {r.check_id: (r.status, r.reason) for r in again.results} == {
        r.check_id: (r.status, r.reason) for r in assessments[name].results
    }
