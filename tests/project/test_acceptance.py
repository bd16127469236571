"""Accepted exceptions: shown as accepted, never green, listed, and back when they expire."""

from __future__ import annotations

import json
from datetime import date

import jsonschema
import pytest

from clinicguard.cli import main
from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Status
from clinicguard.files.datafiles import load_json, package_file
from clinicguard.i18n import message_text
from clinicguard.records.acceptance import ExceptionStore, apply_exceptions, exceptions_path
from tests.support.reports_support import current

TODAY = date(2026, 11, 28)


def test_accepting_needs_a_justification_and_a_future_date():
    store = ExceptionStore()
    with pytest.raises(ClinicGuardError, match="justification"):
        store.accept("access.password_policy", "   ", date(2027, 1, 1), TODAY)
    with pytest.raises(ClinicGuardError, match="after today"):
        store.accept("access.password_policy", "logiciel métier", TODAY, TODAY)


def test_accepted_item_keeps_its_status_and_score_then_comes_back():
    store = ExceptionStore()
    store.accept("access.password_policy", "TeamViewer exigé par l'éditeur", date(2027, 1, 31), TODAY)
    store.accept("ask.security_contact", "vert : ne doit rien changer", date(2027, 1, 31), TODAY)
    a = current()
    accepted = apply_exceptions(a, store, TODAY)
    pw = next(r for r in accepted.results if r.check_id == "access.password_policy")
    assert pw.status is Status.FAIL and pw.accepted.justification.startswith("TeamViewer")
    assert accepted.score == a.score
    green = next(r for r in accepted.results if r.check_id == "ask.security_contact")
    assert green.accepted is None  # only red or amber items can be accepted
    expired = apply_exceptions(a, store, date(2027, 2, 1))
    assert next(r for r in expired.results if r.check_id == "access.password_policy").accepted is None


def test_store_round_trip_and_damaged_file():
    store = ExceptionStore()
    store.accept("access.password_policy", "raison", date(2027, 1, 31), TODAY)
    store.save()
    assert ExceptionStore.load().items == store.items
    exceptions_path().write_text("[]", encoding="utf-8")
    damaged = ExceptionStore.load()
    assert damaged.items == {} and "kept aside" in message_text(damaged.notice, "en")


def test_accept_command_and_exit_code(tmp_path, capsys):
    rec = tmp_path / "host.json"
    rec.write_text(
        json.dumps(
            {
                "format": "clinicguard-host",
                "version": 1,
                "platform": "linux",
                "hostname": "pc",
                "now": "2026-11-28T09:00:00+00:00",
                "user": {"name": "alice", "uid": 1000, "groups": [], "home": "/home/alice", "is_admin": False},
                "files": {
                    "/etc/pam.d/common-password": {"text": "password required pam_unix.so obscure\n"},
                    "/etc/pam.d/common-auth": {"text": "auth required pam_unix.so\n"},
                },
            }
        )
    )
    first = main(["check", "--replay", str(rec), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    reds = [r["id"] for r in doc["results"] if r["status"] == "FAIL"]
    assert first == 1 and reds
    for cid in reds:
        assert (
            main(["accept", cid, "--reason", "poste remplacé en janvier", "--until", "31/01/2099", "--lang", "fr"]) == 0
        )
    assert "31/01/2099" in capsys.readouterr().out
    assert main(["check", "--replay", str(rec), "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Critique" in out and "Accepté jusqu'au 31/01/2099" in out
    assert main(["check", "--replay", str(rec), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, load_json(package_file("schema", "assessment.schema.json")))
    assert all(r["accepted"]["expires"] == "2099-01-31" for r in doc["results"] if r["id"] in reds)
    assert main(["accept", "--list", "--lang", "en"]) == 0
    assert "accepted until 2099-01-31" in capsys.readouterr().out
    assert main(["accept", reds[0], "--remove"]) == 0
    assert reds[0] not in ExceptionStore.load().items


def test_accept_command_bad_input(capsys):
    assert main(["accept", "no.such_item", "--reason", "x", "--until", "2099-01-01"]) == 2
    assert "point inconnu" in capsys.readouterr().err
    assert main(["accept", "access.password_policy", "--reason", "x", "--until", "31/13/2099"]) == 2
    assert "date invalide" in capsys.readouterr().err
    assert not exceptions_path().exists()


@pytest.mark.parametrize(
    "until",
    [
        "01/01/99999999999999999999",
        "99999999999999999999/01/01",
        "1/1/-99999999999999999999",
        "99999999999999999999-01-01",
        "31/12/10000",
    ],
)
def test_absurd_years_are_a_message_not_an_internal_error(until, capsys):
    assert main(["accept", "access.password_policy", "--reason", "x", "--until", until]) == 2
    err = capsys.readouterr().err
    assert "date invalide" in err and "erreur interne" not in err
    assert not exceptions_path().exists()
