"""Software Update: pending updates from the last check, automatic settings, last install."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinicguard.core.errors import ParseError, ProbeError
from clinicguard.core.facts import Unknown, UpdateStatus
from clinicguard.core.model import Reason
from clinicguard.core.notes import note
from clinicguard.host import AccessDenied, Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.gathered import Gathered
from clinicguard.probes.macos.plists import bool_or_none, parse_plist, utc, with_managed
from clinicguard.probes.macos.system import version_info

SOFTWARE_UPDATE_PLIST = "/Library/Preferences/com.apple.SoftwareUpdate.plist"
INSTALL_HISTORY = "/Library/Receipts/InstallHistory.plist"
# Processes that install Apple system updates (as recorded in InstallHistory.plist).
UPDATE_PROCESSES = ("softwareupdated", "Software Update", "macOS Installer", "OS X Installer")
# Silent security-data updates: they arrive every few days and say nothing about the OS itself.
CONFIG_DATA_MARKERS = ("XProtect", "Gatekeeper", "MRT", "ConfigData", "Compatibility Data", "Configuration Data")
SECURITY_MARKERS = ("macOS", "Security", "Safari", "Background Security")


@dataclass(frozen=True)
class Install:
    name: str
    version: str
    date: datetime
    process: str

    @property
    def config_data(self) -> bool:
        return any(m.lower() in self.name.lower() for m in CONFIG_DATA_MARKERS)


def parse_install_history(data: bytes) -> list[Install]:
    """InstallHistory.plist: an array of {date, displayName, displayVersion, processName}."""
    items = parse_plist(data, INSTALL_HISTORY)
    if not isinstance(items, list):
        raise ParseError(f"{INSTALL_HISTORY}: expected an array")
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        when = utc(item.get("date"))
        if when is None:
            continue
        out.append(
            Install(
                name=str(item.get("displayName", "")),
                version=str(item.get("displayVersion", "")),
                date=when,
                process=str(item.get("processName", "")),
            )
        )
    return out


def install_history(host: Host) -> list[Install]:
    return parse_install_history(host.read_bytes(INSTALL_HISTORY))


def last_system_update(history: list[Install]) -> Install | None:
    """Newest Apple update of macOS itself (not app installs, not security data)."""
    updates = [i for i in history if i.process in UPDATE_PROCESSES and not i.config_data]
    return max(updates, key=lambda i: i.date, default=None)


def _label(name: str, version: str) -> str:
    """'macOS Sonoma 14.7.2' stays as is; 'Safari' + '18.2' -> 'Safari 18.2'."""
    return name if not version or version in name else f"{name} {version}"


def _major(version: str) -> int | None:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def pending_updates(
    prefs: dict[str, Any], current_major: int | None = None
) -> tuple[int | None, int | None, list[str], list[str]]:
    """(pending, of which security-relevant, names, major upgrades) from the last check.

    A new major macOS (Sonoma -> Sequoia) is offered beside the updates of the
    installed one; it is an upgrade, not a missing update, so it is set apart.
    """
    listed = prefs.get("RecommendedUpdates")
    names: list[str] = []
    upgrades: list[str] = []
    if isinstance(listed, list):
        for item in listed:
            if not isinstance(item, dict):
                continue
            name = str(item.get("Display Name", item.get("Identifier", "?")))
            version = str(item.get("Display Version", ""))
            label = _label(name, version)
            newer = _major(version)
            if name.startswith("macOS") and current_major and newer and newer > current_major:
                upgrades.append(label)
            else:
                names.append(label)
    count = prefs.get("LastRecommendedUpdatesAvailable")
    if isinstance(listed, list):
        count = len(names)
    elif not isinstance(count, int) or isinstance(count, bool):
        count = None
    if count is None:
        return None, None, names, upgrades
    if count and not names:
        return count, None, names, upgrades
    # Apple's macOS, Safari and security releases all carry security fixes.
    security = sum(1 for n in names if any(m in n for m in SECURITY_MARKERS))
    return count, security, names, upgrades


def automatic(prefs: dict[str, Any]) -> tuple[bool | None, list[str]]:
    """Updates are automatic when macOS checks, downloads and installs them by itself."""
    keys = ("AutomaticCheckEnabled", "AutomaticDownload", "AutomaticallyInstallMacOSUpdates", "CriticalUpdateInstall")
    values = {k: bool_or_none(prefs.get(k)) for k in keys}
    notes = [f"automatic: {k}={'on' if v else 'off'}" for k, v in values.items() if v is not None]
    if any(v is False for v in values.values()):
        return False, notes
    if all(v is True for v in values.values()):
        return True, notes
    return None, notes


def _installed_major(host: Host) -> int | None:
    try:
        return _major(version_info(host, []).get("ProductVersion", ""))
    except (HostError, ProbeError):
        return None


@probe("updates", "macos")
def macos_updates(host: Host) -> UpdateStatus:
    g = Gathered()
    sources, notes = g.sources, g.notes
    try:
        prefs = with_managed(host, SOFTWARE_UPDATE_PLIST, sources)
    except AccessDenied as exc:
        raise ProbeError(Reason.NOT_READABLE, f"{SOFTWARE_UPDATE_PLIST}: {exc}") from exc
    if not prefs:
        raise ProbeError(Reason.NOT_FOUND, f"{SOFTWARE_UPDATE_PLIST}: Software Update has never run")
    pending, security, names, upgrades = pending_updates(prefs, _installed_major(host))
    notes += [f"pending: {n}" for n in names] + ["pending: " + note("macos.upgrade_offered", name=n) for n in upgrades]
    auto, auto_notes = automatic(prefs)
    notes += auto_notes
    checked = utc(prefs.get("LastSuccessfulDate")) or utc(prefs.get("LastFullSuccessfulDate"))
    age = None
    if checked is not None:
        age = round(max((host.now() - checked).total_seconds(), 0.0) / 86400, 1)
    last_install = None
    try:
        newest = last_system_update(install_history(host))
        sources.append(INSTALL_HISTORY)
        if newest is not None:
            last_install = newest.date
            notes.append("pending: " + note("macos.last_installed", name=_label(newest.name, newest.version)))
    except (HostError, ProbeError) as exc:
        notes.append(note("macos.install_history_unreadable", error=exc.detail))
    # macOS installs its updates during the restart itself and keeps no readable "restart pending" flag.
    g.unknown("reboot_required", Unknown(Reason.UNSUPPORTED, note("macos.no_restart_record")))
    if auto is None:
        g.unknown(
            "automatic", Unknown(Reason.NOT_FOUND, f"automatic-update settings not set in {SOFTWARE_UPDATE_PLIST}")
        )
    if pending is None:
        g.unknown(
            "pending", Unknown(Reason.NOT_FOUND, f"no result of a Software Update check in {SOFTWARE_UPDATE_PLIST}")
        )
    return UpdateStatus(
        manager="softwareupdate",
        pending=pending,
        pending_security=security,
        last_install=last_install,
        metadata_age_days=age,
        automatic=auto,
        **g.fields(),
    )
