"""Infostealer triage: signs of infection, and what a stealer would take today.

The two are judged separately: most stealers grab and leave within seconds,
so a machine with no trace can still have everything taken; exposure says
how much.
"""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.facts import BrowserPasswords
from clinicguard.infostealer import scoring
from clinicguard.infostealer.model import CredentialExposure, InfostealerSigns
from clinicguard.model import Evidence, Reason, Status

# Plaintext-equivalent secrets: anyone (or any program) reading the file has the password.
HIGH_EXPOSURE = ("filezilla_plain", "winscp_saved", "ssh_unencrypted", "plaintext_credentials", "password_file")
# Sessions and stores a stealer empties first.
MEDIUM_EXPOSURE = ("session_cookies", "telegram_session", "discord_session", "wallet_extension", "wallet_app")
# Reference section 7: many saved browser passwords without a password manager.
MANY_SAVED_PASSWORDS = 10


def _not_looked_at(prefix: str, pairs) -> list[Evidence]:  # type: ignore[no-untyped-def]
    return [Evidence(f"{prefix}_not_looked_at.{src}", word) for src, word in pairs]


def _scan_evidence(s: InfostealerSigns) -> list[Evidence]:
    ev = [Evidence(f"infostealer_looked_at.{src}", "yes") for src in s.looked_at]
    if s.scan is not None:
        sc = s.scan
        ev += [
            Evidence("infostealer_files_examined", str(sc.files), ", ".join(s.sources)),
            Evidence("infostealer_files_hashed", f"{sc.hashed} ({sc.bytes_hashed / 1e6:.1f} MB)"),
            Evidence("infostealer_known_samples", str(sc.hash_list_size)),
            Evidence("infostealer_duration_s", f"{sc.elapsed_s:.1f}"),
        ]
        ev += [Evidence(f"infostealer_skipped.{reason}", str(n)) for reason, n in sorted(sc.skipped.items())]
    return ev + _not_looked_at("infostealer", s.not_looked_at)


@check("malware.infostealer", facts=("infostealer_signs",))
def infostealer(ctx: CheckContext, s: InfostealerSigns) -> Verdict:
    ev = [Evidence(f"infostealer.{h.rule}", h.detail or h.where, h.where) for h in s.hits]
    ev += _scan_evidence(s)
    level = scoring.level(s.hits)
    strong = sum(1 for h in s.hits if h.strength == "S")
    if level == "red":
        if strong:
            return verdict(Status.FAIL, "strong", ev, count=strong)
        return verdict(Status.FAIL, "several", ev, count=len(s.hits))
    if level == "amber":
        return verdict(Status.WARN, "weak", ev, count=len(s.hits))
    if s.core_missing:
        # A clean result needs the core sources; say what could not be examined.
        words = {w for src, w in s.not_looked_at if src in s.core_missing}
        reason = Reason.NEEDS_ADMIN if words == {"access_denied"} else Reason.NOT_READABLE
        if "files" in s.core_missing and s.scan is not None and not s.scan.complete:
            reason = Reason.TIMED_OUT
        return unknown(reason, "incomplete", evidence=ev, detail=", ".join(s.core_missing),
                       missing=len(s.core_missing))
    files = s.scan.files if s.scan is not None else 0
    if s.hits:
        return verdict(Status.PASS, "clean_minor", ev, files=files, count=len(s.hits))
    return verdict(Status.PASS, "clean", ev, files=files, sources=len(s.looked_at))


def _saved_logins(bp: BrowserPasswords | None) -> int | None:
    if bp is None:
        return None
    counts = [p.saved_logins for p in bp.profiles if p.saved_logins is not None]
    return sum(counts) if counts else (0 if not bp.profiles else None)


@check("malware.exposure", facts=("credential_exposure",), optional=("browser_passwords",))
def exposure(ctx: CheckContext, e: CredentialExposure, browser_passwords: BrowserPasswords | None = None) -> Verdict:
    ev = [Evidence(f"exposure.{i.kind}", str(i.count) if i.count is not None else "yes", i.where) for i in e.items]
    logins = _saved_logins(browser_passwords)
    if logins is not None:
        ev.append(Evidence("exposure.browser_logins", str(logins), ", ".join(browser_passwords.sources)))
    ev += _not_looked_at("exposure", e.not_looked_at)
    if logins is None:
        ev.append(Evidence("exposure_not_looked_at.browser_passwords", "read_error"))
    kinds = {i.kind for i in e.items}
    high = [i for i in e.items if i.kind in HIGH_EXPOSURE]
    if high:
        return verdict(Status.FAIL, "plaintext", ev, count=sum(i.count or 1 for i in high))
    has_manager = "password_manager" in kinds
    if logins is not None and logins >= MANY_SAVED_PASSWORDS and not has_manager:
        return verdict(Status.WARN, "many_saved", ev, logins=logins)
    medium = [i for i in e.items if i.kind in MEDIUM_EXPOSURE]
    if medium or logins:
        return verdict(Status.WARN, "medium", ev, count=len(medium) + (1 if logins else 0))
    if not e.looked_at:
        return unknown(Reason.NOT_READABLE, "exposure_unknown", evidence=ev)
    if e.not_looked_at:
        # What was read is clean, but an unread file may hold a key: never green.
        words = {w for _src, w in e.not_looked_at}
        reason = Reason.NEEDS_ADMIN if words == {"access_denied"} else Reason.NOT_READABLE
        missing = sorted({src for src, _w in e.not_looked_at})
        return unknown(reason, "exposure_partial", evidence=ev, detail=", ".join(missing), missing=len(missing))
    return verdict(Status.PASS, "low", ev, sources=len(e.looked_at))
