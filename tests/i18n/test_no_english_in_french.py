"""French screens and reports carry no English prose, on every recorded machine.

Raw technical text (a command's own message, a path) is shown apart as "Détail technique"; everything else,
probe notes included, comes from the catalogue.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from clinicguard.cli import main
from tests.support.linux_hosts import debian12, fedora40, ubuntu2404
from tests.support.paths import FIXTURES

RECORDINGS = sorted((FIXTURES / "hosts").glob("*.json"))

# English words and phrases that have no business in a French sentence.
ENGLISH = re.compile(
    r"\b(the|and|not found|not installed|needs admin|could not|cannot|never used|no scheduled|"
    r"reboot-required flag|installed kernel|timers|backup agents|synchronisation clients|no pam_pwquality|"
    r"as of|profile|not valid|administrator rights|not listed|is written|written in|enabled|disabled|"
    r"unreadable|needed|offered|no answer|not given|standard user|records|property list|belong|blocked|"
    r"could not run|last installed|sockets|permission denied|access denied|suspended|waiting|\(on\)|\(off\))\b",
    re.IGNORECASE,
)
TECHNICAL = ("Détail technique", "Lu dans")


# A named setting and its value as the system stores it ("AutomaticDownload=on", "Enabled=False: POSTE\\Admin").
SETTING = re.compile(r"\b[\w.]+=\S+")
# Windows and macOS notes and tool errors go through the catalogue: their technical lines are checked too.
CHECKED_TECHNICAL = ("windows", "macos")


def french_lines(recording: Path, command: tuple[str, ...] = ("check", "-v")) -> list[str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        main([*command, "--replay", str(recording), "--lang", "fr"])
    keep_technical = recording.name.startswith(CHECKED_TECHNICAL)
    lines = []
    for line in out.getvalue().splitlines():
        text = line.strip()
        if not text or text.startswith("clinicguard"):
            continue
        if text.startswith(("(", "- " + TECHNICAL[0])):
            if not keep_technical:
                continue  # raw technical detail, shown as such
            text = SETTING.sub("", text)
        lines.append(re.sub(r"\s+\[[^\]]*\]$", "", text))  # [source] of an evidence line
    return lines


def offenders(recording: Path) -> list[str]:
    lines = french_lines(recording)
    assert len(lines) > 10, f"{recording.name}: nothing assessed"
    return [line for line in lines if ENGLISH.search(line)]


def write_linux(tmp_path: Path, name: str, build) -> Path:  # type: ignore[no-untyped-def]
    import json

    from clinicguard.host.recording import FORMAT
    from tests.conftest import FROZEN_NOW

    path = tmp_path / f"{name}.json"
    recording = {
        "format": FORMAT,
        "version": 1,
        "platform": "linux",
        "hostname": "poste-test",
        "now": FROZEN_NOW,
        "user": {"name": "alice", "uid": 1000, "groups": ["alice"], "home": "/home/alice", "is_admin": False},
        **build(),
    }
    path.write_text(json.dumps(recording), encoding="utf-8")
    return path


@pytest.mark.parametrize("recording", RECORDINGS, ids=lambda p: p.stem)
def test_recorded_machines_read_in_french(recording):
    assert offenders(recording) == []


@pytest.mark.parametrize(
    ("name", "build"), [("debian12", debian12), ("ubuntu2404", ubuntu2404), ("fedora40", fedora40)]
)
def test_linux_machines_read_in_french(tmp_path, name, build):
    assert offenders(write_linux(tmp_path, name, build)) == []


def test_linux_probe_notes_are_translated(tmp_path):
    text = "\n".join(french_lines(write_linux(tmp_path, "debian12", debian12)))
    assert "minuteurs systemd" in text or "agents de sauvegarde" in text


# ----- Windows and macOS: notes and tool errors in French, on every screen and report


WINDOWS_MACOS = [p for p in RECORDINGS if p.name.startswith(CHECKED_TECHNICAL)]
FAULTS = [
    FIXTURES / "hosts" / name
    for name in (
        "windows11-fr-no-powershell.json",
        "windows11-fr-constrained.json",
        "macos-faults.json",
        "macos15-sudo.json",
        "windows10-en-admin.json",
    )
]


def test_windows_and_macos_technical_lines_are_checked():
    lines = french_lines(FIXTURES / "hosts" / "windows11-fr-no-powershell.json")
    assert "PowerShell (powershell.exe) introuvable sur le poste" in "\n".join(lines)
    assert not any("not found" in line for line in lines)
    mac = "\n".join(french_lines(FIXTURES / "hosts" / "macos-faults.json"))
    assert "programme absent du poste" in mac and "accès complet au disque est nécessaire" in mac


@pytest.mark.parametrize("recording", FAULTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_of_windows_and_macos_read_in_french(recording, fmt):
    import html

    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        main(["report", "--replay", str(recording), "--lang", "fr", "--format", fmt, "--output", "-"])
    text = html.unescape(re.sub(r"<[^>]+>", "\n", out.getvalue())) if fmt == "html" else out.getvalue()
    assert "note:" not in text
    lines = [SETTING.sub("", line) for line in text.splitlines() if line.strip()]
    bad = [line for line in lines if ENGLISH.search(line) and not line.lstrip().startswith(("<", "@", "."))]
    assert bad == []


@pytest.mark.parametrize("recording", FAULTS, ids=lambda p: p.stem)
def test_dashboard_detail_of_windows_and_macos_reads_in_french(recording):
    from rich.console import Console

    from clinicguard.catalogue import load_catalogue
    from clinicguard.engine.runner import run_assessment
    from clinicguard.host.replay import RecordedHost
    from clinicguard.present.wording import Wording
    from clinicguard.tui import render

    host = RecordedHost.load(recording)
    assessment = run_assessment(host)
    wording = Wording(load_catalogue(), "fr", assessment.host.platform)
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    for result in assessment.results:
        console.print(render.detail(result, wording))
    text = console.export_text()
    assert "note:" not in text
    bad = [SETTING.sub("", line) for line in text.splitlines()]
    assert [line for line in bad if ENGLISH.search(line)] == []


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("missing", "programme absent du poste"),
        ("denied", "accès refusé"),
        ("timeout", "pas de réponse"),
    ],
)
def test_tool_errors_read_in_french(error, expected):
    from clinicguard.host import HostError
    from clinicguard.host.replay import _raise
    from clinicguard.i18n import note_text

    with pytest.raises(HostError) as caught:
        _raise(error, "cmd:powershell.exe")
    assert expected in note_text(caught.value.detail, "fr") and "note:" not in note_text(caught.value.detail, "fr")
    assert "powershell.exe" in str(caught.value)  # the log keeps the technical line


def test_local_tool_errors_read_in_french():
    from clinicguard.host import CommandTimeout, ToolMissing
    from clinicguard.host.local import LocalHost
    from clinicguard.i18n import note_text

    host = LocalHost()
    with pytest.raises(ToolMissing) as missing:
        host.run(["clinicguard-no-such-tool"], timeout=2)
    assert note_text(missing.value.detail, "fr") == "clinicguard-no-such-tool : programme absent du poste"
    assert "not installed" in str(missing.value)
    with pytest.raises(CommandTimeout) as late:
        host.run(["sleep", "5"], timeout=0.2)
    assert note_text(late.value.detail, "fr") == "sleep : pas de réponse en 0.2 s"


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        ("ToolMissing", "PowerShell (powershell.exe) introuvable"),
        ("CommandTimeout", "PowerShell n'a pas répondu"),
        ("AccessDenied", "PowerShell bloqué par une stratégie"),
        ("HostError", "PowerShell n'a pas pu être lancé"),
    ],
)
def test_powershell_errors_read_in_french(monkeypatch, exc, expected):
    from clinicguard import host as host_module
    from clinicguard.core.errors import ProbeError
    from clinicguard.i18n import note_text
    from clinicguard.probes.windows import ps

    class Failing:
        def run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise getattr(host_module, exc)("powershell.exe: technical line")

    monkeypatch.setattr(ps, "argv", lambda host, which: ["powershell.exe"])
    monkeypatch.setattr(ps, "_child_env", lambda host: {})
    with pytest.raises(ProbeError) as caught:
        ps._run(Failing(), "batch")  # type: ignore[arg-type]
    shown = note_text(caught.value.detail, "fr")
    assert expected in shown and not ENGLISH.search(SETTING.sub("", shown.replace("technical line", ""))), shown
