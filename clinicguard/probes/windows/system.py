"""Which Windows this is (build, release, edition) and whether it is a laptop."""

from __future__ import annotations

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import SystemFacts
from clinicguard.core.model import Reason
from clinicguard.host import Host
from clinicguard.probes import probe
from clinicguard.probes.windows import ps, reg

WINDOWS_11_FIRST_BUILD = 22000
# SMBIOS chassis types of portable computers (DMTF DSP0134).
LAPTOP_CHASSIS = {8, 9, 10, 11, 12, 14, 18, 21, 30, 31, 32}


def windows_major(build: int) -> str:
    # ProductName still says "Windows 10" on 11; the build number does not lie.
    return "11" if build >= WINDOWS_11_FIRST_BUILD else "10"


def product_name(raw: str, build: int) -> str:
    name = raw or "Windows"
    if build >= WINDOWS_11_FIRST_BUILD and "Windows 10" in name:
        name = name.replace("Windows 10", "Windows 11")
    return name


@probe("system", "windows")
def windows_system(host: Host) -> SystemFacts:
    vals = reg.values(host, reg.CURRENT_VERSION)
    build = reg.get_int(vals, "CurrentBuild") or reg.get_int(vals, "CurrentBuildNumber")
    if vals is None or build is None:
        raise ProbeError(Reason.NOT_FOUND, f"{reg.CURRENT_VERSION}: CurrentBuild not found")
    ubr = reg.get_int(vals, "UBR")
    display = reg.get_str(vals, "DisplayVersion") or reg.get_str(vals, "ReleaseId")
    major = windows_major(build)
    laptop: bool | None = None
    sources = [reg.CURRENT_VERSION]
    chassis = ps.optional_section(host, "chassis")
    if chassis and isinstance(chassis.get("types"), list) and chassis["types"]:
        laptop = any(int(x) in LAPTOP_CHASSIS for x in chassis["types"] if isinstance(x, int))
        sources.append("Win32_SystemEnclosure.ChassisTypes")
    name = product_name(reg.get_str(vals, "ProductName"), build)
    return SystemFacts(
        os_id="windows",
        os_version=f"{major} {display}".strip(),
        os_name=f"{name} {display}".strip(),
        edition=reg.get_str(vals, "EditionID"),
        build=build,
        is_laptop=laptop,
        has_desktop=True,
        desktop="windows",
        sources=tuple(sources),
        notes=(f"build {build}.{ubr}" if ubr is not None else f"build {build}",),
    )
