"""The fleet view of the dashboard: pilot tests of every key, and snapshots at 80×24 in French and English."""

from __future__ import annotations

import json

import pytest

from clinicguard.fleet import establishment
from tests.support.fleet_tui_demo import demo_fleet_app, make_demo_fleet, utc


@pytest.fixture(autouse=True)
def _stable(monkeypatch, tmp_path):
    for name in ("TEXTUAL_THEME", "TEXTUAL_ANIMATIONS", "NO_COLOR", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TZ", "UTC")
    utc()


@pytest.fixture
def folder(tmp_path):
    return make_demo_fleet(tmp_path / "parc")


async def _loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _plain(screen) -> str:  # type: ignore[no-untyped-def]
    from rich.console import Console

    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(screen.body)
    return console.export_text()


def _labels(app):  # type: ignore[no-untyped-def]
    return [m.label for m in app.main.rows]


async def test_matrix_worst_first_and_cell_explained(folder):
    app = demo_fleet_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        reds = [m.red for m in app.main.rows]
        assert reds == sorted(reds, reverse=True) and len(reds) == 10
        table = app.main.query_one("#matrix")
        assert table.row_count == 10 and len(table.columns) == 2 + len(app.picture.items)
        await pilot.press("right", "right")
        text = str(app.main.query_one("#fleet-cell").render())
        assert app.main.rows[0].label in text and " : " in text


async def test_filters_theme_and_search(folder):
    app = demo_fleet_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("f", "f")  # all -> to act on -> red
        assert app.main.filters.colour == "red"
        assert all(m.red or any(c.status.value == "FAIL" for c in m.cells.values()) for m in app.main.rows)
        await pilot.press("escape")
        assert app.main.filters.colour == "all"
        await pilot.press("t")
        theme = app.main.filters.theme
        assert theme and all(app.catalogue.checks[c].theme == theme for c in app.main.columns)
        await pilot.press("escape", "slash", *"infirmerie")
        assert sorted(_labels(app)) == ["Infirmerie 1", "Infirmerie 2"]
        await pilot.press("enter", "escape")
        assert len(app.main.rows) == 10


async def test_machine_checklist_and_history_one_key_away(folder):
    app = demo_fleet_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        first = app.main.rows[0]
        await pilot.press("enter")
        await pilot.pause()
        from clinicguard.tui.fleet.screens import MachineScreen

        assert isinstance(app.screen, MachineScreen) and app.screen.machine is first
        header = str(app.screen.query_one("#machine-header").render())
        assert first.label in header and "Historique du poste" in header
        await pilot.press("escape")
        assert app.screen is app.main


async def test_actions_attention_help_and_language(folder):
    (folder / "abime.json").write_text("{")
    app = demo_fleet_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        await pilot.press("p")
        body = _plain(app.screen)
        assert "Que faire d'abord" in body and "sur 10 postes" in body
        await pilot.press("escape", "o")
        body = _plain(app.screen)
        assert "abime.json" in body and "illisible" in body and "version antérieure" in body
        await pilot.press("escape", "question_mark")
        assert "Score de l'établissement" in _plain(app.screen)
        await pilot.press("escape", "l")
        await _loaded(pilot)
        assert "verified" in str(app.main.query_one("#fleet-header").render())


async def test_accept_for_one_machine_then_fleet_wide(folder):
    app = demo_fleet_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        machine = next(m for m in app.main.rows if m.cells["updates.automatic"].status.value == "FAIL")
        row = app.main.rows.index(machine)
        col = app.main.columns.index("updates.automatic") + 2
        app.main.query_one("#matrix").move_cursor(row=row, column=col)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"Logiciel de soins certifie")
        await pilot.press("enter")
        await _loaded(pilot)
        saved = json.loads((folder / establishment.EXCEPTIONS_FILE).read_text())["exceptions"]
        assert list(saved) == [machine.machine_id]
        again = next(m for m in app.picture.machines if m.machine_id == machine.machine_id)
        assert again.cells["updates.automatic"].accepted


async def test_questionnaire_answers_apply_to_every_machine(folder):
    app = demo_fleet_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        await pilot.press("u")
        await pilot.pause()
        from clinicguard.tui.screens.questionnaire import QuestionnaireScreen

        assert isinstance(app.screen, QuestionnaireScreen)
        assert app.screen.store.path == folder / establishment.ANSWERS_FILE


async def test_report_written_from_the_view(folder, tmp_path):
    app = demo_fleet_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        await pilot.press("e")
        await pilot.pause()
        target = tmp_path / "parc.md"
        app.screen.query_one("#fleet-report-path").value = str(target)
        await pilot.click("#ffmt-md")
        await pilot.click("#fleet-report-write")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert target.exists() and "Que faire d'abord" in target.read_text()


async def test_empty_folder_says_what_to_do(tmp_path):
    app = demo_fleet_app(tmp_path / "vide")
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        assert "clinicguard check --save --to" in str(app.main.query_one("#fleet-cell").render())


def _then(*keys):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _loaded(pilot)
        if keys:
            await pilot.press(*keys)
            await pilot.pause()

    return run_before


@pytest.fixture
def snap_folder(tmp_path_factory):
    return make_demo_fleet(tmp_path_factory.mktemp("snap") / "parc")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_snapshot_matrix_80x24(snap_compare, snap_folder, lang):
    assert snap_compare(demo_fleet_app(snap_folder, lang), terminal_size=(80, 24), run_before=_then("right", "right"))


def test_snapshot_actions_80x24(snap_compare, snap_folder):
    assert snap_compare(demo_fleet_app(snap_folder, "fr"), terminal_size=(80, 24), run_before=_then("p"))


def test_snapshot_machine_80x24(snap_compare, snap_folder):
    assert snap_compare(demo_fleet_app(snap_folder, "en"), terminal_size=(80, 24), run_before=_then("enter"))


async def test_dashboard_export_choice_writes_a_visit_file(tmp_path, monkeypatch):
    from clinicguard.fleet.visit import read_visit
    from tests.support.fleet_support import machine_id
    from tests.support.tui_demo import demo_app

    monkeypatch.setattr("clinicguard.fleet.export.machine_identity", lambda host: machine_id(42))
    monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(tmp_path / "data"))
    app = demo_app("fr")
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#fmt-fleet")
        await pilot.pause()
        field = app.screen.query_one("#export-path")
        assert field.value.endswith("parc-clinicguard")
        field.value = str(tmp_path / "cle-usb")
        await pilot.click("#export-write")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    files = list((tmp_path / "cle-usb").iterdir())
    assert len(files) == 1 and read_visit(files[0]).machine_id == machine_id(42)
