"""« Accepté » and "mot :" never split across lines on the dashboard (UAX #14: no break at a no-break space)."""

from __future__ import annotations

import re

import pytest
from rich.console import Console
from rich.text import Text

from clinicguard.tui.linebreaks import keep_no_break_spaces
from clinicguard.tui.widgets import Checklist
from tests.support.tui_demo import demo_app

NBSP = "\u00a0"


def _lines(renderable: object, width: int) -> list[str]:
    keep_no_break_spaces()
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text().splitlines()


@pytest.mark.parametrize("width", range(16, 40))
def test_rich_never_breaks_at_a_no_break_space(width):
    text = Text(f"Point choisi{NBSP}: réseau «{NBSP}Accepté{NBSP}» jusqu'au 01/02/2027\u202f; Systèmes{NBSP}: windows")
    lines = _lines(text, width)
    assert all(not line.rstrip().endswith(("«", "Systèmes")) for line in lines), lines
    assert all(not line.lstrip().startswith(("»", ":", "Accepté")) for line in lines), lines
    assert sum("Accepté" in line and "«" in line and "»" in line for line in lines) == 1


def test_breakable_spaces_still_break():
    assert [line.rstrip() for line in _lines(Text("un deux trois quatre"), 10)] == ["un deux", "trois", "quatre"]


def _screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


# At 71 to 73 columns the demo's accepted item put "»." at the start of a line before the fix.
@pytest.mark.parametrize("width", [72, 80])
async def test_accepted_is_one_unit_in_what_to_do_first_at_80_columns(width):
    app = demo_app("fr")
    async with app.run_test(size=(width, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.query_one(Checklist).select_id("network.firewall")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"routeur", "enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        lines = _screen_lines(app)
        screen = "\n".join(lines)
        assert re.search(f"«{NBSP}Accepté{NBSP}»", screen), screen
        for line in lines:
            body = line.strip(" │┃║▎▊")
            assert not body.endswith("«") and not body.startswith("»"), line


# ----- "Par où commencer" fits the status line at 80 columns


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [80, 100, 140])
async def test_where_to_start_is_never_cut(lang, width):
    from textual.widgets import Static

    app = demo_app(lang)
    async with app.run_test(size=(width, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.main.query_one("#status", Static)
        first_line = str(status.render()).splitlines()[0]
        assert "…" not in first_line, first_line
        assert len(first_line) <= status.content_region.width, first_line
        assert ("touche p" if lang == "fr" else "key p") in first_line.replace(NBSP, " ")
        assert ("Règles de mot de passe du poste" if lang == "fr" else "Password rules") in first_line
        if width >= 140:  # room for the whole sentence, status included
            assert ("Critique" if lang == "fr" else "Critical") in first_line
        screen = "\n".join(_screen_lines(app))
        assert first_line.strip() in screen
