"""What apt and dnf share: a pending upgrade, ages, systemd timers, command timeouts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from clinicguard.host import Host, HostError

SHORT_TIMEOUT_S = 4.0


TIMER_WANTS = "/etc/systemd/system/timers.target.wants"


def age_days(host: Host, when: datetime) -> float:
    return max(0.0, (host.now() - when).total_seconds() / 86400)


def natural_key(text: str) -> list:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


@dataclass(frozen=True)
class Upgrade:
    name: str
    new: str
    origin: str  # suites (apt list) or origins (apt-get -s)
    old: str = ""

    @property
    def security(self) -> bool:
        return "-security" in self.origin.lower()


def newest_mtime(host: Host, paths: list[str]) -> float | None:
    newest = None
    for path in paths:
        try:
            t = host.mtime(path)
        except HostError:
            continue
        newest = t if newest is None else max(newest, t)
    return newest


def timer_enabled(host: Host, unit: str, home: str = "") -> bool:
    paths = [f"{TIMER_WANTS}/{unit}"]
    if home:
        paths.append(f"{home}/.config/systemd/user/timers.target.wants/{unit}")
    return any(host.exists(p) for p in paths)
