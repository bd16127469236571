"""Every user profile of the machine: enumeration, per-profile triage and exposure, verdicts."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinicguard.checks import CheckContext
from clinicguard.checks.infostealer import exposure, infostealer
from clinicguard.core import activity
from clinicguard.core.model import Reason, Status
from clinicguard.engine.runner import run_assessment
from clinicguard.host import UserInfo
from clinicguard.infostealer.allprofiles import collect_all_exposure, collect_all_signs, reachable
from clinicguard.infostealer.profiles import Profile, enumerate_profiles
from clinicguard.probes.browsers import count_browser_passwords
from clinicguard.report.anonymize import anonymize
from tests.support.infostealer_fixtures import TreeHost, no_hashes, put
from tests.support.paths import ROOT
from tests.support.profile_hosts import SID, linux_profiles_host, macos_profiles_host, windows_profiles_host

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def ctx(host):  # type: ignore[no-untyped-def]
    return CheckContext(platform=host.platform, now=NOW, user=host.user())


def signs_of(host, **kw):  # type: ignore[no-untyped-def]
    return collect_all_signs(host, time_budget=20, hash_list=no_hashes(), **kw)


def states(v) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """profile -> its line in the detail: red, amber, clean, incomplete (profile.*) or vanished,
    unreadable, network, cut (profile_state.*)."""
    lines = [e for e in v.evidence if e.label.startswith(("profile.", "profile_state."))]
    return {e.value: e.label.split(".", 1)[1] for e in lines}


# -- enumeration -----------------------------------------------------------------------------


def test_windows_profiles_from_profilelist_and_users_folder():
    pset = enumerate_profiles(windows_profiles_host())
    assert [p.name for p in pset.profiles] == ["alice", "ancien", "compta", "marie.d", "nuit", "soignant", "stagiaire"]
    assert pset.current.name == "alice" and pset.current.sid == f"{SID}-1001"
    by_name = {p.name: p for p in pset.profiles}
    assert by_name["marie.d"].sid == f"{SID}-1002" and by_name["marie.d"].home == "C:/Users/marie.d"
    assert not by_name["ancien"].registered and by_name["stagiaire"].network
    skipped = dict(pset.skipped)
    assert skipped["systemprofile"] == "system" and skipped["LocalService"] == "service"
    assert skipped["Default"] == "default" and skipped["Public"] == "public" and skipped["soignant"] == "backup_copy"
    assert "desktop.ini" not in skipped and "All Users" in skipped


def test_linux_profiles_from_passwd_and_home():
    pset = enumerate_profiles(linux_profiles_host())
    assert [p.name for p in pset.profiles] == ["alice", "compta", "ldap.user", "marie", "nuit", "soignant"]
    assert dict(pset.skipped) == {"kiosk": "no_login"}
    assert {p.name for p in pset.profiles if not p.registered} == {"ldap.user"}


def test_macos_profiles_need_a_matching_account():
    pset = enumerate_profiles(macos_profiles_host())
    assert [p.name for p in pset.profiles] == ["alice", "compta", "marie", "soignant"]
    assert dict(pset.skipped) == {"Shared": "public", "oldmac": "no_account"}


def test_enumeration_never_raises_and_keeps_the_current_profile():
    host = linux_profiles_host()
    host._files.pop("/etc/passwd")
    host._files["/home"] = {"error": "denied"}
    pset = enumerate_profiles(host)
    assert [p.name for p in pset.profiles] == ["alice"] and "/home" in pset.error


# -- administrator run: every profile --------------------------------------------------------


def test_windows_admin_run_finds_the_stealer_log_in_another_accounts_downloads():
    host = windows_profiles_host(admin=True)
    s = signs_of(host)
    by = {p.profile: p for p in s.profiles}
    assert {h.rule for h in by["marie.d"].hits} >= {"stealer_log"}
    assert any(h.where == "C:/Users/marie.d/Downloads/FR_2026_11_27" for h in by["marie.d"].hits)
    # her loaded hive was read: the Run key of her account points into her AppData
    assert "run_keys" in by["marie.d"].looked_at
    assert by["compta"].state == "unreadable" and by["stagiaire"].state == "network"
    # the others' hives are not loaded: said, not core
    assert ("run_keys", "hive_not_loaded") in by["soignant"].not_looked_at
    assert "files" not in by["soignant"].core_missing
    v = infostealer(ctx(host), s)
    assert (v.status, v.key) == (Status.FAIL, "profiles_red") and v.params["profiles"] == "marie.d"
    st = states(v)
    assert [h.rule for h in by["ancien"].hits] == ["crack_download"]  # a weak sign alone stays green
    assert st == {
        "alice": "clean",
        "ancien": "clean",
        "compta": "unreadable",
        "marie.d": "red",
        "nuit": "clean",
        "soignant": "clean",
        "stagiaire": "network",
    }
    assert any(e.label == "infostealer.stealer_log" and e.value.startswith("marie.d : ") for e in v.evidence)
    assert ("profile_skipped.default", "Default") in [(e.label, e.value) for e in v.evidence]


def test_windows_onedrive_redirected_desktop_is_walked():
    s = signs_of(windows_profiles_host())
    nuit = next(p for p in s.profiles if p.profile == "nuit")
    assert nuit.state == "examined" and nuit.scan is not None and nuit.scan.files == 2


def test_windows_admin_exposure_per_profile():
    host = windows_profiles_host(admin=True)
    e = collect_all_exposure(host, count_passwords=count_browser_passwords)
    by = {p.profile: p for p in e.profiles}
    assert [i.kind for i in by["soignant"].items] == ["filezilla_plain"]
    assert by["compta"].state == "unreadable"
    v = exposure(ctx(host), e, None)
    # the stealer log in marie.d's Downloads holds a Passwords.txt: readable in clear too
    assert (v.status, v.key, v.params["profiles"]) == (Status.FAIL, "profiles_red", "marie.d, soignant")
    assert states(v)["soignant"] == "red" and states(v)["compta"] == "unreadable"


def test_linux_admin_run():
    host = linux_profiles_host(admin=True)
    s = signs_of(host)
    by = {p.profile: p for p in s.profiles}
    assert {h.rule for h in by["marie"].hits} >= {"stealer_log", "linux_autostart_tmp"}  # XDG Downloads, cron spool
    assert by["nuit"].state == "network" and by["compta"].state == "unreadable"
    v = infostealer(ctx(host), s)
    assert (v.status, v.key) == (Status.FAIL, "profiles_red")
    e = collect_all_exposure(host, count_passwords=count_browser_passwords)
    ev = exposure(ctx(host), e, None)
    assert (ev.status, ev.params["profiles"]) == (Status.FAIL, "marie, soignant")  # marie's log has Passwords.txt


def test_macos_admin_run():
    host = macos_profiles_host(admin=True)
    s = signs_of(host)
    by = {p.profile: p for p in s.profiles}
    assert {"stealer_log", "mac_amos_backdoor"} <= {h.rule for h in by["marie"].hits}
    assert by["compta"].state == "unreadable"
    assert infostealer(ctx(host), s).status is Status.FAIL
    ev = exposure(ctx(host), collect_all_exposure(host, count_passwords=count_browser_passwords), None)
    assert (ev.status, ev.params["profiles"]) == (Status.FAIL, "marie, soignant")  # marie's log has Passwords.txt


# -- standard-user run: the current profile only ---------------------------------------------


@pytest.mark.parametrize("make", [windows_profiles_host, linux_profiles_host, macos_profiles_host])
def test_standard_user_run_says_the_others_were_not_examined(make):
    host = make(admin=False)
    s = signs_of(host)
    assert s.profiles == () and s.scope is not None and not s.scope.admin
    v = infostealer(ctx(host), s)
    n = len(s.scope.others)
    assert (v.status, v.reason, v.key) == (Status.UNKNOWN, Reason.NEEDS_ADMIN, "others_not_examined")
    assert v.params == {"count": n, "current": "alice"}
    assert sum(1 for e in v.evidence if e.label == "profile.not_examined") == n
    ev = exposure(ctx(host), collect_all_exposure(host, count_passwords=count_browser_passwords), None)
    assert (ev.status, ev.reason, ev.key) == (Status.UNKNOWN, Reason.NEEDS_ADMIN, "others_not_examined")


def test_standard_user_run_lowers_coverage_through_the_runner():
    host = linux_profiles_host(admin=False)
    a = run_assessment(host, check_ids=["malware.infostealer", "malware.exposure"])
    r = {x.check_id: x for x in a.results}
    assert r["malware.infostealer"].status is Status.UNKNOWN
    assert a.score.coverage < 100


def test_red_in_current_profile_stays_red_without_rights():
    host = linux_profiles_host(admin=False)
    host._files["/home/alice/Downloads/x/Passwords.txt"] = {"text": ""}
    host._files["/home/alice/Downloads/x/Wallets/a"] = {"text": ""}
    v = infostealer(ctx(host), signs_of(host))
    assert (v.status, v.key) == (Status.FAIL, "strong")
    assert any(e.label == "profile.not_examined" for e in v.evidence)


def test_all_profiles_clean_is_green():
    host = linux_profiles_host(admin=True)
    for path in list(host._files):
        if path.startswith(("/home/marie/Télé", "/var/spool", "/home/soignant/.ssh")):
            del host._files[path]
    host._files["/home/compta"] = {"dir": []}
    host._files["/proc/self/mounts"] = {"text": ""}
    host._files["/mnt/nfs/home/nuit"] = {"dir": []}
    v = infostealer(ctx(host), signs_of(host))
    assert (v.status, v.key, v.params) == (Status.PASS, "clean_all_profiles", {"count": 6})
    ev = exposure(ctx(host), collect_all_exposure(host, count_passwords=count_browser_passwords), None)
    assert (ev.status, ev.key) == (Status.PASS, "low_all_profiles")


# -- bad input ---------------------------------------------------------------------------------


def test_vanished_profile_folder_is_reported_not_green(tmp_path):
    host = TreeHost(tmp_path, "linux")
    assert reachable(host, Profile("gone", "/home/gone")) == "vanished"


def test_profile_folder_vanishing_during_the_run_is_grey_not_green(tmp_path, monkeypatch):
    import shutil

    from clinicguard.infostealer import allprofiles

    host = TreeHost(tmp_path, "linux")
    host._user = UserInfo(name="alice", uid=1000, home="/home/alice", is_admin=True)
    put(tmp_path, "/etc/passwd", "alice:x:1000:1000::/home/alice:/bin/bash\nparti:x:1001:1001::/home/parti:/bin/bash\n")
    put(tmp_path, "/home/alice/.profile", "")
    put(tmp_path, "/home/parti/Desktop/a.txt", "")
    real = allprofiles.enumerate_profiles

    def enumerate_then_delete(h):  # type: ignore[no-untyped-def]
        pset = real(h)
        shutil.rmtree(tmp_path / "home" / "parti")  # the account's folder is removed meanwhile
        return pset

    monkeypatch.setattr(allprofiles, "enumerate_profiles", enumerate_then_delete)
    s = signs_of(host)
    assert [(p.profile, p.state) for p in s.profiles] == [("parti", "vanished")]
    v = infostealer(CheckContext(platform="linux", now=NOW, user=host.user()), s)
    assert (v.status, v.key) == (Status.UNKNOWN, "profiles_incomplete")
    assert ("profile_state.vanished", "parti") in [(e.label, e.value) for e in v.evidence]


def test_profile_with_too_many_files_is_cut_and_said(tmp_path, monkeypatch):
    host = TreeHost(tmp_path, "linux")
    host._user = UserInfo(name="alice", uid=1000, home="/home/alice", is_admin=True)
    put(tmp_path, "/etc/passwd", "alice:x:1000:1000::/home/alice:/bin/bash\nbig:x:1001:1001::/home/big:/bin/bash\n")
    put(tmp_path, "/home/alice/.profile", "")
    for i in range(4500):
        put(tmp_path, f"/home/big/Downloads/d{i // 500}/f{i}.txt", "")
    events: list[dict] = []
    with activity.listening(events.append):
        s = signs_of(host, file_cap=2048)
    big = next(p for p in s.profiles if p.profile == "big")
    assert big.state == "cut" and ("files", "file_cap") in big.not_looked_at
    assert 2048 <= big.scan.files < 4500
    assert any(e["step"] == "profile" and e["profile"] == "big" for e in events)
    v = infostealer(CheckContext(platform="linux", now=NOW, user=host.user()), s)
    assert (v.status, v.key) == (Status.UNKNOWN, "profiles_incomplete") and v.params["profiles"] == "big"


def test_exposure_walk_out_of_time_is_said_and_not_green(tmp_path):
    import time

    from clinicguard.infostealer.exposure import collect_exposure

    host = TreeHost(tmp_path, "linux")
    for i in range(700):
        put(tmp_path, f"/home/big/Documents/d{i // 100}/note{i}.txt", "")
    e = collect_exposure(host, profile=Profile("big", "/home/big"), deadline=time.monotonic() - 1)
    assert ("password_files", "timed_out") in e.not_looked_at
    from clinicguard.checks.infostealer import _profile_exposure_status
    from clinicguard.infostealer.model import ProfileExposure

    p = ProfileExposure(
        profile="big",
        home="/home/big",
        state="examined",
        items=e.items,
        looked_at=e.looked_at,
        not_looked_at=e.not_looked_at,
        saved_logins=0,
    )
    assert _profile_exposure_status(p) is Status.UNKNOWN


def test_anonymize_masks_profile_names():
    from clinicguard.core.model import Assessment, CheckResult, HostInfo, Score

    host = windows_profiles_host(admin=True)
    v = infostealer(ctx(host), signs_of(host))
    result = CheckResult("malware.infostealer", v.status, v.key, v.params, v.evidence, v.reason, v.detail)
    a = Assessment(
        HostInfo("PC-SOINS-02", "windows", "Windows", "11", "alice", True), NOW, NOW, "0", (result,), Score(0, 100, {})
    )
    text = repr(anonymize(a, "fr").results[0])
    assert "marie.d" not in text and "soignant" not in text


# -- real accounts (Linux, as root) --------------------------------------------------------------


def _useradd(name: str, home: Path) -> None:
    import subprocess

    subprocess.run(["useradd", "-M", "-d", str(home), "-s", "/bin/bash", name], check=True, capture_output=True)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not Path("/usr/sbin/useradd").exists(),
    reason="creating real accounts needs root and useradd",
)
def test_real_accounts_admin_and_standard_runs():
    """Two real accounts with homes in a temporary folder: root finds the stealer log in one
    account's Downloads; the other account, run without rights, is told the others were not examined."""
    import json
    import subprocess
    import sys

    from clinicguard.host.local import LocalHost

    suffix = str(os.getpid())[-5:]
    victim, other = f"cgv{suffix}", f"cgo{suffix}"
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="clinicguard-homes-", dir="/tmp"))  # reachable by every account
    base.chmod(0o755)
    homes = {victim: base / victim, other: base / other}
    try:
        for name, home in homes.items():
            _useradd(name, home)
            home.mkdir()
        for marker in ("Passwords.txt", "Wallets/a.txt", "Cookies/c.txt"):
            f = homes[victim] / "Downloads" / "logs" / marker
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text("")
        for name, home in homes.items():
            subprocess.run(["chown", "-R", f"{name}:{name}", str(home)], check=True)
            home.chmod(0o700)
        s = collect_all_signs(LocalHost(), time_budget=20, hash_list=no_hashes())
        by = {p.profile: p for p in s.profiles}
        assert any(h.rule == "stealer_log" and h.where.startswith(str(homes[victim])) for h in by[victim].hits)
        # the same machine seen by the other account, without rights
        env = {k: v for k, v in os.environ.items() if k != "SUDO_USER"}
        env["PYTHONPATH"] = str(ROOT)
        env["HOME"] = str(homes[other])
        code = (
            "import json; from clinicguard.host.local import LocalHost; "
            "from clinicguard.infostealer.allprofiles import collect_all_signs; "
            "s = collect_all_signs(LocalHost(), time_budget=10); "
            "print(json.dumps([s.scope.admin, s.scope.current, list(s.scope.others), len(s.profiles)]))"
        )
        # An interpreter (3.11+) the other account may run: this one, else the system's.
        python = next(
            (
                exe
                for exe in (sys.executable, "/usr/bin/python3")
                if subprocess.run(
                    [
                        "runuser",
                        "-u",
                        other,
                        "--",
                        exe,
                        "-c",
                        "import sys, clinicguard; assert sys.version_info >= (3, 11)",
                    ],
                    env=env,
                    cwd=str(homes[other]),
                    capture_output=True,
                ).returncode
                == 0
            ),
            None,
        )
        if python is None:
            pytest.skip("no Python the test account can run with clinicguard importable")
        out = subprocess.run(
            ["runuser", "-u", other, "--", python, "-c", code],
            env=env,
            cwd=str(homes[other]),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        admin, current, others, examined = json.loads(out.stdout.strip().splitlines()[-1])
        assert (admin, current, examined) == (False, other, 0) and victim in others
    finally:
        for name in homes:
            subprocess.run(["userdel", name], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
