"""Remote-control tools, Secure Boot and media autorun on Linux and macOS."""

from __future__ import annotations

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import AutorunPolicy, RemoteTool, RemoteTools, SecureBoot
from clinicguard.core.model import Reason
from clinicguard.host import FileMissing, Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.common import read_optional
from clinicguard.probes.remote_tools import looks_virtual, tool_name

# Linux: install folders and systemd units of remote-control tools.
LINUX_TOOL_PATHS = {
    "/opt/teamviewer": "TeamViewer",
    "/usr/bin/teamviewer": "TeamViewer",
    "/usr/bin/anydesk": "AnyDesk",
    "/usr/bin/rustdesk": "RustDesk",
    "/opt/splashtop-streamer": "Splashtop",
    "/usr/bin/x11vnc": "x11vnc",
    "/usr/bin/vncserver-x11": "RealVNC",
    "/opt/remoteit": "Remote.It",
}
LINUX_UNITS = {
    "teamviewerd": "TeamViewer",
    "anydesk": "AnyDesk",
    "rustdesk": "RustDesk",
    "x11vnc": "x11vnc",
    "vncserver-x11-serviced": "RealVNC",
    "SplashtopStreamer": "Splashtop",
}
UNIT_WANTS = ("/etc/systemd/system/multi-user.target.wants", "/etc/systemd/system/graphical.target.wants")


def _running(host: Host) -> set[str]:
    try:
        return {n for n in (tool_name(p.name) for p in host.processes()) if n}
    except HostError:
        return set()


@probe("remote_tools", "linux")
def linux_remote_tools(host: Host) -> RemoteTools:
    if not host.is_dir("/usr/bin"):
        # Nothing visible at all: "no tool found" would be a guess.
        raise ProbeError(Reason.NOT_READABLE, "/usr/bin not visible: installed programs cannot be listed")
    found: dict[str, RemoteTool] = {}
    for path, name in LINUX_TOOL_PATHS.items():
        if host.exists(path):
            found.setdefault(name, RemoteTool(name=name, autostart=False))
    for folder in UNIT_WANTS:
        try:
            entries = host.listdir(folder)
        except FileMissing:
            continue
        for entry in entries:
            unit_tool = LINUX_UNITS.get(entry.removesuffix(".service"))
            if unit_tool:
                found[unit_tool] = RemoteTool(name=unit_tool, autostart=True)
    running = _running(host)
    for name in running:
        prev = found.get(name, RemoteTool(name=name, installed=False))
        found[name] = RemoteTool(name=name, installed=prev.installed, autostart=prev.autostart, running=True)
    return RemoteTools(
        tools=tuple(sorted(found.values(), key=lambda t: t.name)),
        searched=(*LINUX_TOOL_PATHS, *UNIT_WANTS, "processes"),
    )


@probe("remote_tools", "macos")
def macos_remote_tools(host: Host) -> RemoteTools:
    found: dict[str, RemoteTool] = {}
    for folder in ("/Applications", "/Applications/Utilities"):
        try:
            entries = host.listdir(folder)
        except FileMissing:
            if folder == "/Applications":
                raise ProbeError(Reason.NOT_READABLE, "/Applications not visible") from None
            continue
        for entry in entries:
            name = tool_name(entry) if entry.endswith(".app") else None
            if name:
                found.setdefault(name, RemoteTool(name=name, autostart=False))
    for folder in ("/Library/LaunchDaemons", "/Library/LaunchAgents"):
        try:
            entries = host.listdir(folder)
        except FileMissing:
            continue
        for entry in entries:
            name = tool_name(entry.replace(".", " "))
            if name:
                found[name] = RemoteTool(name=name, autostart=True)
    for name in _running(host):
        prev = found.get(name, RemoteTool(name=name, installed=False))
        found[name] = RemoteTool(name=name, installed=prev.installed, autostart=prev.autostart, running=True)
    return RemoteTools(
        tools=tuple(sorted(found.values(), key=lambda t: t.name)),
        searched=("/Applications", "/Library/LaunchDaemons", "/Library/LaunchAgents"),
    )


EFI = "/sys/firmware/efi"
SECURE_BOOT_VAR = EFI + "/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"


def _virtual(host: Host) -> bool | None:
    texts = [read_optional(host, f"/sys/class/dmi/id/{n}") for n in ("sys_vendor", "product_name")]
    present = [t for t in texts if t]
    return looks_virtual(*present) if present else None


@probe("secure_boot", "linux")
def linux_secure_boot(host: Host) -> SecureBoot:
    virtual = _virtual(host)
    if not host.exists(EFI):
        return SecureBoot(
            uefi=False, enabled=False, virtual_machine=virtual, sources=(EFI,), notes=("legacy_bios_boot",)
        )
    try:
        data = host.read_bytes(SECURE_BOOT_VAR)
    except FileMissing:
        # UEFI without the variable: firmware without Secure Boot support.
        return SecureBoot(
            uefi=True,
            enabled=False,
            virtual_machine=virtual,
            sources=(SECURE_BOOT_VAR,),
            notes=("SecureBoot efivar absent",),
        )
    # 4 bytes of attributes, then the value byte (1 = enabled).
    if len(data) < 5:
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"{SECURE_BOOT_VAR}: {len(data)} bytes")
    return SecureBoot(uefi=True, enabled=data[-1] == 1, virtual_machine=virtual, sources=(SECURE_BOOT_VAR,))


GSETTINGS_AUTORUN = ["gsettings", "get", "org.gnome.desktop.media-handling", "autorun-never"]


@probe("autorun", "linux")
def linux_autorun(host: Host) -> AutorunPolicy:
    res = host.run(GSETTINGS_AUTORUN, timeout=5.0)
    value = res.stdout.strip().lower()
    if res.returncode != 0 or value not in ("true", "false"):
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"gsettings autorun-never: {value or res.stderr.strip()[:200]}")
    return AutorunPolicy(autorun_never=value == "true", sources=("gsettings org.gnome.desktop.media-handling",))
