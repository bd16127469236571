"""The volunteer's first hour in the dashboard: where to start, keys, dialogs, readable without colour."""

from __future__ import annotations

import sys

import pytest

from clinicguard.cli import can_draw_dashboard


@pytest.mark.parametrize(("term", "expected"), [("xterm-256color", True), ("dumb", False), ("", True)])
def test_term_dumb_gets_the_text_checklist(monkeypatch, term, expected):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert can_draw_dashboard({"TERM": term}) is expected


def test_a_pipe_gets_the_text_checklist(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert can_draw_dashboard({"TERM": "xterm"}) is False


# ----- item 4: open on the most urgent item and say where to start

from textual.widgets import Static  # noqa: E402

from clinicguard.tui.widgets import Checklist, KeyBar, KeyHint  # noqa: E402
from tests.support.tui_demo import demo_app  # noqa: E402


async def test_opens_on_the_most_urgent_item_and_points_to_p():
    app = demo_app("fr")
    async with app.run_test(size=(110, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.query_one(Checklist).highlighted_id() == "access.password_policy"  # red, priority 1
        status = str(app.main.query_one("#status", Static).render())
        assert "Par où commencer : touche p" in status.replace("\xa0", " ")
        assert "Règles de mot de passe du poste" in status


async def test_a_cursor_moved_during_the_scan_is_left_where_it_is():
    import threading

    steps = threading.Semaphore(0)
    app = demo_app("fr", steps=steps)
    async with app.run_test(size=(110, 32)) as pilot:
        steps.release(4)
        while len([o for o in app.main.query_one(Checklist).options if o.id and not o.disabled]) < 4:
            await pilot.pause(0.02)
        await pilot.press("down", "down")
        chosen = app.main.query_one(Checklist).highlighted_id()
        steps.release(20)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.query_one(Checklist).highlighted_id() == chosen


# ----- item 7: every key reachable, the hidden ones counted on "?"


def bar_state(app) -> tuple[set[str], str]:  # type: ignore[no-untyped-def]
    bar = app.main.query_one(KeyBar)
    shown = {h.key.name for h in bar.query(KeyHint) if h.display}
    return shown, str(bar.query_one("#key-help", Static).render()).replace("\xa0", " ")


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_export_is_in_the_bar_at_120_columns(lang):
    app = demo_app(lang)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        shown, _ = bar_state(app)
        assert {"export", "todo", "help", "quit", "scan"} <= shown


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_at_80_columns_the_help_key_says_how_many_keys_it_lists(lang):
    app = demo_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown, help_label = bar_state(app)
        hidden = len(app.main.query_one(KeyBar).keys) - len(shown)
        assert hidden > 0 and "help" in shown
        word = "touches" if lang == "fr" else "keys"
        assert f"(+{hidden} {word})" in help_label
        bar = app.main.query_one(KeyBar)
        assert sum(h.text.cell_len + 1 for h in bar.query(KeyHint) if h.display) <= 80


async def test_the_help_key_is_plain_when_everything_fits():
    app = demo_app("en")
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        shown, help_label = bar_state(app)
        assert len(shown) == len(app.main.query_one(KeyBar).keys)
        assert "+" not in help_label


# ----- items 8 and 11: the accept dialog and accepted items in "what to do first"


async def test_a_date_that_does_not_exist_is_called_so():
    from clinicguard.tui.screens.accept import AcceptScreen

    app = demo_app("fr")
    async with app.run_test(size=(110, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.query_one(Checklist).select_id("network.firewall")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, AcceptScreen)
        app.screen.query_one("#accept-justification").value = "pare-feu du routeur"
        for typed, expected in (
            ("31/02/2027", "Le 31/02/2027 n'existe pas au calendrier"),
            ("2027-02-30", "Le 2027-02-30 n'existe pas au calendrier"),
            ("fin janvier", "écrivez-la sous la forme JJ/MM/AAAA"),
        ):
            app.screen.query_one("#accept-until").value = typed
            app.screen.save()
            await pilot.pause()
            shown = str(app.screen.query_one("#accept-status", Static).render()).replace("\xa0", " ")
            assert expected in shown, shown
            assert "JJ/MM/AAAA" not in shown or typed == "fin janvier"


@pytest.mark.parametrize("check_id", ["access.admin_rights", "backups.recent"])  # green, grey
async def test_no_accept_form_on_an_item_that_cannot_be_accepted(check_id):
    app = demo_app("fr")
    async with app.run_test(size=(110, 32), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.query_one(Checklist).select_id(check_id)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is app.main
        assert any("Seul un point rouge ou orange" in str(n.message) for n in app._notifications)


async def test_accepted_items_are_marked_in_what_to_do_first():
    from clinicguard.tui.screens.todo import TodoScreen

    app = demo_app("fr")
    async with app.run_test(size=(110, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.query_one(Checklist).select_id("network.firewall")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"routeur", "enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, TodoScreen)
        import html

        text = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "« Accepté »" in text and "Accepté jusqu'au" in text


# ----- items 9 and 10: states readable without colour, nothing cut at 80×24

from textual.geometry import Size  # noqa: E402

from clinicguard.tui.toggles import MarkedCheckbox, MarkedRadioButton  # noqa: E402


async def test_checkbox_and_radio_marks_say_their_state_without_colour(monkeypatch):
    from clinicguard.tui.screens.export import ExportScreen

    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        box = screen.query_one("#export-anonymize", MarkedCheckbox)
        assert box.BUTTON_INNER == " "
        box.value = True
        assert box.BUTTON_INNER == "X"
        marks = {b.id: b.BUTTON_INNER for b in screen.query(MarkedRadioButton)}
        assert marks == {
            "fmt-html": "●",
            "fmt-pdf": " ",
            "fmt-md": " ",
            "fmt-json": " ",
            "fmt-csv": " ",
            "fmt-fleet": " ",
        }


def fits(widget) -> bool:  # type: ignore[no-untyped-def]
    return widget.get_content_width(Size(0, 0), Size(0, 0)) <= widget.content_region.width


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_export_dialog_is_not_cut_at_80x24(lang):
    app = demo_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        for button in app.screen.query(MarkedRadioButton):
            assert fits(button), button.id
        assert fits(app.screen.query_one("#export-anonymize", MarkedCheckbox))


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_questionnaire_answers_never_break_inside_at_80x24(lang):
    from clinicguard.i18n import t
    from tests.tui.test_tui_app import plain

    app = demo_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        body = app.screen.query_one("#question-body", Static)
        from io import StringIO

        from rich.console import Console

        console = Console(width=body.content_region.width, file=StringIO(), record=True)
        console.print(body.content)
        lines = [line.replace("\xa0", " ") for line in console.export_text().splitlines()]
        for answer in ("yes", "partial", "no", "dont_know", "not_applicable"):
            label = t(f"questionnaire.answer.{answer}", lang)
            assert any(label in line for line in lines), (label, lines)
        assert plain  # the helper module stays importable


async def test_search_title_keeps_the_query_at_80_columns():
    app = demo_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("slash", *"pare-feu")
        await pilot.pause()
        title = app.main.query_one(Checklist).border_title.replace("\xa0", " ")
        assert title == "Affichage : recherche « pare-feu »"
        assert len(title) + 4 < 80
