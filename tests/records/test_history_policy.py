"""The history keeps one dashboard run a day unless something changed; grey -> colour is 'now verified'."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from clinicguard.cli import main
from clinicguard.core.diff import compare
from clinicguard.core.model import CheckResult, Reason, Status
from clinicguard.engine.runner import grey
from clinicguard.engine.workflow import Outcome, record
from clinicguard.records.acceptance import ExceptionStore
from clinicguard.records.history import open_history
from clinicguard.records.questionnaire import AnswerStore
from tests.support.reports_support import _assessment, current, frozen_tz


@pytest.fixture(autouse=True)
def _tz(monkeypatch):
    frozen_tz(monkeypatch)


def outcome(assessment):
    return Outcome(assessment, AnswerStore(), ExceptionStore())


def later(assessment, **delta):
    return replace(
        assessment,
        started_at=assessment.started_at + timedelta(**delta),
        finished_at=assessment.finished_at + timedelta(**delta),
    )


def saved_count() -> int:
    with open_history() as h:
        return len(h.entries())


def test_reopening_the_dashboard_the_same_day_records_once():
    first = current()
    assert record(outcome(first)) == 1
    for minutes in (2, 5, 9, 15):  # four rescans in a quarter of an hour, nothing changed
        assert record(outcome(later(first, minutes=minutes))) is None
    assert saved_count() == 1


def test_a_change_is_recorded_the_same_day():
    first = current()
    record(outcome(first))
    results = [
        replace(r, status=Status.PASS, summary_key="ok") if r.check_id == "access.password_policy" else r
        for r in first.results
    ]
    changed = later(replace(first, results=tuple(results)), minutes=20)
    assert record(outcome(changed)) == 2
    assert record(outcome(later(changed, minutes=1))) is None
    # Accepting an item is a change too.
    accepted = [replace(r, accepted=None) if r.accepted else r for r in changed.results]
    assert record(outcome(later(replace(changed, results=tuple(accepted)), minutes=2))) == 3


def test_the_next_day_is_recorded_even_unchanged():
    first = current()
    record(outcome(first))
    assert record(outcome(later(first, days=1))) == 2
    assert saved_count() == 2


def test_another_machine_in_the_same_data_folder_is_its_own_history():
    first = current()
    record(outcome(first))
    other = replace(first, host=replace(first.host, hostname="POSTE-ACCUEIL"))
    assert record(outcome(later(other, minutes=1))) == 2


def test_check_save_always_saves(tmp_path, capsys):
    recording = tmp_path / "h.json"
    from tests.cli.test_cli_check import write_recording

    write_recording(recording)
    for _ in range(2):
        assert main(["check", "--replay", str(recording), "--save", "--lang", "fr"]) in (0, 1)
    assert saved_count() == 2
    # Without --save, check leaves the history alone.
    main(["check", "--replay", str(recording), "--lang", "fr"])
    assert saved_count() == 2


def _pair(before: CheckResult, after: CheckResult):
    return compare(_assessment([before], current().finished_at), _assessment([after], current().finished_at))


def test_grey_to_amber_is_now_verified_not_improved():
    d = _pair(
        grey("access.password_policy", Reason.NEEDS_ADMIN),
        CheckResult("access.password_policy", Status.WARN, "no_lockout", {}, ()),
    )
    assert [c.check_id for c in d.verified] == ["access.password_policy"]
    assert d.better == [] and d.fixed == []


def test_grey_to_green_is_now_verified_and_grey_to_red_is_a_new_red():
    d = _pair(
        grey("access.password_policy", Reason.NEEDS_ADMIN),
        CheckResult("access.password_policy", Status.PASS, "ok", {}, ()),
    )
    assert len(d.verified) == 1 and d.fixed == [] and d.better == []
    d = _pair(
        grey("access.password_policy", Reason.NEEDS_ADMIN),
        CheckResult("access.password_policy", Status.FAIL, "too_short", {"length": 6}, ()),
    )
    assert len(d.new_red) == 1 and d.verified == []


def test_amber_to_green_is_fixed_and_red_to_amber_is_better():
    d = _pair(
        CheckResult("access.password_policy", Status.WARN, "no_lockout", {}, ()),
        CheckResult("access.password_policy", Status.PASS, "ok", {}, ()),
    )
    assert len(d.fixed) == 1
    d = _pair(
        CheckResult("access.password_policy", Status.FAIL, "too_short", {"length": 6}, ()),
        CheckResult("access.password_policy", Status.WARN, "no_lockout", {}, ()),
    )
    assert len(d.better) == 1 and d.verified == []


def test_diff_command_says_now_verified(capsys):
    with open_history() as h:
        h.save(_assessment([grey("access.password_policy", Reason.NEEDS_ADMIN)], current().finished_at))
        h.save(
            _assessment(
                [CheckResult("access.password_policy", Status.WARN, "no_lockout", {}, ())],
                current().finished_at + timedelta(days=1),
            )
        )
    assert main(["diff", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Points désormais vérifiés (1)" in out and "améliorés" not in out


def test_report_from_history_uses_the_last_saved_assessment(tmp_path, capsys):
    out = tmp_path / "r.md"
    assert main(["report", "--from-history", "--format", "md", "--output", str(out)]) == 2
    assert "Aucune analyse enregistrée" in capsys.readouterr().err
    with open_history() as h:
        h.save(current())
    assert main(["report", "--from-history", "--format", "md", "--output", str(out)]) == 0
    assert "POSTE-SOINS-2" in out.read_text(encoding="utf-8")
    with open_history() as h:
        assert len(h.entries()) == 1  # nothing new was assessed nor saved
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--from-history", "--assessment", "1"])  # one or the other
    assert exit_.value.code == 2
