"""Write SVG screenshots of every dashboard screen, in French and English, to screenshots/.

Run from the repository root: ``python scripts/export_screenshots.py``.
Everything shown comes from the fictitious workstation of
``tests/fixtures/tui/demo.toml`` with a frozen clock; history, answers and
accepted items live in a throw-away folder.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
SIZE = (110, 32)


def _isolate() -> None:
    base = Path(tempfile.mkdtemp(prefix="clinicguard-shots-"))
    os.environ.update(
        {
            "CLINICGUARD_DATA_DIR": str(base / "data"),
            "CLINICGUARD_CONFIG": str(base / "config.toml"),
            "CLINICGUARD_LOG": str(base / "clinicguard.log"),
            "CLINICGUARD_CACHE_DIR": str(base / "cache"),
            "HOME": "/home/benevole",
            "TZ": "UTC",
        }
    )
    for name in ("NO_COLOR", "TEXTUAL_THEME", "TEXTUAL_ANIMATIONS"):
        os.environ.pop(name, None)
    if hasattr(time, "tzset"):
        time.tzset()


def _seed_history() -> None:
    """Three earlier runs so the history screen has a trend and a comparison."""
    from clinicguard.core.model import Status
    from clinicguard.core.score import compute_score
    from clinicguard.records.history import open_history
    from tests.support.tui_demo import FROZEN, FakeAssessment, load_demo

    catalogue, results, host, _ = load_demo()
    weights = {cid: s.weight for cid, s in catalogue.checks.items()}
    with open_history() as history:
        for months, worse in ((6, 3), (3, 1), (0, 0)):
            when = FROZEN - timedelta(days=30 * months)
            runs = [replace(r, status=Status.FAIL) if i < worse else r for i, r in enumerate(results)]
            outcome = FakeAssessment(runs, host, catalogue)(lambda p: None, __import__("threading").Event())
            assessment = getattr(outcome, "assessment", outcome)  # a scan outcome carries its assessment
            history.save(replace(assessment, started_at=when, finished_at=when, score=compute_score(runs, weights)))


async def _shot(
    name: str, lang: str, keys: tuple[str, ...] = (), size: tuple[int, int] = SIZE, select: str | None = None
) -> None:
    from tests.support.tui_demo import demo_app

    app = demo_app(lang)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if select:
            from clinicguard.tui.widgets import Checklist

            app.main.query_one(Checklist).select_id(select)
            await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.1)
        await pilot.pause(0.2)
        app.save_screenshot(filename=f"{name}-{lang}.svg", path=str(OUT))


SHOTS: list[tuple[str, dict]] = [
    ("main", {}),
    ("detail-grey", {"select": "backups.recent"}),
    ("small-80x24", {"size": (80, 24), "select": "network.firewall"}),
    ("filter", {"keys": ("f",)}),
    ("search", {"keys": ("slash", *"pare-feu")}),
    ("todo", {"keys": ("p",)}),
    ("help", {"keys": ("question_mark",), "size": (110, 44)}),
    ("questionnaire", {"keys": ("u",)}),
    ("history", {"keys": ("h",)}),
    ("export", {"keys": ("e",)}),
    ("accept", {"keys": ("x",), "select": "network.firewall"}),
    ("password-test", {"keys": ("m",)}),
]


# The fleet view (clinicguard fleet DIR) on the fictitious establishment of tests/support/fleet_tui_demo.py.
FLEET_SHOTS: list[tuple[str, tuple[str, ...], tuple[int, int]]] = [
    ("fleet", ("right", "right"), SIZE),
    ("fleet-80x24", ("right", "right", "right"), (80, 24)),
    ("fleet-actions", ("p",), SIZE),
    ("fleet-machine", ("enter",), SIZE),
    ("fleet-attention", ("o",), SIZE),
]


async def _fleet_shot(folder: Path, name: str, lang: str, keys: tuple[str, ...], size: tuple[int, int]) -> None:
    from tests.support.fleet_tui_demo import demo_fleet_app

    app = demo_fleet_app(folder, lang)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.1)
        await pilot.pause(0.2)
        app.save_screenshot(filename=f"{name}-{lang}.svg", path=str(OUT))


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, options in SHOTS:
        for lang in ("fr", "en"):
            await _shot(name, lang, **options)
            print(f"screenshots/{name}-{lang}.svg")
    from tests.support.fleet_tui_demo import make_demo_fleet

    folder = make_demo_fleet(Path(tempfile.mkdtemp(prefix="clinicguard-shots-fleet-")) / "parc")
    for name, keys, size in FLEET_SHOTS:
        for lang in ("fr", "en"):
            await _fleet_shot(folder, name, lang, keys, size)
            print(f"screenshots/{name}-{lang}.svg")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    _isolate()
    _seed_history()
    asyncio.run(main())
