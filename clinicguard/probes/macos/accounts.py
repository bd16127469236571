"""Automatic login, administrator rights and local accounts on macOS."""

from __future__ import annotations

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import AdminRights, AutoLogin, LocalAccounts
from clinicguard.core.model import Reason
from clinicguard.core.notes import note
from clinicguard.host import AccessDenied, Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.common import run_ok
from clinicguard.probes.macos.disk import filevault_state
from clinicguard.probes.macos.plists import DSCL, LOGINWINDOW, bool_or_none, with_managed
from clinicguard.probes.macos.pwpolicy import read_policy
from clinicguard.probes.sudoers import read_sudo_nopasswd

KCPASSWORD = "/etc/kcpassword"  # the auto-login password, merely obfuscated (root-only file)
ADMIN_GROUP = "admin"
# Built-in accounts that belong to the admin group on every Mac.
BUILTIN_ADMINS = ("root",)


def loginwindow(host: Host, sources: list[str]) -> dict:
    return with_managed(host, LOGINWINDOW, sources)


@probe("autologin", "macos")
def macos_autologin(host: Host) -> AutoLogin:
    sources: list[str] = []
    try:
        prefs = loginwindow(host, sources)
    except AccessDenied:
        return AutoLogin(enabled=None, notes=(note("unix.unreadable", path=LOGINWINDOW),))
    user = str(prefs.get("autoLoginUser") or "")
    stored = host.exists(KCPASSWORD)
    if stored:
        sources.append(KCPASSWORD)
    notes: list[str] = []
    if bool_or_none(prefs.get("com.apple.login.mcx.DisableAutoLoginClient")):
        notes.append("macos_autologin_disabled_by_profile")
        return AutoLogin(enabled=False, sources=tuple(sources), notes=tuple(notes))
    if not user:
        return AutoLogin(enabled=False, sources=tuple(sources or [LOGINWINDOW]))
    # With FileVault on, macOS asks for a password at start-up whatever autoLoginUser says.
    try:
        if filevault_state(host)[0] is True:
            notes += [f"autoLoginUser={user}", "macos_autologin_ignored_filevault"]
            if stored:
                notes.append("macos_kcpassword_present")
            return AutoLogin(enabled=False, sources=(*sources, "fdesetup status"), notes=tuple(notes))
    except (HostError, ProbeError):
        pass
    return AutoLogin(enabled=True, user=user, password_stored=stored, sources=tuple(sources), notes=tuple(notes))


def parse_dscl_attribute(text: str, attribute: str) -> list[str] | None:
    """Values of one attribute in `dscl . -read` output (long values wrap onto indented lines)."""
    values: list[str] | None = None
    for line in text.splitlines():
        if line.startswith(f"{attribute}:"):
            values = line.split(":", 1)[1].split()
        elif values is not None and line.startswith(" "):
            values += line.split()
        elif values is not None:
            break
    return values


def parse_dscl_list(text: str) -> dict[str, int]:
    """`dscl . -list /Users UniqueID` -> {name: uid}."""
    out: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("-").isdigit():
            out[parts[0]] = int(parts[1])
    return out


@probe("admin_rights", "macos")
def macos_admin_rights(host: Host) -> AdminRights:
    user = host.user()
    sources: list[str] = []
    notes: list[str] = []
    admins: tuple[str, ...] | None = None
    members: list[str] = []
    try:
        res = run_ok(host, [DSCL, ".", "-read", f"/Groups/{ADMIN_GROUP}", "GroupMembership"], timeout=5)
        found = parse_dscl_attribute(res.stdout, "GroupMembership")
        if found is not None:
            members = found
            admins = tuple(sorted(m for m in set(found) if m not in BUILTIN_ADMINS))
            sources.append("dscl . -read /Groups/admin GroupMembership")
    except (HostError, ProbeError) as exc:
        notes.append(f"dscl: {exc.detail}")
    groups = set(user.groups)
    if not groups:
        try:
            groups = set(run_ok(host, ["/usr/bin/id", "-Gn", user.name], timeout=5).stdout.split())
            sources.append(f"id -Gn {user.name}")
        except (HostError, ProbeError):
            pass
    elif ADMIN_GROUP in groups:
        sources.append("getgroups()")  # the session's own groups
    if admins is None and not groups:
        raise ProbeError(Reason.NOT_READABLE, note("macos.no_group_source") + ": " + "; ".join(notes))
    is_admin = user.uid == 0 or user.name in members or ADMIN_GROUP in groups
    nopasswd, nopasswd_source = read_sudo_nopasswd(
        host, user.name, tuple(groups | {ADMIN_GROUP} if is_admin else groups), sources, notes
    )
    return AdminRights(
        user=user.name,
        user_is_admin=is_admin,
        admins=admins,
        nopasswd=nopasswd,
        nopasswd_source=nopasswd_source,
        sources=tuple(sources),
        notes=tuple(notes),
    )


def root_enabled(host: Host) -> bool | None:
    """The root account is enabled when it has a password (a ShadowHash authority)."""
    try:
        res = host.run([DSCL, ".", "-read", "/Users/root", "AuthenticationAuthority"], timeout=5)
    except HostError:
        return None
    text = res.stdout + res.stderr
    if "ShadowHash" in text:
        return True
    if "No such key" in text:
        return False
    return None


@probe("local_accounts", "macos")
def macos_local_accounts(host: Host) -> LocalAccounts:
    sources = ["dscl . -list /Users UniqueID"]
    notes: list[str] = []
    users = parse_dscl_list(run_ok(host, [DSCL, ".", "-list", "/Users", "UniqueID"], timeout=5).stdout)
    if not users:
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, "dscl . -list /Users UniqueID: no account listed")
    extra_root = tuple(sorted(name for name, uid in users.items() if uid == 0 and name != "root"))
    guest: bool | None = None
    try:
        prefs = loginwindow(host, sources)
        guest = bool_or_none(prefs.get("GuestEnabled"))
        if bool_or_none(prefs.get("DisableGuestAccount")):
            guest = False
    except AccessDenied:
        notes.append(note("unix.unreadable", path=LOGINWINDOW))
    if guest is None and not notes:
        # No GuestEnabled key: the Guest record only exists while the account is on.
        guest = "Guest" in users
    blank_allowed: bool | None = None
    try:
        blank_allowed = read_policy(host).empty_allowed
        sources.append("pwpolicy -getaccountpolicies")
    except (HostError, ProbeError):
        pass
    # Whether a password is empty is only known by trying it, which counts as a failed
    # login; clinicguard never does that, so empty_password stays unknown.
    notes.append("macos_empty_passwords_undetectable")
    return LocalAccounts(
        empty_password=None,
        extra_superusers=extra_root,
        guest_enabled=guest,
        builtin_admin_enabled=root_enabled(host),
        blank_password_allowed=blank_allowed,
        sources=tuple(sources),
        notes=tuple(notes),
    )
