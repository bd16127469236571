"""Which macOS this is and whether the Mac is a laptop."""

from __future__ import annotations

from clinicguard.core.errors import ParseError
from clinicguard.core.facts import SystemFacts
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.common import parse_key_values
from clinicguard.probes.macos.plists import PMSET, SW_VERS, SYSCTL, read_plist

SYSTEM_VERSION_PLIST = "/System/Library/CoreServices/SystemVersion.plist"
# Marketing names by major version (Apple numbers 26 after 15).
RELEASE_NAMES = {11: "Big Sur", 12: "Monterey", 13: "Ventura", 14: "Sonoma", 15: "Sequoia", 26: "Tahoe"}


def parse_sw_vers(text: str) -> dict[str, str]:
    """'ProductVersion:\t15.1.1' lines -> {"ProductVersion": "15.1.1", ...}."""
    info = parse_key_values(text, sep=":")
    if not info.get("ProductVersion"):
        raise ParseError(f"sw_vers: no ProductVersion in {text[:80]!r}")
    return info


def major(version: str) -> int | None:
    try:
        return int(version.split(".", 1)[0])
    except ValueError:
        return None


def release_name(version: str) -> str:
    name = RELEASE_NAMES.get(major(version) or 0, "")
    return f"macOS {name} {version}" if name else f"macOS {version}"


def parse_pmset_batt(text: str) -> bool | None:
    """True when `pmset -g batt` lists an internal battery, False when it lists none."""
    if "Now drawing from" not in text:
        return None
    return "InternalBattery" in text


def is_laptop(host: Host, sources: list[str]) -> bool | None:
    try:
        res = host.run([PMSET, "-g", "batt"], timeout=5)
        found = parse_pmset_batt(res.stdout)
        if found is not None:
            sources.append("pmset -g batt")
            return found
    except HostError:
        pass
    # Older model identifiers name the family ("MacBookAir10,1"); Apple silicon
    # ones ("Mac14,2") do not, so only a positive answer counts.
    try:
        res = host.run([SYSCTL, "-n", "hw.model"], timeout=5)
        if res.stdout.strip().startswith("MacBook"):
            sources.append("sysctl hw.model")
            return True
    except HostError:
        pass
    return None


def version_info(host: Host, sources: list[str]) -> dict[str, str]:
    """sw_vers fields, or the same from SystemVersion.plist when sw_vers fails."""
    try:
        info = parse_sw_vers(host.run([SW_VERS], timeout=5).stdout)
        sources.append("sw_vers")
    except (HostError, ParseError):
        data = read_plist(host, SYSTEM_VERSION_PLIST)
        info = {k: str(v) for k, v in data.items()}
        info.setdefault("BuildVersion", info.get("ProductBuildVersion", ""))
        sources.append(SYSTEM_VERSION_PLIST)
    return info


@probe("system", "macos")
def macos_system(host: Host) -> SystemFacts:
    sources: list[str] = []
    notes: list[str] = []
    info = version_info(host, sources)
    version = info.get("ProductVersion", "")
    extra = info.get("ProductVersionExtra", "")  # Rapid Security Response, e.g. "(a)"
    if extra:
        notes.append(f"ProductVersionExtra={extra}")
    if info.get("BuildVersion"):
        notes.append(f"BuildVersion={info['BuildVersion']}")
    return SystemFacts(
        os_id="macos",
        os_version=version,
        os_name=release_name(version),
        is_laptop=is_laptop(host, sources),
        has_desktop=True,
        desktop="macos",
        sources=tuple(sources),
        notes=tuple(notes),
    )
