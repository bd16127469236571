"""Screen lock: secure screensaver, machine inactivity limit, sleep with password."""

from __future__ import annotations

from clinicguard.core.facts import ScreenLock
from clinicguard.host import Host
from clinicguard.probes import probe
from clinicguard.probes.windows import ps, reg, text

DESKTOP = r"HKCU\Control Panel\Desktop"
DESKTOP_POLICY = r"HKCU\Software\Policies\Microsoft\Windows\Control Panel\Desktop"


def screensaver_timeout(desktop: dict[str, object] | None, policy: dict[str, object] | None) -> int | None:
    """Seconds before a password-protected screensaver starts, None when there is none."""
    merged = {**(desktop or {}), **(policy or {})}  # policy copies win
    active = reg.get_int(merged, "ScreenSaveActive")
    secure = reg.get_int(merged, "ScreenSaverIsSecure")
    timeout = reg.get_int(merged, "ScreenSaveTimeOut")
    exe = reg.get_str(merged, "SCRNSAVE.EXE")
    # ScreenSaveActive=1 without SCRNSAVE.EXE is common and means "(None)".
    if active == 1 and secure == 1 and exe and timeout and timeout > 0:
        return timeout
    return None


def sleep_lock_timeout(power: dict | None) -> int | None:
    """Seconds before sleep on mains power when waking asks for the password."""
    if not power:
        return None
    standby = text.parse_powercfg("\n".join(str(x) for x in power.get("standby") or []))
    lock = text.parse_powercfg("\n".join(str(x) for x in power.get("consolelock") or []))
    if standby is None:
        return None
    # Without a CONSOLELOCK setting Windows asks for the password on wake.
    asks_password = lock is None or lock[0] == 1
    return standby[0] if standby[0] > 0 and asks_password else None


@probe("screen_lock", "windows")
def windows_screen_lock(host: Host) -> ScreenLock:
    notes: list[str] = []
    desktop = reg.values(host, DESKTOP)
    policy = reg.values(host, DESKTOP_POLICY)
    sources = [DESKTOP] + ([DESKTOP_POLICY] if policy else [])
    candidates: list[int] = []
    saver = screensaver_timeout(desktop, policy)
    if saver is not None:
        candidates.append(saver)
        notes.append(f"ScreenSaveTimeOut={saver} ScreenSaverIsSecure=1")
    inactivity = reg.get_int(reg.values(host, reg.POLICIES_SYSTEM), "InactivityTimeoutSecs")
    sources.append(reg.POLICIES_SYSTEM)
    if inactivity and inactivity > 0:
        candidates.append(inactivity)
        notes.append(f"InactivityTimeoutSecs={inactivity}")
    power = ps.optional_section(host, "power")
    sleep = sleep_lock_timeout(power)
    if sleep is not None:
        candidates.append(sleep)
        notes.append(f"STANDBYIDLE AC={sleep} CONSOLELOCK=1")
        sources.append("powercfg SUB_SLEEP STANDBYIDLE, SUB_NONE CONSOLELOCK")
    if candidates:
        lock_after: int | None = min(candidates)
    elif power is None:
        # Sleep settings unreadable: it might still lock on sleep.
        lock_after = None
        notes.append("windows_sleep_unreadable")
    else:
        lock_after = 0
    return ScreenLock(
        has_desktop=True,
        lock_after_s=lock_after,
        lock_enabled=bool(candidates) if lock_after is not None else None,
        desktop="windows",
        sources=tuple(sources),
        notes=tuple(notes),
    )
