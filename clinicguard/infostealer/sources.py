"""Where to look on each system: folders to walk and text sources to read.

Paths are built with "/" on every system (Windows accepts it), so the same
code runs on a real machine, a re-rooted test tree and a recording.
"""

from __future__ import annotations

import json
import plistlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from clinicguard.core.notes import note
from clinicguard.host import FileMissing, Host, HostError, SpecialFile
from clinicguard.infostealer.hive import HiveUnreadable, OfflineHive, open_offline_hive
from clinicguard.infostealer.profiles import Profile
from clinicguard.infostealer.walk import Root

HISTORY_LIMIT = 4 * 1024 * 1024
PS_TIMEOUT_S = 20.0

RUNMRU = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\RunMRU"
TYPEDPATHS = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\TypedPaths"
RUN_KEYS = tuple(
    f"{hive}\\Software\\{sub}"
    for hive in ("HKCU", "HKLM")
    for sub in (
        r"Microsoft\Windows\CurrentVersion\Run",
        r"Microsoft\Windows\CurrentVersion\RunOnce",
        r"Microsoft\Windows\CurrentVersion\Policies\Explorer\Run",
        r"WOW6432Node\Microsoft\Windows\CurrentVersion\Run",
        r"WOW6432Node\Microsoft\Windows\CurrentVersion\RunOnce",
    )
)

SCHTASKS_PS = (
    "$ErrorActionPreference='Stop'; @(Get-ScheduledTask | ForEach-Object { $t=$_; $t.Actions | "
    "Where-Object { $_.Execute } | ForEach-Object { [pscustomobject]@{p=$t.TaskPath+$t.TaskName; "
    "e=$_.Execute; a=$_.Arguments} } }) | ConvertTo-Json -Compress"
)
DEFENDER_PS = (
    "$ErrorActionPreference='Stop'; @{t=@(Get-MpThreat | Select-Object ThreatID,ThreatName); "
    "d=@(Get-MpThreatDetection | Select-Object ThreatID,InitialDetectionTime,ActionSuccess)} | "
    "ConvertTo-Json -Compress -Depth 4"
)


def norm(path: str) -> str:
    return path.replace("\\", "/").rstrip("/")


@dataclass(frozen=True)
class Line:
    """One line or entry of a text source; ``detail`` is what may be shown."""

    where: str
    text: str
    detail: str


class PartlyRead(HostError):
    """Some files of a source could not be read; ``lines`` holds what the others gave."""

    def __init__(self, lines: list[Line], failures: list[HostError]) -> None:
        super().__init__(str(failures[0]))
        self.lines = lines
        self.failures = failures


def _each(paths: list[str], read_one: Callable[[str], list[Line]]) -> list[Line]:
    """Lines of every file; an absent or special file gives none, an unreadable one is remembered.

    Raises PartlyRead at the end when a file could not be read, carrying what the others gave,
    so that one unreadable file never hides what another one holds.
    """
    out: list[Line] = []
    failures: list[HostError] = []
    for path in paths:
        try:
            out += read_one(path)
        except (FileMissing, SpecialFile):
            continue  # a FIFO or a device (~/.bash_history -> /dev/null) holds nothing at rest
        except PartlyRead as exc:  # a folder of files, some unreadable
            out += exc.lines
            failures += exc.failures
        except HostError as exc:
            failures.append(exc)
    if failures:
        raise PartlyRead(out, failures)
    return out


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# -- locations ----------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    home: str
    roots: tuple[Root, ...]
    # Another account's profile: its roaming AppData, its registry hive (HKU\<SID> when loaded)
    # and its name; ``machine`` False leaves out what is shared by the whole machine.
    appdata: str = ""
    hive: str = "HKCU"
    account: str = ""
    machine: bool = True
    offline: OfflineHive | None = None  # the account's hive file, parsed read-only when the hive is not loaded
    hive_error: str = ""  # why neither the loaded hive nor the file can be read


class HiveNotLoaded(HostError):
    """The account's registry hive is not loaded (nobody of that account is logged in)."""

    word = "hive_not_loaded"


def _in_hive(key: str, lay: Layout) -> str:
    return lay.hive + key[4:] if key.startswith("HKCU\\") else key


def _xdg_dirs(host: Host, home: str) -> dict[str, str]:
    """XDG user folders (French desktops use ~/Téléchargements, ~/Bureau)."""
    out: dict[str, str] = {}
    try:
        text = host.read_text(f"{home}/.config/user-dirs.dirs", limit=64 * 1024)
    except HostError:
        return out
    for m in re.finditer(r'^XDG_(DOWNLOAD|DESKTOP|DOCUMENTS)_DIR="([^"]+)"', text, re.M):
        out[m.group(1)] = m.group(2).replace("$HOME", home)
    return out


def windows_user_dirs(host: Host) -> tuple[str, str, str]:
    """(profile folder, roaming AppData, local AppData) of the user, from the environment."""
    user = host.user()
    home = norm(host.env("USERPROFILE") or user.home or f"C:/Users/{user.name}")
    appdata = norm(host.env("APPDATA") or f"{home}/AppData/Roaming")
    local = norm(host.env("LOCALAPPDATA") or f"{home}/AppData/Local")
    return home, appdata, local


def layout(host: Host) -> Layout:
    user = host.user()
    platform = host.platform
    if platform == "windows":
        home, appdata, local = windows_user_dirs(host)
        temp = norm(host.env("TEMP") or f"{local}/Temp")
        programdata = norm(host.env("ProgramData") or host.env("PROGRAMDATA") or "C:/ProgramData")
        public = norm(host.env("PUBLIC") or "C:/Users/Public")
        startup = "Microsoft/Windows/Start Menu/Programs"
        roots = (
            Root(programdata, "programdata", 1),
            Root(appdata, "appdata", 1),
            Root(local, "localappdata", 1, exclude=(temp,)),
            Root(f"{home}/AppData/LocalLow", "locallow", 0),
            Root(temp, "temp", 3),
            Root(f"{home}/Downloads", "downloads", 3),
            Root(f"{home}/Desktop", "desktop", 2),
            Root(public, "public", 3),
            Root(f"{appdata}/{startup}/Startup", "startup", 0),
            Root(f"{programdata}/{startup}/StartUp", "startup", 0),
            *_onedrive_roots(host, home),
        )
        return Layout(home, roots, appdata=appdata)
    home = norm(user.home or host.env("HOME") or f"/home/{user.name}")
    xdg = _xdg_dirs(host, home) if platform == "linux" else {}
    downloads = norm(xdg.get("DOWNLOAD", f"{home}/Downloads"))
    desktop = norm(xdg.get("DESKTOP", f"{home}/Desktop"))
    roots_list = [
        Root(downloads, "downloads", 3),
        Root(desktop, "desktop", 2),
    ]
    if platform == "macos":
        roots_list += [Root(home, "home", 0), Root("/private/tmp", "tmp", 2), Root("/Users/Shared", "tmp", 2)]
    else:
        roots_list += [Root("/tmp", "tmp", 2), Root("/var/tmp", "tmp", 2), Root("/dev/shm", "tmp", 1)]
    return Layout(home, tuple(roots_list))


def profile_layout(host: Host, profile: Profile) -> Layout:
    """The folders of another account's profile only (shared folders are walked once, for the machine)."""
    platform = host.platform
    home = norm(profile.home)
    if platform == "windows":
        appdata, local = f"{home}/AppData/Roaming", f"{home}/AppData/Local"
        temp = f"{local}/Temp"
        startup = "Microsoft/Windows/Start Menu/Programs"
        roots = [
            Root(appdata, "appdata", 1),
            Root(local, "localappdata", 1, exclude=(temp,)),
            Root(f"{home}/AppData/LocalLow", "locallow", 0),
            Root(temp, "temp", 3),
            Root(f"{home}/Downloads", "downloads", 3),
            Root(f"{home}/Desktop", "desktop", 2),
            Root(f"{appdata}/{startup}/Startup", "startup", 0),
        ]
        roots += _onedrive_roots(host, home)
        hive = f"HKU\\{profile.sid}" if profile.sid else "HKU\\?"
        offline, hive_error = account_hive(host, hive, home)
        return Layout(
            home,
            tuple(roots),
            appdata=appdata,
            hive=hive,
            account=profile.name,
            machine=False,
            offline=offline,
            hive_error=hive_error,
        )
    xdg = _xdg_dirs(host, home) if platform == "linux" else {}
    roots = [
        Root(norm(xdg.get("DOWNLOAD", f"{home}/Downloads")), "downloads", 3),
        Root(norm(xdg.get("DESKTOP", f"{home}/Desktop")), "desktop", 2),
    ]
    if platform == "macos":
        roots.append(Root(home, "home", 0))
    return Layout(home, tuple(roots), account=profile.name, machine=False)


def account_hive(host: Host, hive: str, home: str) -> tuple[OfflineHive | None, str]:
    """The hive file of an account that is not logged in (its HKU key is not loaded)."""
    try:
        host.registry_subkeys(hive)
        return None, ""  # loaded: read through the registry
    except FileMissing:
        pass
    except HostError:
        return None, ""
    try:
        return open_offline_hive(host, home), ""
    except FileMissing:
        return None, HiveNotLoaded.word
    except HostError:
        return None, HiveUnreadable.word


def _onedrive_roots(host: Host, home: str) -> list[Root]:
    """Desktop and Downloads moved into OneDrive ("Known Folder Move"): OneDrive, "OneDrive - Org"."""
    try:
        names = host.listdir(home)
    except HostError:
        return []
    out = []
    for name in names:
        if not name.startswith("OneDrive"):
            continue
        for sub, kind, depth in (
            ("Desktop", "desktop", 2),
            ("Bureau", "desktop", 2),
            ("Downloads", "downloads", 3),
            ("Téléchargements", "downloads", 3),
        ):
            path = f"{home}/{name}/{sub}"
            if host.is_dir(path):
                out.append(Root(path, kind, depth))
    return out


# Per-account text sources, read for every profile; the others are the machine's, read once.
PROFILE_SOURCES = frozenset(
    {
        "runmru",
        "typedpaths",
        "ps_history",
        "run_keys",
        "systemd_user",
        "xdg_autostart",
        "crontab",
        "shell_rc",
        "shell_history",
        "launch_agents",
    }
)
HIVE_SOURCES = frozenset({"runmru", "typedpaths", "run_keys"})


# -- text sources -------------------------------------------------------
SourceFn = Callable[[Host, Layout], list[Line]]


def _registry_lines(host: Host, key: str, skip: tuple[str, ...] = (), lay: Layout | None = None) -> list[Line]:
    try:
        if lay is not None and lay.offline is not None and key.startswith(lay.hive + "\\"):
            values = lay.offline.values(key[len(lay.hive) + 1 :])  # the account's NTUSER.DAT, read-only
        else:
            values = host.registry_values(key)
    except FileMissing:
        return []
    out = []
    for name, value in values.items():
        if name in skip or not isinstance(value, str):
            continue
        text = value[:-2] if value.endswith("\\1") else value
        out.append(Line(f"{key}\\{name}", text, _clip(text)))
    return out


def _hive_loaded(host: Host, lay: Layout) -> None:
    if lay.offline is not None:
        return
    if lay.hive_error == HiveUnreadable.word:
        raise HiveUnreadable(f"{lay.home}/NTUSER.DAT")
    if lay.hive != "HKCU":
        try:
            host.registry_subkeys(lay.hive)
        except FileMissing as exc:
            raise HiveNotLoaded(lay.hive) from exc


def runmru(host: Host, _lay: Layout) -> list[Line]:
    _hive_loaded(host, _lay)
    return _registry_lines(host, _in_hive(RUNMRU, _lay), skip=("MRUList",), lay=_lay)


def typedpaths(host: Host, _lay: Layout) -> list[Line]:
    _hive_loaded(host, _lay)
    return _registry_lines(host, _in_hive(TYPEDPATHS, _lay), lay=_lay)


def run_keys(host: Host, _lay: Layout) -> list[Line]:
    out: list[Line] = []
    errors: list[HostError] = []
    keys = RUN_KEYS
    if not _lay.machine:
        _hive_loaded(host, _lay)
        keys = tuple(_in_hive(k, _lay) for k in RUN_KEYS if k.startswith("HKCU\\"))
    for key in keys:
        try:
            out += _registry_lines(host, key, lay=_lay)
        except HostError as exc:
            errors.append(exc)
    if errors and len(errors) == len(keys):
        raise errors[0]
    return out


def _history(host: Host, path: str) -> list[Line]:
    """History lines; only the file and line number are ever shown."""
    try:
        text = host.read_text(path, limit=HISTORY_LIMIT)
    except (FileMissing, SpecialFile):
        return []
    out = []
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.split(";", 1)[1] if raw.startswith(": ") and ";" in raw else raw  # zsh extended history
        if line.strip():
            out.append(Line(path, line, note("evidence.line", line=i)))
    return out


def ps_history(host: Host, _lay: Layout) -> list[Line]:
    appdata = _lay.appdata or norm(host.env("APPDATA") or f"{_lay.home}/AppData/Roaming")
    return _history(host, f"{appdata}/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt")


def shell_history(host: Host, lay: Layout) -> list[Line]:
    names = (".bash_history", ".zsh_history", ".zhistory", ".local/share/fish/fish_history")
    return _each([f"{lay.home}/{name}" for name in names], lambda path: _history(host, path))


def _ps_json(host: Host, script: str) -> object:
    res = host.run(["powershell", "-NoProfile", "-NonInteractive", "-Command", script], timeout=PS_TIMEOUT_S)
    if res.returncode != 0:
        low = (res.stderr or res.stdout).lower()
        if "access" in low and "denied" in low or "refusé" in low:
            from clinicguard.host import AccessDenied

            raise AccessDenied(res.source)
        raise HostError(f"powershell exit code {res.returncode}")
    text = res.stdout.strip()
    if not text:
        return []
    try:
        return json.loads(text)
    except ValueError as exc:
        raise HostError("powershell: unexpected output") from exc


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def scheduled_tasks(host: Host, _lay: Layout) -> list[Line]:
    out = []
    for item in _as_list(_ps_json(host, SCHTASKS_PS)):
        if not isinstance(item, dict):
            continue
        text = f"{item.get('e') or ''} {item.get('a') or ''}".strip()
        out.append(Line(f"task {item.get('p') or '?'}", text, _clip(text)))
    return out


def _read_lines(host: Host, path: str, keep: Callable[[str], bool]) -> list[Line]:
    try:
        text = host.read_text(path, limit=256 * 1024)
    except (FileMissing, SpecialFile):
        return []
    # Only the file and the line number are shown: the line itself may hold a password.
    return [Line(path, ln, note("evidence.line", line=i)) for i, ln in enumerate(text.splitlines(), 1) if keep(ln)]


def _folder_files(host: Host, folder: str, suffixes: tuple[str, ...]) -> list[str]:
    try:
        names = host.listdir(folder)
    except FileMissing:
        return []
    return [f"{folder}/{n}" for n in names if n.endswith(suffixes)]


def _is_exec_line(line: str) -> bool:
    return line.lstrip().startswith("Exec")


def _is_command_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def linux_units(host: Host, lay: Layout) -> list[Line]:
    paths = _folder_files(host, f"{lay.home}/.config/systemd/user", (".service", ".timer"))
    return _each(paths, lambda path: _read_lines(host, path, _is_exec_line))


def xdg_autostart(host: Host, lay: Layout) -> list[Line]:
    folders = (f"{lay.home}/.config/autostart", "/etc/xdg/autostart")[: 2 if lay.machine else 1]
    return _each(
        list(folders),
        lambda folder: _each(
            _folder_files(host, folder, (".desktop",)), lambda path: _read_lines(host, path, _is_exec_line)
        ),
    )


CRON_SPOOLS = ("/var/spool/cron/crontabs", "/var/spool/cron")  # Debian/Ubuntu, Fedora


def crontab(host: Host, _lay: Layout) -> list[Line]:
    if not _lay.machine:
        # Another account's table, read from the spool (root only) rather than "crontab -l -u".
        out: list[Line] = []
        for spool in CRON_SPOOLS:
            out += _read_lines(host, f"{spool}/{_lay.account}", _is_command_line)
        return out
    res = host.run(["crontab", "-l"], timeout=5)
    if res.returncode != 0:
        if "no crontab" in (res.stderr + res.stdout).lower():
            return []
        raise HostError(f"crontab -l: exit code {res.returncode}")
    return [
        Line("crontab -l", ln, note("evidence.line", line=i))
        for i, ln in enumerate(res.stdout.splitlines(), 1)
        if _is_command_line(ln)
    ]


def shell_rc(host: Host, lay: Layout) -> list[Line]:
    names = (".bashrc", ".profile", ".bash_profile", ".zshrc", ".zprofile", ".bash_login")
    return _each(
        [f"{lay.home}/{name}" for name in names],
        lambda path: [
            Line(ln.where, ln.text, f"{path.rsplit('/', 1)[-1]}, {ln.detail}")
            for ln in _read_lines(host, path, _is_command_line)
        ],
    )


def launch_agents(host: Host, lay: Layout) -> list[Line]:
    folders = [f"{lay.home}/Library/LaunchAgents", "/Library/LaunchAgents", "/Library/LaunchDaemons"]
    return _each(
        folders if lay.machine else folders[:1],
        lambda folder: _each(_folder_files(host, folder, (".plist",)), lambda path: _launch_agent(host, path)),
    )


def _launch_agent(host: Host, path: str) -> list[Line]:
    text = launch_agent_text(host.read_bytes(path, limit=1024 * 1024))
    # The label names the agent; its arguments may hold a token, so they are not shown.
    return [Line(path, text, _clip(text.split(" program=", 1)[0]))]


def launch_agent_text(data: bytes) -> str:
    """ "label=... program=..." of a launch agent plist, the text its indicator rules look at."""
    try:
        plist = plistlib.loads(data)
        label = str(plist.get("Label", "?"))
        args = plist.get("ProgramArguments") or []
        first = [plist["Program"]] if plist.get("Program") else []
        program = " ".join(str(a) for a in first + list(args))
    except Exception:  # noqa: BLE001 - plistlib raises many kinds of errors on a damaged file
        label, program = "?", data.decode("utf-8", "replace").replace("\n", " ")
    return f"label={label} program={program}"


# Text sources per platform: (source id shown to the user, rule source, reader, core?)
TEXT_SOURCES: dict[str, tuple[tuple[str, str, SourceFn, bool], ...]] = {
    "windows": (
        ("runmru", "runmru", runmru, True),
        ("typedpaths", "typedpaths", typedpaths, False),
        ("ps_history", "ps_history", ps_history, False),
        ("run_keys", "autostart", run_keys, True),
        ("scheduled_tasks", "autostart", scheduled_tasks, False),
    ),
    "linux": (
        ("systemd_user", "autostart", linux_units, True),
        ("xdg_autostart", "autostart", xdg_autostart, True),
        ("crontab", "autostart", crontab, False),
        ("shell_rc", "autostart", shell_rc, False),
        ("shell_history", "shell_history", shell_history, False),
    ),
    "macos": (
        ("launch_agents", "launch_agent", launch_agents, True),
        ("shell_history", "shell_history", shell_history, False),
    ),
}


def defender_detections(host: Host) -> list[dict]:
    """[{name, when (epoch s or None), remediated}] from Defender's history."""
    data = _ps_json(host, DEFENDER_PS)
    if not isinstance(data, dict):
        return []
    names = {}
    for t in _as_list(data.get("t")):
        if isinstance(t, dict):
            names[t.get("ThreatID")] = str(t.get("ThreatName") or "")
    out = []
    for d in _as_list(data.get("d")):
        if not isinstance(d, dict):
            continue
        out.append(
            {
                "name": names.get(d.get("ThreatID"), ""),
                "when": _ps_date(d.get("InitialDetectionTime")),
                "remediated": bool(d.get("ActionSuccess")),
            }
        )
    return out


def _ps_date(value: object) -> float | None:
    """PowerShell 5 dates are "/Date(ms)/"; PowerShell 7 writes ISO 8601."""
    if isinstance(value, str):
        m = re.search(r"/Date\((-?\d+)", value)
        if m:
            return int(m.group(1)) / 1000
        from datetime import datetime

        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    if isinstance(value, dict) and "value" in value:
        return _ps_date(value["value"])
    return None
