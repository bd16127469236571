"""File names that are not valid UTF-8 are carried losslessly and never break an output.

A name such as ``crack_\\xff.exe`` (Latin-1 bytes on a UTF-8 system, or planted in
/tmp by another account) arrives as a string with a lone surrogate
(``surrogateescape``). JSON and the history keep it as the escape ``\\udcff``
(valid UTF-8, decoded back to the same name); screens and reports show ``\\xff``.
"""

from __future__ import annotations

import io
import json
import os
import sys

import pytest

from clinicguard.cli import main
from clinicguard.core.jsontext import dumps

NAME = "crack_\udcff.exe"  # os.fsdecode(b"crack_\xff.exe")
BASE = {
    "format": "clinicguard-host",
    "version": 1,
    "platform": "linux",
    "hostname": "pc",
    "now": "2026-11-28T09:00:00+00:00",
    "user": {"name": "alice", "uid": 1000, "home": "/home/alice"},
}


@pytest.fixture
def recording(tmp_path) -> str:
    doc = dict(
        BASE,
        files={
            "/home/alice/Downloads": {"dir": [NAME]},
            f"/home/alice/Downloads/{NAME}": {"text": "", "mtime": 1700000000},
            "/tmp": {"dir": ["\udcfe\udcfdplanted"]},
            "/tmp/\udcfe\udcfdplanted": {"text": "", "mtime": 1700000000},
        },
    )
    path = tmp_path / "rec.json"
    path.write_text(dumps(doc), encoding="utf-8")
    return str(path)


class StrictStdout(io.TextIOWrapper):
    """A UTF-8 stdout that refuses what a terminal or a pipe could not take as UTF-8."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)

    def raw_bytes(self) -> bytes:
        self.flush()
        return self.buffer.getvalue()  # type: ignore[attr-defined]


def run_strict(monkeypatch, argv: list[str]) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    out = StrictStdout()
    monkeypatch.setattr(sys, "stdout", out)
    code = main(argv)
    return code, out.raw_bytes()


def test_json_text_keeps_undecodable_bytes_as_valid_utf8():
    text = dumps({"path": NAME, "fr": "été"})
    text.encode("utf-8")  # no lone surrogate left
    assert "été" in text and "\\udcff" in text
    assert json.loads(text)["path"] == NAME
    assert os.fsencode(json.loads(text)["path"]) == b"crack_\xff.exe"


def test_check_json_to_stdout_is_valid_utf8_and_lossless(monkeypatch, recording):
    code, raw = run_strict(monkeypatch, ["check", "--replay", recording, "--format", "json"])
    assert code in (0, 1)
    doc = json.loads(raw.decode("utf-8"))
    infostealer = next(r for r in doc["results"] if r["id"] == "malware.infostealer")
    assert any(e.get("source", "").endswith(NAME) for e in infostealer["evidence"])


def infostealer_sources(doc: dict) -> list[str]:  # type: ignore[type-arg]
    result = next(r for r in doc["results"] if r["id"] == "malware.infostealer")
    return [e.get("source", "") for e in result["evidence"]]


def test_check_json_output_file_is_lossless(tmp_path, monkeypatch, recording):
    out = tmp_path / "result.json"
    code, _raw = run_strict(monkeypatch, ["check", "--replay", recording, "--format", "json", "--output", str(out)])
    assert code in (0, 1)
    assert any(s.endswith(NAME) for s in infostealer_sources(json.loads(out.read_text(encoding="utf-8"))))


def test_check_save_keeps_the_name_in_the_history(monkeypatch, recording):
    code, _raw = run_strict(monkeypatch, ["check", "--replay", recording, "--save"])
    assert code in (0, 1)
    from clinicguard.records.history import open_history

    with open_history() as history:
        saved = history.load(history.latest_id())
    result = next(r for r in saved.results if r.check_id == "malware.infostealer")
    assert any(e.source.endswith(NAME) for e in result.evidence)
    code, raw = run_strict(monkeypatch, ["history"])
    assert code == 0
    raw.decode("utf-8")


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json", "pdf"])
def test_every_report_format_with_an_undecodable_name(tmp_path, monkeypatch, recording, fmt):
    out = tmp_path / f"report.{fmt}"
    assert main(["report", "--replay", recording, "--format", fmt, "--output", str(out)]) == 0
    data = out.read_bytes()
    if fmt != "pdf":
        data.decode("utf-8")


def test_the_pdf_report_shows_the_undecodable_byte_escaped(tmp_path, recording):
    from pypdf import PdfReader

    out = tmp_path / "report.pdf"
    assert main(["report", "--replay", recording, "--format", "pdf", "--output", str(out), "--lang", "en"]) == 0
    text = "".join(page.extract_text() for page in PdfReader(str(out)).pages).replace("\n", "")
    assert "/home/alice/Downloads/crack_\\xff.exe" in text
    assert "\udcff" not in text and "\ufffd" not in text and "crack_.exe" not in text


def test_text_output_shows_the_byte_escaped(monkeypatch, recording):
    code, raw = run_strict(monkeypatch, ["check", "--replay", recording, "--verbose", "--lang", "en"])
    assert code in (0, 1)
    assert "crack_\\xff.exe" in raw.decode("utf-8")


def test_dashboard_scan_process_writes_valid_utf8_lines(monkeypatch, recording):
    """The dashboard reads the assessment from a child process as JSON lines on its stdout."""
    from clinicguard.tui import scanproc

    out = StrictStdout()
    monkeypatch.setattr(sys, "stdout", out)
    scanproc.main(["--replay", recording])
    lines = [json.loads(line) for line in out.raw_bytes().decode("utf-8").splitlines()]
    doc = next(m["assessment"] for m in lines if "assessment" in m)
    assert any(s.endswith(NAME) for s in infostealer_sources(doc))
