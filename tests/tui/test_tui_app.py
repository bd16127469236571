"""Behaviour of the dashboard, driven like a person would (Textual pilot)."""

from __future__ import annotations

import io
import threading
import time

from rich.console import Console
from textual.widgets import Static

from clinicguard.core.model import Status
from clinicguard.i18n import t
from clinicguard.tui.keys import MAIN_KEYS
from clinicguard.tui.screens.help import HelpScreen
from clinicguard.tui.screens.todo import TodoScreen
from clinicguard.tui.widgets import Checklist, DetailPane, KeyBar
from tests.support.tui_demo import demo_app

SIZE = (100, 30)


async def wait_for(pilot, condition, timeout: float = 3.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)


def rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.id for o in app.main.query_one(Checklist).options if o.id and not o.disabled]


def text_of(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    widget = app.main.query_one(selector, Static)
    return str(widget.render())


def plain(renderable) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def detail_text(app) -> str:  # type: ignore[no-untyped-def]
    text = plain(app.main.query_one(DetailPane).query_one("#detail-body", Static).content)
    return " ".join(text.split())


async def finished(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_rows_appear_as_checks_finish_and_ui_stays_responsive():
    steps = threading.Semaphore(0)
    app = demo_app("fr", steps=steps)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.fake.running.is_set())
        assert rows(app) == []
        assert "Démarrage" in text_of(app, "#status") or "0/" in text_of(app, "#status")
        steps.release(3)
        await wait_for(pilot, lambda: len(rows(app)) == 3)
        assert "3/9" in text_of(app, "#status")
        assert "analyse en cours" in text_of(app, "#header")
        # Keys and the detail pane work while the scan runs.
        first = app.main.query_one(Checklist).highlighted_id()
        await pilot.press("down")
        assert app.main.query_one(Checklist).highlighted_id() != first
        assert detail_text(app)
        steps.release(10)
        await finished(pilot)
        assert len(rows(app)) == 9
        assert "Score" in text_of(app, "#header") and "/100" in text_of(app, "#header")
        assert "Sans droits" in text_of(app, "#status")


async def test_second_scan_request_during_a_scan_starts_nothing():
    steps = threading.Semaphore(0)
    app = demo_app("fr", steps=steps)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.fake.running.is_set())
        await pilot.press("r")
        await pilot.press("r")
        await pilot.pause()
        assert app.fake.calls == 1
        assert len([w for w in app.workers if w.group == "assessment" and not w.is_finished]) == 1
        steps.release(100)
        await finished(pilot)
        # Once finished, r starts a new one.
        await pilot.press("r")
        await finished(pilot)
        assert app.fake.calls == 2
        assert len(rows(app)) == 9


async def test_quit_during_a_scan_is_immediate_and_clean():
    steps = threading.Semaphore(0)  # never released: the scan would run forever
    app = demo_app("fr", steps=steps)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.fake.running.is_set())
        started = time.monotonic()
        await pilot.press("q")
        await pilot.pause()
    assert time.monotonic() - started < 1.0
    assert app.fake.finished.wait(1.0)
    assert app.return_code == 0


async def test_theme_jumps_and_detail_focus():
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        checklist = app.main.query_one(Checklist)
        assert checklist.highlighted_id() == "access.password_policy"  # the most urgent item
        await pilot.press("t")
        assert checklist.highlighted_id() == "backups.recent"
        await pilot.press("t")
        assert checklist.highlighted_id() == "updates.os_supported"
        await pilot.press("T")
        assert checklist.highlighted_id() == "backups.recent"
        await pilot.press("down", "down", "T")  # from inside a theme, back to its first item
        assert checklist.highlighted_id() == "updates.os_supported"
        await pilot.press("T")  # from a first item, to the previous theme
        assert checklist.highlighted_id() == "backups.recent"
        await pilot.press("enter")
        assert app.focused is app.main.query_one(DetailPane)
        await pilot.press("escape")
        assert app.focused is checklist


async def test_grey_row_says_why_and_how_to_get_it_checked():
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        app.main.query_one(Checklist).select_id("backups.recent")
        await pilot.pause()
        text = detail_text(app)
        assert "Non vérifié" in text
        assert "droits d'administrateur" in text
        assert "Exécuter en tant qu'administrateur" in text
        assert "wbadmin" in text  # the technical detail, in small print


async def test_filter_cycles_through_colours():
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        results = app.main.results
        assert len(rows(app)) == 9
        await pilot.press("f")  # to act on: no green
        assert all(results[r].status is not Status.PASS for r in rows(app))
        assert len(rows(app)) == 6
        await pilot.press("f")
        assert {results[r].status for r in rows(app)} == {Status.FAIL}
        await pilot.press("f")
        assert {results[r].status for r in rows(app)} == {Status.WARN}
        await pilot.press("f")
        assert rows(app) == ["backups.recent", "ask.security_contact"]
        assert "Non vérifié seulement" in app.main.query_one(Checklist).border_title
        await pilot.press("f")
        assert len(rows(app)) == 9
        await pilot.press("f", "escape")  # Esc goes back to everything
        assert len(rows(app)) == 9


async def test_search_is_accent_and_case_insensitive():
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        await pilot.press("slash")
        await pilot.press(*"mises a jour")
        assert rows(app) == ["updates.os_updates"]
        await pilot.press("enter")
        assert app.focused is app.main.query_one(Checklist)
        assert rows(app) == ["updates.os_updates"]
        await pilot.press("slash", "ctrl+a")
        await pilot.press(*"zzz")
        assert rows(app) == []
        assert "Aucun point" in str(app.main.query_one(Checklist).options[0].prompt)
        await pilot.press("escape")
        assert len(rows(app)) == 9


async def test_language_switch_covers_header_list_detail_and_keys():
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        bar = app.main.query_one(KeyBar)
        assert "Analyser" in str(bar.query_one("#key-scan", Static).render())
        await pilot.press("l")
        assert app.lang == "en"
        assert "Computer PC-ACCUEIL" in text_of(app, "#header")
        assert "Without administrator rights" in text_of(app, "#status")
        assert "Showing: all items" in app.main.query_one(Checklist).border_title
        assert "Assess" in str(bar.query_one("#key-scan", Static).render())
        assert "Français" in str(bar.query_one("#key-language", Static).render())
        assert "Critical" in detail_text(app)
        await pilot.press("l")
        assert app.lang == "fr"
        assert "Critique" in detail_text(app)


async def test_language_switch_inside_help_retranslates_it_and_the_app():
    import html

    from clinicguard.i18n import t
    from clinicguard.tui.screens.help import HelpScreen

    def screen_text() -> str:
        return html.unescape(app.export_screenshot()).replace("\xa0", " ")

    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert t("tui.help.keys", "fr") in screen_text()
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "en"
        assert t("tui.help.keys", "en") in screen_text()
        assert t("tui.help.keys", "fr") not in screen_text()
        await pilot.press("escape")
        assert "Critical" in detail_text(app)


async def test_language_switch_inside_what_to_do_first():
    from clinicguard.i18n import t

    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, TodoScreen)
        intro = lambda: str(app.screen.query_one("#todo-intro", Static).render())  # noqa: E731
        assert t("tui.todo.title", "fr") in intro()
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "en"
        assert t("tui.todo.title", "en") in intro()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TodoScreen)


async def test_what_to_do_first_lists_red_then_amber_and_jumps_to_the_item():
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, TodoScreen)
        ids = [o.id for o in screen.query_one("#todo-list").options]
        assert ids == ["access.password_policy", "network.firewall", "updates.os_updates", "access.screen_lock"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.query_one(Checklist).highlighted_id() == "network.firewall"


async def test_help_lists_every_key_and_the_log_file():
    app = demo_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("#help-body", Static).content)
        for key in MAIN_KEYS:
            assert t(f"tui.keyhelp.{key.name}", "en") in " ".join(text.split())
        assert "/var/log/clinicguard/clinicguard.log" in text
        await pilot.press("escape")
        assert app.screen is app.main


async def test_a_check_failing_mid_scan_keeps_results_and_names_the_log():
    app = demo_app("fr", fail_after=3)
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        assert len(rows(app)) == 3
        status = text_of(app, "#status")
        assert "n'a pas pu aller au bout" in status
        assert "/var/log/clinicguard/clinicguard.log" in status
        assert "incomplète" in text_of(app, "#header")
        assert app.is_running


async def test_tiny_terminal_shows_a_notice_instead_of_crashing():
    app = demo_app("fr")
    async with app.run_test(size=(50, 14)) as pilot:
        await finished(pilot)
        assert app.main.has_class("-tiny")
        assert "trop petite" in text_of(app, "#small")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not app.main.has_class("-tiny")
        assert not app.main.has_class("-narrow")


async def test_clicking_a_key_hint_runs_its_action():
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        await pilot.click("#key-filter")
        assert app.main.filter_name == "todo"
        await pilot.click("#key-help")
        assert isinstance(app.screen, HelpScreen)


async def test_questionnaire_history_and_password_screens_open_and_close():
    from clinicguard.tui.screens.history import HistoryScreen
    from clinicguard.tui.screens.password_test import PasswordTestScreen
    from clinicguard.tui.screens.questionnaire import QuestionnaireScreen

    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        for key, kind in (("u", QuestionnaireScreen), ("h", HistoryScreen), ("m", PasswordTestScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, kind)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.main
        assert app.fake.calls == 1  # no answer given: no new assessment


async def test_export_waits_for_the_end_of_the_scan():
    from clinicguard.tui.screens.export import ExportScreen

    steps = threading.Semaphore(0)
    app = demo_app("fr", steps=steps)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.fake.running.is_set())
        await pilot.press("e")
        assert app.screen is app.main
        steps.release(100)
        await finished(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)


async def test_accepting_a_red_item_marks_it_accepted_but_keeps_it_red():
    from clinicguard.records.acceptance import ExceptionStore
    from clinicguard.tui.screens.accept import AcceptScreen

    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        app.main.query_one(Checklist).select_id("network.firewall")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, AcceptScreen)
        await pilot.press(*"pare-feu du routeur", "enter")
        await pilot.pause()
        assert app.screen is app.main
        result = app.main.results["network.firewall"]
        assert result.status is Status.FAIL and result.accepted is not None
        assert "Accepté jusqu'au" in detail_text(app)
    assert "network.firewall" in ExceptionStore.load().items


async def test_a_screen_that_cannot_open_leaves_the_dashboard_running(monkeypatch):
    from clinicguard.tui import wiring

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("damaged")

    monkeypatch.setattr(wiring, "history", broken)
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is app.main and app.is_running
        await pilot.press("f")
        assert app.main.filter_name == "todo"


async def test_without_colours_every_light_still_has_its_word(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await finished(pilot)
        assert app.no_color
        prompts = " ".join(str(o.prompt) for o in app.main.query_one(Checklist).options)
        for word in ("Critique", "À améliorer", "Non vérifié", "Conforme"):
            assert word in prompts


async def test_ctrl_c_quits_during_a_scan():
    steps = threading.Semaphore(0)
    app = demo_app("fr", steps=steps)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.fake.running.is_set())
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.fake.finished.wait(1.0)


def test_a_terminal_that_cannot_host_the_dashboard_gets_the_text_checklist(monkeypatch, capsys):
    import clinicguard.cli.check as check_cli
    from clinicguard.cli import build_parser
    from clinicguard.launcher import dashboard_or_text
    from clinicguard.tui import launch
    from clinicguard.tui.app import ClinicGuardApp

    def no_terminal(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("not a terminal")

    ran = []
    monkeypatch.setattr(ClinicGuardApp, "run", no_terminal)
    monkeypatch.setattr(check_cli, "run_check", lambda args: ran.append(args.format) or 0)
    monkeypatch.setattr("clinicguard.cli.can_draw_dashboard", lambda: True)
    args = build_parser().parse_args(["--lang", "fr"])
    assert launch.run(args) is None  # the dashboard says it could not start...
    assert ran == []
    assert dashboard_or_text(args) == 0  # ...and the program prints the checklist instead
    assert ran == ["text"]
    err = capsys.readouterr().err
    assert "n'a pas pu démarrer" in err and "Traceback" not in err
