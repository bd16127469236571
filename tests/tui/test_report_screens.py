"""Questionnaire, history and export screens driven through a minimal App (no dashboard needed)."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from textual.app import App
from textual.widgets import Static

from clinicguard.catalogue import load_catalogue
from clinicguard.records.history import open_history
from clinicguard.records.questionnaire import Answer, AnswerStore, questions
from clinicguard.tui.screens.export import ExportScreen
from clinicguard.tui.screens.history import HistoryScreen, trend
from clinicguard.tui.screens.questionnaire import QuestionnaireScreen
from tests.support.reports_support import current, frozen_tz, previous

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _tz(monkeypatch):
    frozen_tz(monkeypatch)


class Host(App):
    """Pushes one screen and records what it was dismissed with."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.screen_under_test = screen
        self.result = "not dismissed"

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, self._done)

    def _done(self, value) -> None:
        self.result = value


def body_text(app: App, selector: str) -> str:
    from rich.console import Console

    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def test_questionnaire_answers_with_one_key_and_saves_each_answer():
    cat = load_catalogue()
    store = AnswerStore({"ask.security_contact": Answer("ask.security_contact", "no", date(2025, 1, 2))})
    app = Host(QuestionnaireScreen(cat, store, "fr", TODAY))
    async with app.run_test() as pilot:
        first, second, third = questions(cat)[:3]
        assert first.title("fr") in body_text(app, "#question-body")
        await pilot.press("o")
        assert second.title("fr") in body_text(app, "#question-body")
        await pilot.press("n", "question_mark")
        await pilot.press("left")
        assert third.title("fr") in body_text(app, "#question-body")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result == 3
    saved = AnswerStore.load().answers
    assert (saved[first.id].answer, saved[second.id].answer, saved[third.id].answer) == ("yes", "no", "dont_know")
    assert saved[first.id].answered_on == TODAY


async def test_questionnaire_shows_stale_answers_and_can_ask_only_missing():
    cat = load_catalogue()
    answered = {q.id: Answer(q.id, "yes", TODAY) for q in questions(cat)}
    answered["ask.restore_test"] = Answer("ask.restore_test", "partial", date(2025, 1, 2))
    app = Host(QuestionnaireScreen(cat, AnswerStore(answered), "en", TODAY, only_missing=True))
    async with app.run_test() as pilot:
        text = body_text(app, "#question-body")
        assert "Question 1/1" in text and "to reconfirm" in text and "Partly" in text
        await pilot.press("escape")


async def test_history_screen_shows_trend_runs_and_changes():
    with open_history() as h:
        h.save(previous())
        h.save(current())
    screen = HistoryScreen.from_history(load_catalogue(), "fr", {"assessment": {"interval_days": 90}})
    app = Host(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        text = body_text(app, "#history-body")
        assert trend([previous().score.value, current().score.value]) in text
        assert "26/02/2027" in text
        assert "Nouveaux points critiques (1)" in text and "Points corrigés (1)" in text
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_history_screen_empty():
    app = Host(HistoryScreen.from_history(load_catalogue(), "en"))
    async with app.run_test():
        assert "No saved assessment" in body_text(app, "#history-body")


def test_trend_bars():
    assert trend([0, 50, 100]) == "▁▄█"


async def test_export_dialog_writes_the_chosen_format(tmp_path):
    screen = ExportScreen(
        current(),
        "fr",
        settings={"establishment": {"name": "EHPAD Les Tilleuls"}},
        previous=previous(),
        folder=tmp_path,
    )
    app = Host(screen)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.click("#fmt-md")
        await pilot.click("#export-anonymize")
        await pilot.click("#export-write")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = body_text(app, "#export-status")
        target = tmp_path / "clinicguard-rapport-2026-11-28.md"
        assert str(target) in status
        text = target.read_text(encoding="utf-8")
        assert "EHPAD Les Tilleuls" in text and "POSTE-SOINS-2" not in text
        if os.name == "posix":
            assert target.stat().st_mode & 0o777 == 0o600
        await pilot.press("escape")
        await pilot.pause()
    assert app.result == target


async def test_export_dialog_says_why_a_write_failed(tmp_path):
    app = Host(ExportScreen(current(), "en", folder=tmp_path / "missing"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.click("#export-write")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "could not be written" in body_text(app, "#export-status")
        assert not (tmp_path / "missing").exists()


async def test_accept_screen_saves_and_withdraws():
    from clinicguard.core.model import Status
    from clinicguard.records.acceptance import ExceptionStore
    from clinicguard.tui.screens.accept import AcceptScreen

    store = ExceptionStore()
    app = Host(
        AcceptScreen("access.password_policy", "Règles de mot de passe du poste", Status.FAIL, store, "fr", TODAY)
    )
    async with app.run_test(size=(110, 44)) as pilot:
        await pilot.click("#accept-save")
        assert "Indiquez pourquoi" in body_text(app, "#accept-status")
        app.screen.query_one("#accept-justification").value = "TeamViewer exigé par l'éditeur"
        app.screen.query_one("#accept-until").value = "01/01/2020"
        await pilot.pause(0.3)  # a button ignores presses during its short "pressed" effect
        await pilot.click("#accept-save")
        await pilot.pause()
        assert "après aujourd'hui" in body_text(app, "#accept-status")
        app.screen.query_one("#accept-until").value = "31/01/2027"
        await pilot.pause(0.3)
        await pilot.click("#accept-save")
        await pilot.pause()
    assert app.result is True
    saved = ExceptionStore.load().items["access.password_policy"]
    assert saved.expires == date(2027, 1, 31) and saved.justification.startswith("TeamViewer")

    app = Host(AcceptScreen("access.password_policy", "x", Status.FAIL, ExceptionStore.load(), "en", TODAY))
    async with app.run_test(size=(110, 44)) as pilot:
        assert app.screen.query_one("#accept-until").value == "2027-01-31"
        await pilot.click("#accept-withdraw")
        await pilot.pause()
    assert app.result is True and ExceptionStore.load().items == {}


async def test_accept_screen_refuses_a_green_item():
    from clinicguard.core.model import Status
    from clinicguard.records.acceptance import ExceptionStore
    from clinicguard.tui.screens.accept import AcceptScreen

    app = Host(AcceptScreen("ask.security_contact", "x", Status.PASS, ExceptionStore(), "en", TODAY))
    async with app.run_test(size=(110, 44)):
        assert app.screen.query_one("#accept-save").disabled


async def test_export_dialog_compares_with_the_last_saved_assessment(tmp_path):
    with open_history() as h:
        h.save(previous())
    screen = ExportScreen.with_history(current(), "en", folder=tmp_path)
    assert screen.previous is not None and screen.previous.score == previous().score
    app = Host(screen)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.click("#fmt-json")
        await pilot.click("#export-write")
        await app.workers.wait_for_complete()
        await pilot.pause()
    import json

    doc = json.loads((tmp_path / "clinicguard-report-2026-11-28.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in doc["report"]["changes"]["fixed"]] == ["ask.security_contact"]


def test_dashboard_rows_and_detail_say_an_item_is_accepted():
    from rich.console import Console

    from clinicguard.present.wording import Wording
    from clinicguard.tui import render as tui_render

    result = next(r for r in current().results if r.check_id == "ask.offline_backup")
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(tui_render.row(result, Wording(load_catalogue(), "fr", "windows")))
    console.print(tui_render.detail(result, Wording(load_catalogue(), "fr", "windows")))
    text = console.export_text()
    assert "Critique" in text and text.count("Accepté jusqu'au 31/01/2027") == 2
