"""JSON written by clinicguard shows no raw control, bidi or line-separator character.

``check --format json`` goes to a terminal as often as to a program, and report.json is opened in
editors: a planted file name with a right-to-left override (U+202E) or a C1 control (U+009B, a CSI
on some terminals) must reach them as a JSON escape (``\\u202e``), which decodes to the very same name.
"""

from __future__ import annotations

import json
import sys

import pytest

from clinicguard.cli import main
from clinicguard.core.jsontext import dumps
from clinicguard.present.safe import has_unsafe

HOSTILE = "crack\x1b]0;PWNED\x07\x1b[2J\u202etxt\u2066\u200f\x7f\x9b\u2028.exe"
BASE = {
    "format": "clinicguard-host",
    "version": 1,
    "platform": "linux",
    "hostname": "pc",
    "now": "2026-11-28T09:00:00+00:00",
    "user": {"name": "alice", "uid": 1000, "home": "/home/alice"},
}


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_dumps_escapes_every_unsafe_character_and_round_trips(ensure_ascii):
    text = dumps({"path": HOSTILE, "fr": "Été « ok »"}, ensure_ascii=ensure_ascii)
    assert not has_unsafe(text, multiline=True)
    assert json.loads(text) == {"path": HOSTILE, "fr": "Été « ok »"}
    if not ensure_ascii:
        assert "Été « ok »" in text  # readable letters stay as they are


def test_check_json_to_stdout_has_no_raw_bidi_or_control(tmp_path, monkeypatch, capsys):
    doc = dict(
        BASE,
        files={
            "/home/alice/Downloads": {"dir": [HOSTILE]},
            f"/home/alice/Downloads/{HOSTILE}": {"text": "", "mtime": 1700000000},
        },
    )
    rec = tmp_path / "rec.json"
    rec.write_text(dumps(doc), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["clinicguard"])
    main(["check", "--replay", str(rec), "--format", "json", "--data-dir", str(tmp_path / "data")])
    out = capsys.readouterr().out
    infostealer = next(r for r in json.loads(out)["results"] if r["id"] == "malware.infostealer")
    assert any(e["source"].endswith(HOSTILE) for e in infostealer["evidence"])  # the name is there, losslessly
    assert not has_unsafe(out, multiline=True)
