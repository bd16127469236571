"""Infostealer triage: signs of infection, and what a stealer would take today.

The two are judged separately: most stealers grab and leave within seconds,
so a machine with no trace can still have everything taken; exposure says
how much.
"""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.core.facts import BrowserPasswords
from clinicguard.core.model import SEVERITY_ORDER, Evidence, Reason, Status
from clinicguard.core.notes import note
from clinicguard.infostealer import scoring
from clinicguard.infostealer.model import (
    CredentialExposure,
    InfostealerHit,
    InfostealerSigns,
    ProfileExposure,
    ProfileScope,
)

# Plaintext-equivalent secrets: anyone (or any program) reading the file has the password.
HIGH_EXPOSURE = ("filezilla_plain", "winscp_saved", "ssh_unencrypted", "plaintext_credentials", "password_file")
# Sessions and stores a stealer empties first.
MEDIUM_EXPOSURE = ("session_cookies", "telegram_session", "discord_session", "wallet_extension", "wallet_app")
# Another account's registry that was not loaded and whose hive file could not be read.
HIVE_WORDS = ("hive_not_loaded", "hive_unreadable")
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
            Evidence(
                "infostealer_files_hashed", note("evidence.files_hashed", count=sc.hashed, size_bytes=sc.bytes_hashed)
            ),
            Evidence("infostealer_known_samples", str(sc.hash_list_size)),
            Evidence("infostealer_duration_s", note("evidence.seconds", seconds=round(float(sc.elapsed_s), 1))),
        ]
        ev += [Evidence(f"infostealer_skipped.{reason}", str(n)) for reason, n in sorted(sc.skipped.items())]
    return ev + _not_looked_at("infostealer", s.not_looked_at)


def _current_profile_signs(ctx: CheckContext, s: InfostealerSigns) -> Verdict:
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
        return unknown(reason, "incomplete", evidence=ev, detail=", ".join(s.core_missing), missing=len(s.core_missing))
    files = s.scan.files if s.scan is not None else 0
    if s.hits:
        return verdict(Status.PASS, "clean_minor", ev, files=files, count=len(s.hits))
    return verdict(Status.PASS, "clean", ev, files=files, sources=len(s.looked_at))


def _saved_logins(bp: BrowserPasswords | None) -> int | None:
    if bp is None:
        return None
    counts = [p.saved_logins for p in bp.profiles if p.saved_logins is not None]
    return sum(counts) if counts else (0 if not bp.profiles else None)


def _current_profile_exposure(
    ctx: CheckContext, e: CredentialExposure, browser_passwords: BrowserPasswords | None
) -> Verdict:
    ev = [Evidence(f"exposure.{i.kind}", str(i.count) if i.count is not None else "yes", i.where) for i in e.items]
    logins = _saved_logins(browser_passwords)
    if logins is not None and browser_passwords is not None:
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


# -- every profile of the machine -------------------------------------------------------------
# The item's verdict is the worst profile's; the detail gives each profile's state. Without
# administrator rights the other profiles are named as not examined and the item is never green.


def _personal(hit: InfostealerHit, home: str) -> bool:
    where = hit.where.replace("\\", "/").lower()
    return (
        bool(home)
        and where.startswith(home.replace("\\", "/").lower().rstrip("/") + "/")
        or where.startswith("hkcu\\")
        or where.startswith("hkcu/")
    )


def _status_of_level(level: str) -> Status | None:
    return {"red": Status.FAIL, "amber": Status.WARN}.get(level)


_PROFILE_WORD = {Status.FAIL: "red", Status.WARN: "amber", Status.PASS: "clean", Status.UNKNOWN: "incomplete"}


def _profile_label(status: Status, state: str) -> str:
    """One line per profile: its verdict, or why it could not be examined (vanished, unreadable...)."""
    if state != "examined" and status not in (Status.FAIL, Status.WARN):
        return f"profile_state.{state}"
    return f"profile.{_PROFILE_WORD.get(status, 'incomplete')}"


def _scope_evidence(scope: ProfileScope, examined: set[str]) -> list[Evidence]:
    ev = [Evidence("profile.not_examined", name) for name in scope.others if name not in examined]
    ev += [Evidence(f"profile_skipped.{why}", name) for name, why in scope.skipped]
    if scope.error:
        ev.append(Evidence("profiles_extra.list_incomplete", scope.error))
    return ev


def _combine(
    ctx: CheckContext,
    base: Verdict,
    scope: ProfileScope | None,
    others: list[tuple[str, str, Status, str]],
    extra: list[Evidence],
    kind: str,
) -> Verdict:
    """The worst of the current profile's verdict and the other profiles' states."""
    if scope is None or not scope.others:
        return base
    examined = {name for name, _home, _status, _state in others}
    ev = [Evidence(f"profile.{_PROFILE_WORD.get(base.status, 'incomplete')}", scope.current)]
    ev += [Evidence(_profile_label(st, state), n, h) for n, h, st, state in others]
    ev += _scope_evidence(scope, examined)
    evidence = (*base.evidence, *ev, *extra)
    not_examined = [n for n in scope.others if n not in examined]
    worst = min((st for _n, _h, st, _s in others), key=SEVERITY_ORDER.__getitem__, default=Status.PASS)
    if worst in (Status.FAIL, Status.WARN) and SEVERITY_ORDER[worst] < SEVERITY_ORDER[base.status]:
        names = [n for n, _h, st, _s in others if st is worst]
        key = "profiles_red" if worst is Status.FAIL else "profiles_amber"
        return verdict(worst, key, evidence, profiles=", ".join(names), count=len(names))
    if base.status is not Status.PASS:
        return Verdict(base.status, base.key, base.params, evidence, base.reason, base.detail)
    # The current profile is green: the item is green only if every other profile is too.
    if not_examined:
        return unknown(
            Reason.NEEDS_ADMIN,
            "others_not_examined",
            evidence=evidence,
            detail=", ".join(not_examined),
            count=len(not_examined),
            current=scope.current,
        )
    grey = [n for n, _h, st, _s in others if st is not Status.PASS]
    if grey:
        return unknown(
            Reason.NOT_READABLE,
            "profiles_incomplete",
            evidence=evidence,
            detail=", ".join(grey),
            profiles=", ".join(grey),
            count=len(grey),
        )
    return verdict(Status.PASS, f"{kind}_all_profiles", evidence, count=len(others) + 1)


@check("malware.infostealer", facts=("infostealer_signs",))
def infostealer(ctx: CheckContext, s: InfostealerSigns) -> Verdict:
    base = _current_profile_signs(ctx, s)
    home = ctx.user.home
    machine_hits = [h for h in s.hits if not _personal(h, home)]
    others: list[tuple[str, str, Status, str]] = []
    extra: list[Evidence] = []
    for p in s.profiles:
        extra += [Evidence(f"infostealer.{h.rule}", f"{p.profile} : {h.detail or h.where}", h.where) for h in p.hits]
        extra += [Evidence(f"infostealer_not_looked_at.{src}", word, p.home) for src, word in p.not_looked_at]
        if p.scan is not None:
            extra.append(Evidence("infostealer_files_examined", str(p.scan.files), p.home))
            extra += [
                Evidence(f"infostealer_skipped.{reason}", str(n), p.home)
                for reason, n in sorted(p.scan.skipped.items())
            ]
        # A profile's own signs add up with the machine-wide ones (a Run key of the machine starting a
        # program of that profile); a profile without signs of its own is not blamed for the machine's.
        status = _status_of_level(scoring.level([*p.hits, *machine_hits])) if p.hits else None
        if status is None:
            incomplete = p.state != "examined" or bool(p.core_missing)
            status = Status.UNKNOWN if incomplete else Status.PASS
        others.append((p.profile, p.home, status, p.state))
    return _combine(ctx, base, s.scope, others, extra, "clean")


def _profile_exposure_status(p: ProfileExposure) -> Status:
    if p.state != "examined":
        return Status.UNKNOWN
    kinds = {i.kind for i in p.items}
    if kinds & set(HIGH_EXPOSURE):
        return Status.FAIL
    many = p.saved_logins is not None and p.saved_logins >= MANY_SAVED_PASSWORDS and "password_manager" not in kinds
    if many or kinds & set(MEDIUM_EXPOSURE) or p.saved_logins:
        return Status.WARN
    # Another account's profile is green only when every source was examined; its registry read only
    # while it is logged in (or from its hive file) is said but, as in the triage, not required.
    if not p.looked_at or any(word not in HIVE_WORDS for _src, word in p.not_looked_at):
        return Status.UNKNOWN
    return Status.PASS


@check("malware.exposure", facts=("credential_exposure",), optional=("browser_passwords",))
def exposure(ctx: CheckContext, e: CredentialExposure, browser_passwords: BrowserPasswords | None = None) -> Verdict:
    base = _current_profile_exposure(ctx, e, browser_passwords)
    others: list[tuple[str, str, Status, str]] = []
    extra: list[Evidence] = []
    for p in e.profiles:
        extra += [
            Evidence(f"exposure.{i.kind}", f"{p.profile} : {i.count if i.count is not None else 'yes'}", i.where)
            for i in p.items
        ]
        if p.saved_logins is not None:
            extra.append(Evidence("exposure.browser_logins", f"{p.profile} : {p.saved_logins}", p.home))
        extra += [Evidence(f"exposure_not_looked_at.{src}", word, p.home) for src, word in p.not_looked_at]
        others.append((p.profile, p.home, _profile_exposure_status(p), p.state))
    return _combine(ctx, base, e.scope, others, extra, "low")
