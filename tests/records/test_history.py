"""History: SQLite round trip, migration from the previous layout, recovery from damaged or newer files; diff."""

from __future__ import annotations

import json
import sqlite3

import pytest

from clinicguard.cli import main
from clinicguard.core.diff import compare
from clinicguard.core.model import Status
from clinicguard.i18n import message_text
from clinicguard.records.history import MIGRATIONS, SCHEMA_VERSION, history_path, open_history
from clinicguard.records.serialize import assessment_to_dict
from tests.support.reports_support import current, frozen_tz, previous


@pytest.fixture(autouse=True)
def _tz(monkeypatch):
    frozen_tz(monkeypatch)


def test_round_trip_keeps_results_answers_and_acceptance():
    a = current()
    with open_history() as h:
        assert h.notice == ""
        number = h.save(a, {"ask.security_contact": {"answer": "yes", "date": "2026-11-28", "note": ""}})
        back = h.load(number)
        entry = h.entries()[0]
        answers = h.answers(number)
    assert [
        (r.check_id, r.status, r.summary_key, r.params, r.evidence, r.reason, r.accepted) for r in back.results
    ] == [(r.check_id, r.status, r.summary_key, r.params, r.evidence, r.reason, r.accepted) for r in a.results]
    assert back.score == a.score and back.host == a.host and back.finished_at == a.finished_at
    assert (entry.score, entry.fail_count, entry.tool_version) == (a.score.value, a.score.counts["FAIL"], "0.1.0")
    assert answers["ask.security_contact"]["answer"] == "yes"
    with sqlite3.connect(history_path()) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migration_from_the_previous_layout_keeps_every_assessment():
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    MIGRATIONS[0](db)  # the version-1 layout
    doc = assessment_to_dict(previous(), "en")
    db.execute(
        "INSERT INTO assessments (started_at, finished_at, hostname, score, coverage, document)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            doc["started_at"],
            doc["finished_at"],
            "POSTE-SOINS-2",
            doc["score"]["value"],
            doc["score"]["coverage"],
            json.dumps(doc),
        ),
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with open_history() as h:
        assert h.notice == ""
        [entry] = h.entries()
        assert entry.tool_version == "0.1.0" and entry.fail_count == previous().score.counts["FAIL"]
        assert h.load(entry.id).score == previous().score
        h.save(current())
        assert len(h.entries()) == 2


def test_damaged_database_is_kept_aside_and_a_fresh_one_created():
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    with open_history() as h:
        assert "damaged" in message_text(h.notice, "en") and str(path) in h.notice
        h.save(current())
        assert len(h.entries()) == 1
    kept = [p for p in path.parent.iterdir() if p.name.startswith("history.db.corrupt-")]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not")


def test_newer_database_is_kept_aside():
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE assessments (id INTEGER PRIMARY KEY)")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with open_history() as h:
        assert "newer" in h.notice and h.entries() == []
    assert any(p.name.startswith("history.db.newer-") for p in path.parent.iterdir())


def test_check_still_runs_and_saves_with_a_damaged_history(tmp_path, capsys):
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00garbage")
    rec = tmp_path / "host.json"
    rec.write_text(
        json.dumps(
            {
                "format": "clinicguard-host",
                "version": 1,
                "platform": "linux",
                "hostname": "pc",
                "now": "2026-11-28T09:00:00+00:00",
                "user": {"name": "alice", "uid": 1000, "groups": [], "is_admin": False},
            }
        )
    )
    code = main(["check", "--replay", str(rec), "--save", "--lang", "fr"])
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert "mis de côté" in err and "n° 1" in err


def test_compare_finds_new_reds_fixed_and_worse():
    d = compare(previous(), current())
    assert [c.check_id for c in d.new_red] == ["ask.offline_backup"]
    assert [c.check_id for c in d.fixed] == ["ask.security_contact"]
    assert [(c.check_id, c.before, c.after) for c in d.worse] == [("ask.restore_test", Status.PASS, Status.WARN)]
    assert d.score_change == current().score.value - previous().score.value


def test_history_and_diff_commands(capsys):
    with open_history() as h:
        h.save(previous())
        h.save(current())
    assert main(["history", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "n° 1" in out and "n° 2" in out and "26/02/2027" in out
    assert main(["diff", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Nouveaux points critiques (1)" in out and "Points corrigés (1)" in out
    assert main(["history", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [a["id"] for a in doc["assessments"]] == [1, 2] and doc["next_due"] == "2027-02-26"


def test_diff_needs_two_assessments(capsys):
    assert main(["diff"]) == 2
    assert "deux évaluations enregistrées" in capsys.readouterr().err


def test_data_dir_option(tmp_path, capsys):
    folder = tmp_path / "ailleurs"
    assert main(["history", "--data-dir", str(folder)]) == 0
    assert (folder / "history.db").exists()


def test_a_locked_history_is_left_alone(monkeypatch):
    import clinicguard.records.history as hist
    from clinicguard.core.errors import ClinicGuardError

    with open_history() as h:
        h.save(current())
    monkeypatch.setattr(hist, "LOCK_TIMEOUT_S", 0.05)
    other = sqlite3.connect(history_path(), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ClinicGuardError, match="cannot open the history"):
            open_history()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [p.name for p in history_path().parent.iterdir() if p.name.startswith("history.db.")] == []
    with open_history() as h:
        assert len(h.entries()) == 1


def test_check_output_comes_first_when_the_history_cannot_be_written(tmp_path, capsys):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    rec = tmp_path / "host.json"
    rec.write_text(
        json.dumps(
            {
                "format": "clinicguard-host",
                "version": 1,
                "platform": "linux",
                "hostname": "pc",
                "now": "2026-11-28T09:00:00+00:00",
                "user": {"name": "alice", "uid": 1000, "groups": [], "is_admin": False},
            }
        )
    )
    code = main(["check", "--replay", str(rec), "--save", "--data-dir", str(blocked / "data"), "--lang", "en"])
    captured = capsys.readouterr()
    assert code == 2
    assert "Password rules" in captured.out  # the results were shown anyway
    assert "cannot create the data folder" in captured.err
    assert (
        main(
            [
                "report",
                "--replay",
                str(rec),
                "--data-dir",
                str(blocked / "data"),
                "--format",
                "md",
                "--output",
                str(tmp_path / "r.md"),
            ]
        )
        == 0
    )
    assert (tmp_path / "r.md").exists()


def test_overdue_assessment_is_said(capsys):
    from dataclasses import replace
    from datetime import datetime

    old = replace(previous(), finished_at=datetime.fromisoformat("2020-01-01T09:00:00+00:00"))
    with open_history() as h:
        h.save(old)
    assert main(["history", "--lang", "en"]) == 0
    assert "was due by 2020-03-31" in capsys.readouterr().out


def test_next_due_from_history():
    from datetime import date

    from clinicguard.engine.workflow import next_due_from_history

    assert next_due_from_history() is None
    with open_history() as h:
        h.save(current())
    assert next_due_from_history({"assessment": {"interval_days": 30}}) == date(2026, 12, 28)
