"""Questionnaire: questions as data, answers mapped to statuses, saved with their date, imported from files."""

from __future__ import annotations

import json
import os
import re
from datetime import date

import pytest

from clinicguard.catalogue import load_catalogue
from clinicguard.cli import main
from clinicguard.core.errors import DataFileError
from clinicguard.core.model import Reason, Status
from clinicguard.engine.runner import run_assessment
from clinicguard.i18n import message_text
from clinicguard.records.questionnaire import (
    ANSWERS,
    Answer,
    AnswerStore,
    answer_result,
    answer_results,
    answers_path,
    load_answer_file,
    questions,
)
from tests.conftest import recorded

TODAY = date(2026, 11, 28)


def test_questions_are_catalogue_data_in_both_languages():
    cat = load_catalogue()
    qs = questions(cat)
    assert len(qs) == 26
    assert {q.theme for q in qs} == {
        "governance",
        "access",
        "backups",
        "continuity",
        "incidents",
        "awareness",
        "devices",
    }
    for q in qs:
        assert q.platforms == ("windows", "linux", "macos")
        assert q.title("fr").endswith("?") and q.title("en").endswith("?")
        assert q.why("fr") and q.why("en") and q.fix("fr", "windows") and q.fix("en", "linux")
        assert q.recommendations and all(r in cat.recommendations for r in q.recommendations)
    titles = " ".join(q.title("fr") for q in qs)
    for health in ("CPS", "HDS", "CERT Santé", "second facteur"):
        assert health in titles


@pytest.mark.parametrize(("answer", "status"), list(ANSWERS.items()))
def test_each_answer_maps_to_a_status(answer, status):
    result = answer_result(Answer("ask.security_contact", answer, TODAY), TODAY)
    assert result.status is status
    if status is Status.UNKNOWN:
        assert result.reason is Reason.NOT_KNOWN
    from clinicguard.records.serialize import result_texts

    texts = result_texts(result, load_catalogue(), "fr", "linux")
    assert "28/11/2026" in texts["summary"]


def test_answers_older_than_twelve_months_are_flagged():
    old = answer_result(Answer("ask.restore_test", "yes", date(2025, 11, 27)), TODAY)
    recent = answer_result(Answer("ask.restore_test", "yes", date(2025, 11, 29)), TODAY)
    assert old.summary_key.endswith("_stale") and any(e.label == "to_reconfirm" for e in old.evidence)
    assert not recent.summary_key.endswith("_stale")
    assert old.status is Status.PASS  # still the given answer, but shown as to reconfirm


def test_answers_join_the_checklist_and_the_score_unanswered_stay_grey():
    store = AnswerStore(
        {
            "ask.offline_backup": Answer("ask.offline_backup", "no", TODAY),
            "ask.security_contact": Answer("ask.security_contact", "yes", TODAY),
        }
    )
    cat = load_catalogue()
    a = run_assessment(recorded(), catalogue=cat, extra_results=answer_results(store, cat, TODAY))
    by_id = {r.check_id: r for r in a.results}
    assert by_id["ask.offline_backup"].status is Status.FAIL
    assert by_id["ask.security_contact"].status is Status.PASS
    assert by_id["ask.named_accounts"].status is Status.UNKNOWN
    assert by_id["ask.named_accounts"].reason is Reason.NOT_ANSWERED


def test_store_round_trip_and_prefill():
    store = AnswerStore()
    store.set(Answer("ask.inventory", "partial", TODAY, "tableur à compléter"))
    store.save()
    again = AnswerStore.load()
    assert again.answers["ask.inventory"] == Answer("ask.inventory", "partial", TODAY, "tableur à compléter")


def test_damaged_answer_file_is_kept_aside():
    path = answers_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    store = AnswerStore.load()
    assert store.answers == {} and "kept aside" in message_text(store.notice, "en")
    assert any(p.name.startswith("answers.json.unreadable-") for p in path.parent.iterdir())


def test_answer_file_import(tmp_path):
    f = tmp_path / "reponses.toml"
    f.write_text(
        '[answers]\nsecurity_contact = "Oui"\n"ask.hds_hosting" = "je ne sais pas"\n'
        'restore_test = { answer = "partiel", date = 2025-03-01, note = "test partiel" }\n',
        encoding="utf-8",
    )
    got = load_answer_file(f, load_catalogue(), TODAY)
    assert got["ask.security_contact"].answer == "yes"
    assert got["ask.hds_hosting"].answer == "dont_know"
    assert got["ask.restore_test"].answered_on == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[answers]\nsecurity_contact = "peut-être"\n', "invalid answer 'peut-être'"),
        ('[answers]\nno_such_question = "oui"\n', "unknown question 'no_such_question'"),
        ('[answers]\nsecurity_contact = { answer = "oui", date = "hier" }\n', "invalid date"),
        ('[answers]\nsecurity_contact = { answer = "oui", date = 2030-01-01 }\n', "in the future"),
        ("answers = 3\n", "missing [answers]"),
        ("[answers\n", "cannot be read"),
    ],
)
def test_invalid_answer_file_is_named_and_changes_nothing(tmp_path, capsys, body, message):
    store = AnswerStore({"ask.inventory": Answer("ask.inventory", "yes", TODAY)})
    store.save()
    before = answers_path().read_bytes()
    f = tmp_path / "bad.toml"
    if body.startswith("[answers]\n"):
        # A valid answer before the bad one must not be imported either.
        body = body.replace("[answers]\n", '[answers]\ninventory = "non"\n', 1)
    f.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError, match=re.escape(message)):
        load_answer_file(f, load_catalogue(), date(2026, 11, 28))
    assert main(["questionnaire", "--import", str(f)]) == 2
    err = capsys.readouterr().err
    assert str(f) in err
    assert answers_path().read_bytes() == before


def test_json_answer_file(tmp_path):
    f = tmp_path / "answers.json"
    f.write_text(json.dumps({"answers": {"ask.locked_room": {"answer": "sans objet"}}}), encoding="utf-8")
    assert load_answer_file(f, load_catalogue(), TODAY)["ask.locked_room"].answer == "not_applicable"


def test_interactive_questionnaire_saves_answers_given_before_quitting(monkeypatch, capsys):
    replies = iter(["o", "i", "peut-être", "n", "q"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(replies))
    assert main(["questionnaire", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Réponse non comprise" in out
    assert questions(load_catalogue())[1].why("fr") in out  # "i" explains the question
    saved = AnswerStore.load().answers
    first, second = questions(load_catalogue())[:2]
    assert saved[first.id].answer == "yes" and saved[second.id].answer == "no"
    assert len(saved) == 2
    assert main(["questionnaire", "--list", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Réponse actuelle : Oui" in out and "2 questions sur 26 ont une réponse · 0 à reconfirmer" in out


def test_enter_keeps_and_reconfirms_a_stale_answer(monkeypatch):
    store = AnswerStore({"ask.security_contact": Answer("ask.security_contact", "partial", date(2024, 1, 5))})
    store.save()
    monkeypatch.setattr("builtins.input", lambda prompt="": "")
    assert main(["questionnaire", "--missing", "--lang", "en"]) == 0
    kept = AnswerStore.load().answers["ask.security_contact"]
    assert kept.answer == "partial" and kept.answered_on == date.today()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_exported_answer_file_imports_back_on_another_computer(tmp_path, monkeypatch, capsys, lang):
    store = AnswerStore(
        {
            "ask.security_contact": Answer("ask.security_contact", "yes", date(2026, 3, 1)),
            "ask.hds_hosting": Answer("ask.hds_hosting", "dont_know", date(2026, 4, 2), 'éditeur "à relancer"'),
            "ask.locked_room": Answer("ask.locked_room", "not_applicable", date(2026, 5, 3)),
        }
    )
    store.save()
    exported = tmp_path / "reponses.toml"
    assert main(["questionnaire", "--export", str(exported), "--lang", lang]) == 0
    text = exported.read_text(encoding="utf-8")
    assert '# inventory = ""' in text  # unanswered: commented out
    monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(tmp_path / "other-computer"))
    assert main(["questionnaire", "--import", str(exported)]) == 0
    assert AnswerStore.load().answers == store.answers


def test_a_huge_note_or_answer_file_is_refused_with_a_message(tmp_path, capsys):
    from clinicguard.cli import main
    from clinicguard.records.questionnaire import MAX_ANSWER_FILE_BYTES, MAX_NOTE_CHARS

    long_note = tmp_path / "note.toml"
    long_note.write_text(f'[answers]\nsecurity_contact = {{ answer = "oui", note = "{"x" * (MAX_NOTE_CHARS + 1)}" }}\n')
    assert main(["questionnaire", "--import", str(long_note)]) == 2
    err = capsys.readouterr().err
    assert "note.toml" in err and "security_contact" in err and "dépasse" in err
    huge = tmp_path / "huge.toml"
    with huge.open("w") as fh:
        fh.write('[answers]\nsecurity_contact = { answer = "oui", note = "')
        fh.truncate(200 * 1024 * 1024)  # 200 MB, sparse: costs nothing on disk
    assert main(["questionnaire", "--import", str(huge)]) == 2
    err = capsys.readouterr().err
    assert "huge.toml" in err and "plus de 1\u202fMo" in err and "erreur interne" not in err
    assert huge.stat().st_size > MAX_ANSWER_FILE_BYTES
    fifo = tmp_path / "answers.toml"
    os.mkfifo(fifo)
    assert main(["questionnaire", "--import", str(fifo)]) == 2  # returns at once, never waits for a writer
    assert "ce n'est pas un fichier ordinaire" in capsys.readouterr().err
    ok = tmp_path / "ok.toml"
    ok.write_text(f'[answers]\nsecurity_contact = {{ answer = "oui", note = "{"x" * MAX_NOTE_CHARS}" }}\n')
    assert main(["questionnaire", "--import", str(ok)]) == 0


def test_a_huge_accept_justification_is_refused(capsys):
    from clinicguard.cli import main
    from clinicguard.records.acceptance import MAX_JUSTIFICATION_CHARS

    assert (
        main(
            [
                "accept",
                "access.password_policy",
                "--reason",
                "x" * (MAX_JUSTIFICATION_CHARS + 1),
                "--until",
                "2099-01-01",
            ]
        )
        == 2
    )
    assert "dépasse" in capsys.readouterr().err
    assert (
        main(["accept", "access.password_policy", "--reason", "x" * MAX_JUSTIFICATION_CHARS, "--until", "2099-01-01"])
        == 0
    )
