"""Windows verdicts on outputs people published (tests/fixtures/real/windows/).

Each capture is read as published; the helpers of tests/support/real_windows.py only
change its shape (Format-List text -> the JSON sections of batch.ps1) so that it
replays through RecordedHost like a machine would answer. Where one capture
alone does not hold every fact a verdict needs, the test says which real parts
it puts together.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clinicguard.core.errors import ParseError
from clinicguard.core.model import Reason, Status
from clinicguard.engine.runner import run_assessment
from clinicguard.probes import provider
from clinicguard.probes.windows import ps, text
from clinicguard.probes.windows.decode import decode_product_state
from clinicguard.probes.windows.security_center import is_microsoft_defender
from tests.support import real_windows as rw
from tests.support.windows_support import host

THIS_FILE = Path(__file__).read_text(encoding="utf-8")


def gather(fact: str, h):  # type: ignore[no-untyped-def]
    return provider(fact, "windows")(h)


def verdict(check_id: str, h):  # type: ignore[no-untyped-def]
    (result,) = run_assessment(h, check_ids=[check_id], check_timeout=10).results
    return result


def evidence(result, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.value for e in result.evidence if e.label == label]


# ------------------------------------------------------------------ the corpus itself


def captures() -> list[Path]:
    return sorted(p for p in rw.REAL_WINDOWS.iterdir() if not p.name.endswith(".source.toml"))


def test_the_windows_corpus_holds_at_least_twenty_real_captures():
    real = [p for p in captures() if rw.sidecar(p)["hand_written"] is False]
    assert len(real) >= 20


@pytest.mark.parametrize("path", captures(), ids=lambda p: p.name)
def test_every_capture_has_its_provenance_and_a_test(path):
    meta = rw.sidecar(path)
    assert set(meta) == rw.SIDECAR_KEYS
    assert meta["url"].startswith("https://") and meta["title"] and meta["os"] and meta["changes"]
    assert meta["language"] in ("en", "fr", "zh", "ru", "nl", "ko")
    assert meta["checks"] and all(re.fullmatch(r"[a-z]+\.[a-z_]+", c) for c in meta["checks"])
    assert isinstance(meta["hand_written"], bool)
    # Named by a test below (the corpus holds no capture nobody reads).
    assert f'"{path.name}"' in THIS_FILE


def test_hand_written_windows_hosts_are_marked_as_such():
    hosts = Path(rw.REAL_WINDOWS).parents[1] / "hosts"
    for recording in hosts.glob("windows*.json"):
        meta = rw.sidecar(recording)
        assert meta["hand_written"] is True and set(meta) == rw.SIDECAR_KEYS, recording.name


# ------------------------------------------------------------------ Security Center
# Security Center identity: Defender by its GUID or signed executables, never by name.

IDENTITY = [
    ("av-bitdefender-defender-win10pro.txt", {"Bitdefender Antivirus": False, "Windows Defender": True}),
    ("av-bitdefender-defender-thm.txt", {"Bitdefender Antivirus": False, "Windows Defender": True}),
    ("av-huorong-defender-win11-zh.txt", {"火绒安全软件": False, "Windows Defender": True}),
    ("av-huorong-defender-reporting-exe-only-zh.txt", {"火绒安全软件": False, "Windows Defender": True}),
    ("av-defender-metasploit-win10-20h2.txt", {"Windows Defender": True}),
    ("av-defender-meterpreter-win10-2023.txt", {"Windows Defender": True}),
    ("av-defender-wmic-list-zh.txt", {"Windows Defender": True}),
]


@pytest.mark.parametrize(("name", "expected"), IDENTITY, ids=[i[0] for i in IDENTITY])
def test_defender_told_apart_by_identity_not_name(name, expected):
    found = {item["name"]: is_microsoft_defender(item) for item in rw.av_section(rw.text(name))}
    assert found == expected


def test_defender_identity_from_the_guid_alone():
    # fusioninventory reports the Security Center GUIDs of both products; F-Secure's listing stops
    # before its executables, Defender's GUID alone identifies it.
    raw = rw.text("av-fsecure-defender-fusioninventory.txt")
    guids = dict(re.findall(r"<GUID>(\{[^}]+\})</GUID>\s*<NAME>([^<]+)</NAME>", raw))
    assert {name: is_microsoft_defender({"guid": g}) for g, name in guids.items()} == {
        "F-Secure Client Security 12.00": False,
        "Windows Defender": True,
    }
    (fsecure,) = rw.av_section(raw)
    assert is_microsoft_defender(fsecure) is False


def test_an_entry_without_identity_is_not_called_defender_by_its_name():
    assert is_microsoft_defender({"name": "Windows Defender"}) is None
    assert (
        is_microsoft_defender({"name": "Bitdefender Antivirus", "guid": "{BAF124F4-FA00-8560-3FDE-6C380446AEFB}"})
        is False
    )


@pytest.mark.parametrize(
    ("name", "product", "state", "on", "current"),
    [
        ("av-bitdefender-defender-win10pro.txt", "Bitdefender Antivirus", 266240, True, True),
        ("av-bitdefender-defender-thm.txt", "Bitdefender Antivirus", 266240, True, True),
        ("av-huorong-defender-win11-zh.txt", "火绒安全软件", 266240, True, True),
        ("av-huorong-defender-win11-zh.txt", "Windows Defender", 393472, False, True),
        ("av-defender-wmic-list-zh.txt", "Windows Defender", 397568, True, True),
        ("av-defender-meterpreter-win10-2023.txt", "Windows Defender", 397568, True, True),
    ],
)
def test_product_state_of_published_products(name, product, state, on, current):
    (item,) = [i for i in rw.av_section(rw.text(name)) if i["name"] == product]
    assert item["state"] == state
    decoded = decode_product_state(state)
    assert (decoded.enabled, decoded.up_to_date) == (on, current)


# Get-MpComputerStatus of a Defender that a third-party antivirus stopped (real: Sophia Script #605).
DEFENDER_NOT_RUNNING = "mpstatus-defender-not-running-kaspersky.txt"


def test_bitdefender_active_with_defender_passive_is_green():
    """Bitdefender on (266240), Defender off in Security Center and not real-time (THM capture).

    The THM room publishes only RealTimeProtectionEnabled=False of Get-MpComputerStatus; the
    other fields are the ones a passive Defender gives. Before, "Bitdefender" contained
    "defender" and took Defender's values: red "real-time protection is off".
    """
    mp = {
        "mode": "Passive Mode",
        "service": True,
        "antivirus": True,
        "realtime": False,
        "tamper": False,
        "signature_age": 0,
        "outdated": False,
    }
    h = host(ps_av_products=rw.av_section(rw.text("av-bitdefender-defender-thm.txt")), ps_defender=[mp])
    result = verdict("malware.antivirus", h)
    assert (result.status, result.summary_key, result.params["product"]) == (
        Status.PASS,
        "active_ok",
        "Bitdefender Antivirus",
    )


@pytest.mark.parametrize("name", ["av-bitdefender-defender-win10pro.txt", "av-huorong-defender-win11-zh.txt"])
def test_third_party_active_with_defender_stopped_is_green(name):
    # The real Get-MpComputerStatus of a Defender stopped by another antivirus (Sophia Script #605).
    mp = rw.defender_section(rw.text(DEFENDER_NOT_RUNNING))
    av = gather("antivirus", host(ps_av_products=rw.av_section(rw.text(name)), ps_defender=[mp]))
    by_name = {p.name: p for p in av.products}
    assert by_name["Windows Defender"].enabled is False
    third = next(p for n, p in by_name.items() if n != "Windows Defender")
    assert (third.enabled, third.realtime, third.up_to_date, third.passive) == (True, True, True, False)
    result = verdict("malware.antivirus", host(ps_av_products=rw.av_section(rw.text(name)), ps_defender=[mp]))
    assert result.status is Status.PASS and result.params["product"] == third.name


def test_bitdefender_firewall_is_not_dropped():
    # FirewallProduct entry of Bitdefender, identity as its antivirus entry publishes it.
    (bd,) = [i for i in rw.av_section(rw.text("av-bitdefender-defender-win10pro.txt")) if i["name"].startswith("Bit")]
    fw_product = {**bd, "name": "Bitdefender Firewall"}
    off = [{"name": p, "enabled": "False", "inbound": "NotConfigured"} for p in ("Domain", "Private", "Public")]
    fw = gather("firewall", host(ps_fw_products=[fw_product], ps_firewall=off))
    assert fw.enabled.get("Bitdefender Firewall") is True
    result = verdict("network.firewall", host(ps_fw_products=[fw_product], ps_firewall=off))
    assert (result.status, result.params.get("product")) == (Status.PASS, "Bitdefender Firewall")


# ------------------------------------------------------------------ Defender stopped, Security Center unreadable


def test_stopped_defender_never_says_signatures_up_to_date():
    mp = rw.defender_section(rw.text(DEFENDER_NOT_RUNNING))
    assert (mp["mode"], mp["signature_age"], mp["outdated"]) == ("Not running", 65535, False)
    av = gather("antivirus", host(ps_av_products=[], ps_defender=[mp]))
    (defender,) = av.products
    assert (defender.enabled, defender.signature_age_days, defender.up_to_date) == (False, None, None)
    result = verdict("malware.antivirus", host(ps_av_products=[], ps_defender=[mp]))
    assert evidence(result, "signatures_up_to_date") == []


def test_defender_stopped_and_security_center_unreadable_is_grey():
    """Windows Server: no SecurityCenter2 (glpi-agent #565, French) and Defender not running (Sophia #605).

    Both parts are real, from two machines: together they are the Windows Server case of the
    issue, which was red "no antivirus" although another product may protect the server.
    """
    error = rw.wsc_error(rw.text("mpstatus-server-fr-glpi-565.txt"))
    assert error["error"] == "Espace de noms non valide"
    assert ps.section_reason(error["error"]) is Reason.UNSUPPORTED
    mp = rw.defender_section(rw.text(DEFENDER_NOT_RUNNING))
    result = verdict("malware.antivirus", host(ps_av_products=[error], ps_defender=[mp]))
    assert (result.status, result.summary_key, result.reason) == (Status.UNKNOWN, "others_unknown", Reason.UNSUPPORTED)


@pytest.mark.parametrize(
    ("name", "days"), [("mpstatus-server2022-azure-glpi-868.txt", 0), ("mpstatus-server-fr-glpi-565.txt", 2)]
)
def test_server_without_security_center_but_defender_running_is_green(name, days):
    raw = rw.text(name)
    mp = rw.defender_section(raw)
    assert (mp["mode"], mp["service"], mp["antivirus"], mp["signature_age"]) == ("Normal", True, True, days)
    result = verdict("malware.antivirus", host(ps_av_products=[rw.wsc_error(raw)], ps_defender=[mp]))
    assert (result.status, result.summary_key, result.params["days"]) == (Status.PASS, "active_ok_days", days)


# ------------------------------------------------------------------ firewall


@pytest.mark.parametrize("name", ["fw-all-profiles-off-nl.txt", "fw-all-profiles-off-zh.txt"])
def test_every_profile_off_does_not_claim_inbound_blocked(name):
    profiles = rw.firewall_section(rw.text(name))
    assert [(p["name"], p["enabled"], p["inbound"]) for p in profiles] == [
        (n, "False", "NotConfigured") for n in ("Domain", "Private", "Public")
    ]
    h = host(ps_firewall=profiles)
    assert gather("firewall", h).default_inbound_block is False
    result = verdict("network.firewall", host(ps_firewall=profiles))
    assert result.status is Status.FAIL and result.summary_key.startswith("profile_off")
    assert evidence(result, "inbound_blocked") == ["no"]


@pytest.mark.parametrize("name", ["fw-domain-profile-on-fr.txt", "fw-public-profile-on-ko.txt"])
def test_profile_on_with_not_configured_inbound_blocks_by_default(name):
    (profile,) = rw.firewall_section(rw.text(name))
    assert (profile["enabled"], profile["inbound"]) == ("True", "NotConfigured")
    on = [{"name": n, "enabled": "True", "inbound": profile["inbound"]} for n in ("Domain", "Private", "Public")]
    assert gather("firewall", host(ps_firewall=on)).default_inbound_block is True


def test_not_configured_follows_an_allow_stored_in_the_registry():
    from tests.support.windows_support import with_registry

    (profile,) = rw.firewall_section(rw.text("fw-public-profile-on-ko.txt"))
    on = [{"name": n, "enabled": "True", "inbound": profile["inbound"]} for n in ("Domain", "Private", "Public")]
    key = r"HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\PublicProfile"
    h = with_registry(host(ps_firewall=on), key, {"values": {"EnableFirewall": 1, "DefaultInboundAction": 0}})
    assert gather("firewall", h).default_inbound_block is False


# ------------------------------------------------------------------ password policy (net accounts)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("net-accounts-en-workstation-pen200.txt", (7, 5, 42)),
        ("net-accounts-en-server-htb.txt", (8, 5, None)),
        ("net-accounts-en-domain-thm.txt", (0, 0, None)),
        ("net-accounts-en-no-lockout-htb.txt", (0, 0, 42)),
    ],
)
def test_net_accounts_english_as_published(name, expected):
    parsed = text.parse_net_accounts(rw.text(name))
    assert (parsed.language, parsed.min_length, parsed.lockout, parsed.max_age_days) == ("en", *expected)


def test_net_accounts_in_chinese_is_unknown_not_a_guess():
    with pytest.raises(ParseError):
        text.parse_net_accounts(rw.text("net-accounts-zh.txt"))


# ------------------------------------------------------------------ last OS update (Windows Update history)


def history(name: str) -> list[dict]:
    import json

    return json.loads(rw.text(name))


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("9WZDNCRFHVN5-MICROSOFT.WINDOWSCALCULATOR", "store"),
        ("ApplicationSet-9WZDNCRFJ3Q2-Microsoft.BingWeather", "store"),
        (
            "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.459.505.0)",
            "definitions",
        ),
        (
            "Update for Microsoft Defender Antivirus antimalware platform - KB4052623 (Version 4.18.26080.4)",
            "definitions",
        ),
        ("Windows Malicious Software Removal Tool x64 - v5.136 (KB890830)", "definitions"),
        ("Advanced Micro Devices, Inc. - Display - 31.0.14000.58004", "driver"),
        ("Intel - System - 10.1.1.44", "driver"),
        ("2026-11 .NET Framework 3.5 and 4.8.1 Security Update for Windows 11 (KB5070001)", "dotnet"),
        ("Mise à jour cumulative 2026-11 de .NET Framework 3.5 et 4.8.1 pour Windows 10 (KB5070002)", "dotnet"),
        ("2026-08 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5063878)", "os_quality"),
        ("2026-08 Mise à jour cumulative pour Windows 10 Version 22H2 pour les systèmes x64 (KB5063709)", "os_quality"),
        ("2026-09 Security Update (KB5129195) (26200.9457)", "os_quality"),
        ("Mise à jour de sécurité pour Windows (KB5012170)", "os_quality"),
        ("2024-10 Security Monthly Quality Rollup for Windows Server 2012 R2 (KB5044343)", "os_quality"),
        ("Security Update for Microsoft Office 2016 (KB5002623) 64-Bit Edition", "other"),
        ("Feature update to Windows 11, version 24H2", "feature"),
        ("Windows 11, version 25H2", "other"),
    ],
)
def test_update_kinds(title, kind):
    from clinicguard.probes.windows.update_kinds import classify

    assert classify(title).value == kind


def test_store_service_id_wins_over_the_title():
    from clinicguard.probes.windows.update_kinds import classify

    assert (
        classify("2026-09 Cumulative Update for Windows 11 (KB5099999)", "{855E8A7C-ECB4-4CA3-B045-1DFA50104289}").value
        == "store"
    )


@pytest.mark.parametrize(
    ("name", "title"),
    [
        (
            "wu-history-en-real-shaped.json",
            "2026-08 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5063878)",
        ),
        (
            "wu-history-fr-real-shaped.json",
            "2026-08 Mise à jour cumulative pour Windows 10 Version 22H2 pour les systèmes x64 (KB5063709)",
        ),
    ],
)
def test_store_driver_and_definitions_do_not_reset_the_clock(name, title):
    """A Store app and signatures today, the last OS update 87 days ago, its successor pending: red.

    Before, the Store app counted: green "updated today", amber at most with the update pending.
    """
    pending = [
        {
            "title": "2026-11 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5068861)",
            "severity": "Critical",
            "categories": ["0fa1201d-4330-4fa8-8ae9-b877473b6441"],
        }
    ]
    h = host(ps_wu_history=history(name), ps_wu_pending=pending)
    facts = gather("updates", h)
    assert (facts.last_install.date().isoformat(), facts.last_install_title) == ("2026-09-02", title)
    result = verdict("updates.pending", host(ps_wu_history=history(name), ps_wu_pending=pending))
    assert (result.status, result.summary_key, result.params["days"]) == (Status.FAIL, "security_overdue_install", 87)
    assert evidence(result, "last_update_name") == [title]


def test_history_without_any_os_update_says_so():
    only_apps = [e for e in history("wu-history-en-real-shaped.json") if "Cumulative" not in e["title"]]
    facts = gather("updates", host(ps_wu_history=only_apps, ps_wu_pending=[]))
    assert facts.last_install is None and "pending: windows_no_os_update_in_history" in facts.notes


# ------------------------------------------------------------------ BitLocker (Get-BitLockerVolume)


def test_encrypted_drive_with_protection_off_is_red_not_green():
    """Fully encrypted, protection off: the key sits in the clear on the disk (Intune #77).

    The standard-user shell property is unreadable here (None), the elevated Get-BitLockerVolume
    gives the answer; the drive is encrypted but does not protect anything.
    """
    (vol,) = rw.objects(rw.text("bitlocker-volume-protection-off-intune.txt"), "MountPoint")
    admin = [
        {
            "drive": vol["MountPoint"],
            "volume_status": vol["VolumeStatus"],
            "protection": vol["ProtectionStatus"],
            "percent": float(vol["EncryptionPercentage"]),
        }
    ]
    assert admin[0]["volume_status"] == "FullyEncrypted" and admin[0]["protection"] == "Off"
    h = host(ps_bitlocker=[{"drive": "C:", "protection": None}], ps_bitlocker_admin=admin)
    facts = gather("disk_encryption", h)
    assert (facts.system_encrypted, facts.state) == (False, "suspended")
    result = verdict(
        "data.disk_encryption", host(ps_bitlocker=[{"drive": "C:", "protection": None}], ps_bitlocker_admin=admin)
    )
    assert (result.status, result.summary_key) == (Status.FAIL, "state_suspended")
    assert evidence(result, "system_encrypted") == ["no"]


# ------------------------------------------------------------------ whoami /groups in French (table as published)


def with_whoami(h, raw: str):  # type: ignore[no-untyped-def]
    """The recorded host answering `whoami /groups /fo csv /nh` with a published table, in the OEM code page.

    cp850 has no U+2019: the console writes "?" for it, as encode(errors="replace") does here."""
    import base64
    import json

    data = json.loads(json.dumps(h.data))
    (cmd,) = [c for c in data["commands"] if c.get("argv") == ["whoami", "/groups", "/fo", "csv", "/nh"]]
    cmd["stdout_b64"] = base64.b64encode(rw.whoami_csv(raw).encode("cp850", errors="replace")).decode()
    return type(h)(data)


@pytest.mark.parametrize(
    ("name", "admin"),
    [("whoami-groups-fr-domain-user.txt", False), ("whoami-groups-fr-system-server2019.txt", True)],
)
def test_whoami_groups_in_french_reads_the_sid_column(name, admin):
    raw = rw.text(name)
    rows = rw.table_rows(raw)
    assert rows[0][0] in ("Tout le monde", "BUILTIN\\Administrateurs")
    sids = text.parse_whoami_groups(rw.whoami_csv(raw))
    assert ("S-1-5-32-544" in sids) is admin
    assert "S-1-1-0" in sids and all(text.SID_RE.match(s) for s in sids)


def test_domain_user_of_a_french_client_is_not_an_administrator():
    """Real whoami table of a domain user (member of a GG- group, BUILTIN\\Utilisateurs only)."""
    from tests.fixtures import windows_hosts as wh

    h = with_whoami(host(wh.windows11_fr_user), rw.text("whoami-groups-fr-domain-user.txt"))
    rights = gather("admin_rights", h)
    assert rights.user_is_admin is False and "whoami /groups" in rights.sources


def test_french_token_with_the_administrators_sid_is_an_administrator():
    from tests.fixtures import windows_hosts as wh

    h = with_whoami(host(wh.windows11_fr_user), rw.text("whoami-groups-fr-system-server2019.txt"))
    assert gather("admin_rights", h).user_is_admin is True


# ------------------------------------------------------------------ a real Get-WUHistory (Windows Server 2016)


def test_real_history_picks_the_cumulative_update_not_sql_msrt_or_servicing_stack():
    """Same day: servicing stack, cumulative update, a SQL Server security update and MSRT (PSWindowsUpdate #41).

    Only the cumulative update is an OS quality update; the SQL Server "Security Update" is an
    application's, the MSRT a definitions-like tool, the servicing stack no security fix by itself.
    """
    from clinicguard.probes.windows.update_kinds import classify

    entries = rw.wu_history(rw.text("wu-history-en-server2016-pswindowsupdate.txt"))
    assert [classify(e["title"]).value for e in entries] == ["other", "os_quality", "other", "definitions"]
    facts = gather("updates", host(ps_wu_history=entries, ps_wu_pending=[]))
    assert facts.last_install.date().isoformat() == "2024-09-11"
    assert facts.last_install_title == (
        "2024-09 Cumulative Update for Windows Server 2016 for x64-based Systems (KB5043051)"
    )


def test_history_without_its_cumulative_update_has_no_os_update():
    entries = [
        e
        for e in rw.wu_history(rw.text("wu-history-en-server2016-pswindowsupdate.txt"))
        if "Cumulative" not in e["title"]
    ]
    facts = gather("updates", host(ps_wu_history=entries, ps_wu_pending=[]))
    assert facts.last_install is None and "pending: windows_no_os_update_in_history" in facts.notes


# ------------------------------------------------------------------ administrators evidence


def test_admin_through_a_group_is_listed_not_none():
    """whoami shows the Administrators SID, the member list names only the disabled built-in account.

    Real-shaped (hand-written fixture): the rights come through a domain or Entra ID group. The
    evidence said "Compte administrateur : oui" beside "Administrateurs du poste : aucun".
    """
    from tests.fixtures import windows_hosts as wh

    only_builtin = [{"name": "POSTE\\Administrateur", "sid": f"{wh.MACHINE}-500", "class": "User"}]
    h = host(wh.windows10_fr_home_admin, ps_admins=only_builtin)
    rights = gather("admin_rights", h)
    assert rights.user_is_admin is True and rights.admins == ("directrice",)
    result = verdict("access.admin_user", host(wh.windows10_fr_home_admin, ps_admins=only_builtin))
    assert evidence(result, "admins") == ["directrice"]
    assert "windows_admin_through_group" in evidence(result, "technical_note")
