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
from tests.linux_hosts import debian12, fedora40, ubuntu2404

FIXTURES = Path(__file__).parent / "fixtures"
RECORDINGS = sorted((FIXTURES / "hosts").glob("*.json"))

# English words and phrases that have no business in a French sentence.
ENGLISH = re.compile(
    r"\b(the|and|not found|not installed|needs admin|could not|cannot|never used|no scheduled|"
    r"reboot-required flag|installed kernel|timers|backup agents|synchronisation clients|no pam_pwquality|"
    r"as of|profile|not valid|administrator rights|not listed|is written|written in|enabled|disabled)\b",
    re.IGNORECASE,
)
TECHNICAL = ("Détail technique", "Lu dans")


def french_lines(recording: Path) -> list[str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        main(["check", "--replay", str(recording), "--lang", "fr", "-v"])
    lines = []
    for line in out.getvalue().splitlines():
        text = line.strip()
        if not text or text.startswith(("(", "- " + TECHNICAL[0])) or text.startswith("clinicguard"):
            continue  # raw technical detail, shown as such
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
    recording = {"format": FORMAT, "version": 1, "platform": "linux", "hostname": "poste-test", "now": FROZEN_NOW,
                 "user": {"name": "alice", "uid": 1000, "groups": ["alice"], "home": "/home/alice", "is_admin": False},
                 **build()}
    path.write_text(json.dumps(recording), encoding="utf-8")
    return path


@pytest.mark.parametrize("recording", RECORDINGS, ids=lambda p: p.stem)
def test_recorded_machines_read_in_french(recording):
    assert offenders(recording) == []


@pytest.mark.parametrize(("name", "build"), [("debian12", debian12), ("ubuntu2404", ubuntu2404),
                                             ("fedora40", fedora40)])
def test_linux_machines_read_in_french(tmp_path, name, build):
    assert offenders(write_linux(tmp_path, name, build)) == []


def test_linux_probe_notes_are_translated(tmp_path):
    text = "\n".join(french_lines(write_linux(tmp_path, "debian12", debian12)))
    assert "minuteurs systemd" in text or "agents de sauvegarde" in text
