"""malware.antivirus, network.firewall and backups.backup at every boundary, on every OS's facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinicguard.checks import CheckContext
from clinicguard.checks.backups import backup
from clinicguard.checks.malware import antivirus
from clinicguard.checks.network import exposed_ports, firewall
from clinicguard.core.facts import (
    AntivirusProduct,
    AntivirusStatus,
    BackupStatus,
    BackupTool,
    ExposedServices,
    FirewallStatus,
    Unknown,
    UpdateStatus,
)
from clinicguard.core.model import Reason, Status
from clinicguard.host import UserInfo

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def ctx(platform: str) -> CheckContext:
    return CheckContext(platform=platform, now=NOW, user=UserInfo(name="alice"))


def av(*products: AntivirusProduct) -> AntivirusStatus:
    return AntivirusStatus(products=tuple(products), sources=("test",))


def defender(**kw) -> AntivirusProduct:
    base = {
        "name": "Microsoft Defender Antivirus",
        "enabled": True,
        "realtime": True,
        "signature_age_days": 1,
        "tamper_protected": True,
    }
    base.update(kw)
    return AntivirusProduct(**base)


# -- malware.antivirus: Windows -------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "status", "key"),
    [
        (0, Status.PASS, "active_ok_days"),
        (3, Status.PASS, "active_ok_days"),
        (3.9, Status.PASS, "active_ok_days"),
        (4, Status.WARN, "signatures_aging"),
        (7, Status.WARN, "signatures_aging"),
        (8, Status.FAIL, "signatures_old"),
    ],
)
def test_windows_signature_age(age, status, key):
    v = antivirus(ctx("windows"), av(defender(signature_age_days=age)))
    assert (v.status, v.key) == (status, key)


def test_windows_realtime_off_is_red():
    v = antivirus(ctx("windows"), av(defender(realtime=False)))
    assert (v.status, v.key) == (Status.FAIL, "realtime_off")


def test_windows_tamper_protection_off_is_amber():
    v = antivirus(ctx("windows"), av(defender(tamper_protected=False)))
    assert (v.status, v.key) == (Status.WARN, "tamper_off")


def test_windows_no_product_is_red():
    assert antivirus(ctx("windows"), av()).status is Status.FAIL


def test_windows_products_all_off_is_red():
    v = antivirus(ctx("windows"), av(defender(enabled=False), AntivirusProduct(name="Avast", enabled=False)))
    assert (v.status, v.key) == (Status.FAIL, "none_active")


def test_passive_defender_with_another_active_av_is_fine():
    v = antivirus(
        ctx("windows"),
        av(
            defender(enabled=False, passive=True, signature_age_days=40),
            AntivirusProduct(name="ESET Security", enabled=True, realtime=True, up_to_date=True),
        ),
    )
    assert (v.status, v.key, v.params["product"]) == (Status.PASS, "active_ok", "ESET Security")


def test_passive_defender_alone_is_amber():
    v = antivirus(ctx("windows"), av(defender(enabled=True, passive=True)))
    assert (v.status, v.key) == (Status.WARN, "passive_only")


def test_best_active_product_decides():
    v = antivirus(
        ctx("windows"),
        av(AntivirusProduct(name="Old AV", enabled=True, signature_age_days=30), defender(signature_age_days=2)),
    )
    assert v.status is Status.PASS


@pytest.mark.parametrize(
    ("up_to_date", "status", "key"),
    [
        (True, Status.PASS, "active_ok"),
        (False, Status.FAIL, "signatures_outdated"),
        (None, Status.WARN, "signatures_unknown"),
    ],
)
def test_security_center_flag_when_age_unknown(up_to_date, status, key):
    v = antivirus(ctx("windows"), av(AntivirusProduct(name="Avast", enabled=True, up_to_date=up_to_date)))
    assert (v.status, v.key) == (status, key)


def test_windows_state_unreadable_is_grey():
    v = antivirus(ctx("windows"), av(AntivirusProduct(name="Avast", enabled=None)))
    assert (v.status, v.reason) == (Status.UNKNOWN, Reason.NOT_READABLE)


# -- malware.antivirus: macOS --------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "status"),
    [(0, Status.PASS), (30, Status.PASS), (31, Status.WARN), (90, Status.WARN), (91, Status.FAIL)],
)
def test_xprotect_age(age, status):
    v = antivirus(ctx("macos"), av(AntivirusProduct(name="XProtect", enabled=True, signature_age_days=age)))
    assert v.status is status


def test_xprotect_missing_is_grey():
    assert antivirus(ctx("macos"), av()).status is Status.UNKNOWN


# -- malware.antivirus: Linux ---------------------------------------------------------


def clamav(age, **kw) -> AntivirusProduct:
    return AntivirusProduct(name="ClamAV", enabled=kw.pop("enabled", True), signature_age_days=age, **kw)


def _updates(**kw) -> UpdateStatus:
    base = {"manager": "apt", "pending": 0, "pending_security": 0, "automatic": True, "last_install": NOW}
    base.update(kw)
    return UpdateStatus(**base)


def test_linux_without_antivirus_is_green_only_when_kept_up_to_date():
    # os-checks.md section 4 (issue 11, item 4): automatic updates and no overdue security update.
    v = antivirus(ctx("linux"), av(), _updates())
    assert (v.status, v.key) == (Status.PASS, "linux_none")
    # Security updates waiting, but the system upgraded itself less than 15 days ago: still kept up to date.
    fresh = _updates(pending=2, pending_security=2, last_install=NOW - timedelta(days=14))
    assert antivirus(ctx("linux"), av(), fresh).status is Status.PASS


@pytest.mark.parametrize(
    ("updates", "key"),
    [
        (None, "linux_none_updates_unknown"),
        ({"automatic": None}, "linux_none_updates_unknown"),
        ({"automatic": False}, "linux_none_manual_updates"),
        ({"pending_security": None}, "linux_none_updates_unknown"),
        (
            {"pending": 3, "pending_security": 3, "last_install": NOW - timedelta(days=15)},
            "linux_none_security_waiting",
        ),
        (
            {"pending": 3, "pending_security": 3, "last_install": None, "no_upgrade_since": NOW - timedelta(days=90)},
            "linux_none_security_waiting",
        ),
        ({"pending": 3, "pending_security": 3, "last_install": None}, "linux_none_security_waiting"),
    ],
)
def test_linux_without_antivirus_is_amber_with_the_reason(updates, key):
    v = antivirus(ctx("linux"), av(), None if updates is None else _updates(**updates))
    assert (v.status, v.key) == (Status.WARN, key)


def test_linux_none_found_but_processes_unseen_is_grey():
    status = AntivirusStatus(products=(), why_unknown={"processes": Unknown(Reason.NOT_READABLE, "no process listed")})
    v = antivirus(ctx("linux"), status)
    assert (v.status, v.reason, v.key) == (Status.UNKNOWN, Reason.NOT_READABLE, "linux_unverified")


@pytest.mark.parametrize(
    ("age", "status", "key"),
    [
        (0.5, Status.PASS, "clamav_ok"),
        (3, Status.PASS, "clamav_ok"),
        (4, Status.WARN, "clamav_outdated"),
        (400, Status.WARN, "clamav_outdated"),
        (None, Status.WARN, "clamav_age_unknown"),
    ],
)
def test_linux_clamav_age(age, status, key):
    v = antivirus(ctx("linux"), av(clamav(age)))
    assert (v.status, v.key) == (status, key)


def test_linux_clamav_without_daemon_is_judged_on_its_database():
    assert antivirus(ctx("linux"), av(clamav(1, enabled=False, realtime=False))).status is Status.PASS


@pytest.mark.parametrize(
    ("enabled", "status", "key"),
    [
        (True, Status.PASS, "agent_running"),
        (False, Status.WARN, "agent_stopped"),
        (None, Status.WARN, "agent_unverified"),
    ],
)
def test_linux_agents(enabled, status, key):
    v = antivirus(ctx("linux"), av(AntivirusProduct(name="CrowdStrike Falcon", enabled=enabled)))
    assert (v.status, v.key) == (status, key)


def test_linux_running_agent_beats_stale_clamav():
    v = antivirus(ctx("linux"), av(clamav(30), AntivirusProduct(name="ESET", enabled=True)))
    assert (v.status, v.params["product"]) == (Status.PASS, "ESET")


def test_antivirus_evidence():
    v = antivirus(ctx("windows"), av(defender(signature_age_days=2.7)))
    values = [(e.label, e.value) for e in v.evidence]
    assert ("antivirus_product", "Microsoft Defender Antivirus") in values
    assert ("signature_age_days", "2") in values
    assert ("tamper_protection", "on") in values


# -- network.firewall ---------------------------------------------------------------------


def fw(enabled, **kw) -> FirewallStatus:
    return FirewallStatus(enabled=enabled, sources=("test",), **kw)


def listening(*items) -> ExposedServices:
    return ExposedServices(listeners=tuple(items), sources=("psutil",))


WIN_ON = {"Domain": True, "Private": True, "Public": True}


def test_windows_all_profiles_on_with_block():
    v = firewall(ctx("windows"), fw(WIN_ON, backend="windows", default_inbound_block=True))
    assert (v.status, v.key) == (Status.PASS, "windows_on")


@pytest.mark.parametrize(
    ("profiles", "key"),
    [
        ({"Private": False, "Public": True}, "profile_off_private"),
        ({"Private": True, "Public": False}, "profile_off_public"),
        ({"Private": False, "Public": False, "Domain": True}, "profile_off_both"),
    ],
)
def test_windows_profile_off_is_red(profiles, key):
    v = firewall(ctx("windows"), fw(profiles, default_inbound_block=True))
    assert (v.status, v.key) == (Status.FAIL, key)


def test_windows_domain_profile_alone_does_not_matter():
    v = firewall(ctx("windows"), fw({"Domain": False, "Private": True, "Public": True}, default_inbound_block=True))
    assert v.status is Status.PASS


def test_windows_inbound_allow_is_red():
    v = firewall(ctx("windows"), fw(WIN_ON, default_inbound_block=False))
    assert (v.status, v.key) == (Status.FAIL, "inbound_allowed")


def test_windows_inbound_unknown_is_amber():
    assert firewall(ctx("windows"), fw(WIN_ON)).status is Status.WARN


def test_windows_third_party_firewall_counts():
    v = firewall(ctx("windows"), fw({"Private": False, "Public": False, "Norton Firewall": True}))
    assert (v.status, v.params["product"]) == (Status.PASS, "Norton Firewall")


def test_windows_profiles_unreadable_is_grey():
    v = firewall(ctx("windows"), fw({"Private": None, "Public": True}))
    assert v.status is Status.UNKNOWN


def test_macos_on():
    assert firewall(ctx("macos"), fw({"alf": True}, backend="alf")).status is Status.PASS


@pytest.mark.parametrize(
    ("services", "status", "key"),
    [
        (listening(("0.0.0.0", 5900, "tcp", "screensharingd")), Status.FAIL, "off_exposed"),
        (listening(), Status.WARN, "off_quiet"),
        (None, Status.WARN, "off_exposure_unknown"),
    ],
)
def test_firewall_off_depends_on_exposed_services(services, status, key):
    for platform, enabled in (("macos", {"alf": False}), ("linux", {"ufw": False})):
        v = firewall(ctx(platform), fw(enabled, rules_readable=False), exposed_services=services)
        assert (v.status, v.key) == (status, key), platform


def test_exposed_ports_ignore_loopback_and_client_udp():
    services = listening(
        ("127.0.0.1", 631, "tcp", "cupsd"),
        ("::1", 5432, "tcp", "postgres"),
        ("0.0.0.0", 5353, "udp", "avahi-daemon"),
        ("0.0.0.0", 68, "udp", "dhclient"),
        ("0.0.0.0", 631, "udp", "cups-browsed"),
        ("::", 22, "tcp", "sshd"),
        ("bad",),
    )
    assert exposed_ports(services) == ["22/tcp", "631/udp"]


def test_off_exposed_names_ports():
    v = firewall(ctx("linux"), fw({"ufw": False}), exposed_services=listening(("::", 22, "tcp", "sshd")))
    assert v.params == {"count": 1, "ports": "22/tcp"}


def test_linux_ufw_on():
    v = firewall(ctx("linux"), fw({"ufw": True}, backend="ufw", default_inbound_block=True, rules_readable=False))
    assert (v.status, v.key, v.params["firewall"]) == (Status.PASS, "on", "ufw")


def test_linux_ufw_on_with_default_allow_is_red():
    v = firewall(ctx("linux"), fw({"ufw": True}, backend="ufw", default_inbound_block=False))
    assert v.status is Status.FAIL


def test_linux_permissive_firewalld_zone_is_amber():
    v = firewall(
        ctx("linux"), fw({"firewalld": True}, backend="firewalld", permissive_zone=True, default_inbound_block=False)
    )
    assert (v.status, v.key, v.params["firewall"]) == (Status.WARN, "permissive_zone", "firewalld")


def test_linux_nothing_known_and_rules_unreadable_needs_admin():
    v = firewall(ctx("linux"), fw({}, rules_readable=False), exposed_services=listening(("0.0.0.0", 22, "tcp", "")))
    assert (v.status, v.reason, v.key) == (Status.UNKNOWN, Reason.NEEDS_ADMIN, "rules_unreadable")


def test_linux_root_sees_no_rules_at_all():
    v = firewall(ctx("linux"), fw({}, rules_readable=True), exposed_services=listening())
    assert (v.status, v.key) == (Status.WARN, "off_quiet")


def test_linux_front_end_state_unknown_is_grey():
    why = {"firewalld": Unknown(Reason.TIMED_OUT, "no answer")}
    v = firewall(ctx("linux"), fw({"firewalld": None}, why_unknown=why))
    assert (v.status, v.reason) == (Status.UNKNOWN, Reason.TIMED_OUT)


# -- backups.backup ---------------------------------------------------------------------------


def tools(*items: BackupTool) -> BackupStatus:
    return BackupStatus(tools=tuple(items), searched=("Déjà Dup", "borg"), sources=("test",))


def tool(name="Déjà Dup", days=None, **kw) -> BackupTool:
    return BackupTool(
        name=name,
        configured=kw.pop("configured", True),
        last_success=None if days is None else NOW - timedelta(days=days),
        **kw,
    )


@pytest.mark.parametrize(
    ("days", "status", "key"),
    [
        (0, Status.PASS, "recent"),
        (7, Status.PASS, "recent"),
        (7.9, Status.PASS, "recent"),
        (8, Status.WARN, "aging"),
        (30, Status.WARN, "aging"),
        (31, Status.FAIL, "old"),
    ],
)
def test_backup_age(days, status, key):
    v = backup(ctx("linux"), tools(tool(days=days)))
    assert (v.status, v.key) == (status, key)


def test_nothing_found_is_red():
    v = backup(ctx("linux"), tools())
    assert (v.status, v.key) == (Status.FAIL, "none_found")


def test_installed_but_never_set_up_is_red():
    assert backup(ctx("linux"), tools(tool(configured=False))).status is Status.FAIL


def test_configured_without_date_is_amber():
    v = backup(ctx("linux"), tools(tool("borgmatic")))
    assert (v.status, v.key, v.params["tools"]) == (Status.WARN, "configured_no_date", "borgmatic")


def test_sync_only_is_amber():
    v = backup(ctx("windows"), tools(tool("OneDrive", sync_only=True)))
    assert (v.status, v.key) == (Status.WARN, "sync_only")


def test_recent_backup_beats_sync_and_old_tools():
    v = backup(
        ctx("windows"),
        tools(tool("OneDrive", sync_only=True), tool("File History", days=2), tool("Veeam Agent", days=90)),
    )
    assert (v.status, v.params["tool"]) == (Status.PASS, "File History")


def test_old_backup_with_an_undated_tool_is_amber():
    v = backup(ctx("linux"), tools(tool("Déjà Dup", days=60), tool("borgmatic")))
    assert (v.status, v.key) == (Status.WARN, "configured_no_date")


def test_backup_evidence_lists_tools_and_search():
    v = backup(ctx("linux"), tools(tool("Déjà Dup", days=2, target="local"), tool("Nextcloud", sync_only=True)))
    values = [(e.label, e.value) for e in v.evidence]
    assert ("backup_tool", "Déjà Dup (local)") in values
    assert ("last_backup", "2026-11-26") in values
    assert ("sync_client", "Nextcloud") in values
    assert ("backup_searched", "Déjà Dup, borg") in values
