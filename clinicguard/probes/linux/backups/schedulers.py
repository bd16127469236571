"""Backups run by cron or systemd timers, and the outcome of the last run of their services."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from clinicguard.host import HostError
from clinicguard.i18n import note
from clinicguard.probes.linux.backups.collector import (
    TIMEOUT_S,
    TOOL_WORDS,
    Collector,
    epoch,
    find_tools,
    read_optional_quiet,
)

# `systemctl show` arguments giving the outcome and end time of a unit's last run.
SHOW_RESULT = [
    "show",
    "--timestamp=unix",
    "-p",
    "Id",
    "-p",
    "Result",
    "-p",
    "ExecMainExitTimestamp",
    "-p",
    "ExecMainStatus",
]


CRON_FILES = ("/etc/crontab", "/etc/anacrontab")


CRON_DIRS = ("/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly")


UNIT_DIRS = ("/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system")


SYSTEM_WANTS = "/etc/systemd/system/timers.target.wants"


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
            return epoch(int(value[1:]))
        except ValueError:
            return None
    m = re.search(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})", value)
    if m:
        return datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return None


def cron(c: Collector) -> None:
    c.searched.append("cron")
    texts: list[tuple[str, str]] = []
    for path in CRON_FILES:
        text = read_optional_quiet(c.host, path)
        if text:
            texts.append((path, text))
    for folder in CRON_DIRS:
        for name in c.listdir(folder):
            if name.startswith(".") or name.endswith((".dpkg-dist", ".dpkg-old", ".rpmsave", ".rpmnew")):
                continue
            path = f"{folder}/{name}"
            text = read_optional_quiet(c.host, path)
            if text:
                # The file name counts too: /etc/cron.daily/borgmatic.
                texts.append((path, f"{name}\n{text}" if folder != "/etc/cron.d" else text))
    commands = [["crontab", "-l"]]
    if c.user.is_admin and c.user.name not in ("", "root"):
        commands.append(["crontab", "-l", "-u", c.user.name])
    for argv in commands:
        try:
            res = c.host.run(argv, timeout=TIMEOUT_S)
        except HostError:
            continue
        if res.returncode == 0:
            c.sources.append(" ".join(argv))
            texts.append((" ".join(argv), res.stdout))
    for where, text in texts:
        for word in find_tools(text):
            c.tool(TOOL_WORDS[word], configured=True).see(None, where)
            c.sources.append(where)


def timers(c: Collector) -> None:
    c.searched.append(note("linux.systemd_timers"))
    wants = [(SYSTEM_WANTS, False)] + [(f"{home}/.config/systemd/user/timers.target.wants", True) for home in c.homes]
    for folder, user_unit in wants:
        for name in c.listdir(folder):
            if not name.endswith(".timer"):
                continue
            base = name[: -len(".timer")]
            service = f"{base}.service"
            words = find_tools(base.replace("-", " ").replace("@", " ").replace("_", " "))
            if not words:
                words = _service_words(c, service, folder if user_unit else "")
            for word in words:
                c.tool(TOOL_WORDS[word], configured=True).see(None, f"{folder}/{name}")
                c.units[service] = (word, user_unit)


def _service_words(c: Collector, service: str, user_dir: str) -> set[str]:
    dirs = [user_dir.replace("/timers.target.wants", "")] if user_dir else list(UNIT_DIRS)
    for folder in dirs:
        text = read_optional_quiet(c.host, f"{folder}/{service}")
        if text is not None:
            exec_lines = "\n".join(
                ln.split("=", 1)[1] for ln in text.splitlines() if ln.strip().startswith("ExecStart")
            )
            return find_tools(exec_lines)
    return set()


def service_results(c: Collector) -> None:
    """Last successful run of the backup services found above."""
    system_units = [u for u, (_, user) in c.units.items() if not user]
    user_units = [u for u, (_, user) in c.units.items() if user]
    runs = []
    if system_units:
        runs.append(["systemctl", *SHOW_RESULT, *system_units])
    if user_units and not c.user.is_admin:
        runs.append(["systemctl", "--user", *SHOW_RESULT, *user_units])
    for argv in runs:
        try:
            res = c.host.run(argv, timeout=TIMEOUT_S)
        except HostError as exc:
            c.notes.append(f"systemctl show: {exc}")
            continue
        if res.returncode != 0:
            c.notes.append(f"systemctl show: {(res.stderr or res.stdout).strip()[:120]}")
            continue
        c.sources.append("systemctl show (backup services)")
        for block in parse_systemctl_show(res.stdout):
            unit = block.get("Id", "")
            if unit not in c.units:
                continue
            word = c.units[unit][0]
            when = systemd_time(block.get("ExecMainExitTimestamp", ""))
            if block.get("Result") == "success" and block.get("ExecMainStatus", "0") == "0" and when:
                c.tool(TOOL_WORDS[word]).see(when, f"{unit} (last run)")
            elif when:
                c.notes.append(f"{unit}: last run {when:%Y-%m-%d} ended with {block.get('Result', '?')}")
