"""Backups: File History, known backup agents, system image (admin), OneDrive."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from clinicguard.core.errors import ProbeError
from clinicguard.core.facts import BackupStatus, BackupTool
from clinicguard.core.model import Reason
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.windows import ps, reg, text

FILE_HISTORY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\FileHistory"
FILE_HISTORY_CONFIG = r"{local}\Microsoft\Windows\FileHistory\Configuration\Config1.xml"
SHELL_FOLDERS = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders"
ONEDRIVE_ACCOUNTS = r"HKCU\Software\Microsoft\OneDrive\Accounts"
KFM_FOLDERS = ("Desktop", "Personal", "My Pictures")

# Display-name patterns of backup software -> the name shown.
AGENTS = {
    r"veeam agent|veeam endpoint": "Veeam Agent",
    r"acronis (true image|cyber protect|backup)": "Acronis",
    r"macrium reflect": "Macrium Reflect",
    r"cobian (backup|reflector)": "Cobian Backup",
    r"active backup for business": "Synology Active Backup",
    r"easeus todo backup": "EaseUS Todo Backup",
    r"aomei backupper": "AOMEI Backupper",
    r"duplicati": "Duplicati",
    r"iperius backup": "Iperius Backup",
    r"backblaze": "Backblaze",
    r"carbonite": "Carbonite",
    r"uranium backup": "Uranium Backup",
    r"paragon (backup|hard disk manager)": "Paragon Backup",
    r"arq( backup)?\b": "Arq",
}
AGENT_SERVICES = {
    "VeeamEndpointBackupSvc": "Veeam Agent",
    "AcronisCyberProtectService": "Acronis",
    "MMS": "Acronis",
    "MacriumService": "Macrium Reflect",
    "CobianReflectorService": "Cobian Backup",
    "Backupper Service": "AOMEI Backupper",
    "EPSVC": "EaseUS Todo Backup",
    "Duplicati": "Duplicati",
}
FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def filetime(value: object) -> datetime | None:
    number = reg.as_int(value)
    if not number:
        return None
    try:
        return FILETIME_EPOCH + timedelta(microseconds=number // 10)
    except OverflowError:
        return None


def file_history(host: Host, searched: list[str]) -> BackupTool | None:
    searched.append("File History")
    vals = reg.values(host, FILE_HISTORY)
    local = host.env("LOCALAPPDATA") or ""
    config = bool(local) and host.exists(FILE_HISTORY_CONFIG.format(local=local))
    if vals is None and not config:
        return None
    last = filetime((vals or {}).get("protecteduptotime"))
    return BackupTool(name="File History", configured=config or last is not None, last_success=last)


def agents(host: Host, searched: list[str], services: list[dict]) -> list[BackupTool]:
    searched.append(", ".join(dict.fromkeys(AGENTS.values())))
    found: dict[str, BackupTool] = {}
    running = {str(s.get("name")): s for s in services}
    for name, _key in reg.installed_programs(host):
        for pattern, label in AGENTS.items():
            if re.search(pattern, name, re.IGNORECASE):
                found.setdefault(label, BackupTool(name=label, configured=False))
    for svc, label in AGENT_SERVICES.items():
        s = running.get(svc)
        if s is None:
            continue
        auto = str(s.get("start", "")).lower() in ("automatic", "auto")
        if auto or str(s.get("status", "")).lower() == "running":
            # A scheduled agent is set up; when it last succeeded is not known here.
            found[label] = BackupTool(name=label, configured=True)
    return list(found.values())


def onedrive_kfm(host: Host, searched: list[str]) -> BackupTool | None:
    searched.append("OneDrive")
    roots: list[str] = []
    try:
        for account in host.registry_subkeys(ONEDRIVE_ACCOUNTS):
            folder = reg.get_str(reg.values(host, f"{ONEDRIVE_ACCOUNTS}\\{account}"), "UserFolder")
            if folder:
                roots.append(folder.lower().rstrip("\\"))
    except HostError:
        pass
    one = (host.env("OneDrive") or "").lower().rstrip("\\")
    if one:
        roots.append(one)
    if not roots:
        return None
    shell = reg.values(host, SHELL_FOLDERS) or {}
    moved = [f for f in KFM_FOLDERS if any(reg.get_str(shell, f).lower().startswith(r + "\\") for r in roots)]
    if not moved:
        return None
    return BackupTool(name="OneDrive", configured=True, sync_only=True, target=", ".join(moved))


def system_image(host: Host, searched: list[str], notes: list[str]) -> BackupTool | None:
    try:
        versions = ps.section(host, "wbadmin").get("versions") or []
    except ProbeError as exc:
        notes.append("windows_wbadmin_needs_admin" if exc.reason is Reason.NEEDS_ADMIN else f"wbadmin: {exc.detail}")
        return None
    searched.append("wbadmin")
    dates = [d for d in (text.parse_version_id(str(v)) for v in versions) if d is not None]
    if not dates:
        return None
    return BackupTool(name="Windows Backup (system image)", configured=True, last_success=max(dates))


@probe("backups", "windows")
def windows_backups(host: Host) -> BackupStatus:
    searched: list[str] = []
    notes: list[str] = []
    services = ps.optional_section(host, "services") or []
    tools: list[BackupTool] = []
    for found in (file_history(host, searched), onedrive_kfm(host, searched), system_image(host, searched, notes)):
        if found is not None:
            tools.append(found)
    tools += agents(host, searched, services)
    return BackupStatus(
        tools=tuple(tools),
        searched=tuple(searched),
        sources=(FILE_HISTORY, SHELL_FOLDERS, *reg.UNINSTALL_KEYS),
        notes=tuple(notes),
    )
