"""Screen lock: idle delays (screen saver, display sleep) plus the password delay."""

from __future__ import annotations

import re

from clinicguard.core.errors import ParseError, ProbeError
from clinicguard.core.facts import ScreenLock
from clinicguard.core.model import Reason
from clinicguard.core.notes import note
from clinicguard.host import AccessDenied, Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.macos.plists import DEFAULTS, MANAGED_PREFS, PMSET, SYSADMINCTL, read_plist_optional

SCREENLOCK_ARGV = [SYSADMINCTL, "-screenLock", "status"]
IDLE_ARGV = [DEFAULTS, "-currentHost", "read", "com.apple.screensaver", "idleTime"]
PMSET_ARGV = [PMSET, "-g"]
DELAY_RE = re.compile(r"screenLock delay is (-?\d+)(?:\.\d+)? seconds?", re.IGNORECASE)
# System sleep is left out: it cannot start while the display is awake.
PMSET_RE = re.compile(r"^\s*(displaysleep)\s+(\d+)(.*)$", re.MULTILINE)


def parse_screenlock(text: str) -> int | None:
    """`sysadminctl -screenLock status` (stderr, timestamp prefix) -> password delay in
    seconds after the screen saver or display sleep starts; None when the lock is off."""
    low = text.lower()
    if "screenlock is off" in low:
        return None
    if "screenlock delay is immediate" in low:
        return 0
    match = DELAY_RE.search(text)
    if match:
        value = int(match.group(1))
        return None if value < 0 else value
    raise ParseError(f"sysadminctl -screenLock status: {text.strip()[-100:]!r}")


def parse_idle_time(text: str, returncode: int) -> int | None:
    """`defaults -currentHost read com.apple.screensaver idleTime` -> seconds (0 = never),
    None when the key is not set."""
    if returncode != 0:
        if "does not exist" in text:
            return None
        raise ParseError(f"defaults read idleTime: {text.strip()[:100]!r}")
    try:
        return int(float(text.strip()))
    except ValueError as exc:
        raise ParseError(f"defaults read idleTime: {text.strip()[:100]!r}") from exc


def parse_pmset(text: str) -> tuple[dict[str, int], list[str]]:
    """`pmset -g` settings in use -> ({"displaysleep": minutes}, notes); 0 = never."""
    values: dict[str, int] = {}
    notes: list[str] = []
    for name, minutes, rest in PMSET_RE.findall(text):
        values[name] = int(minutes)
        if "prevented by" in rest:
            notes.append(f"{name} {rest.strip()}")
    return values, notes


def managed_idle_time(host: Host, user: str, sources: list[str]) -> int | None:
    """Screen saver delay imposed by a configuration profile (it overrides the user's)."""
    for path in (f"{MANAGED_PREFS}/{user}/com.apple.screensaver.plist", f"{MANAGED_PREFS}/com.apple.screensaver.plist"):
        try:
            data = read_plist_optional(host, path)
        except AccessDenied:
            continue
        value = (data or {}).get("idleTime")
        if isinstance(value, int) and not isinstance(value, bool):
            sources.append(path)
            return value
    return None


@probe("screen_lock", "macos")
def macos_screen_lock(host: Host) -> ScreenLock:
    user = host.user()
    if user.is_admin:
        # Under sudo these per-user settings would be root's, not the session's.
        raise ProbeError(Reason.NOT_READABLE, note("macos.screen_lock_session"))
    res = host.run(SCREENLOCK_ARGV, timeout=5)
    delay = parse_screenlock(res.stderr + "\n" + res.stdout)
    sources = ["sysadminctl -screenLock status"]
    notes: list[str] = []
    if delay is None:
        return ScreenLock(
            has_desktop=True,
            desktop="macos",
            lock_enabled=False,
            lock_after_s=0,
            sources=tuple(sources),
            notes=("macos_no_password_after_sleep",),
        )
    idle: list[int] = []
    saver_known = display_known = False
    try:
        saver = managed_idle_time(host, user.name, sources)
        if saver is None:
            res = host.run(IDLE_ARGV, timeout=5)
            saver = parse_idle_time(res.stdout + res.stderr, res.returncode)
            sources.append("defaults -currentHost read com.apple.screensaver idleTime")
        saver_known = saver is not None
        if saver is None:
            notes.append("macos_screensaver_default")
        else:
            idle += [saver] if saver > 0 else []
            notes.append(f"idleTime={saver}s")
    except (HostError, ProbeError) as exc:
        notes.append(note("macos.saver_delay_unreadable", error=exc.detail))
    try:
        values, pm_notes = parse_pmset(host.run(PMSET_ARGV, timeout=5).stdout)
        if values:
            sources.append("pmset -g")
        if values.get("displaysleep"):
            idle.append(values["displaysleep"] * 60)
        if "displaysleep" in values:
            display_known = True
            notes.append(f"displaysleep={values['displaysleep']}min")
        notes += pm_notes
    except HostError as exc:
        notes.append(note("macos.pmset_unreadable", error=exc.detail))
    notes.append(f"screenLock delay={delay}s")
    if not idle:
        if not (saver_known and display_known):
            raise ProbeError(Reason.NOT_READABLE, "no idle delay could be read: " + "; ".join(notes))
        # Neither the screen saver nor display sleep ever starts.
        return ScreenLock(
            has_desktop=True,
            desktop="macos",
            lock_enabled=True,
            lock_after_s=0,
            sources=tuple(sources),
            notes=tuple(notes),
        )
    return ScreenLock(
        has_desktop=True,
        desktop="macos",
        lock_enabled=True,
        lock_after_s=min(idle) + delay,
        sources=tuple(sources),
        notes=tuple(notes),
    )
