"""Time Machine: configured destinations and the date of the last backup."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from clinicguard.core.errors import ParseError, ProbeError
from clinicguard.core.facts import BackupStatus, BackupTool
from clinicguard.core.model import Reason
from clinicguard.core.notes import note
from clinicguard.host import AccessDenied, CommandTimeout, Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.macos.plists import FDA_DETAIL, TMUTIL, bool_or_none, needs_fda, read_plist_optional, utc

TIME_MACHINE_PLIST = "/Library/Preferences/com.apple.TimeMachine.plist"
BACKUP_NAME_RE = re.compile(r"(\d{4}-\d{2}-\d{2}-\d{6})")
TOOL = "Time Machine"


def parse_destinationinfo(text: str) -> list[dict[str, str]]:
    """`tmutil destinationinfo`: blocks of "Key : Value" lines separated by ===== rules;
    "No destinations configured." gives an empty list."""
    if "No destinations configured" in text:
        return []
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("===="):
            if current:
                blocks.append(current)
            current = {}
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip():
            current[key.strip()] = value.strip()
    if current:
        blocks.append(current)
    if not any("ID" in b or "Name" in b for b in blocks):
        raise ParseError(f"tmutil destinationinfo: {text.strip()[:100]!r}")
    return blocks


def parse_latestbackup(text: str) -> datetime | None:
    """A backup path ending in YYYY-MM-DD-HHMMSS.backup (local time, taken as UTC:
    an error of hours at most, irrelevant to an age in days)."""
    found = BACKUP_NAME_RE.findall(text)
    if not found:
        return None
    return datetime.strptime(found[-1], "%Y-%m-%d-%H%M%S").replace(tzinfo=UTC)


def parse_tm_plist(data: dict[str, Any]) -> tuple[list[dict[str, Any]], datetime | None, list[str]]:
    """(destinations, newest backup date, notes) from com.apple.TimeMachine.plist."""
    destinations = [d for d in data.get("Destinations") or [] if isinstance(d, dict)]
    newest: datetime | None = None
    notes: list[str] = []
    for dest in destinations:
        dates = [utc(v) for v in dest.get("SnapshotDates") or []]
        dates.append(utc(dest.get("ReferenceLocalSnapshotDate")))
        for when in dates:
            if when is not None and (newest is None or when > newest):
                newest = when
        if dest.get("LastKnownEncryptionState") == "NotEncrypted":
            notes.append("macos_tm_not_encrypted")
    if destinations and bool_or_none(data.get("AutoBackup")) is False:
        notes.append("macos_tm_auto_off")
    return destinations, newest, notes


def _target(block: dict[str, str]) -> str:
    kind = block.get("Kind", "")
    where = block.get("Name") or block.get("URL") or block.get("ID", "")
    return f"{kind}: {where}" if kind else where


@probe("backups", "macos")
def macos_backups(host: Host) -> BackupStatus:
    sources: list[str] = []
    notes: list[str] = []
    fda: list[str] = []  # what refused to answer for lack of Full Disk Access
    plist_dests: list[dict[str, Any]] | None = None
    last: datetime | None = None
    try:
        data = read_plist_optional(host, TIME_MACHINE_PLIST)
        if data is not None:
            plist_dests, last, plist_notes = parse_tm_plist(data)
            notes += plist_notes
            sources.append(TIME_MACHINE_PLIST)
    except AccessDenied:
        fda.append(TIME_MACHINE_PLIST)
    blocks: list[dict[str, str]] | None = None
    try:
        res = host.run([TMUTIL, "destinationinfo"], timeout=5)
        text = res.stdout + "\n" + res.stderr
        if needs_fda(text):
            fda.append("tmutil destinationinfo")
        else:
            blocks = parse_destinationinfo(text)
            sources.append("tmutil destinationinfo")
    except (HostError, ProbeError) as exc:
        notes.append(f"tmutil destinationinfo: {exc.detail}")
    if blocks is None and plist_dests is None:
        raise ProbeError(Reason.NOT_READABLE, f"{FDA_DETAIL}: " + ", ".join(fda) if fda else "; ".join(notes))
    configured = bool(blocks) or bool(plist_dests)
    if not configured:
        return BackupStatus(tools=(), searched=(TOOL,), sources=tuple(sources), notes=tuple(notes))
    # The date needs the plist (Full Disk Access) or a mounted destination.
    if last is None and any(b.get("Mount Point") for b in blocks or []):
        try:
            res = host.run([TMUTIL, "latestbackup"], timeout=5)
            if needs_fda(res.stdout + res.stderr):
                fda.append("tmutil latestbackup")
            else:
                last = parse_latestbackup(res.stdout)
                if last is not None:
                    sources.append("tmutil latestbackup")
        except CommandTimeout:
            notes.append("tmutil latestbackup: " + note("host.no_answer", tool="tmutil"))
        except HostError as exc:
            notes.append(f"tmutil latestbackup: {exc.detail}")
    if last is None and fda:
        notes.append("macos_full_disk_access_needed")
    targets = [_target(b) for b in blocks or []]
    if not targets and plist_dests:
        targets = [str(d.get("DestinationID", "?")) for d in plist_dests]
    return BackupStatus(
        tools=(BackupTool(name=TOOL, configured=True, last_success=last, target=", ".join(targets)),),
        searched=(TOOL,),
        sources=tuple(sources),
        notes=tuple(notes),
    )
