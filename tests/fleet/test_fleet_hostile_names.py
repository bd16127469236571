"""A file name that is not valid UTF-8 goes through the fleet folder and every fleet output.

``check --save --to DIR`` writes the visit, the fleet imports it into its index,
and the view and reports are written: each as valid UTF-8, the name kept
losslessly where the assessment is carried (visit file, index, JSON), shown
escaped (``\\xff``) where it is displayed.
"""

from __future__ import annotations

import json
import os

import pytest

from clinicguard.core.jsontext import dumps
from clinicguard.fleet.visit import read_visit
from tests.faults.test_hostile_names import BASE, NAME, run_strict

MACHINE_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def fleet_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(tmp_path / "data"))
    config = tmp_path / "config.toml"
    config.write_text('[machine]\nlabel = "Infirmerie 1"\n[establishment]\nname = "EHPAD Les Tilleuls"\n')
    monkeypatch.setenv("CLINICGUARD_CONFIG", str(config))
    doc = dict(
        BASE,
        files={
            "/etc/machine-id": {"text": MACHINE_ID + "\n"},
            "/home/alice/Downloads": {"dir": [NAME]},
            f"/home/alice/Downloads/{NAME}": {"text": "", "mtime": 1700000000},
        },
    )
    rec = tmp_path / "rec.json"
    rec.write_text(dumps(doc), encoding="utf-8")
    folder = tmp_path / "parc"
    code, _ = run_strict(monkeypatch, ["check", "--replay", str(rec), "--save", "--to", str(folder)])
    assert code in (0, 1)
    return folder


def sources(assessment: dict) -> list[str]:  # type: ignore[type-arg]
    result = next(r for r in assessment["results"] if r["id"] == "malware.infostealer")
    return [e.get("source", "") for e in result["evidence"]]


def test_the_visit_file_is_valid_utf8_and_keeps_the_name(fleet_dir):
    (path,) = fleet_dir.glob("*.cgvisit.json")
    json.loads(path.read_bytes().decode("utf-8"))  # strict UTF-8
    visit = read_visit(path)
    assert any(os.fsencode(s).endswith(b"crack_\xff.exe") for s in sources(visit.assessment_doc))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_fleet_view_with_an_undecodable_name(fleet_dir, monkeypatch, fmt):
    code, raw = run_strict(monkeypatch, ["fleet", str(fleet_dir), "--format", fmt, "--lang", "en"])
    assert code in (0, 1)
    text = raw.decode("utf-8")
    assert "Infirmerie 1" in text
    if fmt == "json":
        json.loads(text)


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json", "pdf"])
def test_fleet_report_with_an_undecodable_name(fleet_dir, tmp_path, monkeypatch, fmt):
    out = tmp_path / f"fleet.{fmt}"
    code, _ = run_strict(monkeypatch, ["fleet", "report", str(fleet_dir), "--format", fmt, "--output", str(out)])
    assert code == 0
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
        return
    text = data.decode("utf-8")
    assert "Infirmerie 1" in text
    if fmt == "json":
        json.loads(text)


def test_the_index_keeps_the_name_losslessly(fleet_dir, monkeypatch):
    from clinicguard.fleet.service import open_fleet

    assert run_strict(monkeypatch, ["fleet", str(fleet_dir), "--format", "json"])[0] in (0, 1)
    with open_fleet(fleet_dir, site="EHPAD Les Tilleuls", settings={}) as fleet:
        (latest,) = fleet.store.latest_visits()
        doc = fleet.store.visit_document(latest.id)
        result = next(r for r in fleet.assessment(latest.id).results if r.check_id == "malware.infostealer")
    assert any(os.fsencode(s).endswith(b"crack_\xff.exe") for s in sources(doc["assessment"]))
    assert any(os.fsencode(e.source).endswith(b"crack_\xff.exe") for e in result.evidence)
