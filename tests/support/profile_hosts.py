"""Recorded machines with several user profiles (hand-written recordings, marked as such).

Each OS has the same cast: one profile with a stealer log in Downloads (infected), one with
secrets in clear (exposed), one clean, one that cannot be read, and one whose Desktop is
redirected into OneDrive (Windows) or which lives on a network share.
"""

from __future__ import annotations

import base64
from typing import Any

from clinicguard.host.recording import FORMAT
from clinicguard.host.replay import RecordedHost
from clinicguard.infostealer.profiles import PROFILE_LIST

NOW = "2026-11-28T09:00:00+00:00"
FILEZILLA = (
    '<?xml version="1.0"?><FileZilla3><Servers><Server><Host>ftp.example</Host>'
    '<Pass encoding="base64">c2VjcmV0</Pass></Server></Servers></FileZilla3>'
)
SID = "S-1-5-21-1004336348-1177238915-682003330"
STEALER_LOG = ("Passwords.txt", "Wallets/Exodus/seed.txt", "Cookies/Chrome_Default.txt")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def windows_profiles_host(admin: bool = True) -> RecordedHost:
    users = "C:/Users"
    files: dict[str, Any] = {
        f"{users}": {
            "dir": [
                "alice",
                "marie.d",
                "soignant",
                "nuit",
                "compta",
                "ancien",
                "Default",
                "Public",
                "All Users",
                "desktop.ini",
            ]
        },
        f"{users}/alice/Documents/planning.docx": {"text": "x"},
        # infected: a stealer log unpacked in Downloads
        **{f"{users}/marie.d/Downloads/FR_2026_11_27/{n}": {"text": ""} for n in STEALER_LOG},
        # exposed: FileZilla passwords in base64
        f"{users}/soignant/AppData/Roaming/FileZilla/sitemanager.xml": {"text": FILEZILLA},
        # clean, with its Desktop moved into OneDrive
        f"{users}/nuit/OneDrive - EHPAD Les Tilleuls/Bureau/planning-nuit.pdf": {"text": ""},
        f"{users}/nuit/Downloads/notice.pdf": {"text": ""},
        # cannot be read
        f"{users}/compta": {"error": "denied"},
        # a folder no account claims any more, with a crack in Downloads
        f"{users}/ancien/Downloads/office-activator.exe": {"text": "MZ"},
        f"{users}/Public/Documents/desktop.ini": {"text": ""},
    }
    registry: dict[str, Any] = {
        PROFILE_LIST: {
            "values": {"ProfilesDirectory": "%SystemDrive%\\Users"},
            "subkeys": [
                "S-1-5-18",
                "S-1-5-19",
                "S-1-5-20",
                f"{SID}-1001",
                f"{SID}-1002",
                f"{SID}-1003",
                f"{SID}-1004",
                f"{SID}-1005",
                f"{SID}-1006",
                f"{SID}-1003.bak",
                "S-1-5-80-3880718306",
            ],
        },
        f"{PROFILE_LIST}\\S-1-5-18": {"values": {"ProfileImagePath": "%systemroot%\\system32\\config\\systemprofile"}},
        f"{PROFILE_LIST}\\S-1-5-19": {"values": {"ProfileImagePath": "%SystemRoot%\\ServiceProfiles\\LocalService"}},
        f"{PROFILE_LIST}\\S-1-5-20": {"values": {"ProfileImagePath": "%SystemRoot%\\ServiceProfiles\\NetworkService"}},
        f"{PROFILE_LIST}\\S-1-5-80-3880718306": {"values": {"ProfileImagePath": "C:\\Windows\\ServiceProfiles\\x"}},
        f"{PROFILE_LIST}\\{SID}-1001": {"values": {"ProfileImagePath": "C:\\Users\\alice"}},
        f"{PROFILE_LIST}\\{SID}-1002": {"values": {"ProfileImagePath": "C:\\Users\\marie.d"}},
        f"{PROFILE_LIST}\\{SID}-1003": {"values": {"ProfileImagePath": "C:\\Users\\soignant"}},
        f"{PROFILE_LIST}\\{SID}-1003.bak": {"values": {"ProfileImagePath": "C:\\Users\\soignant"}},
        f"{PROFILE_LIST}\\{SID}-1004": {
            "values": {"ProfileImagePath": "C:\\Users\\nuit", "CentralProfile": "\\\\srv-ad\\profils$\\nuit.V6"}
        },
        f"{PROFILE_LIST}\\{SID}-1005": {"values": {"ProfileImagePath": "C:\\Users\\compta"}},
        f"{PROFILE_LIST}\\{SID}-1006": {"values": {"ProfileImagePath": "\\\\srv-ad\\homes\\stagiaire"}},
        # marie.d is logged in (fast user switching): her hive is loaded, with a Run key.
        f"HKU\\{SID}-1002": {"subkeys": ["Software"]},
        f"HKU\\{SID}-1002\\Software\\Microsoft\\Windows\\CurrentVersion\\Run": {
            "values": {"Updater": "C:\\Users\\marie.d\\AppData\\Roaming\\svc\\upd.exe"}
        },
    }
    env = {
        "USERPROFILE": "C:\\Users\\alice",
        "APPDATA": "C:\\Users\\alice\\AppData\\Roaming",
        "LOCALAPPDATA": "C:\\Users\\alice\\AppData\\Local",
        "TEMP": "C:\\Users\\alice\\AppData\\Local\\Temp",
        "ProgramData": "C:\\ProgramData",
        "PUBLIC": "C:\\Users\\Public",
        "SystemDrive": "C:",
    }
    return RecordedHost(
        {
            "format": FORMAT,
            "version": 1,
            "platform": "windows",
            "hostname": "PC-SOINS-02",
            "now": NOW,
            "user": {"name": "alice", "home": "C:/Users/alice", "is_admin": admin, "sid": f"{SID}-1001"},
            "env": env,
            "files": files,
            "registry": registry,
            "processes": [],
        }
    )


PASSWD = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
marie:x:1001:1001:Marie D:/home/marie:/bin/bash
soignant:x:1002:1002:Poste soignant:/home/soignant:/bin/bash
nuit:x:1003:1003::/mnt/nfs/home/nuit:/bin/bash
compta:x:1004:1004::/home/compta:/bin/zsh
kiosk:x:1005:1005::/home/kiosk:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
"""


def linux_profiles_host(admin: bool = True) -> RecordedHost:
    files: dict[str, Any] = {
        "/etc/passwd": {"text": PASSWD},
        "/etc/login.defs": {"text": "UID_MIN\t\t\t 1000\nUID_MAX\t\t\t60000\n"},
        "/home": {"dir": ["alice", "marie", "soignant", "compta", "kiosk", "ldap.user", "lost+found"]},
        "/home/alice/.bashrc": {"text": "alias ll='ls -l'\n"},
        **{f"/home/marie/Téléchargements/log-2026/{n}": {"text": ""} for n in STEALER_LOG},
        "/home/marie/.config/user-dirs.dirs": {"text": 'XDG_DOWNLOAD_DIR="$HOME/Téléchargements"\n'},
        "/home/soignant/.ssh/id_ed25519": {"text": "-----BEGIN PRIVATE KEY-----\nMIIE...\n"},
        "/home/soignant/.bash_history": {"text": "ls\nssh srv\n"},
        "/home/compta": {"error": "denied"},
        "/home/kiosk/Desktop/readme.txt": {"text": ""},
        "/home/ldap.user/Desktop/notes.txt": {"text": ""},
        "/mnt/nfs/home/nuit": {"dir": ["Desktop"]},
        "/var/spool/cron/crontabs/marie": {"text": "@reboot /dev/shm/.x/run\n"},
        "/proc/self/mounts": {"text": "/dev/sda1 / ext4 rw 0 0\nsrv:/export/home /mnt/nfs/home nfs4 rw 0 0\n"},
    }
    user = {
        "name": "alice",
        "uid": 1000,
        "home": "/home/alice",
        "is_admin": admin,
        "groups": ["alice", "sudo"] if admin else ["alice"],
    }
    return RecordedHost(
        {
            "format": FORMAT,
            "version": 1,
            "platform": "linux",
            "hostname": "poste-soins",
            "now": NOW,
            "user": user,
            "files": files,
            "processes": [],
        }
    )


def macos_profiles_host(admin: bool = True) -> RecordedHost:
    uids = (
        "_spotlight          89\nalice               501\nmarie               502\nsoignant            503\n"
        "compta              504\nroot                0\nnobody              -2\n"
    )
    homes = (
        "alice               /Users/alice\nmarie               /Users/marie\n"
        "soignant            /Users/soignant\ncompta              /Users/compta\nroot                /var/root\n"
    )
    files: dict[str, Any] = {
        "/Users": {"dir": [".localized", "Shared", "alice", "marie", "soignant", "compta", "oldmac"]},
        "/Users/alice/Documents/a.txt": {"text": ""},
        **{f"/Users/marie/Downloads/Logs/{n}": {"text": ""} for n in STEALER_LOG},
        "/Users/marie/.agent": {"text": "#!/bin/sh\n"},
        "/Users/soignant/Desktop/mots de passe.txt": {"text": ""},
        "/Users/compta": {"error": "denied"},
        "/Users/oldmac/Desktop/x.txt": {"text": ""},
        "/Users/Shared/readme.txt": {"text": ""},
    }
    commands = [
        {"argv": ["dscl", ".", "-list", "/Users", "UniqueID"], "returncode": 0, "stdout": uids},
        {"argv": ["dscl", ".", "-list", "/Users", "NFSHomeDirectory"], "returncode": 0, "stdout": homes},
    ]
    user = {"name": "alice", "uid": 501, "home": "/Users/alice", "is_admin": admin}
    return RecordedHost(
        {
            "format": FORMAT,
            "version": 1,
            "platform": "macos",
            "hostname": "mac-accueil",
            "now": NOW,
            "user": user,
            "files": files,
            "commands": commands,
            "processes": [],
        }
    )
