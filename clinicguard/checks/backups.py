"""Checks of the "back up data" theme."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from clinicguard.checks import CheckContext, Verdict, check, verdict
from clinicguard.core.facts import BackupStatus, BackupTool
from clinicguard.core.model import Evidence, Status

# ---------------------------------------------------------------- backups.backup
# os-checks.md section 8.
BACKUP_OK_DAYS = 7  # green: last backup at most 7 days ago
BACKUP_FAIL_DAYS = 30  # amber 8-30 days, red beyond


def _age(now: datetime, then: datetime) -> int:
    if then.tzinfo is None:
        then = then.replace(tzinfo=now.tzinfo)
    return max(0, (now - then).days)


def _tool_evidence(b: BackupStatus) -> list[Evidence]:
    src = ", ".join(b.sources)
    ev: list[Evidence] = []
    for t in b.tools:
        label = "sync_client" if t.sync_only else "backup_tool"
        name = f"{t.name} ({t.target})" if t.target else t.name
        if not t.configured:
            label = "backup_tool_unused"
        ev.append(Evidence(label, name, "" if ev else src))
        if t.configured and not t.sync_only:
            ev.append(Evidence("last_backup", t.last_success.date().isoformat() if t.last_success else "unknown"))
    ev.append(Evidence("backup_searched", ", ".join(b.searched) or "-", "" if ev else src))
    ev += [Evidence("technical_note", n) for n in b.notes]
    return ev


def _names(tools: list[BackupTool]) -> str:
    return ", ".join(dict.fromkeys(t.name for t in tools))


@check("backups.backup", facts=("backups",))
def backup(ctx: CheckContext, b: BackupStatus) -> Verdict:
    ev = _tool_evidence(b)
    configured = [t for t in b.tools if t.configured]
    real = [t for t in configured if not t.sync_only]
    sync = [t for t in configured if t.sync_only]
    if not real:
        if sync:
            return verdict(Status.WARN, "sync_only", ev, tools=_names(sync))
        return verdict(Status.FAIL, "none_found", ev)
    dated = [t for t in real if t.last_success is not None]
    undated = [t for t in real if t.last_success is None]
    if dated:
        best = max(dated, key=lambda t: t.last_success)  # type: ignore[arg-type,return-value]
        assert best.last_success is not None
        days = _age(ctx.now, best.last_success)
        params: dict[str, Any] = {"tool": best.name, "days": days, "last_date": best.last_success.date().isoformat()}
        if days <= BACKUP_OK_DAYS:
            return verdict(Status.PASS, "recent", ev, **params)
        if days <= BACKUP_FAIL_DAYS:
            return verdict(Status.WARN, "aging", ev, **params)
        if not undated:
            return verdict(Status.FAIL, "old", ev, **params)
    # A tool whose last run cannot be seen may be working (root-run, unmounted target): amber, never green.
    return verdict(Status.WARN, "configured_no_date", ev, tools=_names(undated))
