"""Checks of the "protect access" theme: passwords, accounts, screen lock."""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.facts import PasswordPolicy
from clinicguard.model import Evidence, Reason, Status

# CNIL deliberation 2022-100: 12 characters alone, or 8 with attempts limited.
CNIL_LENGTH_ALONE = 12
CNIL_LENGTH_WITH_LOCKOUT = 8
CNIL_MAX_LOCKOUT = 10


def _src(facts) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(facts.sources)


@check("access.password_policy", facts=("password_policy",))
def password_policy(ctx: CheckContext, p: PasswordPolicy) -> Verdict:
    ev = [Evidence("min_length", str(p.min_length) if p.min_length is not None else "?", _src(p))]
    lockout_text = "?" if p.lockout_threshold is None else ("off" if p.lockout_threshold == 0 else str(p.lockout_threshold))
    ev.append(Evidence("lockout_threshold", lockout_text, _src(p)))
    if p.complexity is not None:
        ev.append(Evidence("complexity", "on" if p.complexity else "off", _src(p)))
    if p.max_age_days is not None:
        ev.append(Evidence("max_age_days", str(p.max_age_days), _src(p)))
    ev += [Evidence("note", n) for n in p.notes]
    length, lockout = p.min_length, p.lockout_threshold
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
