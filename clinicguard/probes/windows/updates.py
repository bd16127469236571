"""Windows Update: last quality update installed, policy, pause, pending reboot."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from clinicguard.core.errors import ProbeError, unknown_of
from clinicguard.core.facts import Unknown, UpdateStatus
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.windows import ps, reg
from clinicguard.probes.windows.update_kinds import UpdateKind, classify

# Daily Defender signatures, the monthly malicious software removal tool and the
# Defender platform update flood the pending list without patching Windows.
IGNORED_KB = ("KB2267602", "KB890830", "KB4052623")
RESULT_SUCCEEDED, RESULT_SUCCEEDED_WITH_ERRORS = 2, 3

AU_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU"
UX_SETTINGS = r"HKLM\SOFTWARE\Microsoft\WindowsUpdate\UX\Settings"
WUAUSERV = r"HKLM\SYSTEM\CurrentControlSet\Services\wuauserv"
REBOOT_KEYS = (
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired",
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending",
)
# Windows Update category ids (language-neutral, unlike category names).
CATEGORY_SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441"
CATEGORY_DEFINITIONS = "e0789628-ce08-4437-be74-2495b842f43b"
MSRC_SECURITY = ("critical", "important", "moderate", "low")
# AUOptions: 2 = notify before download (nothing installs by itself).
AU_NOTIFY_ONLY = 2
SERVICE_DISABLED = 4
NOTIFICATION_DISABLED = 1
# Note (a key of the [value] table) when the history read holds no OS quality update at all.
NOTE_NO_OS_UPDATE = "windows_no_os_update_in_history"


def parse_iso(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    # .NET 'o' format has 7 fractional digits; Python accepts at most 6.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def last_quality_update(history: list[dict]) -> tuple[datetime | None, str]:
    """Newest successful OS quality update (cumulative or security update) and its title.

    Store apps, drivers, Defender definitions, .NET and feature updates do not
    patch Windows and are left out (update_kinds.py says why).
    """
    best: tuple[datetime | None, str] = (None, "")
    for entry in history:
        title = str(entry.get("title", ""))
        if entry.get("result") not in (RESULT_SUCCEEDED, RESULT_SUCCEEDED_WITH_ERRORS):
            continue
        categories = entry.get("categories")
        kind = classify(title, str(entry.get("service") or ""), categories if isinstance(categories, list) else ())
        if kind is not UpdateKind.OS_QUALITY:
            continue
        when = parse_iso(entry.get("date"))
        if when is not None and (best[0] is None or when > best[0]):
            best = (when, title)
    return best


def count_pending(updates: list[dict]) -> tuple[int, int]:
    """(pending, of which security) from the offline search, signatures left out."""
    pending = security = 0
    for u in updates:
        categories = {str(c).lower() for c in u.get("categories") or []}
        title = str(u.get("title", ""))
        if CATEGORY_DEFINITIONS in categories or any(kb in title for kb in IGNORED_KB):
            continue
        pending += 1
        if CATEGORY_SECURITY in categories or str(u.get("severity", "")).lower() in MSRC_SECURITY:
            security += 1
    return pending, security


def automatic_updates(host: Host, notes: list[str], sources: list[str]) -> bool | None:
    try:
        policy = reg.values(host, AU_POLICY)
        service = reg.values(host, WUAUSERV)
    except HostError as exc:
        notes.append(f"automatic: {exc.detail}")
        return None
    if policy is not None:
        sources.append(AU_POLICY)
        if reg.get_int(policy, "NoAutoUpdate") == 1:
            notes.append("automatic: NoAutoUpdate=1")
            return False
        if reg.get_int(policy, "AUOptions") == AU_NOTIFY_ONLY:
            notes.append("automatic: AUOptions=2")
            return False
    if service is not None and reg.get_int(service, "Start") == SERVICE_DISABLED:
        sources.append(WUAUSERV)
        notes.append("automatic: wuauserv Start=4")
        return False
    settings = ps.optional_section(host, "wu_settings")
    if settings and settings.get("notification_level") == NOTIFICATION_DISABLED:
        notes.append("automatic: NotificationLevel=1")
        return False
    return True


def reboot_pending(host: Host) -> bool | None:
    try:
        return any(reg.key_exists(host, key) for key in REBOOT_KEYS)
    except HostError:
        return None


@probe("updates", "windows")
def windows_updates(host: Host) -> UpdateStatus:
    notes: list[str] = []
    sources: list[str] = []
    why: dict[str, Unknown] = {}
    last: datetime | None = None
    title = ""
    try:
        history = ps.section(host, "wu_history")
        last, title = last_quality_update(history)
        sources.append("Microsoft.Update.Session QueryHistory")
        if not history:
            notes.append("pending: QueryHistory 0")
        elif not title:
            notes.append(f"pending: {NOTE_NO_OS_UPDATE}")
    except ProbeError as exc:
        notes.append(f"pending: {exc.detail}")
        why["last_install"] = unknown_of(exc)
    pending = pending_security = None
    scan_age: float | None = None
    try:
        pending, pending_security = count_pending(ps.section(host, "wu_pending"))
        sources.append("Microsoft.Update.Session Search (offline, last scan)")
        last_scan = parse_iso((ps.optional_section(host, "wu_settings") or {}).get("last_search"))
        if last_scan is not None and last_scan.year > 1601:
            scan_age = round((host.now() - last_scan).total_seconds() / 86400, 1)
            notes.append(f"pending: LastSearchSuccessDate {last_scan.date().isoformat()}")
    except ProbeError as exc:
        notes.append(f"pending: {exc.detail}")
        why["pending"] = unknown_of(exc)
    automatic = automatic_updates(host, notes, sources)
    paused: datetime | None = None
    try:
        ux = reg.values(host, UX_SETTINGS)
        until = parse_iso(reg.get_str(ux, "PauseUpdatesExpiryTime"))
        if until is not None and until > host.now():
            paused = until
            sources.append(UX_SETTINGS)
    except HostError as exc:
        notes.append(f"automatic: {exc.detail}")
    return UpdateStatus(
        manager="windows-update",
        pending=pending,
        pending_security=pending_security,
        last_install=last,
        last_install_title=title[:200],
        # Age of the last Windows Update scan, the offline search knows nothing newer.
        metadata_age_days=scan_age,
        automatic=automatic,
        paused_until=paused,
        reboot_required=reboot_pending(host),
        sources=tuple(dict.fromkeys(sources)),
        notes=tuple(dict.fromkeys(notes)),
        why_unknown=why,
    )
