"""What every backup search shares: the collector of found tools, tolerant reads, backup command words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from clinicguard.core.facts import BackupStatus, BackupTool
from clinicguard.host import Host, HostError
from clinicguard.i18n import note
from clinicguard.probes.common import read_optional

TIMEOUT_S = 4.0

# Command words that mean "a backup runs here" -> display name.
TOOL_WORDS = {
    "borgmatic": "borgmatic",
    "borg": "BorgBackup",
    "restic": "restic",
    "duplicity": "duplicity",
    "duply": "duply",
    "rsnapshot": "rsnapshot",
    "backintime": "Back In Time",
    "rdiff-backup": "rdiff-backup",
    "kopia": "Kopia",
    "timeshift": "Timeshift",
    "duplicati": "Duplicati",
    "rsync": "rsync",
    "rclone": "rclone",
}


_WORD = re.compile(
    r"(?<![\w.-])(" + "|".join(sorted(map(re.escape, TOOL_WORDS), key=len, reverse=True)) + r")(?![\w-])"
)


def epoch(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def iso_time(value: str) -> datetime | None:
    text = value.strip().strip("'\"")
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def find_tools(text: str) -> set[str]:
    """Backup command words in non-comment lines of a crontab, script or unit."""
    found: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        found.update(m.group(1) for m in _WORD.finditer(line))
    return found


@dataclass
class Found:
    name: str
    configured: bool = False
    last: datetime | None = None
    target: str = ""
    sync_only: bool = False
    where: set[str] = field(default_factory=set)

    def see(self, when: datetime | None, where: str = "") -> None:
        if when is not None and (self.last is None or when > self.last):
            self.last = when
        if where:
            self.where.add(where)


class Collector:
    """What the searches found so far: tools, sources, notes, what was searched."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.tools: dict[str, Found] = {}
        self.sources: list[str] = []
        self.notes: list[str] = []
        self.searched: list[str] = []
        self.units: dict[str, tuple[str, bool]] = {}  # service -> (tool word, user unit)
        user = host.user()
        self.user = user
        self.homes = [h for h in dict.fromkeys([user.home, "/root" if user.is_admin else ""]) if h]

    def tool(self, name: str, **kw: object) -> Found:
        found = self.tools.setdefault(name, Found(name))
        for key, value in kw.items():
            if value:
                setattr(found, key, value)
        return found

    def read(self, path: str) -> str | None:
        try:
            text = read_optional(self.host, path)
        except HostError as exc:
            self.notes.append(f"{path}: {exc}")
            return None
        if text is not None:
            self.sources.append(path)
        return text

    def listdir(self, path: str) -> list[str]:
        try:
            return self.host.listdir(path)
        except HostError:
            return []

    def mtime(self, path: str) -> datetime | None:
        try:
            return epoch(self.host.mtime(path))
        except HostError:
            return None

    def add_tool(self, tool: BackupTool) -> None:
        found = self.tool(tool.name, configured=tool.configured, target=tool.target)
        found.see(tool.last_success)

    def result(self) -> BackupStatus:
        tools = tuple(
            BackupTool(
                name=f.name, configured=f.configured, last_success=f.last, sync_only=f.sync_only, target=f.target
            )
            for f in sorted(self.tools.values(), key=lambda f: f.name)
        )
        notes = list(self.notes)
        for f in self.tools.values():
            if f.where:
                notes.append(f"{f.name}: " + ", ".join(sorted(f.where))[:200])
        if self.homes and not self.user.is_admin:
            notes.append(note("linux.root_backups_hidden"))
        return BackupStatus(
            tools=tools,
            searched=tuple(self.searched),
            sources=tuple(dict.fromkeys(self.sources)),
            notes=tuple(notes),
        )


def read_optional_quiet(host: Host, path: str) -> str | None:
    try:
        return read_optional(host, path)
    except HostError:
        return None
