"""Checks of the "protect access" theme: passwords, accounts, screen lock."""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.core.facts import AdminRights, AutoLogin, BrowserPasswords, LocalAccounts, PasswordPolicy, ScreenLock
from clinicguard.core.model import Evidence, Reason, Status

# CNIL deliberation 2022-100: 12 characters alone, or 8 with attempts limited.
CNIL_LENGTH_ALONE = 12
CNIL_LENGTH_WITH_LOCKOUT = 8
CNIL_MAX_LOCKOUT = 10


def _src(facts) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(facts.sources)


@check("access.password_policy", facts=("password_policy",))
def password_policy(ctx: CheckContext, p: PasswordPolicy) -> Verdict:
    ev = [Evidence("min_length", str(p.min_length) if p.min_length is not None else "?", _src(p))]
    lockout_text = (
        "?" if p.lockout_threshold is None else ("off" if p.lockout_threshold == 0 else str(p.lockout_threshold))
    )
    ev.append(Evidence("lockout_threshold", lockout_text, _src(p)))
    if p.complexity is not None:
        ev.append(Evidence("complexity", "on" if p.complexity else "off", _src(p)))
    if p.max_age_days is not None:
        ev.append(Evidence("max_age_days", str(p.max_age_days), _src(p)))
    ev += [Evidence("technical_note", n) for n in p.notes]
    length, lockout = p.min_length, p.lockout_threshold
    if ctx.platform == "macos" and "macos_no_account_policy" in p.notes:
        # An unmanaged Mac sets no rule but still slows down repeated login
        # attempts by itself: amber, not red (reference os-checks.md section 1).
        return verdict(Status.WARN, "macos_no_policy", ev)
    if ctx.platform == "macos" and "macos_default_policy_only" in p.notes:
        # The same unmanaged Mac as above, on releases that report Apple's
        # own 4-character FileVault rule: still nobody's policy, still amber.
        return verdict(Status.WARN, "macos_default_only", ev, length=length if length is not None else "?")
    if length is None:
        return unknown(Reason.NOT_READABLE, "length_unknown", evidence=ev)
    if length < CNIL_LENGTH_WITH_LOCKOUT:
        return verdict(Status.FAIL, "too_short", ev, length=length)
    lockout_ok = lockout is not None and 1 <= lockout <= CNIL_MAX_LOCKOUT
    if length >= CNIL_LENGTH_ALONE:
        if lockout_ok:
            if p.complexity is None:
                return verdict(Status.WARN, "complexity_unknown", ev, length=length, lockout=lockout)
            return verdict(Status.PASS, "ok_long", ev, length=length, lockout=lockout)
        if lockout is None:
            return verdict(Status.WARN, "long_lockout_unknown", ev, length=length)
        return verdict(Status.WARN, "long_no_lockout", ev, length=length)
    # 8 to 11 characters: acceptable only when attempts are limited.
    if lockout_ok:
        return verdict(Status.PASS, "ok_with_lockout", ev, length=length, lockout=lockout)
    if lockout is None:
        return unknown(Reason.NOT_READABLE, "medium_lockout_unknown", evidence=ev, length=length)
    if lockout == 0:
        return verdict(Status.FAIL, "medium_no_lockout", ev, length=length)
    return verdict(Status.WARN, "medium_weak_lockout", ev, length=length, lockout=lockout)


@check("access.autologin", facts=("autologin",))
def autologin(ctx: CheckContext, a: AutoLogin) -> Verdict:
    ev = [Evidence("autologin", "unknown" if a.enabled is None else ("on" if a.enabled else "off"), _src(a))]
    if a.user:
        ev.append(Evidence("autologin_user", a.user, _src(a)))
    if a.password_stored:
        ev.append(Evidence("autologin_password_stored", "yes", _src(a)))
    ev += [Evidence("technical_note", n) for n in a.notes]
    if a.enabled is None:
        return unknown(Reason.NOT_READABLE, "unknown", evidence=ev)
    if a.enabled:
        key = "on_password_stored" if a.password_stored else "on"
        return verdict(Status.FAIL, key, ev, user=a.user or "?")
    return verdict(Status.PASS, "off", ev)


MAX_ADMINS = 2


@check("access.admin_user", facts=("admin_rights",))
def admin_user(ctx: CheckContext, a: AdminRights) -> Verdict:
    ev = [Evidence("user", a.user)]
    if a.user_is_admin is not None:
        ev.append(Evidence("user_is_admin", "yes" if a.user_is_admin else "no", _src(a)))
    if a.admins is not None:
        ev.append(Evidence("admins", ", ".join(a.admins) or "none", _src(a)))
    if a.nopasswd is not None:
        ev.append(Evidence("sudo_nopasswd", "yes" if a.nopasswd else "no", a.nopasswd_source or "sudoers"))
    if a.uac_disabled is not None:
        ev.append(Evidence("uac_disabled", "yes" if a.uac_disabled else "no", _src(a)))
    ev += [Evidence("technical_note", n) for n in a.notes]
    if a.user_is_admin is None:
        return unknown(Reason.NOT_READABLE, "unknown", evidence=ev)
    if a.user_is_admin and a.uac_disabled:
        return verdict(Status.FAIL, "admin_uac_off", ev, user=a.user)
    if a.user_is_admin and a.nopasswd:
        return verdict(Status.FAIL, "admin_nopasswd", ev, user=a.user)
    if a.user_is_admin:
        return verdict(Status.WARN, "admin", ev, user=a.user)
    if a.admins is not None and len(a.admins) > MAX_ADMINS:
        return verdict(Status.WARN, "many_admins", ev, count=len(a.admins))
    if a.nopasswd:
        return verdict(Status.WARN, "nopasswd_other", ev)
    return verdict(Status.PASS, "standard", ev, user=a.user)


@check("access.local_accounts", facts=("local_accounts",))
def local_accounts(ctx: CheckContext, a: LocalAccounts) -> Verdict:
    ev = []
    if a.empty_password is not None:
        ev.append(Evidence("empty_password", ", ".join(a.empty_password) or "none", _src(a)))
    if a.extra_superusers:
        ev.append(Evidence("extra_superusers", ", ".join(a.extra_superusers), _src(a)))
    if a.guest_enabled is not None:
        ev.append(Evidence("guest_enabled", "yes" if a.guest_enabled else "no", _src(a)))
    if a.builtin_admin_enabled is not None:
        ev.append(Evidence("builtin_admin_enabled", "yes" if a.builtin_admin_enabled else "no", _src(a)))
    if a.no_password_required:
        ev.append(Evidence("no_password_required", ", ".join(a.no_password_required), _src(a)))
    if a.self_has_password is not None:
        ev.append(Evidence("self_has_password", "yes" if a.self_has_password else "no", _src(a)))
    if a.blank_password_allowed is not None:
        ev.append(Evidence("blank_password_allowed", "yes" if a.blank_password_allowed else "no", _src(a)))
    ev += [Evidence("technical_note", n) for n in a.notes]
    if a.extra_superusers:
        return verdict(Status.FAIL, "extra_superuser", ev, names=", ".join(a.extra_superusers))
    if a.empty_password:
        return verdict(
            Status.FAIL, "empty_password", ev, names=", ".join(a.empty_password), count=len(a.empty_password)
        )
    if a.self_has_password is False:
        return verdict(Status.FAIL, "self_no_password", ev, user=ctx.user.name)
    if a.guest_enabled:
        return verdict(Status.FAIL, "guest_enabled", ev)
    if a.builtin_admin_enabled:
        return verdict(Status.WARN, "builtin_admin_enabled", ev)
    if a.no_password_required:
        return verdict(
            Status.WARN,
            "no_password_required",
            ev,
            names=", ".join(a.no_password_required),
            count=len(a.no_password_required),
        )
    if a.blank_password_allowed and ctx.platform == "linux":
        # os-checks.md section 2: PAM nullok is amber. An account whose password
        # is emptied later (passwd -d, a script) would open without one.
        key = "nullok" if a.empty_password is not None else "nullok_others_unverified"
        return verdict(Status.WARN, key, ev)
    # Windows cannot reveal empty passwords; its flags above are the whole story there.
    if a.empty_password is None and ctx.platform != "windows":
        if a.self_has_password is None:
            # Not even the user's own account could be read. On macOS only a login
            # attempt reveals an empty password, so administrator rights would not help.
            reason = Reason.UNSUPPORTED if ctx.platform == "macos" else Reason.NEEDS_ADMIN
            return unknown(reason, "empty_unknown", evidence=ev)
        return unknown(Reason.NEEDS_ADMIN, "others_need_admin", evidence=ev)
    return verdict(Status.PASS, "ok", ev)


# Screen lock delays (seconds): CNIL asks for a lock "after a given time"; the
# DISA STIG / CIS ceiling is 900 s. clinicguard: green up to 10 min (5 min on a
# shared care-station PC), amber up to 15 min, red beyond or never.
LOCK_GREEN_S = 600
LOCK_GREEN_SHARED_S = 300
LOCK_AMBER_S = 900


@check("access.screen_lock", facts=("screen_lock",))
def screen_lock(ctx: CheckContext, s: ScreenLock) -> Verdict:
    if s.has_desktop is False:
        return verdict(Status.NOT_APPLICABLE, "no_desktop", [Evidence("desktop", "none", _src(s))])
    ev = []
    if s.desktop:
        ev.append(Evidence("desktop", s.desktop))
    if s.lock_after_s is not None:
        ev.append(Evidence("lock_after_s", "never" if s.lock_after_s == 0 else str(s.lock_after_s), _src(s)))
    ev += [Evidence("technical_note", n) for n in s.notes]
    if s.lock_after_s is None:
        return unknown(Reason.NOT_READABLE, "unknown", evidence=ev)
    if s.lock_after_s == 0 or s.lock_enabled is False:
        return verdict(Status.FAIL, "never", ev)
    minutes = round(s.lock_after_s / 60, 1)
    shared = bool(ctx.setting("machine.shared", False))
    green = LOCK_GREEN_SHARED_S if shared else LOCK_GREEN_S
    if s.lock_after_s <= green:
        return verdict(Status.PASS, "ok", ev, minutes=minutes)
    if s.lock_after_s <= LOCK_AMBER_S:
        key = "slow_shared" if shared and s.lock_after_s <= LOCK_GREEN_S else "slow"
        return verdict(Status.WARN, key, ev, minutes=minutes, limit=green // 60)
    return verdict(Status.FAIL, "too_slow", ev, minutes=minutes)


@check("access.browser_passwords", facts=("browser_passwords",), optional=("autologin",))
def browser_passwords(ctx: CheckContext, b: BrowserPasswords, autologin: AutoLogin | None = None) -> Verdict:
    ev = []
    for p in b.profiles:
        value = "?" if p.saved_logins is None else str(p.saved_logins)
        ev.append(
            Evidence("saved_logins", f"{p.browser} / {p.profile}: {value}" + (f" ({p.error})" if p.error else ""))
        )
    counted = [p for p in b.profiles if p.saved_logins is not None]
    total = sum(p.saved_logins or 0 for p in counted)
    uncounted = [p for p in b.profiles if p.saved_logins is None]
    if not b.profiles:
        ev.append(Evidence("searched", ", ".join(b.sources)))
        return verdict(Status.PASS, "no_browser_profile", ev)
    if total == 0 and uncounted:
        return unknown(Reason.NOT_READABLE, "uncounted", evidence=ev, count=len(uncounted))
    if total == 0:
        return verdict(Status.PASS, "none", ev, profiles=len(counted))
    shared = bool(ctx.setting("machine.shared", False))
    if shared or (autologin is not None and autologin.enabled):
        return verdict(Status.FAIL, "saved_shared", ev, count=total)
    return verdict(Status.WARN, "saved", ev, count=total)
