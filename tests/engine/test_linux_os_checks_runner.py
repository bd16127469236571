"""The updates, antivirus, firewall and backup checks run end to end on recorded Linux machines."""

from __future__ import annotations

from clinicguard.core.model import Reason, Status
from clinicguard.engine.runner import run_assessment
from tests.support.linux_hosts import cmd, debian12, fedora40, fixture, host, ubuntu2404

IDS = (
    "updates.os_support",
    "updates.pending",
    "updates.automatic",
    "updates.reboot",
    "malware.antivirus",
    "network.firewall",
    "backups.backup",
)


def run(h):
    assessment = run_assessment(h, check_ids=IDS, check_timeout=10)
    return {r.check_id: r for r in assessment.results}


def test_debian12_workstation():
    r = run(host(debian12()))
    assert set(r) == set(IDS)
    assert (r["updates.os_support"].status, r["updates.os_support"].summary_key) == (Status.WARN, "debian_lts")
    # The real history holds only "apt-get install TOOL" runs: 87 security updates wait and the
    # system was not upgraded since the history began (issue 11, item 3), not "amber, installed today".
    assert (r["updates.pending"].status, r["updates.pending"].summary_key) == (
        Status.FAIL,
        "security_overdue_no_upgrade",
    )
    assert r["updates.pending"].params == {"security": 87, "days": 191, "since_date": "2026-05-20"}
    assert r["updates.automatic"].status is Status.FAIL
    assert r["updates.reboot"].status is Status.PASS
    # No antivirus and updates not automatic: the "kept up to date" condition fails (item 4).
    assert (r["malware.antivirus"].status, r["malware.antivirus"].summary_key) == (
        Status.WARN,
        "linux_none_manual_updates",
    )
    fw = r["network.firewall"]
    assert (fw.status, fw.reason) == (Status.UNKNOWN, Reason.NEEDS_ADMIN)
    assert (r["backups.backup"].status, r["backups.backup"].summary_key) == (Status.FAIL, "none_found")


def test_ubuntu_2404_workstation_with_ufw_and_deja_dup():
    parts = ubuntu2404(
        files={
            "/etc/ufw/ufw.conf": {"text": fixture("firewall/ufw.conf")},
            "/etc/default/ufw": {"text": fixture("firewall/default_ufw")},
        },
        commands=[
            cmd(["gsettings", "list-recursively", "org.gnome.DejaDup"], fixture("backups/dejadup_gsettings.txt"))
        ],
    )
    r = run(host(parts))
    assert r["updates.os_support"].status is Status.PASS
    assert r["updates.pending"].summary_key == "security_pending"
    assert r["updates.automatic"].status is Status.PASS
    assert (r["updates.reboot"].status, r["updates.reboot"].params["days"]) == (Status.WARN, 8)
    assert r["network.firewall"].status is Status.PASS
    assert (r["backups.backup"].status, r["backups.backup"].params["tool"]) == (Status.PASS, "Déjà Dup")


def test_fedora_40_workstation():
    files = {
        "/etc/firewalld/firewalld.conf": {"text": fixture("fedora/firewalld.conf")},
        "/usr/lib/firewalld/zones/FedoraWorkstation.xml": {"text": fixture("fedora/FedoraWorkstation.xml")},
    }
    parts = fedora40(files=files, commands=[cmd(["firewall-cmd", "--state"], "running\n")])
    r = run(host(parts))
    assert (r["updates.os_support"].status, r["updates.os_support"].summary_key) == (Status.FAIL, "past_eol")
    assert r["updates.pending"].status is Status.WARN  # 5 security updates, last install 8 days ago
    assert r["updates.automatic"].status is Status.PASS
    assert r["updates.reboot"].status is Status.WARN
    assert (r["network.firewall"].status, r["network.firewall"].summary_key) == (Status.WARN, "permissive_zone")


def test_machine_that_answers_nothing_is_grey_not_green():
    r = run(host({"files": {}, "commands": [], "processes": {"error": "denied"}}))
    assert r["updates.pending"].status is Status.UNKNOWN
    assert r["updates.pending"].reason is Reason.UNSUPPORTED
    assert r["updates.os_support"].status is Status.UNKNOWN
    assert r["network.firewall"].status is Status.UNKNOWN
    assert all(res.status is not Status.PASS for res in r.values())
