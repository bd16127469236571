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
from tests.tui_demo import demo_app  # noqa: E402


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
