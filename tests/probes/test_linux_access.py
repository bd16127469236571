"""Linux probes of the access theme on recorded files, and the checks at every boundary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinicguard.catalogue import load_catalogue
from clinicguard.checks import CheckContext, Verdict
from clinicguard.checks import access as A
from clinicguard.core.facts import (
    AdminRights,
    AutoLogin,
    BrowserPasswords,
    BrowserProfile,
    LocalAccounts,
    PasswordPolicy,
    ScreenLock,
)
from clinicguard.core.model import Reason, Status
from clinicguard.host import UserInfo
from clinicguard.probes import sudoers
from clinicguard.probes.linux import accounts, desktop, pam
from tests.conftest import recorded
from tests.support.paths import FIXTURES

PAM = FIXTURES / "linux" / "pam"
CTX = CheckContext(platform="linux", now=datetime(2026, 11, 28, tzinfo=UTC), user=UserInfo(name="alice"))
SHARED = CheckContext(platform="linux", now=CTX.now, user=CTX.user, settings={"machine": {"shared": True}})


def fx(name: str) -> dict[str, str]:
    return {"text": (PAM / name).read_text()}


def assert_text_exists(check_id: str, v: Verdict) -> None:
    """Every summary a check returns has a text in both languages."""
    spec = load_catalogue().checks[check_id]
    for lang in ("fr", "en"):
        if "." in v.key:
            continue
        assert v.key in spec.texts[lang]["summary"], f"{check_id}: no {lang} summary '{v.key}'"
        assert "{" not in spec.summary(v.key, lang, v.params), f"{check_id}: unfilled placeholder in '{v.key}'"


# -- PAM parsing ------------------------------------------------------------


def test_parse_pam_brackets_and_comments():
    lines = pam.parse_pam((PAM / "fedora41-system-auth").read_text())
    assert [ln.module for ln in lines if ln.kind == "password"][0] == "pam_pwquality.so"
    unix = [ln for ln in lines if ln.kind == "auth" and ln.module == "pam_unix.so"][0]
    assert unix.control == "sufficient" and "nullok" in unix.args


def test_debian12_default_is_six_chars_no_lockout():
    host = recorded(
        files={
            "/etc/pam.d/common-password": fx("debian12-common-password"),
            "/etc/pam.d/common-auth": fx("debian12-common-auth"),
            "/etc/login.defs": fx("login.defs"),
        }
    )
    p = pam.linux_password_policy(host)
    assert (p.min_length, p.lockout_threshold, p.complexity, p.max_age_days) == (6, 0, False, 99999)
    assert A.password_policy(CTX, p).status is Status.FAIL


def test_ubuntu_pwquality_default_and_faillock_default_deny():
    host = recorded(
        files={
            "/etc/pam.d/common-password": fx("ubuntu2404-common-password"),
            "/etc/pam.d/common-auth": fx("ubuntu2404-common-auth-faillock"),
        }
    )
    p = pam.linux_password_policy(host)
    assert (p.min_length, p.lockout_threshold) == (8, 3)
    assert A.password_policy(CTX, p).status is Status.PASS  # 8 chars + lockout after 3 tries


def test_fedora_pwquality_conf_and_faillock_conf():
    host = recorded(
        files={
            "/etc/pam.d/system-auth": fx("fedora41-system-auth"),
            "/etc/security/pwquality.conf": fx("pwquality-minlen12.conf"),
            "/etc/security/faillock.conf": fx("faillock-deny5.conf"),
        }
    )
    p = pam.linux_password_policy(host)
    assert (p.min_length, p.lockout_threshold, p.complexity) == (12, 5, True)
    assert A.password_policy(CTX, p).status is Status.PASS


def test_pwquality_credits_lower_effective_length():
    assert pam.effective_pwquality({"minlen": "12", "dcredit": "1", "ucredit": "1"}, {})[0] == 10
    assert pam.effective_pwquality({"minlen": "9"}, {"minlen": "14"})[0] == 14  # module argument wins
    assert pam.effective_pwquality({}, {})[0] == 8
    assert pam.effective_pwquality({"minlen": "garbage"}, {})[0] == 8


def test_no_pam_at_all_is_not_found():
    from clinicguard.core.errors import ProbeError

    with pytest.raises(ProbeError) as err:
        pam.linux_password_policy(recorded())
    assert err.value.reason is Reason.NOT_FOUND


def test_unreadable_pam_is_needs_admin_through_the_runner():
    from clinicguard.engine.runner import run_assessment

    host = recorded(files={"/etc/pam.d/common-password": {"error": "denied"}})
    r = run_assessment(host, check_ids=["access.password_policy"]).results[0]
    assert (r.status, r.reason) == (Status.UNKNOWN, Reason.NEEDS_ADMIN)


# -- password policy thresholds (CNIL 2022) ---------------------------------


def pol(length, lockout, complexity=True):
    return PasswordPolicy(min_length=length, lockout_threshold=lockout, complexity=complexity)


@pytest.mark.parametrize(
    ("length", "lockout", "expected"),
    [
        (None, 5, Status.UNKNOWN),
        (0, 5, Status.FAIL),
        (7, 5, Status.FAIL),
        (8, 0, Status.FAIL),
        (8, 1, Status.PASS),
        (8, 10, Status.PASS),
        (8, 11, Status.WARN),
        (8, None, Status.UNKNOWN),
        (11, 0, Status.FAIL),
        (11, 10, Status.PASS),
        (12, 0, Status.WARN),
        (12, 10, Status.PASS),
        (12, 11, Status.WARN),
        (12, None, Status.WARN),
        (20, 3, Status.PASS),
    ],
)
def test_password_policy_boundaries(length, lockout, expected):
    v = A.password_policy(CTX, pol(length, lockout))
    assert v.status is expected
    assert_text_exists("access.password_policy", v)


def test_password_policy_unknown_complexity_is_amber():
    v = A.password_policy(CTX, pol(12, 5, complexity=None))
    assert v.status is Status.WARN


# -- autologin -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "user"),
    [
        ("/etc/gdm3/custom.conf", "[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=accueil\n", "accueil"),
        ("/etc/gdm/custom.conf", "[daemon]\nAutomaticLoginEnable = True\nAutomaticLogin = infirmerie\n", "infirmerie"),
        ("/etc/gdm3/custom.conf", "[daemon]\nTimedLoginEnable=true\nTimedLogin=nuit\n", "nuit"),
        ("/etc/lightdm/lightdm.conf", "[Seat:*]\nautologin-user=poste1\n", "poste1"),
        ("/etc/lightdm/lightdm.conf.d/50-auto.conf", "[SeatDefaults]\nautologin-user=poste2\n", "poste2"),
        ("/etc/sddm.conf.d/autologin.conf", "[Autologin]\nUser=soins\nSession=plasma\n", "soins"),
        (
            "/etc/systemd/system/getty@tty1.service.d/override.conf",
            "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin kiosk --noclear %I $TERM\n",
            "kiosk",
        ),
    ],
)
def test_autologin_detected(path, text, user):
    a = accounts.linux_autologin(recorded(files={path: {"text": text}}))
    assert (a.enabled, a.user) == (True, user)
    v = A.autologin(CTX, a)
    assert v.status is Status.FAIL and user in v.params["user"]
    assert_text_exists("access.autologin", v)


def test_autologin_commented_or_disabled():
    text = "[daemon]\n# AutomaticLoginEnable = true\nAutomaticLoginEnable=false\nAutomaticLogin=x\n"
    a = accounts.linux_autologin(recorded(files={"/etc/gdm3/custom.conf": {"text": text}}))
    assert a.enabled is False
    assert A.autologin(CTX, a).status is Status.PASS


def test_autologin_unreadable_config_is_grey():
    a = accounts.linux_autologin(recorded(files={"/etc/gdm3/custom.conf": {"error": "denied"}}))
    assert a.enabled is None
    assert A.autologin(CTX, a).status is Status.UNKNOWN


# -- admin rights ----------------------------------------------------------------

GROUP = "root:x:0:\nsudo:x:27:alice,bob\nwheel:x:10:\nalice:x:1000:\n"
PASSWD = (
    "root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\ncarol:x:1001:10::/home/carol:/bin/bash\n"
)


def test_admin_rights_from_group_membership_and_primary_group():
    host = recorded(
        files={"/etc/group": {"text": GROUP}, "/etc/passwd": {"text": PASSWD}, "/etc/sudoers": {"error": "denied"}}
    )
    a = accounts.linux_admin_rights(host)
    assert a.user_is_admin is True
    assert set(a.admins) == {"alice", "bob", "carol"}
    assert a.nopasswd is None and a.notes[0] == "note:unix.sudoers_needs_admin"
    assert A.admin_user(CTX, a).status is Status.WARN


def test_sudoers_nopasswd_for_user_group_and_all():
    assert sudoers.sudo_nopasswd("%sudo ALL=(ALL:ALL) NOPASSWD: ALL\n", "alice", ("sudo",))
    assert sudoers.sudo_nopasswd("alice ALL=(ALL) NOPASSWD:ALL\n", "alice", ())
    assert not sudoers.sudo_nopasswd("# alice ALL=(ALL) NOPASSWD:ALL\n%sudo ALL=(ALL:ALL) ALL\n", "alice", ("sudo",))
    assert not sudoers.sudo_nopasswd("bob ALL=(ALL) NOPASSWD: ALL\n", "alice", ("sudo",))


def test_sudoers_read_as_root_with_dropins():
    host = recorded(
        files={
            "/etc/group": {"text": GROUP},
            "/etc/passwd": {"text": PASSWD},
            "/etc/sudoers": {"text": "root ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n"},
            "/etc/sudoers.d/90-cloud": {"text": "alice ALL=(ALL) NOPASSWD:ALL\n"},
            "/etc/sudoers.d/README": {"text": "alice ALL=(ALL) NOPASSWD:ALL\n"},
        },
        user={"name": "alice", "uid": 1000, "groups": ["alice", "sudo"], "is_admin": True},
    )
    a = accounts.linux_admin_rights(host)
    assert a.nopasswd is True
    assert A.admin_user(CTX, a).status is Status.FAIL


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (AdminRights(user="a", user_is_admin=False, admins=("x", "y")), Status.PASS),
        (AdminRights(user="a", user_is_admin=False, admins=("x", "y", "z")), Status.WARN),
        (AdminRights(user="a", user_is_admin=True), Status.WARN),
        (AdminRights(user="a", user_is_admin=True, nopasswd=True), Status.FAIL),
        (AdminRights(user="a", user_is_admin=True, uac_disabled=True), Status.FAIL),
        (AdminRights(user="a", user_is_admin=None), Status.UNKNOWN),
    ],
)
def test_admin_user_boundaries(facts, expected):
    v = A.admin_user(CTX, facts)
    assert v.status is expected
    assert_text_exists("access.admin_user", v)


# -- local accounts --------------------------------------------------------------


def test_shadow_empty_password_and_extra_uid0():
    host = recorded(
        files={
            "/etc/passwd": {"text": PASSWD + "toor:x:0:0::/root:/bin/sh\n"},
            "/etc/shadow": {"text": "root:$y$j9T$abc:19000::::::\nalice::19000:0:99999:7:::\nbob:!:19000::::::\n"},
        }
    )
    a = accounts.linux_local_accounts(host)
    assert a.empty_password == ("alice",) and a.extra_superusers == ("toor",)
    assert A.local_accounts(CTX, a).status is Status.FAIL


def test_ordinary_user_sees_own_status_only():
    host = recorded(
        files={
            "/etc/passwd": {"text": PASSWD},
            "/etc/shadow": {"error": "denied"},
            "/etc/pam.d/common-auth": fx("debian12-common-auth"),
        },
        commands=[{"argv": ["passwd", "-S", "alice"], "returncode": 0, "stdout": "alice P 2025-05-20 0 99999 7 -1\n"}],
    )
    a = accounts.linux_local_accounts(host)
    assert (a.empty_password, a.self_has_password, a.blank_password_allowed) == (None, True, True)
    v = A.local_accounts(CTX, a)
    # nullok is read from a world-readable file: a verified amber finding, which names what stays unverified.
    assert (v.status, v.key) == (Status.WARN, "nullok_others_unverified")
    no_pw = recorded(
        files={"/etc/passwd": {"text": PASSWD}, "/etc/shadow": {"error": "denied"}},
        commands=[{"argv": ["passwd", "-S", "alice"], "returncode": 0, "stdout": "alice NP 2025-05-20\n"}],
    )
    assert A.local_accounts(CTX, accounts.linux_local_accounts(no_pw)).status is Status.FAIL


@pytest.mark.parametrize(
    ("facts", "platform", "expected"),
    [
        (LocalAccounts(empty_password=()), "linux", Status.PASS),
        (LocalAccounts(empty_password=None), "windows", Status.PASS),
        (LocalAccounts(empty_password=None, guest_enabled=True), "windows", Status.FAIL),
        (LocalAccounts(empty_password=None, builtin_admin_enabled=True), "windows", Status.WARN),
        (LocalAccounts(empty_password=None, no_password_required=("accueil",)), "windows", Status.WARN),
    ],
)
def test_local_accounts_windows_semantics(facts, platform, expected):
    ctx = CheckContext(platform=platform, now=CTX.now, user=CTX.user)
    v = A.local_accounts(ctx, facts)
    assert v.status is expected
    assert_text_exists("access.local_accounts", v)


# -- screen lock -------------------------------------------------------------------


def gsettings_host(idle: str, enabled: str, delay: str, desktop_env: str = "GNOME", lockdown: str = "false"):
    cmds = [
        {"argv": ["gsettings", "get", "org.gnome.desktop.session", "idle-delay"], "stdout": f"uint32 {idle}\n"},
        {"argv": ["gsettings", "get", "org.gnome.desktop.screensaver", "lock-enabled"], "stdout": f"{enabled}\n"},
        {"argv": ["gsettings", "get", "org.gnome.desktop.screensaver", "lock-delay"], "stdout": f"uint32 {delay}\n"},
        {"argv": ["gsettings", "get", "org.gnome.desktop.lockdown", "disable-lock-screen"], "stdout": f"{lockdown}\n"},
    ]
    return recorded(commands=cmds, env={"XDG_CURRENT_DESKTOP": desktop_env})


def test_gnome_screen_lock_defaults():
    s = desktop.linux_screen_lock(gsettings_host("300", "true", "0", "ubuntu:GNOME"))
    assert (s.lock_after_s, s.desktop) == (300, "gnome")
    assert A.screen_lock(CTX, s).status is Status.PASS


def test_gnome_lock_disabled_or_never_idle():
    assert desktop.linux_screen_lock(gsettings_host("300", "false", "0")).lock_after_s == 0
    assert desktop.linux_screen_lock(gsettings_host("0", "true", "0")).lock_after_s == 0
    assert desktop.linux_screen_lock(gsettings_host("300", "true", "0", lockdown="true")).lock_after_s == 0


def test_gsettings_garbage_is_unexpected_output():
    from clinicguard.core.errors import ProbeError

    with pytest.raises(ProbeError) as err:
        desktop.linux_screen_lock(gsettings_host("lots", "true", "0"))
    assert err.value.reason is Reason.UNEXPECTED_OUTPUT


def test_kde_file_and_defaults():
    rc = "[Daemon]\nAutolock=true\nTimeout=20\n"
    host = recorded(files={"/home/alice/.config/kscreenlockerrc": {"text": rc}}, env={"XDG_CURRENT_DESKTOP": "KDE"})
    assert desktop.linux_screen_lock(host).lock_after_s == 1200
    defaults = recorded(env={"XDG_CURRENT_DESKTOP": "KDE"})
    assert desktop.linux_screen_lock(defaults).lock_after_s == 300


def test_no_desktop_is_not_applicable_but_desktop_without_session_is_grey():
    s = desktop.linux_screen_lock(recorded())
    assert A.screen_lock(CTX, s).status is Status.NOT_APPLICABLE
    from clinicguard.core.errors import ProbeError

    with pytest.raises(ProbeError):
        desktop.linux_screen_lock(recorded(files={"/usr/sbin/gdm3": {"text": ""}}))


@pytest.mark.parametrize(
    ("seconds", "ctx", "expected"),
    [
        (None, CTX, Status.UNKNOWN),
        (0, CTX, Status.FAIL),
        (60, CTX, Status.PASS),
        (600, CTX, Status.PASS),
        (601, CTX, Status.WARN),
        (900, CTX, Status.WARN),
        (901, CTX, Status.FAIL),
        (300, SHARED, Status.PASS),
        (301, SHARED, Status.WARN),
        (900, SHARED, Status.WARN),
        (901, SHARED, Status.FAIL),
    ],
)
def test_screen_lock_boundaries(seconds, ctx, expected):
    v = A.screen_lock(ctx, ScreenLock(has_desktop=True, lock_after_s=seconds, lock_enabled=seconds != 0))
    assert v.status is expected
    assert_text_exists("access.screen_lock", v)


# -- browser passwords -------------------------------------------------------------


@pytest.mark.parametrize(
    ("profiles", "ctx", "autologin", "expected"),
    [
        ((), CTX, None, Status.PASS),
        ((BrowserProfile(browser="Chrome", profile="Default", saved_logins=0),), CTX, None, Status.PASS),
        ((BrowserProfile(browser="Chrome", profile="Default", saved_logins=1),), CTX, None, Status.WARN),
        ((BrowserProfile(browser="Chrome", profile="Default", saved_logins=1),), SHARED, None, Status.FAIL),
        ((BrowserProfile(browser="Firefox", profile="x", saved_logins=3),), CTX, AutoLogin(enabled=True), Status.FAIL),
        (
            (BrowserProfile(browser="Chrome", profile="Default", saved_logins=None, error="denied"),),
            CTX,
            None,
            Status.UNKNOWN,
        ),
        (
            (
                BrowserProfile(browser="Chrome", profile="Default", saved_logins=None, error="denied"),
                BrowserProfile(browser="Firefox", profile="x", saved_logins=2),
            ),
            CTX,
            None,
            Status.WARN,
        ),
    ],
)
def test_browser_password_boundaries(profiles, ctx, autologin, expected):
    v = A.browser_passwords(ctx, BrowserPasswords(profiles=profiles), autologin)
    assert v.status is expected
    assert_text_exists("access.browser_passwords", v)
