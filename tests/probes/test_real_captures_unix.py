"""Linux and macOS outputs people published, replayed through the parsers and the checks.

Every file under tests/fixtures/real/{linux,macos}/ has a ``.source.toml``
beside it saying where it was published and what was changed; each is used
here, and tests/project/test_captures_table.py checks that docs/real-captures.md lists it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clinicguard.checks import CheckContext
from clinicguard.checks import access as A
from clinicguard.checks import data as data_checks
from clinicguard.checks import updates as updates_checks
from clinicguard.checks.network import firewall as firewall_check
from clinicguard.core.model import Status
from clinicguard.host import UserInfo
from clinicguard.i18n import note_text
from clinicguard.probes.linux import accounts, disk, pam
from clinicguard.probes.linux import apt as linux_apt
from clinicguard.probes.linux import dnf as linux_dnf
from clinicguard.probes.linux import firewall as fw_linux
from clinicguard.probes.linux import updates as up
from clinicguard.probes.macos import accounts as accounts_mac
from clinicguard.probes.macos import backups as backups_mac
from clinicguard.probes.macos import disk as disk_mac
from clinicguard.probes.macos import firewall, pwpolicy
from clinicguard.probes.macos import screen as screen_mac
from clinicguard.probes.macos.antivirus import parse_spctl
from clinicguard.probes.macos.plists import DSCL, FDESETUP, PWPOLICY, SOCKETFILTERFW
from tests.conftest import recorded
from tests.support.paths import FIXTURES

REAL = FIXTURES / "real"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def real(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8")


def ctx(platform: str) -> CheckContext:
    return CheckContext(platform=platform, now=NOW, user=UserInfo(name="alice"))


def run(argv: list[str], stdout: str, returncode: int = 0) -> dict:
    return {"argv": argv, "returncode": returncode, "stdout": stdout, "stderr": ""}


# -- macOS password policy (issue 11, item 5) ---------------------------------------


def test_stock_unmanaged_mac_reports_only_apples_filevault_rule():
    p = pwpolicy.parse_pwpolicy(real("macos/pwpolicy-stock-unmanaged.txt"))
    assert p.identifiers == ("com.apple.defaultpasswordpolicy.fde",)
    assert (p.min_length, p.lockout, p.empty_allowed, p.managed) == (4, 0, False, False)


def test_stock_unmanaged_mac_is_amber_not_red_four_characters():
    host = recorded(
        "macos", commands=[run([PWPOLICY, "-getaccountpolicies"], real("macos/pwpolicy-stock-unmanaged.txt"))]
    )
    facts = pwpolicy.macos_password_policy(host)
    assert "macos_default_policy_only" in facts.notes
    v = A.password_policy(ctx("macos"), facts)
    assert (v.status, v.key, v.params["length"]) == (Status.WARN, "macos_default_only", 4)


def test_profile_with_lockout_is_managed_and_judged_on_its_rules():
    p = pwpolicy.parse_pwpolicy(real("macos/pwpolicy-profile-lockout.txt"))
    assert p.managed and p.lockout == 5
    assert {"upper", "lower", "digit"} <= p.classes
    host = recorded(
        "macos", commands=[run([PWPOLICY, "-getaccountpolicies"], real("macos/pwpolicy-profile-lockout.txt"))]
    )
    facts = pwpolicy.macos_password_policy(host)
    assert "macos_default_policy_only" not in facts.notes and "macos_no_account_policy" not in facts.notes
    v = A.password_policy(ctx("macos"), facts)
    assert (facts.min_length, v.status) == (p.min_length, Status.PASS if p.min_length >= 8 else Status.FAIL)


# -- macOS firewall state 2 (issue 11, item 7) ---------------------------------------


def _mac_firewall(globalstate: str, blockall: str, stealth: str):
    return firewall.macos_firewall(
        recorded(
            "macos",
            commands=[
                run([SOCKETFILTERFW, "--getglobalstate"], globalstate),
                run([SOCKETFILTERFW, "--getstealthmode"], stealth),
                run([SOCKETFILTERFW, "--getblockall"], blockall),
            ],
        )
    )


def test_state_2_with_block_all_disabled_is_on_with_stealth_not_block_all():
    # One published run of socketfilterfw with several flags: one line per flag.
    lines = real("macos/socketfilterfw-state2-stealth.txt").splitlines()
    facts = _mac_firewall(lines[0] + "\n", lines[1] + "\n", lines[4] + "\n")
    assert facts.enabled == {"alf": True}
    assert facts.default_inbound_block is None
    assert "macos_block_all" not in facts.notes
    assert {"macos_stealth_on", "macos_block_all_off"} <= set(facts.notes)
    v = firewall_check(ctx("macos"), facts)
    assert v.status is Status.PASS
    assert not any(e.label == "inbound_blocked" for e in v.evidence)


def test_state_2_wordings_of_each_release_are_on():
    for name in (
        "socketfilterfw-getglobalstate-state2-blocking.txt",
        "socketfilterfw-getglobalstate-state2-enabled.txt",
    ):
        assert firewall.parse_global_state(real(f"macos/{name}")) == 2
    facts = _mac_firewall(
        real("macos/socketfilterfw-getglobalstate-state2-blocking.txt"),
        "Firewall has block all state set to enabled.\n",  # real-shaped: the wording of --getblockall above
        "Firewall stealth mode is on\n",
    )
    assert facts.default_inbound_block is True and "macos_block_all" in facts.notes


# -- macOS Gatekeeper -----------------------------------------------------------------


def test_spctl_status_both_ways():
    assert parse_spctl(real("macos/spctl-status-enabled.txt")) is True
    assert parse_spctl(real("macos/spctl-status-disabled.txt")) is False


# -- macOS 15 Sequoia: administrators, FileVault, Time Machine destination ----------------


def test_admin_group_of_a_sequoia_mac_names_the_user_not_root():
    raw = real("macos/dscl-admin-groupmembership-sequoia.txt")
    assert accounts_mac.parse_dscl_attribute(raw, "GroupMembership") == ["root", "williamj"]
    host = recorded(
        "macos",
        commands=[run([DSCL, ".", "-read", "/Groups/admin", "GroupMembership"], raw)],
        user={
            "name": "williamj",
            "uid": 501,
            "groups": ["staff", "admin"],
            "home": "/Users/williamj",
            "is_admin": True,
        },
    )
    rights = accounts_mac.macos_admin_rights(host)
    assert (rights.user_is_admin, rights.admins) == (True, ("williamj",))
    v = A.admin_user(ctx("macos"), rights)
    assert v.status is not Status.PASS
    assert [e.value for e in v.evidence if e.label == "admins"] == ["williamj"]


def test_filevault_on_of_a_sequoia_mac_is_green():
    raw = real("macos/fdesetup-status-on-sequoia.txt")
    assert disk_mac.parse_fdesetup(raw) == (True, "on", [])
    facts = disk_mac.macos_disk_encryption(recorded("macos", commands=[run([FDESETUP, "status"], raw)]))
    assert (facts.system_encrypted, facts.state, facts.method) == (True, "on", "filevault")
    v = data_checks.disk_encryption(ctx("macos"), facts)
    assert (v.status, v.key) == (Status.PASS, "on")


def test_time_machine_network_destination_over_afp():
    (dest,) = backups_mac.parse_destinationinfo(real("macos/tmutil-destinationinfo-network-afp.txt"))
    assert (dest["Name"], dest["Kind"]) == ("Time Machine", "Network")
    assert dest["ID"] == "DE97F471-6E45-43B6-A322-81AB5E9F4C68"
    assert dest["URL"].startswith("afp://pi@raspberrypi.")


def test_screen_lock_delay_of_a_sonoma_mac_with_and_without_the_sysadminctl_prefix():
    assert screen_mac.parse_screenlock(real("macos/sysadminctl-screenlock-300s-sonoma.txt")) == 300
    assert screen_mac.parse_screenlock(real("macos/sysadminctl-screenlock-immediate-sonoma.txt")) == 0


# -- sudo without password: the source is the sudoers file (issue 11, item 7) ---------

GROUP = "root:x:0:\nsudo:x:27:ubuntu\nwheel:x:10:ec2-user\n"


def _admin_rights(user: str, groups: list[str], dropin: str, name: str):
    host = recorded(
        files={
            "/etc/group": {"text": GROUP},
            "/etc/passwd": {"text": f"root:x:0:0::/root:/bin/bash\n{user}:x:1000:1000::/home/{user}:/bin/bash\n"},
            "/etc/sudoers": {"text": "root ALL=(ALL:ALL) ALL\n#includedir /etc/sudoers.d\n"},
            f"/etc/sudoers.d/{name}": {"text": dropin},
        },
        user={"name": user, "uid": 1000, "groups": groups, "home": f"/home/{user}", "is_admin": True},
    )
    return accounts.linux_admin_rights(host)


def test_nopasswd_finding_names_the_sudoers_file_not_etc_group():
    for user, groups, name in (
        ("ec2-user", ["ec2-user", "wheel"], "90-cloud-init-users"),
        ("ubuntu", ["ubuntu", "sudo"], "90-cloudimg-ubuntu"),
    ):
        capture = "sudoers-d-90-cloud-init-users-rhel8" if user == "ec2-user" else "sudoers-d-90-cloudimg-ubuntu"
        facts = _admin_rights(user, groups, real(f"linux/{capture}"), name)
        assert facts.nopasswd is True and facts.nopasswd_source == f"/etc/sudoers.d/{name}"
        v = A.admin_user(ctx("linux"), facts)
        assert v.status is Status.FAIL and v.key == "admin_nopasswd"
        found = next(e for e in v.evidence if e.label == "sudo_nopasswd")
        assert (found.value, found.source) == ("yes", f"/etc/sudoers.d/{name}")


def test_no_nopasswd_rule_names_the_files_read():
    facts = _admin_rights("ubuntu", ["ubuntu", "sudo"], "# nothing here\n", "README")
    assert facts.nopasswd is False
    assert facts.nopasswd_source == "/etc/sudoers, /etc/sudoers.d/README"


# -- nullok is said and is amber (issue 11, item 7) -----------------------------------


def test_nullok_from_a_real_system_auth_is_amber_and_said():
    lines = pam.parse_pam(real("linux/pam-system-auth-nullok-rhel7"))
    assert any(ln.module == "pam_unix.so" and "nullok" in ln.args for ln in lines)
    host = recorded(
        files={
            "/etc/passwd": {"text": "root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n"},
            "/etc/shadow": {"text": "root:$6$x:19000::::::\nalice:$6$y:19000::::::\n"},
            "/etc/pam.d/system-auth": {"text": real("linux/pam-system-auth-nullok-rhel7")},
        },
    )
    facts = accounts.linux_local_accounts(host)
    assert (facts.empty_password, facts.blank_password_allowed) == ((), True)
    v = A.local_accounts(ctx("linux"), facts)
    assert (v.status, v.key) == (Status.WARN, "nullok")
    assert any(e.label == "blank_password_allowed" and e.value == "yes" for e in v.evidence)


# -- disk layout --------------------------------------------------------------------------


def test_lsblk_with_device_paths_and_no_type_column():
    devices = disk.parse_lsblk(real("linux/lsblk-xfs-root-plain.json"))
    chain = disk.path_to_mount(devices, "/")
    assert [n["name"] for n in chain] == ["/dev/sda", "/dev/sda3"]
    assert not disk.is_encrypted_chain(chain)


# -- Linux: pending updates, last system upgrade, stale lists (issue 11, items 3 and 4) ----


def test_apt_list_upgradable_ubuntu_2204_counts_security_suites():
    upgrades = linux_apt.parse_apt_list(real("linux/apt-list-upgradable-ubuntu2204.txt"))
    assert len(upgrades) == 15
    assert sorted(u.name for u in upgrades if u.security) == [
        "accountsservice",
        "binutils-common",
        "binutils-x86-64-linux-gnu",
        "openssl",
        "perl-base",
        "perl-modules-5.34",
        "sudo",
        "vim",
        "xxd",
    ]


def test_apt_list_upgradable_ubuntu_2004_none_from_security():
    upgrades = linux_apt.parse_apt_list(real("linux/apt-list-upgradable-ubuntu2004.txt"))
    assert (len(upgrades), sum(u.security for u in upgrades)) == (12, 0)


def test_dnf_check_update_with_metadata_line_and_padding():
    found = linux_dnf.parse_dnf_check_update(real("linux/dnf-check-update-el7.txt"))
    assert len(found) == 15
    assert {u.name for u in found} >= {"openssl.x86_64", "sudo.x86_64", "java-1.8.0-openjdk-headless.x86_64"}


def test_dnf_history_of_installs_only_has_no_system_upgrade():
    transactions = linux_dnf.parse_dnf_history(real("linux/dnf-history-list-fedora36.txt"))
    assert [t.id for t in transactions] == [1, 2, 3, 4]
    assert not any(linux_dnf.is_dnf_system_upgrade(t) for t in transactions)
    assert transactions[0].when == datetime(2022, 1, 31, 11, 6, tzinfo=UTC)


def test_unattended_run_that_only_removed_is_not_an_upgrade():
    runs = linux_apt.parse_apt_history(real("linux/apt-history-unattended-remove-only.log"))
    assert len(runs) == 1 and runs[0].commandline == "/usr/bin/unattended-upgrade"
    assert linux_apt.last_upgrade(runs) is None


def test_unattended_upgrades_log_english_and_other_languages():
    assert linux_apt.parse_unattended_log(real("linux/unattended-upgrades-log-xenial.log")) == (
        datetime(2016, 10, 23, 16, 42, 5, tzinfo=UTC),
        0,
    )
    when, foreign = linux_apt.parse_unattended_log(real("linux/unattended-upgrades-log-german-raspbian.log"))
    assert when is None and foreign == 9  # read as "not understood", never as "nothing upgraded"


def _ubuntu(**changes):
    """An Ubuntu 20.04 workstation replaying the published listing, its lists of the given ages."""
    base = {
        "commands": [run(["apt", "list", "--upgradable"], real("linux/apt-list-upgradable-ubuntu2004.txt"))],
        "files": {
            "/etc/os-release": {"text": 'ID=ubuntu\nVERSION_ID="20.04"\nPRETTY_NAME="Ubuntu 20.04.6 LTS"\n'},
            "/var/lib/apt/lists": {
                "dir": [
                    "archive.ubuntu.com_ubuntu_dists_focal-updates_InRelease",
                    "security.ubuntu.com_ubuntu_dists_focal-security_InRelease",
                ]
            },
            "/var/lib/apt/lists/archive.ubuntu.com_ubuntu_dists_focal-updates_InRelease": {"text": "", "mtime": ago(1)},
            "/var/lib/apt/lists/security.ubuntu.com_ubuntu_dists_focal-security_InRelease": {
                "text": "",
                "mtime": ago(1),
            },
        },
    }
    for key, value in changes.items():
        base[key].update(value)
    return recorded(**base)


def ago(days: float) -> float:
    return (NOW - timedelta(days=days)).timestamp()


def test_stale_security_list_cannot_say_none_of_them_security():
    host = _ubuntu(
        files={
            "/var/lib/apt/lists/security.ubuntu.com_ubuntu_dists_focal-security_InRelease": {
                "text": "",
                "mtime": ago(20),
            },
            "/var/lib/apt/lists/archive.ubuntu.com_ubuntu_dists_focal-updates_InRelease": {
                "text": "",
                "mtime": ago(20),
            },
        }
    )
    facts = up.linux_updates(host)
    assert (facts.pending, facts.pending_security) == (12, 0)
    assert facts.metadata_source.endswith("focal-security_InRelease")
    v = updates_checks.pending(ctx("linux"), facts)
    assert (v.status, v.key) == (Status.WARN, "security_unknown_stale_list")
    assert v.params["list"] == "security.ubuntu.com_ubuntu_dists_focal-security_InRelease"
    assert v.params["days"] == 20
    from clinicguard.catalogue import load_catalogue

    text = load_catalogue().checks["updates.pending"].summary(v.key, "fr", v.params)
    assert "focal-security_InRelease" in text and "aucune de sécurité" not in text


def test_fresh_lists_say_none_of_them_security():
    facts = up.linux_updates(_ubuntu())
    v = updates_checks.pending(ctx("linux"), facts)
    assert (v.status, v.key) == (Status.WARN, "pending_no_security")


def test_last_system_upgrade_from_the_unattended_upgrades_log():
    host = _ubuntu(
        files={
            "/var/log/apt/history.log": {"text": real("linux/apt-history-unattended-remove-only.log")},
            "/var/log/unattended-upgrades/unattended-upgrades.log": {
                "text": real("linux/unattended-upgrades-log-xenial.log")
            },
        }
    )
    facts = up.linux_updates(host)
    # The history holds one unattended run that only removed a package; the log says when it last upgraded.
    assert facts.last_install == datetime(2016, 10, 23, 16, 42, 5, tzinfo=UTC)
    assert linux_apt.UU_LOG in facts.sources


def test_log_in_another_language_is_said_not_read():
    host = _ubuntu(
        files={
            "/var/log/unattended-upgrades/unattended-upgrades.log": {
                "text": real("linux/unattended-upgrades-log-german-raspbian.log")
            }
        }
    )
    facts = up.linux_updates(host)
    assert facts.last_install is None
    assert any(
        "language clinicguard does not read" in note_text(n.removeprefix("pending: "), "en") for n in facts.notes
    )


def test_ufw_active_denying_incoming():
    assert fw_linux.parse_ufw_status(real("linux/ufw-status-verbose-active.txt")) == (True, True)
