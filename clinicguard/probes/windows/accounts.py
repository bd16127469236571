"""Password policy, automatic logon, administrators and local accounts."""

from __future__ import annotations

import logging
import re

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import AdminRights, AutoLogin, LocalAccounts, PasswordPolicy
from clinicguard.core.model import Reason
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.windows import native, ps, reg, text
from clinicguard.probes.windows.decode import (
    ADMINISTRATORS_SID,
    RID_ADMINISTRATOR,
    RID_DEFAULT_ACCOUNT,
    RID_GUEST,
    RID_WDAG,
    is_rid,
    rid,
)

log = logging.getLogger(__name__)

NET_ACCOUNTS = ["net", "accounts"]
WHOAMI_GROUPS = ["whoami", "/groups", "/fo", "csv", "/nh"]
# Winlogon values holding a logon password in clear: presence only, never the value.
SECRET_VALUES = ("defaultpassword", "altdefaultpassword")
# Notes that are keys of the [value] table (translated when shown).
NOTE_COMPLEXITY_NEEDS_ADMIN = "windows_complexity_needs_admin"
NOTE_ADMIN_THROUGH_GROUP = "windows_admin_through_group"
ACCESS_DENIED_RE = re.compile(r"\b(error|erreur)\b\D{0,12}\b5\b|denied|refusé", re.IGNORECASE)


def run_oem(host: Host, argv: list[str]):  # type: ignore[no-untyped-def]
    """Run a console program and decode its output in the OEM code page."""
    res = host.run(argv, timeout=10.0, encoding=reg.oem_encoding(host))  # type: ignore[call-arg]
    if res.returncode != 0:
        message = ps.first_line(res.stderr or res.stdout)
        # "System error 5" / "Erreur système 5": the number is the same in every language.
        denied = bool(ACCESS_DENIED_RE.search(res.stderr or res.stdout))
        raise ProbeError(
            Reason.NEEDS_ADMIN if denied else Reason.UNEXPECTED_OUTPUT,
            f"{' '.join(argv)}: exit {res.returncode}: {message}",
        )
    return res


def _secpol_complexity(host: Host, notes: list[str]) -> bool | None:
    try:
        lines = ps.section(host, "secpol").get("lines") or []
    except ProbeError as exc:
        notes.append(NOTE_COMPLEXITY_NEEDS_ADMIN if exc.reason is Reason.NEEDS_ADMIN else f"secedit: {exc.detail}")
        return None
    values = text.parse_secedit([str(x) for x in lines])
    if "PasswordComplexity" not in values:
        notes.append("secedit: PasswordComplexity missing")
        return None
    return values["PasswordComplexity"] == 1


@probe("password_policy", "windows")
def windows_password_policy(host: Host) -> PasswordPolicy:
    notes: list[str] = []
    if (ps.optional_section(host, "computer") or {}).get("part_of_domain"):
        # Domain accounts follow the domain's policy; the local one covers local accounts only.
        notes.append("windows_domain_joined")
    if native.is_native(host):
        try:
            info = native.net_user_modals()
        except OSError as exc:
            log.info("NetUserModalsGet failed, falling back to net accounts: %s", exc)
        else:
            return PasswordPolicy(
                min_length=info.min_length,
                lockout_threshold=info.lockout_threshold,
                max_age_days=info.max_age_days,
                complexity=_secpol_complexity(host, notes),
                sources=("NetUserModalsGet",),
                notes=tuple(notes),
            )
    res = run_oem(host, NET_ACCOUNTS)
    parsed = text.parse_net_accounts(res.stdout)
    return PasswordPolicy(
        min_length=parsed.min_length,
        lockout_threshold=parsed.lockout,
        max_age_days=parsed.max_age_days,
        complexity=_secpol_complexity(host, notes),
        sources=("net accounts",),
        notes=tuple(notes),
    )


@probe("autologin", "windows")
def windows_autologin(host: Host) -> AutoLogin:
    vals = reg.values(host, reg.WINLOGON)
    if vals is None:
        raise ProbeError(Reason.NOT_FOUND, f"{reg.WINLOGON} not found")
    # Keep the presence of a stored password, drop its value at once.
    stored = any(name in vals and vals[name] not in (None, "") for name in SECRET_VALUES)
    for name in SECRET_VALUES:
        vals.pop(name, None)
    enabled = reg.get_str(vals, "AutoAdminLogon") == "1"
    notes = []
    count = reg.get_int(vals, "AutoLogonCount")
    if enabled and count is not None:
        notes.append(f"AutoLogonCount={count}")
    if enabled and not stored:
        notes.append("windows_autologon_lsa_secret")
    domain = reg.get_str(vals, "DefaultDomainName")
    user = reg.get_str(vals, "DefaultUserName")
    return AutoLogin(
        enabled=enabled,
        user=(f"{domain}\\{user}" if domain and user else user) if enabled else "",
        password_stored=stored,
        sources=(reg.WINLOGON,),
        notes=tuple(notes),
    )


def _uac_disabled(host: Host) -> bool | None:
    try:
        vals = reg.values(host, reg.POLICIES_SYSTEM)
    except HostError:
        return None
    lua = reg.get_int(vals, "EnableLUA")
    return lua == 0 if vals is not None else False


def enabled_members(members: list[dict], users: list[dict] | None, notes: list[str]) -> tuple[str, ...]:
    """Names of the Administrators members, without disabled local accounts (matched by SID)."""
    disabled = {str(u.get("sid")) for u in users or [] if u.get("enabled") is False}
    kept: list[str] = []
    dropped: list[str] = []
    for m in members:
        name = str(m.get("name", ""))
        if name:
            (dropped if str(m.get("sid", "")) in disabled else kept).append(name)
    if dropped:
        notes.append("Enabled=False: " + ", ".join(sorted(dropped)))
    return tuple(sorted(kept))


def _same_account(member: str, user: str) -> bool:
    """'POSTE\\alice' or 'alice' is the user 'alice' (names compare without case)."""
    return member.lower().rsplit("\\", 1)[-1] == user.lower().rsplit("\\", 1)[-1]


@probe("admin_rights", "windows")
def windows_admin_rights(host: Host) -> AdminRights:
    user = host.user().name
    sources: list[str] = []
    notes: list[str] = []
    user_is_admin: bool | None = None
    try:
        sids = text.parse_whoami_groups(run_oem(host, WHOAMI_GROUPS).stdout)
        user_is_admin = ADMINISTRATORS_SID in sids
        sources.append("whoami /groups")
    except (HostError, ProbeError) as exc:
        notes.append(f"whoami: {exc.detail}")
    admins: tuple[str, ...] | None = None
    try:
        members = ps.section(host, "admins")
        if members:  # an empty Administrators group is an error, not "no admin"
            admins = enabled_members(members, ps.optional_section(host, "local_users"), notes)
            sources.append("Get-LocalGroupMember -SID S-1-5-32-544")
    except ProbeError as exc:
        notes.append(exc.detail)
    if user_is_admin is None and admins is None:
        raise ProbeError(Reason.NOT_READABLE, "; ".join(notes) or "administrators not readable")
    if user_is_admin is None and admins is not None and user:
        user_is_admin = any(_same_account(a, user) for a in admins)
    if user_is_admin and admins is not None and user and not any(_same_account(a, user) for a in admins):
        # whoami sees the Administrators SID in the token, the member list does not name the user:
        # the rights come through a group (domain, Entra ID) or an unresolved SID. List the user
        # anyway, so that the evidence never says "admin: yes" beside "administrators: none".
        admins = tuple(sorted((*admins, user)))
        notes.append(NOTE_ADMIN_THROUGH_GROUP)
    if ps.elevated(host):
        notes.append("windows_elevated_groups")
    uac = _uac_disabled(host)
    sources.append(reg.POLICIES_SYSTEM)
    return AdminRights(
        user=user,
        user_is_admin=user_is_admin,
        admins=admins,
        uac_disabled=uac,
        sources=tuple(sources),
        notes=tuple(notes),
    )


@probe("local_accounts", "windows")
def windows_local_accounts(host: Host) -> LocalAccounts:
    users = ps.section(host, "local_users")
    if not users:
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, "Get-LocalUser returned no account")
    guest = admin = None
    no_pw: list[str] = []
    for u in users:
        sid, name, enabled = str(u.get("sid", "")), str(u.get("name", "")), bool(u.get("enabled"))
        if is_rid(sid, RID_GUEST):
            guest = enabled
        elif is_rid(sid, RID_ADMINISTRATOR):
            admin = enabled
        if (
            enabled
            and u.get("password_required") is False
            and rid(sid) not in (RID_GUEST, RID_DEFAULT_ACCOUNT, RID_WDAG)
        ):
            no_pw.append(name)
    notes = []
    if no_pw:
        notes.append("windows_password_not_required")
    return LocalAccounts(
        # Whether a password is really empty cannot be read on Windows.
        empty_password=None,
        guest_enabled=guest,
        builtin_admin_enabled=admin,
        no_password_required=tuple(sorted(no_pw)),
        sources=("Get-LocalUser",),
        notes=tuple(notes),
    )
