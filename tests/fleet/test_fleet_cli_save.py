"""`clinicguard check --save --to DIR`: one visit file per machine and visit, written atomically."""

from __future__ import annotations

import json

import pytest

from clinicguard.cli import main
from clinicguard.fleet.identity import hash_machine_id
from clinicguard.fleet.visit import read_visit
from tests.cli.test_cli_check import write_recording

MACHINE_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(tmp_path / "data"))
    config = tmp_path / "config.toml"
    config.write_text('[machine]\nlabel = "Infirmerie 1"\n[establishment]\nname = "EHPAD Les Tilleuls"\n')
    monkeypatch.setenv("CLINICGUARD_CONFIG", str(config))
    return tmp_path


def test_save_to_fleet_folder(env, capsys):
    rec = write_recording(env / "host.json", files={"/etc/machine-id": {"text": MACHINE_ID + "\n"}})
    fleet = env / "cle-usb" / "parc"
    code = main(["check", "--replay", str(rec), "--save", "--to", str(fleet), "--lang", "fr"])
    assert code in (0, 1)
    files = list(fleet.iterdir())
    assert len(files) == 1
    visit = read_visit(files[0])
    assert visit.label == "Infirmerie 1" and visit.machine_id == hash_machine_id(MACHINE_ID)
    assert MACHINE_ID not in files[0].read_text()
    assert visit.document["machine"]["establishment"] == "EHPAD Les Tilleuls"
    assert "dossier du parc" in capsys.readouterr().err


def test_without_machine_id_nothing_is_written(env, capsys):
    rec = write_recording(env / "host.json")
    fleet = env / "parc"
    assert main(["check", "--replay", str(rec), "--save", "--to", str(fleet)]) == 2
    assert not fleet.exists() or not list(fleet.iterdir())
    assert "identité de ce poste ne peut pas être lue" in capsys.readouterr().err


def test_to_needs_save(env, capsys):
    assert main(["check", "--to", str(env / "parc")]) == 2
    assert "--save" in capsys.readouterr().err


def test_default_label_is_host_name(env, monkeypatch):
    (env / "config.toml").write_text("")
    rec = write_recording(env / "host.json", files={"/etc/machine-id": {"text": MACHINE_ID}})
    main(["check", "--replay", str(rec), "--save", "--to", str(env / "parc")])
    doc = json.loads(next((env / "parc").iterdir()).read_text())
    assert doc["machine"]["label"] == "poste-accueil"
