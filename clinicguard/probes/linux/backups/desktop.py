"""Desktop backup tools: Déjà Dup (GNOME) and Timeshift (system snapshots)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from clinicguard.core.facts import BackupTool
from clinicguard.host import HostError
from clinicguard.i18n import note
from clinicguard.probes.linux.backups.archivers import newest_duplicity_manifest
from clinicguard.probes.linux.backups.collector import TIMEOUT_S, Collector, iso_time


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
    last = iso_time(settings.get("org.gnome.DejaDup last-backup", ""))
    last_run = iso_time(settings.get("org.gnome.DejaDup last-run", ""))
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


def dejadup(c: Collector) -> None:
    c.searched.append("Déjà Dup")
    env = None
    home = c.user.home
    if c.user.is_admin and home and home != "/root":
        env = {"HOME": home, "XDG_CONFIG_HOME": f"{home}/.config"}
    try:
        res = c.host.run(["gsettings", "list-recursively", "org.gnome.DejaDup"], timeout=TIMEOUT_S, env=env)
    except HostError:
        res = None
    if res is not None and res.returncode == 0 and res.stdout.strip():
        if "memory" in res.stderr.lower() and "backend" in res.stderr.lower():
            c.notes.append(note("linux.deja_dup_unreadable"))
        else:
            c.sources.append("gsettings list-recursively org.gnome.DejaDup")
            tool = dejadup_tool(parse_gsettings_list(res.stdout))
            if tool is not None and (tool.configured or tool.last_success):
                c.add_tool(tool)
            else:
                c.notes.append(note("linux.deja_dup_unused"))
    for home in c.homes:
        path = f"{home}/.var/app/org.gnome.DejaDup/config/glib-2.0/settings/keyfile"
        text = c.read(path)
        if text:
            tool = dejadup_tool(parse_dejadup_keyfile(text))
            if tool is not None and tool.configured:
                c.add_tool(tool)
    for home in c.homes:
        # Older Déjà Dup drove duplicity, whose cache names carry the backup times.
        for sub in c.listdir(f"{home}/.cache/deja-dup"):
            when = newest_duplicity_manifest(c.listdir(f"{home}/.cache/deja-dup/{sub}"))
            if when:
                c.tool("Déjà Dup", configured=True).see(when, f"{home}/.cache/deja-dup")


def timeshift(c: Collector) -> None:
    c.searched.append("Timeshift")
    for path in ("/etc/timeshift/timeshift.json", "/etc/timeshift.json"):
        text = c.read(path)
        if text is None:
            continue
        try:
            scheduled, mode = parse_timeshift(text)
        except ValueError:
            c.notes.append(note("linux.not_json", path=str(path)))
            return
        if not scheduled:
            c.notes.append(note("linux.timeshift_unscheduled"))
            return
        found = c.tool("Timeshift", configured=True, target=f"system snapshots ({mode})")
        for folder in ("/timeshift/snapshots", "/run/timeshift/backup/timeshift/snapshots"):
            found.see(newest_timeshift_snapshot(c.listdir(folder)), folder)
        return
