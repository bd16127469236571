"""Backups on Linux: Déjà Dup, Timeshift, borg / borgmatic / restic /
duplicity / rsnapshot / Back In Time run by timers or cron, backup agents,
and synchronisation clients (which are not backups).

Where the last backup is knowable it comes from the tools' own state:
Déjà Dup ``last-backup``; borg ``~/.config/borg/security/<repo>/
manifest-timestamp``; restic ``~/.cache/restic/<repo>/snapshots``;
duplicity manifest names; Timeshift and rsnapshot snapshot folders; the last
successful run of a backup systemd service (``systemctl show``).
State kept by root is invisible to an ordinary user: "configured, date unknown".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from clinicguard.core.facts import BackupStatus, BackupTool
from clinicguard.host import Host, HostError
from clinicguard.i18n import note
from clinicguard.probes import probe
from clinicguard.probes.common import read_optional

# `systemctl show` arguments giving the outcome and end time of a unit's last run.
SHOW_RESULT = ["show", "--timestamp=unix", "-p", "Id", "-p", "Result", "-p", "ExecMainExitTimestamp",
               "-p", "ExecMainStatus"]
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

CRON_FILES = ("/etc/crontab", "/etc/anacrontab")
CRON_DIRS = ("/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly")
UNIT_DIRS = ("/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system")
SYSTEM_WANTS = "/etc/systemd/system/timers.target.wants"

# Agents whose presence means a backup was set up on purpose (configuration unreadable).
AGENTS = (
    ("UrBackup", ("/usr/sbin/urbackupclientbackend", "/usr/local/sbin/urbackupclientbackend")),
    ("Veeam Agent", ("/usr/bin/veeamconfig",)),
    ("Bacula", ("/etc/bacula/bacula-fd.conf",)),
    ("Bareos", ("/etc/bareos/bareos-fd.conf", "/etc/bareos/bareos-fd.d")),
    ("Acronis", ("/usr/lib/Acronis",)),
)
# Synchronisation clients: copies of files, not backups of the computer (relative to home).
SYNC_CLIENTS = (
    ("Nextcloud", (".config/Nextcloud/nextcloud.cfg",)),
    ("ownCloud", (".config/ownCloud/owncloud.cfg",)),
    ("Dropbox", (".dropbox/info.json", ".dropbox-dist")),
    ("OneDrive", (".config/onedrive/items.sqlite3",)),
    ("Syncthing", (".local/state/syncthing/config.xml", ".config/syncthing/config.xml")),
    ("MEGAsync", (".local/share/data/Mega Limited/MEGAsync",)),
    ("pCloud", (".pcloud",)),
    ("Insync", (".config/Insync",)),
)


def _epoch(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _iso(value: str) -> datetime | None:
    text = value.strip().strip("'\"")
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


# ---------------------------------------------------------------- parsers


def find_tools(text: str) -> set[str]:
    """Backup command words in non-comment lines of a crontab, script or unit."""
    found: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        found.update(m.group(1) for m in _WORD.finditer(line))
    return found


def parse_gsettings_list(text: str) -> dict[str, str]:
    """``gsettings list-recursively SCHEMA`` -> {"schema key": value}."""
    out = {}
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3:
            out[f"{parts[0]} {parts[1]}"] = parts[2].strip()
    return out


def parse_dejadup_keyfile(text: str) -> dict[str, str]:
    """Flatpak Déjà Dup keyfile (``[org/gnome/deja-dup]`` sections) -> same keys as gsettings."""
    out = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = "org.gnome.DejaDup" + "".join("." + p.capitalize() for p in line[1:-1].split("/")[3:] if p)
            continue
        if "=" in line and section:
            key, _, value = line.partition("=")
            out[f"{section} {key.strip()}"] = value.strip()
    return out


def dejadup_tool(settings: dict[str, str]) -> BackupTool | None:
    last = _iso(settings.get("org.gnome.DejaDup last-backup", ""))
    last_run = _iso(settings.get("org.gnome.DejaDup last-run", ""))
    periodic = settings.get("org.gnome.DejaDup periodic", "false") == "true"
    backend = settings.get("org.gnome.DejaDup backend", "").strip("'")
    configured = last is not None or (periodic and last_run is not None)
    target = backend
    if backend == "local":
        target = settings.get("org.gnome.DejaDup.Local folder", "").strip("'") or "local"
    elif backend == "remote":
        uri = settings.get("org.gnome.DejaDup.Remote uri", "").strip("'")
        target = "remote " + uri.split("://", 1)[0] if uri else "remote"
    return BackupTool(name="Déjà Dup", configured=configured, last_success=last, target=target)


def parse_timeshift(text: str) -> tuple[bool, str]:
    """(scheduled on a chosen device, mode) from ``/etc/timeshift/timeshift.json``."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    device = str(data.get("backup_device_uuid", "")).strip()
    schedules = [k for k in data if k.startswith("schedule_") and str(data[k]).lower() == "true"]
    mode = "btrfs" if str(data.get("btrfs_mode", "false")).lower() == "true" else "rsync"
    return bool(device and schedules), mode


_SNAPSHOT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{2})-(\d{2})-(\d{2})$")


def newest_timeshift_snapshot(names: list[str]) -> datetime | None:
    newest = None
    for name in names:
        m = _SNAPSHOT_NAME.match(name)
        if m:
            when = datetime.strptime(f"{m.group(1)} {m.group(2)}:{m.group(3)}:{m.group(4)}", "%Y-%m-%d %H:%M:%S")
            when = when.replace(tzinfo=UTC)
            newest = when if newest is None or when > newest else newest
    return newest


_DUPLICITY = re.compile(r"duplicity-(?:full|inc|new-signatures)\.(?:\d{8}T\d{6}Z\.to\.)?(\d{8}T\d{6}Z)\.")


def newest_duplicity_manifest(names: list[str]) -> datetime | None:
    """Newest backup time in duplicity cache names (``duplicity-inc.A.to.B.manifest``)."""
    newest = None
    for name in names:
        m = _DUPLICITY.search(name)
        if m:
            when = datetime.strptime(m.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            newest = when if newest is None or when > newest else newest
    return newest


def parse_systemctl_show(text: str) -> list[dict[str, str]]:
    """Blocks of ``systemctl show -p A -p B unit...`` separated by blank lines."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for raw in text.splitlines():
        if not raw.strip():
            if current:
                blocks.append(current)
                current = {}
            continue
        key, sep, value = raw.partition("=")
        if sep:
            current[key.strip()] = value.strip()
    if current:
        blocks.append(current)
    return blocks


def systemd_time(value: str) -> datetime | None:
    """``@1732780812`` (``--timestamp=unix``) or ``Sat 2026-11-28 03:00:12 UTC``."""
    value = value.strip()
    if not value or value in ("n/a", "0"):
        return None
    if value.startswith("@"):
        try:
            return _epoch(int(value[1:]))
        except ValueError:
            return None
    m = re.search(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})", value)
    if m:
        return datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return None


# ---------------------------------------------------------------- collection


@dataclass
class _Found:
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


class _Collector:
    def __init__(self, host: Host) -> None:
        self.host = host
        self.tools: dict[str, _Found] = {}
        self.sources: list[str] = []
        self.notes: list[str] = []
        self.searched: list[str] = []
        self.units: dict[str, tuple[str, bool]] = {}  # service -> (tool word, user unit)
        user = host.user()
        self.user = user
        self.homes = [h for h in dict.fromkeys([user.home, "/root" if user.is_admin else ""]) if h]

    def tool(self, name: str, **kw: object) -> _Found:
        found = self.tools.setdefault(name, _Found(name))
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
            return _epoch(self.host.mtime(path))
        except HostError:
            return None

    # -- desktop tools ---------------------------------------------------
    def dejadup(self) -> None:
        self.searched.append("Déjà Dup")
        env = None
        home = self.user.home
        if self.user.is_admin and home and home != "/root":
            env = {"HOME": home, "XDG_CONFIG_HOME": f"{home}/.config"}
        try:
            res = self.host.run(["gsettings", "list-recursively", "org.gnome.DejaDup"], timeout=TIMEOUT_S, env=env)
        except HostError:
            res = None
        if res is not None and res.returncode == 0 and res.stdout.strip():
            if "memory" in res.stderr.lower() and "backend" in res.stderr.lower():
                self.notes.append(note("linux.deja_dup_unreadable"))
            else:
                self.sources.append("gsettings list-recursively org.gnome.DejaDup")
                tool = dejadup_tool(parse_gsettings_list(res.stdout))
                if tool is not None and (tool.configured or tool.last_success):
                    self._add_tool(tool)
                else:
                    self.notes.append(note("linux.deja_dup_unused"))
        for home in self.homes:
            path = f"{home}/.var/app/org.gnome.DejaDup/config/glib-2.0/settings/keyfile"
            text = self.read(path)
            if text:
                tool = dejadup_tool(parse_dejadup_keyfile(text))
                if tool is not None and tool.configured:
                    self._add_tool(tool)
        for home in self.homes:
            # Older Déjà Dup drove duplicity, whose cache names carry the backup times.
            for sub in self.listdir(f"{home}/.cache/deja-dup"):
                when = newest_duplicity_manifest(self.listdir(f"{home}/.cache/deja-dup/{sub}"))
                if when:
                    self.tool("Déjà Dup", configured=True).see(when, f"{home}/.cache/deja-dup")

    def _add_tool(self, tool: BackupTool) -> None:
        found = self.tool(tool.name, configured=tool.configured, target=tool.target)
        found.see(tool.last_success)

    def timeshift(self) -> None:
        self.searched.append("Timeshift")
        for path in ("/etc/timeshift/timeshift.json", "/etc/timeshift.json"):
            text = self.read(path)
            if text is None:
                continue
            try:
                scheduled, mode = parse_timeshift(text)
            except ValueError:
                self.notes.append(note("linux.not_json", path=str(path)))
                return
            if not scheduled:
                self.notes.append(note("linux.timeshift_unscheduled"))
                return
            found = self.tool("Timeshift", configured=True, target=f"system snapshots ({mode})")
            for folder in ("/timeshift/snapshots", "/run/timeshift/backup/timeshift/snapshots"):
                found.see(newest_timeshift_snapshot(self.listdir(folder)), folder)
            return

    # -- schedulers ------------------------------------------------------
    def cron(self) -> None:
        self.searched.append("cron")
        texts: list[tuple[str, str]] = []
        for path in CRON_FILES:
            text = read_optional_quiet(self.host, path)
            if text:
                texts.append((path, text))
        for folder in CRON_DIRS:
            for name in self.listdir(folder):
                if name.startswith(".") or name.endswith((".dpkg-dist", ".dpkg-old", ".rpmsave", ".rpmnew")):
                    continue
                path = f"{folder}/{name}"
                text = read_optional_quiet(self.host, path)
                if text:
                    # The file name counts too: /etc/cron.daily/borgmatic.
                    texts.append((path, f"{name}\n{text}" if folder != "/etc/cron.d" else text))
        commands = [["crontab", "-l"]]
        if self.user.is_admin and self.user.name not in ("", "root"):
            commands.append(["crontab", "-l", "-u", self.user.name])
        for argv in commands:
            try:
                res = self.host.run(argv, timeout=TIMEOUT_S)
            except HostError:
                continue
            if res.returncode == 0:
                self.sources.append(" ".join(argv))
                texts.append((" ".join(argv), res.stdout))
        for where, text in texts:
            for word in find_tools(text):
                self.tool(TOOL_WORDS[word], configured=True).see(None, where)
                self.sources.append(where)

    def timers(self) -> None:
        self.searched.append(note("linux.systemd_timers"))
        wants = [(SYSTEM_WANTS, False)] + [
            (f"{home}/.config/systemd/user/timers.target.wants", True) for home in self.homes
        ]
        for folder, user_unit in wants:
            for name in self.listdir(folder):
                if not name.endswith(".timer"):
                    continue
                base = name[: -len(".timer")]
                service = f"{base}.service"
                words = find_tools(base.replace("-", " ").replace("@", " ").replace("_", " "))
                if not words:
                    words = self._service_words(service, folder if user_unit else "")
                for word in words:
                    self.tool(TOOL_WORDS[word], configured=True).see(None, f"{folder}/{name}")
                    self.units[service] = (word, user_unit)

    def _service_words(self, service: str, user_dir: str) -> set[str]:
        dirs = [user_dir.replace("/timers.target.wants", "")] if user_dir else list(UNIT_DIRS)
        for folder in dirs:
            text = read_optional_quiet(self.host, f"{folder}/{service}")
            if text is not None:
                exec_lines = "\n".join(
                    ln.split("=", 1)[1] for ln in text.splitlines() if ln.strip().startswith("ExecStart")
                )
                return find_tools(exec_lines)
        return set()

    def service_results(self) -> None:
        """Last successful run of the backup services found above."""
        system_units = [u for u, (_, user) in self.units.items() if not user]
        user_units = [u for u, (_, user) in self.units.items() if user]
        runs = []
        if system_units:
            runs.append(["systemctl", *SHOW_RESULT, *system_units])
        if user_units and not self.user.is_admin:
            runs.append(["systemctl", "--user", *SHOW_RESULT, *user_units])
        for argv in runs:
            try:
                res = self.host.run(argv, timeout=TIMEOUT_S)
            except HostError as exc:
                self.notes.append(f"systemctl show: {exc}")
                continue
            if res.returncode != 0:
                self.notes.append(f"systemctl show: {(res.stderr or res.stdout).strip()[:120]}")
                continue
            self.sources.append("systemctl show (backup services)")
            for block in parse_systemctl_show(res.stdout):
                unit = block.get("Id", "")
                if unit not in self.units:
                    continue
                word = self.units[unit][0]
                when = systemd_time(block.get("ExecMainExitTimestamp", ""))
                if block.get("Result") == "success" and block.get("ExecMainStatus", "0") == "0" and when:
                    self.tool(TOOL_WORDS[word]).see(when, f"{unit} (last run)")
                elif when:
                    self.notes.append(f"{unit}: last run {when:%Y-%m-%d} ended with {block.get('Result', '?')}")

    # -- tool state ------------------------------------------------------
    def borg(self) -> None:
        self.searched.append("borg")
        for home in self.homes:
            base = f"{home}/.config/borg/security"
            for repo in self.listdir(base):
                stamp = f"{base}/{repo}/manifest-timestamp"
                text = read_optional_quiet(self.host, stamp)
                when = _iso(text or "") or (self.mtime(stamp) if text is not None else None)
                found = self.tool("BorgBackup", configured=True)
                found.see(when, base)
                self.sources.append(base)
        for home in self.homes:
            for path, label in (
                (f"{home}/.config/borgmatic/config.yaml", "borgmatic"),
                (f"{home}/.config/borgmatic.d", "borgmatic"),
                (f"{home}/.local/share/Vorta/settings.db", "Vorta"),
                (f"{home}/.config/pika-backup/config.json", "Pika Backup"),
            ):
                if self.host.exists(path):
                    self.tool(label, configured=True).see(None, path)
        for path in ("/etc/borgmatic/config.yaml", "/etc/borgmatic.d"):
            if self.host.exists(path):
                self.tool("borgmatic", configured=True).see(None, path)

    def restic(self) -> None:
        self.searched.append("restic")
        for home in self.homes:
            base = f"{home}/.cache/restic"
            for repo in self.listdir(base):
                folder = f"{base}/{repo}/snapshots"
                names = self.listdir(folder)
                if not names:
                    continue
                found = self.tool("restic", configured=True)
                for name in names[-50:]:
                    found.see(self.mtime(f"{folder}/{name}"), base)
                self.sources.append(base)

    def duplicity(self) -> None:
        self.searched.append("duplicity")
        for home in self.homes:
            base = f"{home}/.cache/duplicity"
            for archive in self.listdir(base):
                when = newest_duplicity_manifest(self.listdir(f"{base}/{archive}"))
                if when:
                    self.tool("duplicity", configured=True).see(when, base)
                    self.sources.append(base)

    def rsnapshot(self) -> None:
        self.searched.append("rsnapshot")
        text = read_optional_quiet(self.host, "/etc/rsnapshot.conf")
        if text is None or "rsnapshot" not in self.tools:
            return  # the configuration file alone ships with the package
        self.sources.append("/etc/rsnapshot.conf")
        root = ""
        for line in text.splitlines():
            parts = line.split("\t")
            if parts and parts[0] == "snapshot_root" and len(parts) > 1:
                root = parts[-1].strip()
        if root:
            found = self.tools["rsnapshot"]
            found.target = root
            for name in self.listdir(root):
                if name.endswith(".0"):
                    found.see(self.mtime(f"{root.rstrip('/')}/{name}"), root)

    def backintime(self) -> None:
        self.searched.append("Back In Time")
        for home in self.homes:
            text = read_optional_quiet(self.host, f"{home}/.config/backintime/config")
            if not text:
                continue
            self.sources.append(f"{home}/.config/backintime/config")
            conf = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
            scheduled = any(k.endswith(".schedule.mode") and v.strip() not in ("0", "") for k, v in conf.items())
            path = next((v for k, v in conf.items() if k.endswith(".snapshots.path")), "")
            found = self.tool("Back In Time", configured=scheduled or bool(path), target=path)
            if path:
                base = f"{path.rstrip('/')}/backintime"
                for host_dir in self.listdir(base):
                    for user_dir in self.listdir(f"{base}/{host_dir}"):
                        for profile in self.listdir(f"{base}/{host_dir}/{user_dir}"):
                            names = self.listdir(f"{base}/{host_dir}/{user_dir}/{profile}")
                            stamps = sorted(n for n in names if re.match(r"^\d{8}-\d{6}", n))
                            if stamps:
                                when = datetime.strptime(stamps[-1][:15], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
                                found.see(when, base)

    def agents(self) -> None:
        self.searched.append(note("linux.backup_agents"))
        for label, paths in AGENTS:
            if any(self.host.exists(p) for p in paths):
                self.tool(label, configured=True).see(None, paths[0])

    def sync_clients(self) -> None:
        self.searched.append(note("linux.sync_clients"))
        for home in self.homes:
            for label, rels in SYNC_CLIENTS:
                if any(self.host.exists(f"{home}/{rel}") for rel in rels):
                    self.tool(label, configured=True, sync_only=True).see(None, home)

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


@probe("backups", "linux")
def linux_backups(host: Host) -> BackupStatus:
    c = _Collector(host)
    c.dejadup()
    c.timeshift()
    c.cron()
    c.timers()
    c.borg()
    c.restic()
    c.duplicity()
    c.rsnapshot()
    c.backintime()
    c.agents()
    c.sync_clients()
    c.service_results()
    return c.result()
