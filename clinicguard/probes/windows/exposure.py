"""Remote access exposure (RDP, SMBv1, SSH, remote-control tools), AutoRun, Secure Boot."""

from __future__ import annotations

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import AutorunPolicy, ExposedServices, RemoteTool, RemoteTools, SecureBoot
from clinicguard.core.model import Reason
from clinicguard.host import Host, HostError
from clinicguard.probes import listeners as shared_listeners  # registered first, so this module overrides it
from clinicguard.probes import probe
from clinicguard.probes.remote_tools import looks_virtual, tool_name
from clinicguard.probes.windows import ps, reg

TERMINAL_SERVER = r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server"
RDP_TCP = TERMINAL_SERVER + r"\WinStations\RDP-Tcp"
TS_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"
MRXSMB10 = r"HKLM\SYSTEM\CurrentControlSet\Services\mrxsmb10"
LANMAN_PARAMS = r"HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters"
SERVICE_DISABLED = 4

REMOTE_SERVICES = {
    "teamviewer": "TeamViewer",
    "anydesk": "AnyDesk",
    "rustdesk": "RustDesk",
    "chromoting": "Chrome Remote Desktop",
    "splashtopremoteservice": "Splashtop",
    "lmiguardiansvc": "LogMeIn",
    "logmein": "LogMeIn",
    "uvnc_service": "UltraVNC",
    "tvnserver": "TightVNC",
    "vncserver": "RealVNC",
    "dwagent": "DWService",
}


def rdp_state(host: Host) -> tuple[bool | None, bool | None]:
    """(RDP accepts connections, Network Level Authentication required)."""
    policy = reg.values(host, TS_POLICY)
    deny = reg.get_int(policy, "fDenyTSConnections")
    if deny is None:
        deny = reg.get_int(reg.values(host, TERMINAL_SERVER), "fDenyTSConnections")
    nla = reg.get_int(policy, "UserAuthentication")
    if nla is None:
        nla = reg.get_int(reg.values(host, RDP_TCP), "UserAuthentication")
    enabled = None if deny is None else deny == 0
    return enabled, (None if nla is None else nla == 1)


def smb1_enabled(host: Host) -> bool | None:
    client = reg.values(host, MRXSMB10)
    server = reg.get_int(reg.values(host, LANMAN_PARAMS), "SMB1")
    if server == 1:
        return True
    # The SMB1 feature (absent by default since 1709) installs the mrxsmb10 driver.
    return client is not None and reg.get_int(client, "Start") != SERVICE_DISABLED


def _service_flags(svc: dict) -> tuple[bool, bool]:
    auto = str(svc.get("start", "")).lower() in ("automatic", "auto", "automaticdelayedstart")
    return auto, str(svc.get("status", "")).lower() == "running"


def find_remote_tools(host: Host, services: list[dict] | None) -> list[RemoteTool]:
    found: dict[str, RemoteTool] = {}
    for display, _key in reg.installed_programs(host):
        name = tool_name(display)
        if name:
            found.setdefault(name, RemoteTool(name=name))
    for svc in services or []:
        sname = str(svc.get("name", ""))
        name = REMOTE_SERVICES.get(sname.lower()) or tool_name(sname) or tool_name(str(svc.get("display", "")))
        if not name:
            continue
        auto, running = _service_flags(svc)
        found[name] = RemoteTool(name=name, autostart=auto, running=running)
    try:
        for proc in host.processes():
            name = tool_name(proc.name)
            if name:
                prev = found.get(name, RemoteTool(name=name, installed=False))
                found[name] = RemoteTool(name=name, installed=prev.installed, autostart=prev.autostart, running=True)
    except HostError:
        pass
    return sorted(found.values(), key=lambda t: t.name)


@probe("remote_tools", "windows")
def windows_remote_tools(host: Host) -> RemoteTools:
    services = ps.optional_section(host, "services")
    tools = find_remote_tools(host, services)
    notes = [] if services is not None else ["windows_services_unreadable"]
    return RemoteTools(
        tools=tuple(tools),
        searched=(r"...\CurrentVersion\Uninstall", "Get-Service", "processes"),
        sources=reg.UNINSTALL_KEYS,
        notes=tuple(notes),
    )


@probe("exposed_services", "windows", override=True)
def windows_exposed_services(host: Host) -> ExposedServices:
    notes: list[str] = []
    try:
        rdp, nla = rdp_state(host)
    except HostError as exc:
        rdp = nla = None
        notes.append(f"RDP: {exc.detail}")
    try:
        smb1 = smb1_enabled(host)
    except HostError as exc:
        smb1 = None
        notes.append(f"SMBv1: {exc.detail}")
    found = shared_listeners.external(host.listeners())
    services = ps.optional_section(host, "services")
    ssh: bool | None = any(x.port == 22 and x.proto == "tcp" for x in found) or None
    if services is not None:
        sshd = [s for s in services if str(s.get("name", "")).lower() == "sshd"]
        ssh = bool(ssh) or any(any(_service_flags(s)) for s in sshd)
    tools = find_remote_tools(host, services)
    return ExposedServices(
        listeners=tuple((x.ip, x.port, x.proto, x.process) for x in found),
        remote_tools=tuple(t.name for t in tools),
        rdp_enabled=rdp,
        rdp_nla=nla,
        smb1_enabled=smb1,
        ssh_server=ssh,
        sources=("psutil.net_connections", TERMINAL_SERVER, RDP_TCP, MRXSMB10, LANMAN_PARAMS),
        notes=tuple(notes),
    )


EXPLORER_POLICY = r"{hive}\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\Explorer"
AUTOPLAY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\AutoplayHandlers"


@probe("autorun", "windows")
def windows_autorun(host: Host) -> AutorunPolicy:
    mask: int | None = None
    no_autorun: bool | None = None
    sources = []
    for hive in ("HKCU", "HKLM"):  # HKLM last: machine policy wins
        key = EXPLORER_POLICY.format(hive=hive)
        vals = reg.values(host, key)
        if vals is not None:
            sources.append(key)
        value = reg.get_int(vals, "NoDriveTypeAutoRun")
        if value is not None:
            mask = value
        flag = reg.get_int(vals, "NoAutorun")
        if flag is not None:
            no_autorun = flag == 1
    autoplay_vals = reg.values(host, AUTOPLAY)
    if autoplay_vals is not None:
        sources.append(AUTOPLAY)
    autoplay = reg.get_int(autoplay_vals, "DisableAutoplay")
    return AutorunPolicy(
        no_drive_type_autorun=mask,
        no_autorun=no_autorun,
        autoplay_disabled=None if autoplay is None else autoplay == 1,
        sources=tuple(sources) or (EXPLORER_POLICY.format(hive="HKLM"),),
    )


SECURE_BOOT_STATE = r"HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot\State"
BIOS = r"HKLM\HARDWARE\DESCRIPTION\System\BIOS"


@probe("secure_boot", "windows")
def windows_secure_boot(host: Host) -> SecureBoot:
    state = reg.values(host, SECURE_BOOT_STATE)
    try:
        bios = reg.values(host, BIOS)
        virtual: bool | None = (
            looks_virtual(reg.get_str(bios, "SystemManufacturer"), reg.get_str(bios, "SystemProductName"))
            if bios
            else None
        )
    except HostError:
        virtual = None
    if state is None:
        # The key exists on every UEFI boot; its absence means legacy BIOS.
        return SecureBoot(
            uefi=False,
            enabled=False,
            virtual_machine=virtual,
            sources=(SECURE_BOOT_STATE,),
            notes=("legacy_bios_boot",),
        )
    value = reg.get_int(state, "UEFISecureBootEnabled")
    if value is None:
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"{SECURE_BOOT_STATE}: UEFISecureBootEnabled missing")
    return SecureBoot(uefi=True, enabled=value == 1, virtual_machine=virtual, sources=(SECURE_BOOT_STATE,))
