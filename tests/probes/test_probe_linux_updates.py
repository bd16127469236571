"""Linux "updates" probe: apt and dnf parsers on recorded outputs, and the probe through RecordedHost."""

from __future__ import annotations

import base64
import gzip

import pytest

from clinicguard.core.errors import ParseError, ProbeError
from clinicguard.core.model import Reason
from clinicguard.probes.linux import apt, dnf
from clinicguard.probes.linux import updates as up
from tests.support.linux_hosts import (
    APT_CONFIG,
    APT_LIST,
    APT_SIM,
    DNF_ALL,
    DNF_HISTORY,
    DNF_SEC,
    RPM_QA,
    ago,
    cmd,
    debian12,
    err,
    fedora40,
    fixture,
    host,
    root_user,
    ubuntu2404,
    utc,
)

# -- parsers ----------------------------------------------------------------------------


def test_apt_list_debian12_real_output():
    found = apt.parse_apt_list(fixture("debian12/apt_list_upgradable.txt"))
    assert len(found) == 130
    assert sum(u.security for u in found) == 87
    apt_pkg = next(u for u in found if u.name == "apt")
    assert (apt_pkg.new, apt_pkg.old, apt_pkg.origin) == ("2.6.2", "2.6.1", "oldstable-security")


def test_apt_simulation_debian12_real_output_agrees_with_apt_list():
    found = apt.parse_apt_simulation(fixture("debian12/apt_get_s_dist_upgrade.txt"))
    assert len(found) == 130
    assert sum(u.security for u in found) == 87
    names = {u.name for u in apt.parse_apt_list(fixture("debian12/apt_list_upgradable.txt"))}
    assert {u.name for u in found} == names


def test_apt_list_ubuntu_suites():
    found = apt.parse_apt_list(fixture("ubuntu2404/apt_list_upgradable.txt"))
    assert [u.name for u in found if u.security] == ["libssl3t64", "openssl"]
    assert len(found) == 6


def test_apt_simulation_ubuntu_origins():
    found = apt.parse_apt_simulation(fixture("ubuntu2404/apt_get_s_dist_upgrade.txt"))
    assert [(u.name, u.security) for u in found] == [("libssl3t64", True), ("openssl", True), ("snapd", False)]


def test_apt_simulation_new_package_without_old_version():
    text = (
        "0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.\n"
        "Inst linux-image-6.1.0-28-amd64 (6.1.119-1 Debian-Security:12/stable-security [amd64])\n"
    )
    (u,) = apt.parse_apt_simulation(text)
    assert (u.name, u.old, u.security) == ("linux-image-6.1.0-28-amd64", "", True)


def test_apt_nothing_to_do():
    assert apt.parse_apt_list("Listing...\n") == []
    assert apt.parse_apt_list("Listing... Done\n") == []
    assert apt.parse_apt_simulation("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n") == []


@pytest.mark.parametrize("text", ["", "garbage\nmore garbage\n", "\x00\x01\x02", "Listing...\nE: broken cache\n"])
def test_apt_list_garbage_raises(text):
    with pytest.raises(ParseError):
        apt.parse_apt_list(text)


def test_apt_simulation_garbage_raises():
    with pytest.raises(ParseError):
        apt.parse_apt_simulation("E: The package lists or status file could not be parsed or opened.\n")


def test_apt_history_real_debian12():
    runs = apt.parse_apt_history(fixture("debian12/apt_history.log"))
    assert len(runs) == 4
    assert runs[0].upgraded == 0 and runs[0].installed == 1
    assert runs[-1].upgraded == 2
    # Every run is "apt-get install TOOL", which also upgraded TOOL's libraries:
    # none brought the system up to date (issue 11, item 3).
    assert [apt.is_system_upgrade(r) for r in runs] == [False, False, False, False]
    assert apt.last_upgrade(runs) is None
    assert apt.history_start(runs) == utc(2026, 5, 20, 16, 49, 20)


@pytest.mark.parametrize(
    ("commandline", "upgrade"),
    [
        ("", True),  # unattended-upgrades before 1.x
        ("/usr/bin/unattended-upgrade", True),
        ("apt upgrade", True),
        ("apt-get -y dist-upgrade", True),
        ("apt full-upgrade -y", True),
        ("packagekit role='update-packages'", True),
        ("aptdaemon role='role-commit-packages' sender=':1.95'", True),
        ("apt install vlc", False),
        ("apt-get install -y --only-upgrade openssl", False),
        ("aptdaemon role='role-install-packages' sender=':1.95'", False),
    ],
)
def test_which_apt_runs_are_system_upgrades(commandline, upgrade):
    run = apt.AptRun(start=None, end=utc(2026, 11, 1), upgraded=3, installed=0, error=False, commandline=commandline)
    assert apt.is_system_upgrade(run) is upgrade


def test_apt_history_ubuntu_skips_failed_runs_and_installs():
    runs = apt.parse_apt_history(fixture("ubuntu2404/apt_history.log"))
    assert [r.error for r in runs] == [False, False, False, True]
    # 2026-11-25 only installed vlc; 2026-11-26 failed: the last upgrade is 2026-11-20.
    assert apt.last_upgrade(runs) == utc(2026, 11, 20, 6, 39, 55)


def test_apt_history_garbage():
    assert apt.parse_apt_history("random: words\n\x00\xff\nStart-Date: not a date\nUpgrade: x (1, 2)\n") != []
    assert apt.last_upgrade(apt.parse_apt_history("random: words\n")) is None


def test_apt_config_periodic():
    conf = apt.parse_apt_config(fixture("ubuntu2404/apt_config_dump_periodic.txt"))
    assert conf["apt::periodic::unattended-upgrade"] == "1"
    conf = apt.parse_apt_config(fixture("debian12/apt_config_dump.txt"))
    assert "apt::periodic::unattended-upgrade" not in conf
    assert apt.parse_apt_config('// comment\nAPT::Periodic::Enable "0"; // off\n') == {"apt::periodic::enable": "0"}


@pytest.mark.parametrize(
    ("value", "on"), [("1", True), ("always", True), ("1d", True), ("0", False), ("", False), (None, False)]
)
def test_periodic_values(value, on):
    assert apt.periodic_enabled(value) is on


def test_dnf4_check_update_wrapped_names_and_obsoletes():
    found = dnf.parse_dnf_check_update(fixture("fedora/dnf4_check_update.txt"))
    names = [u.name for u in found]
    assert len(found) == 7
    assert "libreoffice-langpack-fr.x86_64" in names
    assert "grub2-tools-efi.x86_64" not in names


def test_dnf5_check_upgrade():
    assert len(dnf.parse_dnf_check_update(fixture("fedora/dnf5_check_upgrade.txt"))) == 3


def test_rpm_install_times():
    times = dnf.parse_rpm_install_times(fixture("fedora/rpm_qa_installtime.txt"))
    assert "gpg-pubkey-a15b79cc-63d04c2c" not in times
    assert max(times.values()) == 1795165200
    with pytest.raises(ParseError):
        dnf.parse_rpm_install_times("rpmdb: BDB0113 Thread/process failed\n")


# -- the probe on recorded machines -----------------------------------------------------


def test_debian12_probe():
    u = up.linux_updates(host(debian12()))
    assert (u.manager, u.pending, u.pending_security) == ("apt", 130, 87)
    assert u.last_install is None  # only "apt-get install" runs in the history
    assert u.no_upgrade_since == utc(2026, 5, 20, 16, 49, 20)
    assert round(u.metadata_age_days, 1) == 2.0  # the security list decides
    assert u.metadata_source.endswith("bookworm-security_InRelease")
    assert u.automatic is False
    assert u.reboot_required is False
    assert u.extended_support is None
    assert "apt list --upgradable" in u.sources
    assert any(n.startswith("automatic:") and "not installed" in n for n in u.notes)


def test_ubuntu_probe():
    u = up.linux_updates(host(ubuntu2404()))
    assert (u.pending, u.pending_security) == (6, 2)
    assert u.last_install == utc(2026, 11, 20, 6, 39, 55)
    assert round(u.metadata_age_days, 1) == 0.5  # update-success-stamp
    assert u.automatic is True
    assert u.reboot_required is True
    assert u.reboot_required_since == utc(2026, 11, 20, 9, 0)
    assert any("linux-image-6.8.0-88-generic" in n for n in u.notes)
    assert u.extended_support is False


def test_ubuntu_pro_attached():
    parts = ubuntu2404(
        files={"/var/lib/ubuntu-advantage/status.json": {"text": fixture("ubuntu2404/pro_status_attached.json")}}
    )
    assert up.linux_updates(host(parts)).extended_support is True


def test_ubuntu_pro_from_command_when_cache_missing():
    parts = ubuntu2404(
        files={"/var/lib/ubuntu-advantage/status.json": None, "/usr/bin/pro": {"text": ""}},
        commands=[cmd(["pro", "status", "--format", "json"], fixture("ubuntu2404/pro_status_attached.json"))],
    )
    assert up.linux_updates(host(parts)).extended_support is True


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"error": "denied"}, False),  # unreadable cache and no client: Pro cannot be attached
        ({"text": "{not json"}, None),
        ({"text": '{"attached": "maybe"}'}, None),
    ],
)
def test_ubuntu_pro_faults(entry, expected):
    parts = ubuntu2404(files={"/var/lib/ubuntu-advantage/status.json": entry})
    assert up.linux_updates(host(parts)).extended_support is expected


def test_apt_missing_falls_back_to_apt_get_simulation():
    parts = debian12(commands=[err(APT_LIST, "missing")])
    u = up.linux_updates(host(parts))
    assert (u.pending, u.pending_security) == (130, 87)
    assert any("apt-get -s" in s for s in u.sources)


def test_both_apt_tools_missing():
    parts = debian12(commands=[err(APT_LIST, "missing"), err(APT_SIM, "missing")])
    u = up.linux_updates(host(parts))
    assert u.pending is None
    assert u.why_unknown["pending"].reason == Reason.TOOL_MISSING.value
    # The rest of the facts are still gathered.
    assert u.no_upgrade_since is not None


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (err(APT_LIST, "timeout"), Reason.TIMED_OUT),
        (err(APT_LIST, "denied"), Reason.NEEDS_ADMIN),
        (
            cmd(APT_LIST, "", returncode=100, stderr="E: Could not open lock file - open (13: Permission denied)\n"),
            Reason.NEEDS_ADMIN,
        ),
        (
            cmd(APT_LIST, "", returncode=100, stderr="E: The package lists or status file could not be parsed\n"),
            Reason.UNEXPECTED_OUTPUT,
        ),
        (cmd(APT_LIST, "Segmentation fault\n<<garbage>>\n"), Reason.UNEXPECTED_OUTPUT),
    ],
)
def test_apt_pending_faults(entry, reason):
    u = up.linux_updates(host(debian12(commands=[entry])))
    assert u.pending is None
    assert u.why_unknown["pending"].reason == reason.value


def test_apt_output_with_undecodable_bytes():
    raw = (
        fixture("debian12/apt_list_upgradable.txt").encode()
        + b"caf\xe9-\xff/oldstable 1.0 amd64 [upgradable from: 0.9]\n"
    )
    entry = {"argv": APT_LIST, "returncode": 0, "stdout_b64": base64.b64encode(raw).decode()}
    u = up.linux_updates(host(debian12(commands=[entry])))
    assert u.pending == 131


def test_no_package_lists_means_pending_unknown():
    parts = debian12(
        files={
            "/var/lib/apt/lists": {"dir": ["lock", "partial"]},
            "/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease": None,
            "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease": None,
        }
    )
    u = up.linux_updates(host(parts))
    assert u.pending is None
    assert u.why_unknown["pending"].reason == Reason.NOT_FOUND.value
    assert u.metadata_age_days is None


def test_lists_folder_missing():
    parts = debian12(
        files={
            "/var/lib/apt/lists": None,
            "/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease": None,
            "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease": None,
        }
    )
    assert up.linux_updates(host(parts)).pending is None


def test_lists_folder_unreadable():
    u = up.linux_updates(host(debian12(files={"/var/lib/apt/lists": {"error": "denied"}})))
    assert u.pending is None
    assert u.why_unknown["pending"].reason == Reason.NEEDS_ADMIN.value


def test_reboot_pkgs_unreadable():
    u = up.linux_updates(host(ubuntu2404(files={"/run/reboot-required.pkgs": {"error": "denied"}})))
    assert u.reboot_required is True


def test_history_unreadable_means_last_install_needs_admin():
    parts = debian12(files={"/var/log/apt/history.log": {"error": "denied"}})
    u = up.linux_updates(host(parts))
    assert u.last_install is None
    assert u.why_unknown["last_install"].reason == Reason.NEEDS_ADMIN.value


def test_history_with_undecodable_bytes():
    raw = b"Start-Date: 2026-11-20  08:00:00\nCommandline: apt upgrade caf\xe9\xff\nUpgrade: a:amd64 (1, 2)\n"
    raw += b"End-Date: 2026-11-20  08:00:30\n"
    parts = debian12(files={"/var/log/apt/history.log": {"base64": base64.b64encode(raw).decode()}})
    assert up.linux_updates(host(parts)).last_install == utc(2026, 11, 20, 8, 0, 30)


def test_history_from_rotated_gz_and_garbage_gz():
    block = "Start-Date: 2026-10-01  08:00:00\nUpgrade: bash:amd64 (5.2-1, 5.2-2)\nEnd-Date: 2026-10-01  08:01:00\n"
    parts = debian12(
        files={
            "/var/log/apt/history.log": {
                "text": "Start-Date: 2026-11-27  08:00:00\nInstall: vlc:amd64 (3.0)\nEnd-Date: 2026-11-27  08:00:10\n"
            },
            "/var/log/apt/history.log.1.gz": {"base64": base64.b64encode(b"not gzip at all").decode()},
            "/var/log/apt/history.log.2.gz": {"base64": base64.b64encode(gzip.compress(block.encode())).decode()},
        }
    )
    u = up.linux_updates(host(parts))
    assert u.last_install == utc(2026, 10, 1, 8, 1)
    assert "/var/log/apt/history.log.2.gz" in u.sources


def test_history_missing_dpkg_log_is_not_an_upgrade_record():
    # dpkg.log cannot tell "apt upgrade" from the libraries of "apt install TOOL".
    parts = debian12(
        files={
            "/var/log/apt/history.log": None,
            "/var/log/dpkg.log": {"text": "2026-11-10 07:00:00 upgrade tzdata:all 2024a 2024b\n"},
        }
    )
    u = up.linux_updates(host(parts))
    assert (u.last_install, u.no_upgrade_since) == (None, None)
    assert u.why_unknown["last_install"].reason == Reason.NOT_FOUND.value


def test_no_upgrade_anywhere():
    parts = debian12(
        files={
            "/var/log/apt/history.log": {
                "text": "Start-Date: 2026-11-27  08:00:00\nInstall: a (1)\nEnd-Date: 2026-11-27  08:00:10\n"
            }
        }
    )
    u = up.linux_updates(host(parts))
    assert u.last_install is None
    assert u.why_unknown["last_install"].reason == Reason.NOT_FOUND.value


def test_apt_config_missing_reads_conf_files():
    parts = debian12(
        commands=[err(APT_CONFIG, "missing")],
        files={
            "/etc/apt/apt.conf.d": {"dir": ["20auto-upgrades", "50unattended-upgrades"]},
            "/etc/apt/apt.conf.d/20auto-upgrades": {"text": fixture("ubuntu2404/20auto-upgrades")},
            "/etc/apt/apt.conf.d/50unattended-upgrades": {"text": 'Unattended-Upgrade::Mail "";\n'},
            "/usr/bin/unattended-upgrade": {"text": ""},
        },
    )
    assert up.linux_updates(host(parts)).automatic is True


def test_unattended_configured_but_disabled_by_enable_zero():
    dump = fixture("ubuntu2404/apt_config_dump_periodic.txt") + 'APT::Periodic::Enable "0";\n'
    parts = ubuntu2404(commands=[cmd(APT_CONFIG, dump)])
    assert up.linux_updates(host(parts)).automatic is False


def test_debian_kernel_upgrade_waiting_for_restart():
    parts = debian12(
        files={
            "/boot": {"dir": ["vmlinuz-6.1.0-27-amd64", "vmlinuz-6.1.0-28-amd64", "vmlinuz-6.1.0-9-amd64"]},
            "/var/lib/dpkg/info/linux-image-6.1.0-28-amd64.list": {"text": "", "mtime": ago(3)},
        }
    )
    u = up.linux_updates(host(parts))
    assert u.reboot_required is True
    assert u.reboot_required_since == utc(2026, 11, 25, 9, 0)


def test_debian_same_abi_kernel_update():
    parts = debian12(
        commands=[cmd(["dpkg-query", "-W", "-f=${Version}", "linux-image-6.1.0-27-amd64"], "6.1.119-1")],
        files={"/var/lib/dpkg/info/linux-image-6.1.0-27-amd64.list": {"text": "", "mtime": ago(20)}},
    )
    u = up.linux_updates(host(parts))
    assert u.reboot_required is True
    assert u.reboot_required_since == utc(2026, 11, 8, 9, 0)


def test_container_without_kernel_reboot_unknown():
    parts = debian12(files={"/boot": {"dir": []}})
    u = up.linux_updates(host(parts))
    assert u.reboot_required is None
    assert "reboot_required" in u.why_unknown


def test_ubuntu_without_flag_file_means_no_restart():
    parts = ubuntu2404(
        files={
            "/run/reboot-required": None,
            "/run/reboot-required.pkgs": None,
            "/usr/share/update-notifier/notify-reboot-required": {"text": ""},
        }
    )
    assert up.linux_updates(host(parts)).reboot_required is False


# -- dnf --------------------------------------------------------------------------------------


def test_fedora_probe():
    u = up.linux_updates(host(fedora40()))
    assert (u.manager, u.pending, u.pending_security) == ("dnf", 7, 5)
    # dnf-automatic's upgrade (no command line) on 2026-11-20, not "install htop" a week later.
    assert u.last_install == utc(2026, 11, 20, 9, 0)
    assert "dnf history list" in u.sources
    assert round(u.metadata_age_days, 1) == 1.0
    assert u.automatic is True
    assert u.reboot_required is True
    assert any("reboot is required" in n for n in u.notes)


def test_fedora_nothing_pending():
    parts = fedora40(
        commands=[
            cmd(DNF_ALL, "", returncode=0),
            cmd(DNF_SEC, "", returncode=0),
            cmd(["needs-restarting", "-r"], fixture("fedora/needs_restarting_no.txt")),
        ]
    )
    u = up.linux_updates(host(parts))
    assert (u.pending, u.pending_security, u.reboot_required) == (0, 0, False)


def test_fedora_dnf5():
    parts = fedora40(
        commands=[
            cmd(["dnf5", "-C", "-q", "check-update"], fixture("fedora/dnf5_check_upgrade.txt"), returncode=100),
            cmd(
                ["dnf5", "-C", "-q", "check-update", "--security"],
                fixture("fedora/dnf5_check_upgrade_security.txt"),
                returncode=100,
            ),
        ],
        files={"/usr/bin/dnf5": {"text": ""}},
    )
    u = up.linux_updates(host(parts))
    assert (u.manager, u.pending, u.pending_security) == ("dnf5", 3, 1)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (cmd(DNF_ALL, "", returncode=1, stderr=fixture("fedora/dnf_cache_error.txt")), Reason.NEEDS_ADMIN),
        (err(DNF_ALL, "timeout"), Reason.TIMED_OUT),
        (err(DNF_ALL, "missing"), Reason.TOOL_MISSING),
        (cmd(DNF_ALL, "\x00garbage\x00", returncode=100), Reason.UNEXPECTED_OUTPUT),
        (cmd(DNF_ALL, "", returncode=3, stderr="Traceback (most recent call last):\n"), Reason.UNEXPECTED_OUTPUT),
    ],
)
def test_fedora_pending_faults(entry, reason):
    u = up.linux_updates(host(fedora40(commands=[entry])))
    assert u.pending is None
    assert u.why_unknown["pending"].reason == reason.value


def test_fedora_security_listing_fails_alone():
    u = up.linux_updates(host(fedora40(commands=[err(DNF_SEC, "timeout")])))
    assert (u.pending, u.pending_security) == (7, None)


def test_fedora_rpm_garbage_leaves_the_last_upgrade_alone():
    u = up.linux_updates(host(fedora40(commands=[cmd(RPM_QA, "error: rpmdb open failed\n")])))
    assert u.last_install == utc(2026, 11, 20, 9, 0)
    assert any(n.startswith("reboot: rpm install times unreadable") for n in u.notes)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (err(DNF_HISTORY, "missing"), Reason.TOOL_MISSING),
        (err(DNF_HISTORY, "timeout"), Reason.TIMED_OUT),
        (cmd(DNF_HISTORY, "\x00garbage\x00"), Reason.UNEXPECTED_OUTPUT),
    ],
)
def test_fedora_history_faults(entry, reason):
    u = up.linux_updates(host(fedora40(commands=[entry])))
    assert u.last_install is None
    assert u.why_unknown["last_install"].reason == reason.value


def test_dnf5_history_is_not_guessed():
    parts = fedora40(files={"/usr/bin/dnf5": {"text": ""}})
    u = up.linux_updates(host(parts))
    assert u.last_install is None
    assert u.why_unknown["last_install"].reason == Reason.UNSUPPORTED.value


def test_fedora_download_only_automatic():
    parts = fedora40(files={"/etc/dnf/automatic.conf": {"text": "[commands]\napply_updates = no\n"}})
    u = up.linux_updates(host(parts))
    assert u.automatic is False
    assert any("apply_updates=no" in n for n in u.notes)


def test_fedora_install_timer_and_none():
    parts = fedora40(
        files={
            "/etc/systemd/system/timers.target.wants/dnf-automatic.timer": None,
            "/etc/systemd/system/timers.target.wants/dnf-automatic-install.timer": {"text": ""},
        }
    )
    assert up.linux_updates(host(parts)).automatic is True
    parts = fedora40(files={"/etc/systemd/system/timers.target.wants/dnf-automatic.timer": None})
    assert up.linux_updates(host(parts)).automatic is False


def test_fedora_needs_restarting_missing_uses_kernel_and_rpm_time():
    parts = fedora40(
        commands=[
            err(["needs-restarting", "-r"], "missing"),
            cmd(["dnf", "needs-restarting", "-r"], "No such command: needs-restarting", returncode=2),
        ],
        files={"/boot": {"dir": ["vmlinuz-6.11.9-200.fc40.x86_64", "vmlinuz-6.11.10-200.fc40.x86_64"]}},
    )
    u = up.linux_updates(host(parts, now="2026-11-28T09:00:00+00:00"))
    assert u.reboot_required is True


def test_unknown_distribution():
    with pytest.raises(ProbeError) as info:
        up.linux_updates(host({"files": {"/etc/os-release": {"text": "ID=alpine\n"}}, "commands": []}))
    assert info.value.reason is Reason.UNSUPPORTED


def test_detection_by_tools_without_os_release():
    parts = debian12(files={"/etc/os-release": None, "/usr/bin/apt-get": {"text": ""}})
    assert up.linux_updates(host(parts)).manager == "apt"


def test_probe_as_root_is_the_same():
    u = up.linux_updates(host(debian12(), user=root_user()))
    assert u.pending == 130
