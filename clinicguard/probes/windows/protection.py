"""Antivirus (Security Center, Defender), firewall profiles and BitLocker."""

from __future__ import annotations

from clinicguard.core.errors import ProbeError, unknown_of
from clinicguard.core.facts import AntivirusProduct, AntivirusStatus, DiskEncryption, FirewallStatus, Unknown
from clinicguard.core.model import Reason
from clinicguard.core.notes import note
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.windows import ps, reg
from clinicguard.probes.windows.decode import decode_bitlocker, decode_bitlocker_admin, decode_product_state
from clinicguard.probes.windows.security_center import is_microsoft_defender

# Get-MpComputerStatus AntivirusSignatureAge when no signature was ever loaded (service stopped).
SIGNATURE_AGE_NONE = 65535
# AMRunningMode when the Defender service does not run (another antivirus took over, or it was stopped).
MODE_NOT_RUNNING = "not running"


def defender_product(mp: dict, name: str = "Microsoft Defender") -> AntivirusProduct:
    mode = str(mp.get("mode", "")).strip().lower()
    tamper = mp.get("tamper")
    age = mp.get("signature_age")
    running = bool(mp.get("service")) and mode != MODE_NOT_RUNNING
    known_age = isinstance(age, int | float) and not isinstance(age, bool) and 0 <= age < SIGNATURE_AGE_NONE
    return AntivirusProduct(
        name=name,
        enabled=bool(mp.get("antivirus")) and running,
        realtime=mp.get("realtime") if isinstance(mp.get("realtime"), bool) else None,
        signature_age_days=float(age) if known_age and age is not None else None,
        # A stopped engine reports "not out of date" with no signature loaded at all: that is not "up to date".
        up_to_date=(not bool(mp.get("outdated"))) if running and known_age else None,
        passive="passive" in mode,
        tamper_protected=tamper if isinstance(tamper, bool) else None,
    )


def _third_party(item: dict, name: str) -> AntivirusProduct:
    state = item.get("state")
    decoded = decode_product_state(int(state)) if isinstance(state, int) and not isinstance(state, bool) else None
    return AntivirusProduct(
        name=name,
        enabled=decoded.enabled if decoded else None,
        realtime=decoded.enabled if decoded else None,
        up_to_date=decoded.up_to_date if decoded else None,
    )


@probe("antivirus", "windows")
def windows_antivirus(host: Host) -> AntivirusStatus:
    notes: list[str] = []
    sources: list[str] = []
    products: list[AntivirusProduct] = []
    why: dict[str, Unknown] = {}
    mp: dict | None = None
    errors: list[ProbeError] = []
    try:
        mp = ps.section(host, "defender") or None
        sources.append("Get-MpComputerStatus")
    except ProbeError as exc:
        errors.append(exc)
        notes.append(exc.detail)
    try:
        centre = ps.section(host, "av_products")
        sources.append("root/SecurityCenter2 AntiVirusProduct")
    except ProbeError as exc:
        centre = None
        errors.append(exc)
        notes.append(exc.detail)
        # Without Security Center (Windows Server, broken WMI) other antiviruses cannot be listed.
        why["third_party"] = unknown_of(exc)
    if centre is None and mp is None:
        raise ProbeError(errors[-1].reason if errors else Reason.NOT_READABLE, "; ".join(dict.fromkeys(notes)))
    defender_seen = False
    for item in centre or []:
        name = str(item.get("name", "?"))
        state = item.get("state")
        if isinstance(state, int) and not isinstance(state, bool):
            notes.append(f"{name}: productState 0x{state:06X} ({note('state.' + decode_product_state(state).state)})")
        identity = is_microsoft_defender(item)
        if identity is None:
            notes.append(f"{name}: no instanceGuid/pathToSignedProductExe, judged by productState")
        if identity and mp is not None:
            defender_seen = True
            products.append(defender_product(mp, name))
            continue
        products.append(_third_party(item, name))
    if mp is not None and not defender_seen:
        products.append(defender_product(mp))
    return AntivirusStatus(products=tuple(products), sources=tuple(sources), notes=tuple(notes), why_unknown=why)


FIREWALL_POLICY = r"HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy"
FIREWALL_GPO = r"HKLM\SOFTWARE\Policies\Microsoft\WindowsFirewall"
# Profile name -> (registry key of the local settings, key of the group policy)
PROFILES = {
    "domain": ("DomainProfile", "DomainProfile"),
    "private": ("StandardProfile", "PrivateProfile"),
    "public": ("PublicProfile", "PublicProfile"),
}


# DefaultInboundAction in the registry: 1 = block, 0 = allow; absent = the Windows default, block.
REG_INBOUND_BLOCK, REG_INBOUND_ALLOW = 1, 0


def _profile_value(host: Host, name: str, value: str) -> int | None:
    """A profile setting, the group policy winning over the local one."""
    local_key, gpo_key = PROFILES[name]
    found = reg.get_int(reg.values(host, f"{FIREWALL_GPO}\\{gpo_key}"), value)
    if found is None:
        found = reg.get_int(reg.values(host, f"{FIREWALL_POLICY}\\{local_key}"), value)
    return found


def registry_firewall(host: Host) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {}
    for name in PROFILES:
        value = _profile_value(host, name, "EnableFirewall")
        out[name] = None if value is None else value == 1
    return out


def _inbound_blocks(action: str, registry_action: int | None) -> bool | None:
    """Whether a profile's default inbound action blocks.

    "NotConfigured" is not "Block": it defers to the stored setting, read from
    the registry, whose absence means the Windows default (block).
    """
    if action == "block":
        return True
    if action == "allow":
        return False
    if action in ("notconfigured", ""):
        if registry_action is None:
            return True
        return registry_action != REG_INBOUND_ALLOW
    return None


def default_inbound_block(enabled: dict[str, bool | None], blocks: dict[str, bool | None]) -> bool | None:
    """Inbound connections blocked by default: only a profile that is on blocks anything."""
    on = [p for p in PROFILES if enabled.get(p)]
    if not on:
        # Every profile off blocks nothing; unknown profiles leave it unknown.
        return None if any(enabled.get(p) is None for p in PROFILES) else False
    values = [blocks.get(p) for p in on]
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


@probe("firewall", "windows")
def windows_firewall(host: Host) -> FirewallStatus:
    notes: list[str] = []
    sources: list[str] = []
    enabled: dict[str, bool | None] = {}
    actions: dict[str, str] = {}
    try:
        profiles = ps.section(host, "firewall")
        sources.append("Get-NetFirewallProfile -PolicyStore ActiveStore")
        for p in profiles:
            name = str(p.get("name", "")).lower()
            state = str(p.get("enabled", "")).lower()
            enabled[name] = True if state == "true" else False if state == "false" else None
            actions[name] = str(p.get("inbound", "")).lower()
    except ProbeError as exc:
        notes.append(exc.detail)
    registry_actions: dict[str, int | None] = {}
    try:
        from_registry = registry_firewall(host)
        sources.append(FIREWALL_POLICY)
        for name, value in from_registry.items():
            if enabled.get(name) is None:
                enabled[name] = value
        registry_actions = {name: _profile_value(host, name, "DefaultInboundAction") for name in PROFILES}
    except HostError as exc:
        notes.append(f"registry: {exc.detail}")
    if not enabled or all(v is None for v in enabled.values()):
        raise ProbeError(Reason.NOT_READABLE, "; ".join(notes) or "firewall state not readable")
    inbound_block: bool | None = None
    if actions:
        blocks = {name: _inbound_blocks(actions.get(name, ""), registry_actions.get(name)) for name in PROFILES}
        inbound_block = default_inbound_block(enabled, blocks)
    for item in ps.optional_section(host, "fw_products") or []:
        state, name = item.get("state"), str(item.get("name", ""))
        if isinstance(state, int) and name and not is_microsoft_defender(item):
            # A third-party firewall that Security Center reports on protects the machine too.
            decoded = decode_product_state(state)
            notes.append(f"FirewallProduct {name}: {decoded.state}")
            if decoded.enabled:
                enabled[name] = True
    return FirewallStatus(
        enabled=enabled,
        backend="windows",
        default_inbound_block=inbound_block,
        sources=tuple(sources),
        notes=tuple(notes),
    )


def system_drive(host: Host) -> str:
    return (host.env("SystemDrive") or "C:").upper().rstrip("\\")


@probe("disk_encryption", "windows")
def windows_disk_encryption(host: Host) -> DiskEncryption:
    notes: list[str] = []
    states: dict[str, tuple[str, bool | None]] = {}
    sources: list[str] = []
    shell_error: ProbeError | None = None
    try:
        for vol in ps.section(host, "bitlocker"):
            states[str(vol.get("drive", "")).upper()] = decode_bitlocker(vol.get("protection"))
        sources.append("System.Volume.BitLockerProtection")
    except ProbeError as exc:
        shell_error = exc
        notes.append(exc.detail)
    try:
        for vol in ps.section(host, "bitlocker_admin"):
            drive = str(vol.get("drive", "")).upper().rstrip("\\")
            decoded = decode_bitlocker_admin(str(vol.get("volume_status", "")), str(vol.get("protection", "")))
            if decoded[1] is not None or states.get(drive, ("unknown", None))[1] is None:
                states[drive] = decoded
        sources.append("Get-BitLockerVolume")
    except ProbeError as exc:
        if exc.reason is not Reason.NEEDS_ADMIN:
            notes.append(exc.detail)
    sysdrive = system_drive(host)
    state, protected = states.get(sysdrive, ("unknown", None))
    if protected is None:
        if shell_error is not None and not ps.elevated(host):
            # PowerShell itself failed (missing, blocked, constrained): elevation is not the cure.
            raise ProbeError(shell_error.reason, "; ".join(notes))
        if ps.elevated(host):
            raise ProbeError(Reason.NOT_READABLE, "; ".join(notes) or note("windows.bitlocker_unknown", drive=sysdrive))
        raise ProbeError(
            Reason.NEEDS_ADMIN,
            note("windows.bitlocker_needs_admin", drive=sysdrive) + (f" ({'; '.join(notes)})" if notes else ""),
        )
    others = tuple(sorted(d for d, (_s, p) in states.items() if d != sysdrive and p is False))
    notes += [f"{d} {note('state.' + s)}" for d, (s, _p) in sorted(states.items())]
    return DiskEncryption(
        system_encrypted=protected,
        method="bitlocker",
        state=state,
        other_volumes_unencrypted=others,
        sources=tuple(sources),
        notes=tuple(notes),
    )
