"""Command-line backup tools, from their own state.

borg (and borgmatic, Vorta, Pika), restic, duplicity, rsnapshot, Back In Time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from clinicguard.probes.linux.backups.collector import Collector, iso_time, read_optional_quiet

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


def borg(c: Collector) -> None:
    c.searched.append("borg")
    for home in c.homes:
        base = f"{home}/.config/borg/security"
        for repo in c.listdir(base):
            stamp = f"{base}/{repo}/manifest-timestamp"
            text = read_optional_quiet(c.host, stamp)
            when = iso_time(text or "") or (c.mtime(stamp) if text is not None else None)
            found = c.tool("BorgBackup", configured=True)
            found.see(when, base)
            c.sources.append(base)
    for home in c.homes:
        for path, label in (
            (f"{home}/.config/borgmatic/config.yaml", "borgmatic"),
            (f"{home}/.config/borgmatic.d", "borgmatic"),
            (f"{home}/.local/share/Vorta/settings.db", "Vorta"),
            (f"{home}/.config/pika-backup/config.json", "Pika Backup"),
        ):
            if c.host.exists(path):
                c.tool(label, configured=True).see(None, path)
    for path in ("/etc/borgmatic/config.yaml", "/etc/borgmatic.d"):
        if c.host.exists(path):
            c.tool("borgmatic", configured=True).see(None, path)


def restic(c: Collector) -> None:
    c.searched.append("restic")
    for home in c.homes:
        base = f"{home}/.cache/restic"
        for repo in c.listdir(base):
            folder = f"{base}/{repo}/snapshots"
            names = c.listdir(folder)
            if not names:
                continue
            found = c.tool("restic", configured=True)
            for name in names[-50:]:
                found.see(c.mtime(f"{folder}/{name}"), base)
            c.sources.append(base)


def duplicity(c: Collector) -> None:
    c.searched.append("duplicity")
    for home in c.homes:
        base = f"{home}/.cache/duplicity"
        for archive in c.listdir(base):
            when = newest_duplicity_manifest(c.listdir(f"{base}/{archive}"))
            if when:
                c.tool("duplicity", configured=True).see(when, base)
                c.sources.append(base)


def rsnapshot(c: Collector) -> None:
    c.searched.append("rsnapshot")
    text = read_optional_quiet(c.host, "/etc/rsnapshot.conf")
    if text is None or "rsnapshot" not in c.tools:
        return  # the configuration file alone ships with the package
    c.sources.append("/etc/rsnapshot.conf")
    root = ""
    for line in text.splitlines():
        parts = line.split("\t")
        if parts and parts[0] == "snapshot_root" and len(parts) > 1:
            root = parts[-1].strip()
    if root:
        found = c.tools["rsnapshot"]
        found.target = root
        for name in c.listdir(root):
            if name.endswith(".0"):
                found.see(c.mtime(f"{root.rstrip('/')}/{name}"), root)


def backintime(c: Collector) -> None:
    c.searched.append("Back In Time")
    for home in c.homes:
        text = read_optional_quiet(c.host, f"{home}/.config/backintime/config")
        if not text:
            continue
        c.sources.append(f"{home}/.config/backintime/config")
        conf = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        scheduled = any(k.endswith(".schedule.mode") and v.strip() not in ("0", "") for k, v in conf.items())
        path = next((v for k, v in conf.items() if k.endswith(".snapshots.path")), "")
        found = c.tool("Back In Time", configured=scheduled or bool(path), target=path)
        if path:
            base = f"{path.rstrip('/')}/backintime"
            for host_dir in c.listdir(base):
                for user_dir in c.listdir(f"{base}/{host_dir}"):
                    for profile in c.listdir(f"{base}/{host_dir}/{user_dir}"):
                        names = c.listdir(f"{base}/{host_dir}/{user_dir}/{profile}")
                        stamps = sorted(n for n in names if re.match(r"^\d{8}-\d{6}", n))
                        if stamps:
                            when = datetime.strptime(stamps[-1][:15], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
                            found.see(when, base)
