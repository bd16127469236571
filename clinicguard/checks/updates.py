"""Checks of the "keep the system up to date" theme.

Thresholds follow ``shared/reference/os-checks.md`` section 3; the ones the
sources leave open are clinicguard choices, marked (CG).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.core.facts import Facts, RestartNeeded, SystemFacts, UpdateStatus
from clinicguard.core.model import Evidence, Reason, Status
from clinicguard.references.eol import EolTable, Release, cycle_for, windows_family

# os-checks.md section 3.
EOL_WARN_DAYS = 90  # amber within 90 days of the end of support
LAST_INSTALL_OK_DAYS = 30  # green up to 30 days since the last installed update
LAST_INSTALL_FAIL_DAYS = 60  # red beyond 60 days
LISTS_STALE_DAYS = 7  # apt package lists older than this: amber on their own
SECURITY_OVERDUE_DAYS = 14  # security updates waiting longer than this: red
# (CG) a restart pending longer than the security-update delay leaves fixes inactive as long.
REBOOT_FAIL_DAYS = 14

_WORST = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2}


def _src(facts: Facts) -> str:
    return ", ".join(facts.sources)


def _why(facts: Facts | None, name: str, default: Reason = Reason.NOT_READABLE) -> tuple[Reason, str]:
    """The reason a fact field is None, as recorded by the probe."""
    if facts is not None:
        item = facts.why_unknown.get(name)
        if item is not None:
            return item.reason, item.detail
        if facts.notes:
            return default, "; ".join(facts.notes)
    return default, ""


def _days(now: datetime, then: datetime) -> int:
    if then.tzinfo is None:
        then = then.replace(tzinfo=now.tzinfo)
    return max(0, (now - then).days)


NOTE_TOPICS = ("pending:", "automatic:", "reboot:")


def _notes(facts: Facts, topic: str) -> list[Evidence]:
    """Notes for one check: those prefixed ``topic:`` (prefix removed) and unprefixed ones."""
    out = []
    for note in facts.notes:
        if note.startswith(topic + ":"):
            out.append(Evidence("technical_note", note[len(topic) + 1 :].strip()))
        elif not note.startswith(NOTE_TOPICS):
            out.append(Evidence("technical_note", note))
    return out


# -- end of support ---------------------------------------------------------------


def _table_evidence(table: EolTable) -> Evidence:
    label = "eol_table_refreshed" if table.refreshed else "eol_table_bundled"
    return Evidence(label, table.as_of.isoformat(), table.source)


@check("updates.os_support", facts=("system",), optional=("updates",))
def os_support(ctx: CheckContext, system: SystemFacts, updates: UpdateStatus | None = None) -> Verdict:
    table = ctx.references.eol
    found = cycle_for(system, table)
    ev = [Evidence("os", system.os_name or system.os_id, _src(system))]
    if system.os_id == "windows":
        ev.append(Evidence("windows_build", f"{system.build} {system.edition}".strip(), _src(system)))
    if found.note:
        ev.append(Evidence("technical_note", found.note))
    ev.append(_table_evidence(table))
    rel = found.release
    if rel is None:
        return unknown(
            Reason.NOT_FOUND,
            "not_in_table",
            detail=found.note or f"{found.os} {found.cycle} not in the end-of-support table",
            evidence=ev,
            os=system.os_name or system.os_id,
            as_of_date=table.as_of.isoformat(),
        )
    ev.insert(1, Evidence("release", rel.label))
    today = ctx.now.date()
    if rel.eol is None:
        return verdict(Status.PASS, "supported_no_end", ev, release=rel.label)
    ev.append(Evidence("end_of_support", rel.eol.isoformat()))
    if today <= rel.eol:
        left = (rel.eol - today).days
        if left <= EOL_WARN_DAYS:
            return verdict(Status.WARN, "ends_soon", ev, release=rel.label, eol_date=rel.eol.isoformat(), days=left)
        return verdict(Status.PASS, "supported", ev, release=rel.label, eol_date=rel.eol.isoformat())
    return _past_eol(ctx, system, rel, table, updates, ev)


def _extended_end(system: SystemFacts, rel: Release, table: EolTable) -> tuple[str, date | None]:
    """(kind, end date) of the extended phase that may still cover this machine."""
    if rel.os == "debian":
        return "debian_lts", rel.extended
    if rel.os == "ubuntu":
        return "ubuntu_esm", rel.extended if rel.lts else None
    if rel.os == "windows":
        family = windows_family(system.edition, table)
        if family in ("w", ""):
            return "windows_esu", rel.extended_consumer or None
        return "windows_esu", rel.extended
    return "", None


def _past_eol(
    ctx: CheckContext,
    system: SystemFacts,
    rel: Release,
    table: EolTable,
    updates: UpdateStatus | None,
    ev: list[Evidence],
) -> Verdict:
    today = ctx.now.date()
    assert rel.eol is not None
    kind, ext_end = _extended_end(system, rel, table)
    params: dict[str, Any] = {"release": rel.label, "eol_date": rel.eol.isoformat()}
    if not kind or ext_end is None:
        return verdict(Status.FAIL, "past_eol", ev, **params)
    ev.append(Evidence("extended_support_end", ext_end.isoformat()))
    params["extended_date"] = ext_end.isoformat()
    if today > ext_end:
        return verdict(Status.FAIL, "past_extended", ev, **params)
    enrolled = updates.extended_support if updates is not None else None
    if kind != "debian_lts":
        value = "unknown" if enrolled is None else ("yes" if enrolled else "no")
        ev.append(Evidence("extended_support_active", value, _src(updates) if updates else ""))
    if kind == "debian_lts":
        # Debian LTS is free and reaches every machine of a supported architecture.
        return verdict(Status.WARN, "debian_lts", ev, **params)
    if enrolled is False:
        key = "ubuntu_no_pro" if kind == "ubuntu_esm" else "windows_no_esu"
        return verdict(Status.FAIL, key, ev, **params)
    if enrolled is True:
        key = "ubuntu_esm" if kind == "ubuntu_esm" else "windows_esu"
        return verdict(Status.WARN, key, ev, **params)
    key = "ubuntu_esm_unverified" if kind == "ubuntu_esm" else "windows_esu_unverified"
    return verdict(Status.WARN, key, ev, **params)


# -- pending updates ---------------------------------------------------------------


def _list_name(u: UpdateStatus) -> str:
    """The package list a summary names: its file name, without the folder."""
    return u.metadata_source.rsplit("/", 1)[-1] if u.metadata_source else u.manager


@check("updates.pending", facts=("updates",))
def pending(ctx: CheckContext, u: UpdateStatus) -> Verdict:
    src = _src(u)
    ev = [Evidence("update_manager", u.manager, src)]
    last_age = _days(ctx.now, u.last_install) if u.last_install is not None else None
    # No system upgrade at all in a history that starts on no_upgrade_since: at least that old.
    floor_age = (
        _days(ctx.now, u.no_upgrade_since) if u.last_install is None and u.no_upgrade_since is not None else None
    )
    meta_age = int(u.metadata_age_days) if u.metadata_age_days is not None else None
    if u.pending is not None:
        ev.append(Evidence("pending_updates", str(u.pending)))
    if u.pending_security is not None:
        ev.append(Evidence("pending_security", str(u.pending_security)))
    if u.last_install is not None:
        ev.append(Evidence("last_update", u.last_install.date().isoformat()))
        if u.last_install_title:
            ev.append(Evidence("last_update_name", u.last_install_title))
    if floor_age is not None and u.no_upgrade_since is not None:
        ev.append(Evidence("no_system_upgrade_since", u.no_upgrade_since.date().isoformat()))
    if meta_age is not None:
        ev.append(Evidence("package_list_age_days", str(meta_age), u.metadata_source))
    ev += _notes(u, "pending")

    # Each finding: (status, summary key, params); the worst one is the summary.
    findings: list[tuple[Status, str, dict[str, Any]]] = []
    if u.pending is None:
        if last_age is None:
            reason, detail = _why(u, "pending")
            return unknown(reason, "pending_unknown", detail=detail, evidence=ev)
        findings.append((Status.WARN, "pending_unknown_last", {"days": last_age}))
    sec = u.pending_security
    # Lists older than the overdue delay cannot say that nothing waits for security.
    lists_too_old = meta_age is not None and meta_age > SECURITY_OVERDUE_DAYS
    if sec:
        if last_age is not None and last_age > SECURITY_OVERDUE_DAYS:
            findings.append((Status.FAIL, "security_overdue_install", {"security": sec, "days": last_age}))
        elif floor_age is not None and floor_age > SECURITY_OVERDUE_DAYS:
            since = u.no_upgrade_since.date().isoformat() if u.no_upgrade_since else ""
            findings.append(
                (Status.FAIL, "security_overdue_no_upgrade", {"security": sec, "days": floor_age, "since_date": since})
            )
        elif lists_too_old:
            findings.append((Status.FAIL, "security_overdue_lists", {"security": sec, "days": meta_age}))
        else:
            findings.append((Status.WARN, "security_pending", {"security": sec, "pending": u.pending or sec}))
    elif lists_too_old:
        findings.append((Status.WARN, "security_unknown_stale_list", {"days": meta_age, "list": _list_name(u)}))
    if last_age is not None and last_age > LAST_INSTALL_FAIL_DAYS:
        findings.append((Status.FAIL, "last_install_old", {"days": last_age}))
    elif last_age is not None and last_age > LAST_INSTALL_OK_DAYS:
        findings.append((Status.WARN, "last_install_aging", {"days": last_age}))
    elif floor_age is not None and floor_age > LAST_INSTALL_OK_DAYS:
        status = Status.FAIL if floor_age > LAST_INSTALL_FAIL_DAYS else Status.WARN
        since = u.no_upgrade_since.date().isoformat() if u.no_upgrade_since else ""
        findings.append((status, "no_system_upgrade", {"days": floor_age, "since_date": since}))
    if u.pending and not sec and not lists_too_old:
        key = "pending_no_security" if sec == 0 else "pending_security_unknown"
        findings.append((Status.WARN, key, {"pending": u.pending}))
    if meta_age is not None and meta_age > LISTS_STALE_DAYS and not lists_too_old:
        findings.append((Status.WARN, "lists_stale_named", {"days": meta_age, "list": _list_name(u)}))
    if findings:
        status, key, params = max(findings, key=lambda f: _WORST[f[0]])
        return verdict(status, key, ev, **params)
    if last_age is not None:
        return verdict(Status.PASS, "up_to_date", ev, days=last_age)
    if meta_age is not None:
        return verdict(Status.PASS, "up_to_date_lists", ev, days=meta_age)
    return verdict(Status.WARN, "up_to_date_unconfirmed", ev)


# -- automatic updates --------------------------------------------------------------


@check("updates.automatic", facts=("updates",))
def automatic(ctx: CheckContext, u: UpdateStatus) -> Verdict:
    src = _src(u)
    ev = []
    if u.automatic is not None:
        ev.append(Evidence("automatic_updates", "on" if u.automatic else "off", src))
    paused = u.paused_until
    if paused is not None:
        if paused.tzinfo is None:
            paused = paused.replace(tzinfo=ctx.now.tzinfo)
        ev.append(Evidence("paused_until", paused.date().isoformat()))
    ev += _notes(u, "automatic")
    if paused is not None and paused > ctx.now:
        return verdict(Status.WARN, "paused", ev, until_date=paused.date().isoformat())
    if u.automatic is None:
        reason, detail = _why(u, "automatic")
        return unknown(reason, "automatic_unknown", detail=detail, evidence=ev)
    if not u.automatic:
        return verdict(Status.FAIL, "disabled", ev)
    return verdict(Status.PASS, "enabled", ev)


# -- restart pending ------------------------------------------------------------------


# (CG) programs named in the detail of a restart item; the rest are counted.
STALE_SHOWN = 8


def _restart_evidence(r: RestartNeeded) -> list[Evidence]:
    src = _src(r)
    ev = [Evidence("reboot_flag", flag, src) for flag in r.flags or ()]
    for p in (r.stale_programs or ())[:STALE_SHOWN]:
        pids = ", ".join(str(pid) for pid in p.pids[:5])
        ev.append(Evidence("stale_program", f"{p.name} (pid {pids})", ", ".join(p.files)))
    if r.processes_unreadable:
        ev.append(Evidence("processes_not_examined", str(r.processes_unreadable), "/proc/*/maps"))
    return ev


@check("updates.reboot", optional=("updates", "restart_needed"))
def reboot(
    ctx: CheckContext, updates: UpdateStatus | None = None, restart_needed: RestartNeeded | None = None
) -> Verdict:
    u, restart = updates, restart_needed
    ev = []
    if u is not None:
        src = _src(u)
        if u.reboot_required is not None:
            ev.append(Evidence("reboot_required", "yes" if u.reboot_required else "no", src))
        if u.reboot_required_since is not None:
            ev.append(Evidence("reboot_required_since", u.reboot_required_since.date().isoformat()))
        ev += _notes(u, "reboot")
    if restart is not None:
        ev += _restart_evidence(restart)
    flags = restart.flags if restart is not None else None
    stale = restart.stale_programs if restart is not None else None
    required = u.reboot_required if u is not None else None
    if required or flags:
        since = u.reboot_required_since if u is not None and required else None
        if since is None:
            return verdict(Status.WARN, "reboot_needed", ev)
        days = _days(ctx.now, since)
        since_date = since.date().isoformat()
        if days > REBOOT_FAIL_DAYS:
            return verdict(Status.FAIL, "reboot_overdue", ev, days=days, since_date=since_date)
        return verdict(Status.WARN, "reboot_needed_since", ev, days=days, since_date=since_date)
    if stale:
        names = ", ".join(p.name for p in stale[:3])
        return verdict(Status.WARN, "programs_restart", ev, count=len(stale), names=names)
    if required is None and flags is None:
        reason, detail = _why(u, "reboot_required")
        if u is None and restart is not None:
            reason, detail = _why(restart, "flags")
        return unknown(reason, "reboot_unknown", detail=detail, evidence=ev)
    if restart is not None and restart.processes_unreadable:
        # Flags and kernel say no restart, but programs that could not be examined may still run deleted
        # libraries: what could not be read never turns the item green.
        return unknown(Reason.NEEDS_ADMIN, "no_reboot_partial", evidence=ev, count=restart.processes_unreadable)
    return verdict(Status.PASS, "no_reboot", ev)
