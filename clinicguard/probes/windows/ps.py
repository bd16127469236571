"""Batched PowerShell runs, shared by every Windows probe.

Starting PowerShell costs 0.5-3 s (antivirus scanning), so every fact that
needs a PowerShell object is gathered by one script that prints one JSON
document (``batch.ps1``). Windows Update, whose offline search takes
seconds, has its own script (``updates.ps1``) started by the update probe
while the main batch runs: two PowerShell starts per assessment. Each
section runs in its own try/catch: a failing cmdlet gives ``{"error": ...}``
for that section only. Answers are kept per host object, so concurrent
probes share one run of each script.

Constrained language mode (AppLocker, WDAC) blocks COM objects and .NET
calls: the sections that need them fail with a reason, the others still
answer. PowerShell missing, blocked, slow or printing garbage makes the
PowerShell-based facts UNKNOWN with the reason; registry facts go on.
"""

from __future__ import annotations

import functools
import json
import threading
import weakref
from typing import Any

from clinicguard.core.errors import ProbeError
from clinicguard.core.model import Reason
from clinicguard.core.notes import note
from clinicguard.files.datafiles import package_file
from clinicguard.host import AccessDenied, CommandTimeout, Host, HostError, ToolMissing

PS_ARGV = ("powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command")
# -NoLogo (harmless) tells the two runs apart in recordings, which match command lines by prefix.
PS_ARGV_UPDATES = (
    "powershell.exe",
    "-NoLogo",
    "-NoProfile",
    "-NonInteractive",
    "-ExecutionPolicy",
    "Bypass",
    "-Command",
)
BATCH, UPDATES = "batch", "updates"
SCRIPTS = {BATCH: (PS_ARGV, "batch.ps1"), UPDATES: (PS_ARGV_UPDATES, "updates.ps1")}
# Below the runner's 30 s per-check deadline, so a slow run still gives reasons.
PS_TIMEOUT_S = 25.0
MARKER = '{"clinicguard":'

# Services looked up once for several facts (remote tools, SSH server, backups).
SERVICE_NAMES = (
    "sshd",
    "TeamViewer",
    "AnyDesk",
    "RustDesk",
    "chromoting",
    "SplashtopRemoteService",
    "LMIGuardianSvc",
    "LogMeIn",
    "ScreenConnect Client*",
    "uvnc_service",
    "tvnserver",
    "vncserver",
    "Supremo*",
    "DWAgent",
    "fhsvc",
    "VeeamEndpointBackupSvc",
    "AcronisCyberProtectService",
    "MMS",
    "MacriumService",
    "CobianReflectorService",
    "Backupper Service",
    "EPSVC",
    "Duplicati",
    "wuauserv",
)


@functools.cache
def script(which: str = BATCH) -> str:
    text = package_file("probes", "windows", SCRIPTS[which][1]).read_text(encoding="utf-8")
    names = ",".join(f"'{n}'" for n in SERVICE_NAMES)
    return text.replace("__SERVICE_NAMES__", names)


# Sections whose value is a list of objects (PowerShell unwraps single items).
LIST_SECTIONS = frozenset(
    {
        "local_users",
        "admins",
        "wu_history",
        "wu_pending",
        "av_products",
        "fw_products",
        "firewall",
        "bitlocker",
        "bitlocker_admin",
        "services",
    }
)
UPDATE_SECTIONS = frozenset({"wu_history", "wu_settings", "wu_pending"})

_memo: weakref.WeakKeyDictionary[Any, dict[str, _Batch]] = weakref.WeakKeyDictionary()
_memo_lock = threading.Lock()


class _Batch:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = False
        self.data: dict[str, Any] | None = None
        self.error: ProbeError | None = None


def argv(host: Host, which: str = BATCH) -> list[str]:
    cmd = [*SCRIPTS[which][0], script(which)]
    if _wow64_python(host):
        # A 32-bit Python would start the 32-bit PowerShell, which lacks the LocalAccounts cmdlets.
        cmd[0] = (host.env("SystemRoot") or r"C:\Windows") + r"\Sysnative\WindowsPowerShell\v1.0\powershell.exe"
    return cmd


def _wow64_python(host: Host) -> bool:
    import struct

    from clinicguard.probes.windows.native import is_native

    return is_native(host) and struct.calcsize("P") == 4 and bool(host.env("PROCESSOR_ARCHITEW6432"))


def _child_env(host: Host) -> dict[str, str] | None:
    # Windows PowerShell 5.1 started from pwsh 7 would load PS7 modules and fail.
    path = host.env("PSModulePath") or ""
    kept = [p for p in path.split(";") if not _pwsh7_path(p)]
    if len(kept) == len(path.split(";")):
        return None
    return {"PSModulePath": ";".join(kept)}


def _pwsh7_path(entry: str) -> bool:
    low = entry.lower().rstrip("\\")
    return "\\powershell\\7" in low or low.endswith("\\documents\\powershell\\modules")


def _blocked(text: str) -> bool:
    low = text.lower()
    return any(
        w in low
        for w in (
            "applocker",
            "group policy",
            "stratégie de groupe",
            "blocked",
            "bloqué",
            "strategie de groupe",
            "software restriction",
        )
    )


def parse_output(stdout: str, stderr: str = "", returncode: int = 0) -> dict[str, Any]:
    """The JSON document of the batch, or ProbeError with the reason."""
    text = stdout.lstrip("\ufeff")
    start = text.find(MARKER)
    if start < 0:
        if _blocked(stderr + stdout):
            raise ProbeError(
                Reason.NOT_READABLE, note("windows.powershell_blocked", output=first_line(stderr or stdout))
            )
        raise ProbeError(
            Reason.UNEXPECTED_OUTPUT,
            note("windows.powershell_no_json", code=returncode, output=first_line(stderr or stdout)),
        )
    try:
        data, _end = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, note("windows.powershell_json_unreadable", error=str(exc))) from exc
    if not isinstance(data, dict):
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, note("windows.powershell_json_unreadable", error="not an object"))
    return data


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return "(no output)"


def _run(host: Host, which: str) -> dict[str, Any]:
    try:
        res = host.run(argv(host, which), timeout=PS_TIMEOUT_S, env=_child_env(host))
    except ToolMissing as exc:
        raise ProbeError(Reason.TOOL_MISSING, note("windows.powershell_missing")) from exc
    except CommandTimeout as exc:
        raise ProbeError(Reason.TIMED_OUT, note("windows.powershell_timed_out", seconds=f"{PS_TIMEOUT_S:g}")) from exc
    except AccessDenied as exc:
        raise ProbeError(Reason.NOT_READABLE, note("windows.powershell_blocked", output=str(exc))) from exc
    except HostError as exc:
        raise ProbeError(Reason.NOT_READABLE, note("windows.powershell_failed", output=str(exc))) from exc
    return parse_output(res.stdout, res.stderr, res.returncode)


def batch(host: Host, which: str = BATCH) -> dict[str, Any]:
    """The whole document of one script, run at most once per host."""
    with _memo_lock:
        memo = _memo.setdefault(host, {}).get(which)
        if memo is None:
            memo = _memo[host][which] = _Batch()
    with memo.lock:
        if not memo.done:
            try:
                memo.data = _run(host, which)
            except ProbeError as exc:
                memo.error = exc
            memo.done = True
    if memo.error is not None:
        raise memo.error
    assert memo.data is not None
    return memo.data


def elevated(host: Host) -> bool:
    """Whether the PowerShell batch ran elevated (False when unknown)."""
    try:
        return bool(batch(host).get("meta", {}).get("elevated"))
    except ProbeError:
        return bool(host.user().is_admin)


def section_reason(message: str) -> Reason:
    low = message.lower()
    if "0x80070005" in low or "access is denied" in low or "accès refusé" in low or "acces refuse" in low:
        return Reason.NEEDS_ADMIN
    if (
        "invalid namespace" in low
        or "espace de noms non valide" in low
        or "not recognized" in low
        or "n'est pas reconnu" in low
    ):
        return Reason.UNSUPPORTED
    return Reason.NOT_READABLE


def section(host: Host, name: str) -> Any:
    """One section of the batch: a dict, or a list for LIST_SECTIONS.

    Raises ProbeError when the section failed, saying why (language mode,
    access denied, cmdlet missing).
    """
    data = batch(host, UPDATES if name in UPDATE_SECTIONS else BATCH)
    if name not in data:
        raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"PowerShell section '{name}' missing")
    value = data[name]
    items = value if isinstance(value, list) else ([] if value is None else [value])
    mode = str(data.get("meta", {}).get("language_mode", ""))
    if len(items) == 1 and isinstance(items[0], dict):
        only = items[0]
        if "error" in only:
            detail = f"PowerShell {name}: {first_line(str(only.get('error')))}"
            if mode and mode != "FullLanguage":
                detail += f" (PowerShell {mode} mode)"
            raise ProbeError(section_reason(str(only.get("error"))), detail)
        if only.get("skipped") == "needs_admin":
            raise ProbeError(Reason.NEEDS_ADMIN, note("windows.powershell_needs_elevation", section=name))
    if name in LIST_SECTIONS:
        return [x for x in items if isinstance(x, dict)]
    if not items:
        return {}
    if len(items) == 1 and isinstance(items[0], dict):
        return items[0]
    raise ProbeError(Reason.UNEXPECTED_OUTPUT, f"PowerShell section '{name}' has an unexpected shape")


def optional_section(host: Host, name: str) -> Any:
    """The section, or None when it could not be obtained."""
    try:
        return section(host, name)
    except ProbeError:
        return None
