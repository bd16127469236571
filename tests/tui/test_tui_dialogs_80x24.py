"""At 80×24, the smallest usual terminal, every dialog shows its buttons without scrolling: they lie inside the
screen and inside the dialog's visible area, and the dialog has nothing hidden below them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Button

from clinicguard.core.model import Acceptance, Status
from clinicguard.records.acceptance import ExceptionStore
from clinicguard.tui.screens.accept import AcceptScreen
from clinicguard.tui.screens.export import ExportScreen
from tests.support.reports_support import current, frozen_tz, previous
from tests.tui.test_report_screens import Host

SIZE = (80, 24)
TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _tz(monkeypatch):
    frozen_tz(monkeypatch)


def assert_buttons_visible(app: Host, dialog_id: str) -> None:
    screen = app.screen
    dialog = screen.query_one(f"#{dialog_id}")
    visible: Region = dialog.content_region.intersection(screen.region)
    buttons = list(screen.query(Button))
    assert buttons
    for button in buttons:
        assert button.region.height >= 1 and visible.contains_region(button.region), (button.id, button.region, visible)
    assert dialog.scroll_y == 0


def export_screen(lang: str, fleet: bool, folder: Path) -> ExportScreen:
    return ExportScreen(
        current(),
        lang,
        settings={"establishment": {"name": "EHPAD Les Tilleuls"}},
        previous=previous(),
        folder=folder,
        fleet_export=(lambda p: p) if fleet else None,
    )


@pytest.mark.parametrize("fleet", [False, True], ids=["report", "with-fleet"])
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_export_dialog_fits_80x24_with_its_buttons_in_view(tmp_path, lang, fleet):
    app = Host(export_screen(lang, fleet, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen.query_one("#export")
        assert dialog.max_scroll_y == 0  # nothing to scroll to: the whole dialog is in view
        assert_buttons_visible(app, "export")
        # Moving through the fields does not grow the dialog nor push the buttons out of view.
        for _ in range(4):
            await pilot.press("tab")
        await pilot.pause()
        assert_buttons_visible(app, "export")
        assert app.screen.query_one("#export-anonymize").region.height == 1
        # After writing, the message and the buttons are both in view.
        await pilot.click("#export-write")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_buttons_visible(app, "export")
        status = app.screen.query_one("#export-status")
        assert status.region.height >= 1 and dialog.content_region.contains_region(status.region)


@pytest.mark.parametrize("accepted", [False, True], ids=["new", "already-accepted"])
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_accept_dialog_fits_80x24_with_its_buttons_in_view(lang, accepted):
    store = ExceptionStore()
    if accepted:
        store.items["access.password_policy"] = Acceptance("Logiciel métier exigeant", date(2027, 1, 31), TODAY)
    title = "Règles de mot de passe du poste : longueur minimale, complexité et verrouillage"
    app = Host(AcceptScreen("access.password_policy", title, Status.FAIL, store, lang, TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_buttons_visible(app, "accept")
        app.screen.query_one("#accept-justification").value = ""  # refused: the error line shows under the buttons
        await pilot.pause(0.3)
        await pilot.click("#accept-save")
        await pilot.pause()
        assert_buttons_visible(app, "accept")
        status = app.screen.query_one("#accept-status")
        assert status.region.height >= 1 and app.screen.region.contains_region(status.region)


@pytest.mark.parametrize("online", [False, True], ids=["offline", "online"])
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_password_test_dialog_fits_80x24_with_its_field_in_view(lang, online):
    from clinicguard.online.password_test import PasswordTester
    from tests.online.test_online_tui_password import Host as PasswordHost

    app = PasswordHost(PasswordTester(online=online), lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#pw-box")
        field = app.screen.query_one("#pw-input")
        assert box.max_scroll_y == 0
        assert field.has_focus and box.content_region.contains_region(field.region)
