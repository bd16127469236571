"""XProtect (Apple's built-in malware protection), Gatekeeper, and known third-party agents."""

from __future__ import annotations

from datetime import UTC, datetime

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import AntivirusProduct, AntivirusStatus
from clinicguard.core.model import Reason
from clinicguard.core.notes import note
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.macos.plists import SPCTL, read_plist
from clinicguard.probes.macos.updates import install_history

# The CoreServices copy ships with software updates; from macOS 15 the active copy
# lives under /var/protected and is updated on its own schedule.
XPROTECT_BUNDLES = (
    "/Library/Apple/System/Library/CoreServices/XProtect.bundle",
    "/var/protected/xprotect/XProtect.bundle",
)
XPROTECT_UPDATES = ("XProtectPlistConfigData", "XProtectPayloads", "XProtect")
# Third-party protection agents recognised by their application bundle.
THIRD_PARTY_APPS = {
    "/Applications/Malwarebytes.app": "Malwarebytes",
    "/Applications/Sophos/Sophos Endpoint.app": "Sophos",
    "/Applications/ESET Endpoint Security.app": "ESET",
    "/Applications/ESET Cyber Security.app": "ESET",
    "/Applications/Bitdefender": "Bitdefender",
    "/Applications/Norton 360.app": "Norton",
    "/Applications/Intego": "Intego",
    "/Applications/Avast.app": "Avast",
    "/Applications/Falcon.app": "CrowdStrike Falcon",
    "/Applications/SentinelOne": "SentinelOne",
    "/Applications/Microsoft Defender.app": "Microsoft Defender",
}


def parse_spctl(text: str) -> bool | None:
    """`spctl --status`: "assessments enabled" / "assessments disabled"."""
    low = text.lower()
    if "assessments enabled" in low:
        return True
    if "assessments disabled" in low:
        return False
    return None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def xprotect_version(host: Host, sources: list[str]) -> tuple[str, datetime | None]:
    """Highest readable bundle version and the newest bundle file time."""
    best, newest = "", None
    for bundle in XPROTECT_BUNDLES:
        path = f"{bundle}/Contents/Info.plist"
        try:
            info = read_plist(host, path)
        except (HostError, ProbeError):
            continue
        sources.append(path)
        version = str(info.get("CFBundleShortVersionString", ""))
        if version and (not best or _version_key(version) > _version_key(best)):
            best = version
        try:
            when = datetime.fromtimestamp(host.mtime(path), UTC)
            newest = when if newest is None or when > newest else newest
        except HostError:
            pass
    return best, newest


@probe("antivirus", "macos")
def macos_antivirus(host: Host) -> AntivirusStatus:
    sources: list[str] = []
    notes: list[str] = []
    version, updated = xprotect_version(host, sources)
    try:
        installs = [i for i in install_history(host) if i.name in XPROTECT_UPDATES]
        sources.append("/Library/Receipts/InstallHistory.plist")
        latest = max((i.date for i in installs), default=None)
        if latest is not None and (updated is None or latest > updated):
            updated = latest
    except (HostError, ProbeError) as exc:
        notes.append(f"install history unreadable: {exc.detail}")
    gatekeeper: bool | None = None
    try:
        res = host.run([SPCTL, "--status"], timeout=5)
        gatekeeper = parse_spctl(res.stdout + res.stderr)
        sources.append("spctl --status")
    except HostError as exc:
        notes.append(f"spctl: {exc.detail}")
    if gatekeeper is not None:
        notes.append(f"Gatekeeper={'on' if gatekeeper else 'off'}")
    if not version:
        raise ProbeError(Reason.NOT_FOUND, note("macos.xprotect_missing"))
    notes.append(f"XProtect={version}")
    age = None
    if updated is not None:
        age = round(max((host.now() - updated).total_seconds(), 0.0) / 86400, 1)
    # XProtect is part of macOS and cannot be switched off while System Integrity
    # Protection is on; whether it scans every file opened is not documented, so
    # realtime stays unknown. Gatekeeper's state is shown beside it.
    products = [AntivirusProduct(name="XProtect", enabled=True, realtime=None, signature_age_days=age)]
    for path, name in THIRD_PARTY_APPS.items():
        if host.exists(path) and all(p.name != name for p in products):
            products.append(AntivirusProduct(name=name, enabled=None))
            sources.append(path)
    return AntivirusStatus(products=tuple(products), sources=tuple(sources), notes=tuple(notes))
