"""The user profiles of a workstation: whose folders the triage looks at.

A care-station PC has many accounts (each nurse, the night shift, a shared
account, the administrator); a stealer lands in the profile of whoever opened
the lure. With administrator rights every real profile is examined; without,
only the current one, and the others are named as not examined.

Windows: the ProfileList registry key (one sub-key per SID) and the folders of
``C:\\Users``. Linux: accounts of /etc/passwd with a login shell and a real
home (UID from UID_MIN of /etc/login.defs, 1000 by default), plus any folder
of /home (accounts from a directory service are not in /etc/passwd). macOS:
the folders of /Users that belong to an account (``dscl``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clinicguard.host import FileMissing, Host, HostError

PROFILE_LIST = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList"
# Folders of C:\Users that are templates or shared, never a person's profile.
WINDOWS_NOT_PROFILES = {
    "default": "default",
    "default user": "default",
    "defaultuser0": "default",
    "defaultapppool": "service",
    "all users": "default",
    "public": "public",
    "desktop.ini": "",
    "wdagutilityaccount": "service",
}
# SIDs of the system and of services: S-1-5-18 LocalSystem, -19 LocalService, -20 NetworkService,
# S-1-5-80 services, -82 IIS application pools, -83 virtual machines, -90 window manager, -96 font driver.
SERVICE_SID = re.compile(r"^S-1-5-(18|19|20|80|82|83|90|96)(-|$)", re.IGNORECASE)
# People: local and domain accounts (S-1-5-21-...) and Entra ID / Azure AD accounts (S-1-12-1-...).
PERSON_SID = re.compile(r"^S-1-(5-21|12-1)-[\d-]+$", re.IGNORECASE)
NO_LOGIN_SHELLS = ("nologin", "false", "sync", "halt", "shutdown")
LINUX_NOT_PROFILES = {"lost+found": "", "aquota.user": "", "aquota.group": ""}
MACOS_NOT_PROFILES = {"shared": "public", ".localized": "", "deleted users": "default", "guest": "default"}
DEFAULT_UID_MIN = 1000
MACOS_UID_MIN = 501
NOBODY_UIDS = (65534, 4294967294)


def _norm(path: str) -> str:
    return path.replace("\\", "/").rstrip("/")


@dataclass(frozen=True)
class Profile:
    """One person's profile: an account name and its home folder ("/" separated)."""

    name: str
    home: str
    sid: str = ""
    uid: int | None = None
    current: bool = False
    registered: bool = True  # False: a folder left without an account (deleted account, directory user)
    network: bool = False  # the home is on a network share (UNC path or a central roaming profile)


@dataclass(frozen=True)
class ProfileSet:
    profiles: tuple[Profile, ...]  # the current profile first
    skipped: tuple[tuple[str, str], ...]  # (name, reason word) of folders and accounts left aside
    admin: bool  # the run has the rights to examine the other profiles
    error: str = ""  # why the list may be incomplete

    @property
    def current(self) -> Profile | None:
        return next((p for p in self.profiles if p.current), None)

    @property
    def others(self) -> tuple[Profile, ...]:
        return tuple(p for p in self.profiles if not p.current)


def _same(a: str, b: str, platform: str) -> bool:
    return a.lower() == b.lower() if platform == "windows" else a == b


def _finish(host: Host, found: list[Profile], skipped: list[tuple[str, str]], errors: list[str]) -> ProfileSet:
    """Mark the current profile, put it first, and add it if the lists missed it."""
    user = host.user()
    platform = host.platform
    home = _norm(user.home or "")
    out: list[Profile] = []
    current: Profile | None = None
    for p in found:
        if current is None and (
            (home and _same(p.home, home, platform)) or (not home and _same(p.name, user.name, platform))
        ):
            current = Profile(p.name, p.home, p.sid, p.uid, True, p.registered, p.network)
        else:
            out.append(p)
    if current is None:
        current = Profile(user.name, home, user.sid, user.uid, current=True)
    seen: set[str] = set()
    unique = []
    for p in out:
        key = p.home.lower() if platform == "windows" else p.home
        if key not in seen and key != (current.home.lower() if platform == "windows" else current.home):
            seen.add(key)
            unique.append(p)
    unique.sort(key=lambda p: p.name.lower())
    return ProfileSet((current, *unique), tuple(sorted(set(skipped))), bool(user.is_admin), "; ".join(errors))


# -- Windows -------------------------------------------------------------------


def _expand(host: Host, path: str) -> str:
    def var(m: re.Match[str]) -> str:
        name = m.group(1)
        value = host.env(name) or host.env(name.upper())
        if value is None and name.lower() == "systemdrive":
            value = "C:"
        if value is None and name.lower() == "systemroot":
            value = "C:/Windows"
        return value if value is not None else m.group(0)

    return _norm(re.sub(r"%([^%]+)%", var, path))


def windows_profiles(host: Host) -> ProfileSet:
    found: list[Profile] = []
    skipped: list[tuple[str, str]] = []
    errors: list[str] = []
    users_dir = ""
    registered_homes: set[str] = set()
    try:
        sids = host.registry_subkeys(PROFILE_LIST)
    except HostError as exc:
        sids = []
        errors.append(f"ProfileList: {exc}")
    else:
        try:
            top = {k.lower(): v for k, v in host.registry_values(PROFILE_LIST).items()}
            if isinstance(top.get("profilesdirectory"), str):
                users_dir = _expand(host, str(top["profilesdirectory"]))
        except HostError:
            pass
    for sid in sids:
        try:
            vals = {k.lower(): v for k, v in host.registry_values(f"{PROFILE_LIST}\\{sid}").items()}
        except HostError as exc:
            errors.append(f"{sid}: {exc}")
            continue
        raw = vals.get("profileimagepath")
        home = _expand(host, raw) if isinstance(raw, str) else ""
        name = home.rsplit("/", 1)[-1] if home else sid
        if sid.lower().endswith(".bak"):
            skipped.append((name, "backup_copy"))
            continue
        if SERVICE_SID.match(sid):
            skipped.append((name if name != sid else sid, "system" if sid.startswith("S-1-5-18") else "service"))
            continue
        if not PERSON_SID.match(sid):
            skipped.append((name, "service"))
            continue
        if not home:
            skipped.append((sid, "no_home"))
            continue
        network = home.startswith("//")  # a roaming profile keeps a local copy; a UNC home does not
        registered_homes.add(home.lower())
        found.append(Profile(name, home, sid=sid, network=network))
    if not users_dir:
        user_home = _norm(host.env("USERPROFILE") or host.user().home or "")
        users_dir = user_home.rsplit("/", 1)[0] if "/" in user_home else "C:/Users"
    try:
        names = host.listdir(users_dir)
    except HostError as exc:
        names = []
        errors.append(f"{users_dir}: {exc}")
    for name in names:
        low = name.lower()
        if low in WINDOWS_NOT_PROFILES:
            if WINDOWS_NOT_PROFILES[low]:
                skipped.append((name, WINDOWS_NOT_PROFILES[low]))
            continue
        home = f"{users_dir}/{name}"
        if home.lower() in registered_homes:
            continue
        if not host.exists(home):
            continue
        # A profile folder no account claims: a deleted account's left-overs or a temporary profile.
        found.append(Profile(name, home, registered=False))
    return _finish(host, found, skipped, errors)


# -- Linux ----------------------------------------------------------------------


def _uid_min(host: Host) -> int:
    try:
        text = host.read_text("/etc/login.defs", limit=256 * 1024)
    except HostError:
        return DEFAULT_UID_MIN
    m = re.search(r"^\s*UID_MIN\s+(\d+)", text, re.M)
    return int(m.group(1)) if m else DEFAULT_UID_MIN


def parse_passwd_homes(text: str) -> list[tuple[str, int, str, str]]:
    """/etc/passwd -> (name, uid, home, shell); malformed lines are left out."""
    out = []
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) < 7 or line.startswith(("#", "+", "-")):
            continue
        try:
            uid = int(parts[2])
        except ValueError:
            continue
        out.append((parts[0], uid, _norm(parts[5]) or "/", parts[6].strip()))
    return out


def linux_profiles(host: Host) -> ProfileSet:
    found: list[Profile] = []
    skipped: list[tuple[str, str]] = []
    errors: list[str] = []
    uid_min = _uid_min(host)
    homes: set[str] = set()
    try:
        accounts = parse_passwd_homes(host.read_text("/etc/passwd", limit=8 * 1024 * 1024))
    except HostError as exc:
        accounts = []
        errors.append(f"/etc/passwd: {exc}")
    for name, uid, home, shell in accounts:
        if uid < uid_min or uid in NOBODY_UIDS:
            continue  # system accounts are not listed as skipped: there are dozens
        homes.add(home)
        if shell.rsplit("/", 1)[-1] in NO_LOGIN_SHELLS:
            skipped.append((name, "no_login"))
            continue
        if home in ("/", "/nonexistent", "/dev/null") or not host.exists(home):
            skipped.append((name, "no_home"))
            continue
        found.append(Profile(name, home, uid=uid))
    try:
        names = host.listdir("/home")
    except FileMissing:
        names = []
    except HostError as exc:
        names = []
        errors.append(f"/home: {exc}")
    for name in names:
        home = f"/home/{name}"
        if name in LINUX_NOT_PROFILES or home in homes or not host.exists(home):
            continue
        found.append(Profile(name, home, registered=False))
    return _finish(host, found, skipped, errors)


# -- macOS ----------------------------------------------------------------------


def _dscl_pairs(host: Host, attribute: str) -> dict[str, str]:
    res = host.run(["dscl", ".", "-list", "/Users", attribute], timeout=10)
    if res.returncode != 0:
        raise HostError(f"dscl -list /Users {attribute}: exit code {res.returncode}")
    out = {}
    for line in res.stdout.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2:
            out[parts[0]] = parts[1].strip()
    return out


def macos_profiles(host: Host) -> ProfileSet:
    found: list[Profile] = []
    skipped: list[tuple[str, str]] = []
    errors: list[str] = []
    try:
        uids = {n: int(u) for n, u in _dscl_pairs(host, "UniqueID").items() if u.lstrip("-").isdigit()}
    except HostError as exc:
        uids = {}
        errors.append(str(exc))
    try:
        homes = {n: _norm(h) for n, h in _dscl_pairs(host, "NFSHomeDirectory").items()}
    except HostError:
        homes = {}
    by_home = {homes.get(n, f"/Users/{n}"): n for n, uid in uids.items() if uid >= MACOS_UID_MIN}
    try:
        names = host.listdir("/Users")
    except HostError as exc:
        names = []
        errors.append(f"/Users: {exc}")
    for name in names:
        home = f"/Users/{name}"
        account = by_home.get(home)
        if account is None and name.lower() in MACOS_NOT_PROFILES:
            if MACOS_NOT_PROFILES[name.lower()]:
                skipped.append((name, MACOS_NOT_PROFILES[name.lower()]))
            continue
        if not host.exists(home):
            continue
        if account is None:
            if uids:
                skipped.append((name, "no_account"))
                continue
            account = name  # accounts could not be listed: keep the folder rather than drop it
        found.append(Profile(account, home, uid=uids.get(account)))
    return _finish(host, found, skipped, errors)


def enumerate_profiles(host: Host) -> ProfileSet:
    """Every real user profile of the machine, the current one first; never raises."""
    try:
        if host.platform == "windows":
            return windows_profiles(host)
        if host.platform == "macos":
            return macos_profiles(host)
        return linux_profiles(host)
    except Exception as exc:  # noqa: BLE001 - an odd machine leaves the current profile, and says why
        return _finish(host, [], [], [f"{type(exc).__name__}: {exc}"])
