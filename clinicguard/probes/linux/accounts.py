"""Automatic login, administrator rights and local accounts on Linux."""

from __future__ import annotations

from clinicguard.core.facts import AdminRights, AutoLogin, LocalAccounts
from clinicguard.host import AccessDenied, Host, HostError
from clinicguard.i18n import note
from clinicguard.probes import probe
from clinicguard.probes.common import is_true, list_conf_d, parse_ini, read_optional
from clinicguard.probes.linux.pam import parse_pam
from clinicguard.probes.sudoers import read_sudo_nopasswd

ADMIN_GROUPS = ("sudo", "wheel", "admin")
GDM_FILES = ("/etc/gdm3/custom.conf", "/etc/gdm3/daemon.conf", "/etc/gdm/custom.conf")
SDDM_FILES = ("/etc/sddm.conf",)


def _autologin_gdm(text: str) -> tuple[bool, str]:
    daemon = parse_ini(text).get("daemon", {})
    user = daemon.get("AutomaticLogin", "") or daemon.get("TimedLogin", "")
    enabled = is_true(daemon.get("AutomaticLoginEnable")) or is_true(daemon.get("TimedLoginEnable"))
    return enabled, user


def _autologin_lightdm(text: str) -> tuple[bool, str]:
    for name, section in parse_ini(text).items():
        if name.startswith("Seat") and section.get("autologin-user"):
            return True, section["autologin-user"]
    return False, ""


def _autologin_sddm(text: str) -> tuple[bool, str]:
    user = parse_ini(text).get("Autologin", {}).get("User", "")
    return bool(user), user


@probe("autologin", "linux")
def linux_autologin(host: Host) -> AutoLogin:
    sources: list[str] = []
    candidates: list[tuple[str, object]] = [(p, _autologin_gdm) for p in GDM_FILES]
    lightdm = [
        "/etc/lightdm/lightdm.conf",
        *list_conf_d(host, "/usr/share/lightdm/lightdm.conf.d"),
        *list_conf_d(host, "/etc/lightdm/lightdm.conf.d"),
    ]
    candidates += [(p, _autologin_lightdm) for p in lightdm]
    candidates += [(p, _autologin_sddm) for p in [*SDDM_FILES, *list_conf_d(host, "/etc/sddm.conf.d")]]
    enabled, user = False, ""
    unreadable = []
    for path, parser in candidates:
        try:
            text = read_optional(host, path)
        except AccessDenied:
            unreadable.append(path)
            continue
        if text is None:
            continue
        sources.append(path)
        on, who = parser(text)  # type: ignore[operator]
        if on:
            enabled, user = True, who or user
    # A console login with agetty --autologin also opens a session without a password.
    for path in list_conf_d(host, "/etc/systemd/system/getty@tty1.service.d"):
        text = read_optional(host, path) or ""
        if "--autologin" in text:
            sources.append(path)
            enabled = True
            parts = text.split("--autologin", 1)[1].split()
            user = user or (parts[0] if parts else "")
    if not enabled and unreadable:
        return AutoLogin(enabled=None, sources=tuple(sources), notes=tuple(f"unreadable: {p}" for p in unreadable))
    return AutoLogin(enabled=enabled, user=user, password_stored=False if enabled else None, sources=tuple(sources))


def parse_group(text: str) -> dict[str, tuple[int, tuple[str, ...]]]:
    """/etc/group -> name: (gid, members)."""
    out = {}
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) >= 4 and parts[2].strip().isdigit():
            members = tuple(m for m in parts[3].strip().split(",") if m)
            out[parts[0]] = (int(parts[2]), members)
    return out


def parse_passwd(text: str) -> list[tuple[str, int, int, str]]:
    """/etc/passwd -> (name, uid, gid, shell)."""
    out = []
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) >= 7 and parts[2].isdigit() and parts[3].isdigit():
            out.append((parts[0], int(parts[2]), int(parts[3]), parts[6].strip()))
    return out


@probe("admin_rights", "linux")
def linux_admin_rights(host: Host) -> AdminRights:
    user = host.user()
    sources = ["/etc/group"]
    group_text = host.read_text("/etc/group")
    groups = parse_group(group_text)
    passwd = parse_passwd(read_optional(host, "/etc/passwd") or "")
    admin_gids = {groups[g][0]: g for g in ADMIN_GROUPS if g in groups}
    admins: set[str] = set()
    for g in ADMIN_GROUPS:
        if g in groups:
            admins.update(groups[g][1])
    admins.update(name for name, _uid, gid, _sh in passwd if gid in admin_gids)
    user_groups = set(user.groups)
    for g in ADMIN_GROUPS:
        if user.name in groups.get(g, (0, ()))[1]:
            user_groups.add(g)
    is_admin = user.uid == 0 or bool(user_groups & set(ADMIN_GROUPS))
    notes: list[str] = []
    nopasswd, nopasswd_source = read_sudo_nopasswd(host, user.name, tuple(user_groups), sources, notes)
    return AdminRights(
        user=user.name,
        user_is_admin=is_admin,
        admins=tuple(sorted(admins)),
        nopasswd=nopasswd,
        nopasswd_source=nopasswd_source,
        sources=tuple(sources),
        notes=tuple(notes),
    )


@probe("local_accounts", "linux")
def linux_local_accounts(host: Host) -> LocalAccounts:
    user = host.user()
    sources = ["/etc/passwd"]
    passwd = parse_passwd(host.read_text("/etc/passwd"))
    extra_root = tuple(name for name, uid, _gid, _sh in passwd if uid == 0 and name != "root")
    empty: tuple[str, ...] | None = None
    notes: list[str] = []
    try:
        shadow = host.read_text("/etc/shadow")
        sources.append("/etc/shadow")
        empty = tuple(
            parts[0] for parts in (ln.split(":") for ln in shadow.splitlines()) if len(parts) > 1 and parts[1] == ""
        )
    except AccessDenied:
        notes.append(note("linux.shadow_needs_admin"))
    self_has_password: bool | None = None
    try:
        res = host.run(["passwd", "-S", user.name], timeout=5)
        fields = res.stdout.split()
        if res.returncode == 0 and len(fields) >= 2 and fields[0] == user.name:
            self_has_password = fields[1] != "NP"
            sources.append(f"passwd -S {user.name}")
    except HostError:
        pass
    nullok: bool | None = None
    for path in ("/etc/pam.d/common-auth", "/etc/pam.d/system-auth"):
        text = read_optional(host, path)
        if text is not None:
            sources.append(path)
            nullok = any(ln.module == "pam_unix.so" and "nullok" in ln.args for ln in parse_pam(text))
            break
    return LocalAccounts(
        empty_password=empty,
        extra_superusers=extra_root,
        self_has_password=self_has_password,
        blank_password_allowed=nullok,
        sources=tuple(sources),
        notes=tuple(notes),
    )
