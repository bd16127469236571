"""Appearance of the dashboard on the fixed demo workstation (pytest-textual-snapshot).

Review changes with the generated snapshot_report.html, then update with
``python -m pytest tests/tui/test_tui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest

from tests.conftest import pinned_time_zone
from tests.support.tui_demo import demo_app


async def _scan_finished(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _then(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _scan_finished(pilot)
        if keys:
            await pilot.press(*keys)
            await pilot.pause()

    return run_before


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch):
    for name in ("TEXTUAL_THEME", "TEXTUAL_ANIMATIONS", "NO_COLOR", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    # The dashboard shows local time: the frozen clock reads the same on any machine.
    pinned_time_zone(monkeypatch, "UTC")


class TestMainScreen:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_main_screen(self, snap_compare, lang):
        assert snap_compare(demo_app(lang), terminal_size=(110, 32), run_before=_then())

    def test_grey_item_at_80x24(self, snap_compare):
        assert snap_compare(demo_app("fr"), terminal_size=(80, 24), run_before=_then("t"))

    def test_filtered_to_act_on(self, snap_compare):
        assert snap_compare(demo_app("fr"), terminal_size=(110, 32), run_before=_then("f"))


class TestOtherScreens:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_what_to_do_first(self, snap_compare, lang):
        assert snap_compare(demo_app(lang), terminal_size=(100, 28), run_before=_then("p"))

    def test_help(self, snap_compare):
        assert snap_compare(demo_app("fr"), terminal_size=(100, 40), run_before=_then("question_mark"))
