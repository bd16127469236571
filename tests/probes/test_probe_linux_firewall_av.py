"""Linux "firewall" and "antivirus" probes: parsers and RecordedHost machines, with faults."""

from __future__ import annotations

import base64

import pytest

from clinicguard.probes.linux import antivirus as avp
from clinicguard.probes.linux import firewall as fwp
from tests.support.linux_hosts import LINUX, ago, cmd, err, fixture, fixture_b64, host, root_user, utc

# -- firewall parsers ---------------------------------------------------------------------


def test_ufw_status_parsing():
    assert fwp.parse_ufw_status(fixture("firewall/ufw_status_verbose.txt")) == (True, True)
    assert fwp.parse_ufw_status(fixture("firewall/ufw_status_inactive.txt")) == (False, None)
    assert fwp.parse_ufw_status(fixture("firewall/ufw_not_root.txt")) == (None, None)
    assert fwp.parse_ufw_status("Status: active\nDefault: allow (incoming), allow (outgoing)\n") == (True, False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fedora/nft_ruleset_firewalld.txt", (True, True)),
        ("firewall/nft_ruleset_ufw.txt", (True, True)),
        ("firewall/nft_ruleset_empty.txt", (False, False)),
        ("firewall/nft_ruleset_accept.txt", (True, False)),
    ],
)
def test_nft_ruleset_parsing(name, expected):
    assert fwp.parse_nft_ruleset(fixture(name)) == expected


def test_nft_garbage():
    assert fwp.parse_nft_ruleset("chain {\n\x00\xff\nnot closed") == (False, False)


def test_iptables_parsing():
    assert fwp.parse_iptables_rules(fixture("firewall/iptables_S_ufw.txt")) == (True, True)
    assert fwp.parse_iptables_rules(fixture("firewall/iptables_S_empty.txt")) == (True, False)
    assert fwp.parse_iptables_rules("-P INPUT ACCEPT\n-A INPUT -j REJECT\n") == (True, True)
    assert fwp.parse_iptables_rules("") == (False, False)


# -- firewall probe -----------------------------------------------------------------------

UFW_FILES = {
    "/etc/ufw/ufw.conf": {"text": fixture("firewall/ufw.conf")},
    "/etc/default/ufw": {"text": fixture("firewall/default_ufw")},
}
FIREWALLD_FILES = {
    "/etc/firewalld/firewalld.conf": {"text": fixture("fedora/firewalld.conf")},
    "/usr/lib/firewalld/zones/FedoraWorkstation.xml": {"text": fixture("fedora/FedoraWorkstation.xml")},
    "/usr/lib/firewalld/zones/public.xml": {"text": fixture("fedora/public.xml")},
    "/usr/lib/firewalld/zones/trusted.xml": {"text": fixture("fedora/trusted.xml")},
}
STATE = ["firewall-cmd", "--state"]


def test_ubuntu_ufw_enabled_as_user():
    fw = fwp.linux_firewall(host({"files": UFW_FILES, "commands": []}))
    assert fw.enabled == {"ufw": True}
    assert (fw.backend, fw.default_inbound_block, fw.rules_readable) == ("ufw", True, False)


def test_ufw_disabled_in_config():
    files = dict(UFW_FILES, **{"/etc/ufw/ufw.conf": {"text": "ENABLED=no\n"}})
    fw = fwp.linux_firewall(host({"files": files, "commands": []}))
    assert fw.enabled == {"ufw": False}
    assert fw.backend == ""


def test_ufw_status_as_root_overrides_config():
    files = dict(UFW_FILES, **{"/etc/ufw/ufw.conf": {"text": "ENABLED=yes\n"}})
    commands = [
        cmd(["ufw", "status", "verbose"], fixture("firewall/ufw_status_inactive.txt")),
        cmd(["nft", "list", "ruleset"], fixture("firewall/nft_ruleset_accept.txt")),
    ]
    fw = fwp.linux_firewall(host({"files": files, "commands": commands}, user=root_user()))
    assert fw.enabled == {"ufw": False, "nftables": False}
    assert fw.rules_readable


def test_fedora_firewalld_permissive_zone():
    fw = fwp.linux_firewall(host({"files": FIREWALLD_FILES, "commands": [cmd(STATE, "running\n")]}))
    assert fw.enabled == {"firewalld": True}
    assert (fw.backend, fw.permissive_zone) == ("firewalld", True)
    assert any("FedoraWorkstation" in n for n in fw.notes)


@pytest.mark.parametrize(("zone", "permissive"), [("public", False), ("trusted", True), ("home", None)])
def test_firewalld_zones(zone, permissive):
    files = dict(FIREWALLD_FILES, **{"/etc/firewalld/firewalld.conf": {"text": f"DefaultZone={zone}\n"}})
    fw = fwp.linux_firewall(host({"files": files, "commands": [cmd(STATE, "running\n")]}))
    assert fw.permissive_zone is permissive


def test_firewalld_not_running():
    fw = fwp.linux_firewall(host({"files": FIREWALLD_FILES, "commands": [cmd(STATE, "", 252, "not running\n")]}))
    assert fw.enabled == {"firewalld": False}


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (err(STATE, "timeout"), "timed_out"),
        (err(STATE, "denied"), "needs_admin"),
        (cmd(STATE, "\xff\xfe?!", 3), "unexpected_output"),
    ],
)
def test_firewalld_faults(entry, reason):
    fw = fwp.linux_firewall(host({"files": FIREWALLD_FILES, "commands": [entry]}))
    assert fw.enabled == {"firewalld": None}
    assert fw.why_unknown["firewalld"].reason == reason


def test_nothing_installed_as_user_rules_unreadable():
    fw = fwp.linux_firewall(host({"files": {}, "commands": []}))
    assert fw.enabled == {}
    assert fw.rules_readable is False


def test_root_reads_nft_rules():
    commands = [cmd(["nft", "list", "ruleset"], fixture("firewall/nft_ruleset_ufw.txt"))]
    fw = fwp.linux_firewall(host({"files": {}, "commands": commands}, user=root_user()))
    assert fw.enabled == {"nftables": True}
    assert (fw.backend, fw.default_inbound_block, fw.rules_readable) == ("nftables", True, True)


def test_root_nft_not_permitted_falls_back_to_iptables():
    commands = [
        cmd(["nft", "list", "ruleset"], "", 1, fixture("firewall/nft_not_permitted.txt")),
        cmd(["iptables", "-S"], fixture("firewall/iptables_S_ufw.txt")),
    ]
    fw = fwp.linux_firewall(host({"files": {}, "commands": commands}, user=root_user()))
    assert fw.enabled == {"iptables": True}


def test_root_in_container_without_net_admin():
    commands = [
        cmd(["nft", "list", "ruleset"], "", 1, fixture("firewall/nft_not_permitted.txt")),
        err(["iptables", "-S"], "timeout"),
    ]
    fw = fwp.linux_firewall(host({"files": {}, "commands": commands}, user=root_user()))
    assert fw.enabled == {}
    assert fw.rules_readable is False


def test_root_without_any_rule_tool():
    fw = fwp.linux_firewall(host({"files": {}, "commands": []}, user=root_user()))
    assert (fw.enabled, fw.rules_readable) == ({}, True)


def test_nftables_service_config_read_by_user():
    files = {
        "/etc/systemd/system/sysinit.target.wants/nftables.service": {"text": ""},
        "/etc/nftables.conf": {
            "text": "#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {\n  chain input {\n"
            "    type filter hook input priority filter; policy drop;\n"
            "    ct state established,related accept\n  }\n}\n"
        },
    }
    fw = fwp.linux_firewall(host({"files": files, "commands": []}))
    assert fw.enabled == {"nftables": True}


def test_ufw_conf_unreadable_propagates_as_host_error():
    from clinicguard.host import AccessDenied

    with pytest.raises(AccessDenied):
        fwp.linux_firewall(host({"files": {"/etc/ufw/ufw.conf": {"error": "denied"}}, "commands": []}))


# -- antivirus ------------------------------------------------------------------------------


def test_cvd_header():
    built, version = avp.parse_cvd_header((LINUX / "clamav/daily.cld.head").read_bytes())
    assert (built, version) == (utc(2026, 11, 27, 8, 12), 27837)


def test_cvd_header_date_field_when_no_epoch():
    built, version = avp.parse_cvd_header(b"ClamAV-VDB:27 Nov 2026 08-12 +0000:27837:2078421".ljust(512))
    assert (built, version) == (utc(2026, 11, 27, 8, 12), 27837)


@pytest.mark.parametrize("data", [b"", b"\x1f\x8b\x08\x00 gzip", b"ClamAV-VDB:garbage", bytes(range(256)) * 2])
def test_cvd_header_garbage(data):
    assert avp.parse_cvd_header(data)[0] is None


def test_clamscan_version():
    assert avp.parse_clamscan_version(fixture("clamav/clamscan_version.txt")) == (utc(2026, 11, 27, 8, 12), 27837)
    assert avp.parse_clamscan_version("clamscan: command failed\n") == (None, None)
    assert avp.parse_clamscan_version("") == (None, None)


def proc(name: str, exe: str = "") -> dict:
    return {"pid": abs(hash(name)) % 30000 + 2, "name": name, "exe": exe or f"/usr/sbin/{name}"}


CLAM_FILES = {
    "/usr/bin/clamscan": {"text": ""},
    "/var/lib/clamav/daily.cld": {"base64": fixture_b64("clamav/daily.cld.head"), "mtime": ago(0.5)},
}


def test_clamav_daemon_and_fresh_cld():
    parts = {"files": CLAM_FILES, "processes": [proc("clamd"), proc("freshclam", "/usr/bin/freshclam")], "commands": []}
    status = avp.linux_antivirus(host(parts))
    (clam,) = status.products
    assert (clam.name, clam.enabled, clam.realtime) == ("ClamAV", True, False)
    assert round(clam.signature_age_days, 1) == 0.5  # the .cld was patched after its header date
    assert any("27837" in n for n in status.notes)


def test_clamav_cvd_uses_header_date_and_on_access():
    files = {
        "/usr/sbin/clamd": {"text": ""},
        "/var/lib/clamav/daily.cvd": {"base64": fixture_b64("clamav/daily.cvd.head"), "mtime": ago(1)},
    }
    status = avp.linux_antivirus(host({"files": files, "processes": [proc("clamonacc")], "commands": []}))
    (clam,) = status.products
    assert int(clam.signature_age_days) == 57  # built 2026-10-02
    assert (clam.enabled, clam.realtime) == (True, True)


def test_clamav_database_directory_from_config():
    files = {
        "/etc/clamav/freshclam.conf": {"text": "DatabaseOwner clamav\nDatabaseDirectory /srv/clamav\n"},
        "/srv/clamav/daily.cld": {"base64": fixture_b64("clamav/daily.cld.head"), "mtime": ago(10)},
    }
    (clam,) = avp.linux_antivirus(host({"files": files, "processes": [proc("systemd")], "commands": []})).products
    assert int(clam.signature_age_days) == 1
    assert clam.enabled is False


def test_clamav_database_unreadable_uses_clamscan_version():
    files = {"/usr/bin/clamscan": {"text": ""}, "/var/lib/clamav/daily.cld": {"error": "denied"}}
    commands = [cmd(["clamscan", "--version"], fixture("clamav/clamscan_version.txt"))]
    status = avp.linux_antivirus(host({"files": files, "processes": [], "commands": commands}))
    assert int(status.products[0].signature_age_days) == 1


@pytest.mark.parametrize(
    "entry",
    [
        err(["clamscan", "--version"], "timeout"),
        cmd(["clamscan", "--version"], "LibClamAV Error: cli_loaddb(): No supported database files found\n", 2),
        err(["clamscan", "--version"], "missing"),
    ],
)
def test_clamav_age_unknown(entry):
    files = {"/usr/bin/clamscan": {"text": ""}}
    status = avp.linux_antivirus(host({"files": files, "processes": [], "commands": [entry]}))
    assert status.products[0].signature_age_days is None


def test_clamav_garbage_database_falls_back_to_mtime():
    files = {"/var/lib/clamav/daily.cvd": {"base64": base64.b64encode(b"\xff\xfe not a cvd").decode(), "mtime": ago(9)}}
    (clam,) = avp.linux_antivirus(host({"files": files, "processes": [], "commands": []})).products
    assert int(clam.signature_age_days) == 9


def test_commercial_agents_by_process_and_folder():
    parts = {
        "files": {"/opt/eset": {"dir": ["efs"]}},
        "processes": [proc("wdavdaemon", "/opt/microsoft/mdatp/sbin/wdavdaemon")],
        "commands": [],
    }
    products = {p.name: p.enabled for p in avp.linux_antivirus(host(parts)).products}
    assert products == {"Microsoft Defender for Endpoint": True, "ESET": False}


def test_processes_unreadable():
    parts = {"files": CLAM_FILES, "processes": {"error": "denied"}, "commands": []}
    status = avp.linux_antivirus(host(parts))
    assert status.products[0].enabled is None
    assert status.why_unknown["processes"].reason == "needs_admin"


def test_nothing_installed():
    status = avp.linux_antivirus(host({"files": {}, "processes": [proc("systemd", "/usr/lib/systemd/systemd")]}))
    assert status.products == ()
    assert status.why_unknown == {}


def test_empty_process_list_is_not_trusted():
    status = avp.linux_antivirus(host({"files": {}, "processes": []}))
    assert status.products == ()
    assert status.why_unknown["processes"].reason == "not_readable"
