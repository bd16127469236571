"""Windows probes replayed on recorded English and French Windows 10/11 machines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinicguard.core.errors import ProbeError
from clinicguard.core.model import Reason
from clinicguard.host import AccessDenied
from clinicguard.i18n import note_text
from clinicguard.probes import provider
from tests.fixtures import windows_hosts as wh
from tests.support.windows_support import host, with_ps_output, with_registry


def gather(fact: str, h):  # type: ignore[no-untyped-def]
    fn = provider(fact, "windows")
    assert fn is not None, fact
    return fn(h)


def test_system_windows11_despite_product_name():
    s = gather("system", host())
    assert (s.os_id, s.build, s.edition, s.os_version) == ("windows", 26200, "Professional", "11 25H2")
    assert s.os_name == "Windows 11 Pro 25H2" and s.is_laptop is True
    s10 = gather("system", host(wh.windows10_en_admin))
    assert (s10.os_version, s10.os_name, s10.is_laptop) == ("10 22H2", "Windows 10 Pro 22H2", False)


def test_system_without_powershell_still_known():
    s = gather("system", host(wh.windows11_fr_no_powershell))
    assert s.build == 26200 and s.is_laptop is None


def test_password_policy_french_net_accounts():
    p = gather("password_policy", host())
    assert (p.min_length, p.lockout_threshold, p.max_age_days, p.complexity) == (12, 10, None, None)
    assert "windows_complexity_needs_admin" in p.notes


def test_password_policy_english_admin_reads_complexity():
    p = gather("password_policy", host(wh.windows10_en_admin))
    assert (p.min_length, p.lockout_threshold, p.complexity) == (0, 0, False)


def test_password_policy_net_accounts_denied():
    h = host()
    h.data["commands"][0] = {
        "argv": ["net", "accounts"],
        "returncode": 2,
        "stdout": "",
        "stderr": "Erreur système 5.\r\n\r\nAccès refusé.\r\n",
    }
    with pytest.raises(ProbeError) as info:
        gather("password_policy", h)
    assert info.value.reason is Reason.NEEDS_ADMIN


def test_autologin_presence_of_password_only():
    a = gather("autologin", host(wh.windows10_en_admin))
    assert a.enabled is True and a.password_stored is True and a.user == "POSTE\\frontdesk"
    assert "Accueil2024!" not in repr(a)
    off = gather("autologin", host())
    assert off.enabled is False and off.password_stored is False and off.user == ""


def test_autologin_lsa_secret_still_autologin():
    h = with_registry(host(), wh.CV + r"\Winlogon", wh.reg({"AutoAdminLogon": "1", "DefaultUserName": "soins"}))
    a = gather("autologin", h)
    assert a.enabled is True and a.password_stored is False and a.notes


def test_admin_rights_standard_and_admin():
    user = gather("admin_rights", host())
    assert user.user == "infirmiere" and user.user_is_admin is False and user.uac_disabled is False
    assert user.admins == ("POSTE\\informatique",)  # the disabled built-in one is not counted
    assert any("Administrateur" in n for n in user.notes)
    admin = gather("admin_rights", host(wh.windows10_fr_home_admin))
    assert admin.user_is_admin is True  # filtered token: the SID is there for deny only
    elevated = gather("admin_rights", host(wh.windows10_en_admin))
    assert elevated.user_is_admin is True and elevated.uac_disabled is True


def test_admin_rights_whoami_missing_falls_back_to_members():
    h = host(wh.windows10_fr_home_admin)
    h.data["commands"] = [c for c in h.data["commands"] if c["argv"][0] != "whoami"]
    assert gather("admin_rights", h).user_is_admin is True


def test_admin_rights_empty_group_is_not_zero_admins():
    h = host(ps_admins=[])
    h.data["commands"] = [c for c in h.data["commands"] if c["argv"][0] != "whoami"]
    with pytest.raises(ProbeError):
        gather("admin_rights", h)


def test_local_accounts_by_sid_whatever_the_names():
    ok = gather("local_accounts", host())
    assert (ok.guest_enabled, ok.builtin_admin_enabled, ok.no_password_required) == (False, False, ())
    assert ok.empty_password is None  # cannot be read on Windows
    bad = gather("local_accounts", host(wh.windows10_en_admin))
    assert (bad.guest_enabled, bad.builtin_admin_enabled, bad.no_password_required) == (True, True, ("frontdesk",))


def test_local_accounts_renamed_builtin_and_rid_1500():
    users = [
        {"name": "Gestion", "enabled": True, "password_required": True, "sid": f"{wh.MACHINE}-500"},
        {"name": "admin2", "enabled": True, "password_required": True, "sid": f"{wh.MACHINE}-1500"},
        {"name": "Visiteur", "enabled": False, "password_required": False, "sid": f"{wh.MACHINE}-501"},
    ]
    acc = gather("local_accounts", host(ps_local_users=users))
    assert acc.builtin_admin_enabled is True and acc.guest_enabled is False


def test_local_accounts_without_powershell():
    with pytest.raises(ProbeError) as info:
        gather("local_accounts", host(wh.windows11_fr_no_powershell))
    assert info.value.reason is Reason.TOOL_MISSING


def test_updates_ignore_signatures_and_msrt():
    u = gather("updates", host())
    assert u.last_install == datetime(2026, 11, 12, 2, 1, 10, tzinfo=UTC)
    assert u.automatic is True and u.paused_until is None and u.reboot_required is False
    assert (u.pending, u.pending_security, u.manager) == (0, 0, "windows-update")  # signatures left out
    assert u.metadata_age_days == 0.1
    old = gather("updates", host(wh.windows10_en_admin))
    assert old.last_install == datetime(2026, 8, 13, 2, 0, tzinfo=UTC)
    assert old.automatic is False and old.reboot_required is True
    assert old.metadata_age_days == 100.2 and old.pending == 0  # a stale scan knows nothing newer
    home = gather("updates", host(wh.windows11_en_home_user))
    assert home.paused_until == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert (home.pending, home.pending_security) == (2, 1)


def test_updates_constrained_language_history_unknown():
    u = gather("updates", host(wh.windows11_fr_constrained))
    assert u.last_install is None and u.pending is None and u.automatic is True
    assert any("ConstrainedLanguage" in n for n in u.notes)


def test_updates_aunotify_only_and_failed_installs():
    h = with_registry(host(), r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU", wh.reg({"AUOptions": 2}))
    entry = wh.ps_entry(h.data, "updates")
    entry["stdout"] = entry["stdout"].replace('"result":2', '"result":4')
    u = gather("updates", h)
    assert u.automatic is False and u.last_install is None


def test_antivirus_defender_and_third_party():
    av = gather("antivirus", host())
    (defender,) = av.products
    assert defender.enabled and defender.realtime and defender.signature_age_days == 0 and defender.tamper_protected
    mixed = gather("antivirus", host(wh.windows10_en_admin))
    by_name = {p.name: p for p in mixed.products}
    assert by_name["ESET Security"].enabled is True and by_name["ESET Security"].up_to_date is True
    assert by_name["Windows Defender"].passive is True and by_name["Windows Defender"].realtime is False


def test_antivirus_security_center_missing_uses_defender():
    av = gather("antivirus", host(ps_av_products={"error": "Invalid namespace", "id": "x"}))
    assert [p.name for p in av.products] == ["Microsoft Defender"]


def test_antivirus_nothing_readable():
    with pytest.raises(ProbeError) as info:
        gather("antivirus", host(wh.windows11_fr_no_powershell))
    assert info.value.reason is Reason.TOOL_MISSING


def test_firewall_profiles():
    fw = gather("firewall", host())
    assert fw.enabled == {"domain": True, "private": True, "public": True} and fw.default_inbound_block is True
    off = gather("firewall", host(wh.windows10_en_admin))
    assert off.enabled["public"] is False


def test_firewall_third_party_product_listed_when_on():
    fw = gather(
        "firewall",
        host(ps_fw_products=[{"name": "Norton Firewall", "state": 266240}, {"name": "Old Firewall", "state": 262144}]),
    )
    assert fw.enabled["Norton Firewall"] is True and "Old Firewall" not in fw.enabled


def test_firewall_registry_when_powershell_missing():
    fw = gather("firewall", host(wh.windows11_fr_no_powershell))
    assert fw.enabled == {"domain": True, "private": True, "public": True} and fw.default_inbound_block is None


def test_firewall_group_policy_wins():
    h = with_registry(
        host(wh.windows11_fr_no_powershell),
        r"HKLM\SOFTWARE\Policies\Microsoft\WindowsFirewall\PublicProfile",
        wh.reg({"EnableFirewall": 0}),
    )
    assert gather("firewall", h).enabled["public"] is False


def test_disk_encryption_standard_user_shell_property():
    d = gather("disk_encryption", host())
    assert (d.system_encrypted, d.state, d.method) == (True, "on", "bitlocker")


def test_disk_encryption_suspended_and_data_drive_off():
    d = gather("disk_encryption", host(wh.windows10_en_admin))
    assert (d.system_encrypted, d.state, d.other_volumes_unencrypted) == (False, "suspended", ("D:",))


def test_disk_encryption_device_encryption_waiting():
    d = gather("disk_encryption", host(wh.windows11_en_home_user))
    assert (d.system_encrypted, d.state) == (False, "waiting")


def test_disk_encryption_null_needs_admin():
    with pytest.raises(ProbeError) as info:
        gather("disk_encryption", host(wh.windows10_fr_home_admin))
    assert info.value.reason is Reason.NEEDS_ADMIN and "Get-BitLockerVolume" in note_text(info.value.detail, "en")


def test_disk_encryption_constrained_language():
    with pytest.raises(ProbeError) as info:
        gather("disk_encryption", host(wh.windows11_fr_constrained))
    assert info.value.reason is Reason.NOT_READABLE and "ConstrainedLanguage" in info.value.detail
    with pytest.raises(ProbeError) as info:
        gather("disk_encryption", host(wh.windows11_fr_no_powershell))
    assert info.value.reason is Reason.TOOL_MISSING


def test_screen_lock_effective_minimum():
    s = gather("screen_lock", host())
    assert (s.lock_after_s, s.lock_enabled) == (300, True)  # screensaver 300 s beats sleep 1800 s
    none = gather("screen_lock", host(wh.windows10_en_admin))  # no SCRNSAVE.EXE, never sleeps
    assert (none.lock_after_s, none.lock_enabled) == (0, False)


def test_screen_lock_policy_and_inactivity_limit():
    h = with_registry(
        host(wh.windows10_en_admin),
        r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System",
        wh.reg({"EnableLUA": 1, "InactivityTimeoutSecs": 600}),
    )
    assert gather("screen_lock", h).lock_after_s == 600
    h = with_registry(
        host(wh.windows10_en_admin),
        r"HKCU\Software\Policies\Microsoft\Windows\Control Panel\Desktop",
        wh.reg(
            {
                "ScreenSaveActive": "1",
                "ScreenSaverIsSecure": "1",
                "ScreenSaveTimeOut": "120",
                "SCRNSAVE.EXE": "scrnsave.scr",
            }
        ),
    )
    assert gather("screen_lock", h).lock_after_s == 120


def test_screen_lock_sleep_without_powershell_is_unknown():
    h = with_registry(host(wh.windows11_fr_no_powershell), r"HKCU\Control Panel\Desktop", wh.reg({}))
    s = gather("screen_lock", h)
    assert s.lock_after_s is None and s.lock_enabled is None


def test_backups_onedrive_is_sync_and_file_history_dated():
    b = gather("backups", host())
    tools = {t.name: t for t in b.tools}
    assert tools["OneDrive"].sync_only and tools["OneDrive"].target == "Desktop, Personal"
    assert tools["File History"].configured
    assert tools["File History"].last_success == datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def test_backups_agent_and_system_image_as_admin():
    b = gather("backups", host(wh.windows10_en_admin))
    tools = {t.name: t for t in b.tools}
    assert tools["Veeam Agent"].configured is True
    assert tools["Windows Backup (system image)"].last_success == datetime(2026, 10, 1, 21, 0, tzinfo=UTC)
    assert "OneDrive" not in tools


def test_backups_nothing_found():
    b = gather("backups", host(wh.windows10_fr_home_admin))
    assert b.tools == () and "File History" in b.searched
    assert "windows_wbadmin_needs_admin" in b.notes


def test_exposed_services_extras():
    e = gather("exposed_services", host(wh.windows10_en_admin))
    assert (e.rdp_enabled, e.rdp_nla, e.smb1_enabled, e.ssh_server) == (True, False, True, False)
    assert ("0.0.0.0", 3389, "tcp", "svchost.exe") in e.listeners
    assert all(not ip.startswith("127.") for ip, *_ in e.listeners)
    assert e.remote_tools == ("AnyDesk",)
    ok = gather("exposed_services", host())
    assert (ok.rdp_enabled, ok.rdp_nla, ok.smb1_enabled) == (False, True, False)


def test_rdp_policy_overrides_local_setting():
    h = with_registry(
        host(),
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services",
        wh.reg({"fDenyTSConnections": 0, "UserAuthentication": 0}),
    )
    e = gather("exposed_services", h)
    assert (e.rdp_enabled, e.rdp_nla) == (True, False)


def test_exposed_services_registry_denied():
    h = with_registry(host(), r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server", {"error": "denied"})
    e = gather("exposed_services", h)
    assert e.rdp_enabled is None and any("RDP" in n for n in e.notes)


def test_remote_tools_installed_autostart_running():
    tools = {t.name: t for t in gather("remote_tools", host()).tools}
    assert tools["TeamViewer"].autostart is True and tools["TeamViewer"].running is True
    portable = host(processes=[{"pid": 9, "name": "AnyDesk.exe"}])
    tools = {t.name: t for t in gather("remote_tools", portable).tools}
    assert tools["AnyDesk"].installed is False and tools["AnyDesk"].running is True


def test_autorun_hklm_wins():
    a = gather("autorun", host())
    assert a.no_drive_type_autorun == 0xFF
    h = with_registry(
        host(wh.windows11_en_home_user),
        r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\Explorer",
        wh.reg({"NoDriveTypeAutoRun": 0xFF, "NoAutorun": 1}),
    )
    a = gather("autorun", h)
    assert a.no_drive_type_autorun == 0xFF and a.no_autorun is True


def test_secure_boot_states():
    assert gather("secure_boot", host()).enabled is True
    off = gather("secure_boot", host(wh.windows10_en_admin))
    assert (off.uefi, off.enabled) == (True, False)
    legacy = gather("secure_boot", host(wh.windows10_fr_home_admin))
    assert (legacy.uefi, legacy.enabled, legacy.virtual_machine) == (False, False, False)
    vm = with_registry(
        host(),
        r"HKLM\HARDWARE\DESCRIPTION\System\BIOS",
        wh.reg({"SystemManufacturer": "QEMU", "SystemProductName": "Standard PC (Q35 + ICH9, 2009)"}),
    )
    assert gather("secure_boot", vm).virtual_machine is True


def test_secure_boot_denied_is_not_legacy():
    h = with_registry(host(), r"HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot\State", {"error": "denied"})
    with pytest.raises(AccessDenied):
        gather("secure_boot", h)


def test_powershell_garbage_keeps_registry_facts():
    h = with_ps_output(host(), returncode=0, stdout="Ã©Ã© ???\r\n")
    assert gather("autologin", h).enabled is False
    assert gather("secure_boot", h).enabled is True
    with pytest.raises(ProbeError) as info:
        gather("local_accounts", h)
    assert info.value.reason is Reason.UNEXPECTED_OUTPUT


def test_elevated_run_reads_admin_only_facts():
    h = host(wh.windows11_en_pro_admin)
    p = gather("password_policy", h)
    assert (p.min_length, p.lockout_threshold, p.complexity) == (14, 10, True)
    d = gather("disk_encryption", h)
    assert (d.system_encrypted, d.state, d.other_volumes_unencrypted) == (True, "on", ())
    tools = {t.name: t for t in gather("backups", h).tools}
    assert tools["Windows Backup (system image)"].last_success == datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
    a = gather("autorun", h)
    assert (a.no_drive_type_autorun, a.no_autorun, a.autoplay_disabled) == (0xFF, True, True)
    assert gather("screen_lock", h).lock_after_s == 300


def test_french_update_titles_read_by_kb_not_words():
    u = gather("updates", host(wh.windows10_fr_pro_user))
    assert u.last_install == datetime(2026, 10, 14, 2, 0, tzinfo=UTC)


def test_password_policy_on_a_domain_member_says_so():
    p = gather("password_policy", host(ps_computer=[{"part_of_domain": True}]))
    assert "windows_domain_joined" in p.notes
    assert "windows_domain_joined" not in gather("password_policy", host()).notes
