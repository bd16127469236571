"""Which Linux this is, whether it is a laptop, whether a desktop runs."""

from __future__ import annotations

from clinicguard.core.facts import SystemFacts
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.common import parse_key_values, read_optional

# SMBIOS chassis types of portable computers (DMTF DSP0134).
LAPTOP_CHASSIS = {8, 9, 10, 11, 12, 14, 18, 21, 30, 31, 32}
DESKTOP_SESSIONS = ("gnome", "kde", "plasma", "cinnamon", "xfce", "mate", "lxqt", "budgie", "unity", "pantheon")


def detect_desktop(host: Host) -> str:
    """Name of the desktop environment of the session, or ''."""
    for var in ("XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION"):
        value = (host.env(var) or "").lower()
        for name in DESKTOP_SESSIONS:
            if name in value:
                return "kde" if name == "plasma" else name
    return ""


@probe("system", "linux")
def linux_system(host: Host) -> SystemFacts:
    sources = []
    text = read_optional(host, "/etc/os-release") or read_optional(host, "/usr/lib/os-release")
    info = parse_key_values(text or "")
    if text is not None:
        sources.append("/etc/os-release")
    laptop: bool | None = None
    try:
        chassis = int(host.read_text("/sys/class/dmi/id/chassis_type").strip())
        laptop = chassis in LAPTOP_CHASSIS
        sources.append("/sys/class/dmi/id/chassis_type")
    except (HostError, ValueError):
        try:
            laptop = any(n.startswith("BAT") for n in host.listdir("/sys/class/power_supply")) or None
        except HostError:
            laptop = None
    desktop = detect_desktop(host)
    has_desktop: bool | None = bool(desktop) or bool(host.env("DISPLAY") or host.env("WAYLAND_DISPLAY"))
    if not has_desktop:
        # Run from a console or over SSH: a display manager still means a desktop PC.
        has_desktop = any(
            host.exists(p) for p in ("/usr/sbin/gdm3", "/usr/sbin/gdm", "/usr/sbin/lightdm", "/usr/bin/sddm")
        )
    return SystemFacts(
        os_id=info.get("ID", "linux"),
        os_version=info.get("VERSION_ID", ""),
        os_name=info.get("PRETTY_NAME", "Linux"),
        is_laptop=laptop,
        has_desktop=has_desktop,
        desktop=desktop,
        sources=tuple(sources),
    )
