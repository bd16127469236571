"""Screen lock settings of the Linux desktop session."""

from __future__ import annotations

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import ScreenLock
from clinicguard.core.model import Reason
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.common import is_true, parse_ini, read_optional
from clinicguard.probes.linux.system import detect_desktop, linux_system

GSETTINGS_SCHEMAS = {
    # desktop -> (session schema, screensaver schema)
    "gnome": ("org.gnome.desktop.session", "org.gnome.desktop.screensaver"),
    "unity": ("org.gnome.desktop.session", "org.gnome.desktop.screensaver"),
    "budgie": ("org.gnome.desktop.session", "org.gnome.desktop.screensaver"),
    "pantheon": ("org.gnome.desktop.session", "org.gnome.desktop.screensaver"),
    "cinnamon": ("org.cinnamon.desktop.session", "org.cinnamon.desktop.screensaver"),
}
KDE_DEFAULT_TIMEOUT_MIN = 5


def parse_gsettings_value(text: str) -> str:
    """'uint32 300' -> '300'; 'true' -> 'true'; "'x'" -> 'x'."""
    value = text.strip()
    if value.startswith(("uint32 ", "int32 ")):
        value = value.split(None, 1)[1]
    return value.strip("'")


def _gsettings(host: Host, schema: str, key: str) -> str:
    res = host.run(["gsettings", "get", schema, key], timeout=5)
    if res.returncode != 0:
        first = (res.stderr.strip().splitlines() or [f"exit code {res.returncode}"])[0]
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"gsettings get {schema} {key}: {first}")
    return parse_gsettings_value(res.stdout)


def _int(value: str, source: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"{source}: {value!r} is not a number") from exc


def gnome_like(host: Host, desktop: str) -> ScreenLock:
    session, saver = GSETTINGS_SCHEMAS[desktop]
    idle = _int(_gsettings(host, session, "idle-delay"), f"{session} idle-delay")
    enabled = _gsettings(host, saver, "lock-enabled") == "true"
    delay = _int(_gsettings(host, saver, "lock-delay"), f"{saver} lock-delay")
    disabled_by_policy = False
    if desktop != "cinnamon":
        try:
            disabled_by_policy = _gsettings(host, "org.gnome.desktop.lockdown", "disable-lock-screen") == "true"
        except (ProbeError, HostError):
            disabled_by_policy = False
    lock_on = enabled and idle > 0 and not disabled_by_policy
    return ScreenLock(
        has_desktop=True,
        desktop=desktop,
        lock_enabled=lock_on,
        lock_after_s=idle + delay if lock_on else 0,
        sources=(f"gsettings {session} idle-delay", f"gsettings {saver} lock-enabled / lock-delay"),
        notes=(f"idle-delay={idle}s lock-enabled={str(enabled).lower()} lock-delay={delay}s",),
    )


def kde(host: Host) -> ScreenLock:
    home = host.user().home or host.env("HOME") or ""
    path = f"{home}/.config/kscreenlockerrc"
    text = read_optional(host, path)
    daemon = parse_ini(text or "").get("Daemon", {})
    autolock = is_true(daemon.get("Autolock", "true"))
    try:
        timeout_min = int(daemon.get("Timeout", KDE_DEFAULT_TIMEOUT_MIN))
    except ValueError as exc:
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"{path}: Timeout={daemon.get('Timeout')!r}") from exc
    lock_on = autolock and timeout_min > 0
    return ScreenLock(
        has_desktop=True,
        desktop="kde",
        lock_enabled=lock_on,
        lock_after_s=timeout_min * 60 if lock_on else 0,
        sources=(path if text is not None else f"{path} (absent: KDE defaults)",),
    )


@probe("screen_lock", "linux")
def linux_screen_lock(host: Host) -> ScreenLock:
    desktop = detect_desktop(host)
    if not desktop:
        system = linux_system(host)
        if not system.has_desktop:
            return ScreenLock(has_desktop=False, lock_after_s=None, sources=("XDG_CURRENT_DESKTOP",))
        raise ProbeError(
            Reason.NOT_READABLE,
            "a desktop is installed but clinicguard was not started from the desktop session",
        )
    if desktop in GSETTINGS_SCHEMAS:
        return gnome_like(host, desktop)
    if desktop == "kde":
        return kde(host)
    raise ProbeError(Reason.UNSUPPORTED, f"screen lock settings of the {desktop} desktop are not read yet")
