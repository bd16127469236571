"""Every automatic check says how to check it by hand when it is grey, on each of its systems, in French and
English, and the dashboard detail and the reports show that text for a grey item."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

import pytest
from rich.console import Console

from clinicguard.catalogue import load_catalogue
from clinicguard.core.model import HostInfo, Reason
from clinicguard.engine.runner import grey
from clinicguard.present.wording import Wording
from clinicguard.report import render
from clinicguard.report.content import build_view
from tests.support.reports_support import _assessment

CATALOGUE = load_catalogue()
AUTOMATIC = sorted(cid for cid, spec in CATALOGUE.checks.items() if spec.kind == "auto")
CASES = [(cid, platform) for cid in AUTOMATIC for platform in CATALOGUE.checks[cid].platforms]


def test_every_check_that_runs_on_a_machine_is_listed():
    assert len(AUTOMATIC) >= 20 and "network.smb1" in AUTOMATIC and "updates.reboot" in AUTOMATIC


@pytest.mark.parametrize(("check_id", "platform"), CASES)
def test_every_automatic_check_has_a_by_hand_text_for_each_of_its_systems(check_id, platform):
    spec = CATALOGUE.checks[check_id]
    texts = {lang: spec.texts[lang].get("verify", {}) for lang in ("fr", "en")}
    for lang, table in texts.items():
        # Written for this system, not the generic fallback, and long enough to name a window or a command.
        assert len(table.get(platform, "")) > 40, (check_id, lang, platform)
    assert texts["fr"][platform] != texts["en"][platform]


def _plain(renderable) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=140, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("platform", ["windows", "linux", "macos"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_grey_detail_in_the_dashboard_shows_how_to_check_by_hand(platform, lang):
    from clinicguard.tui import render as tui_render

    wording = Wording(CATALOGUE, lang, platform)
    for check_id in AUTOMATIC:
        spec = CATALOGUE.checks[check_id]
        if platform not in spec.platforms:
            continue
        text = " ".join(_plain(tui_render.detail(grey(check_id, Reason.NEEDS_ADMIN, "x"), wording)).split())
        by_hand = " ".join(spec.verify(lang, platform).split())
        assert by_hand[:60] in text, (check_id, lang, platform)


@pytest.mark.parametrize("fmt", ["html", "md", "pdf"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_grey_items_in_the_reports_show_how_to_check_by_hand(fmt, lang):
    host = HostInfo("POSTE-SOINS-2", "linux", "Debian GNU/Linux 12", "12", "mdupont", False)
    checks = ["network.firewall", "access.screen_lock", "backups.backup"]
    assessment = replace(
        _assessment(
            [grey(cid, Reason.NOT_READABLE, "x") for cid in checks], datetime.fromisoformat("2026-11-28T09:00:00+00:00")
        ),
        host=host,
    )
    view = build_view(assessment, lang, catalogue=CATALOGUE)
    data = render(fmt, view)
    if fmt == "pdf":
        from pypdf import PdfReader

        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    else:
        text = data.decode("utf-8")
        if fmt == "html":
            import html

            text = html.unescape(text)
    text = " ".join(text.split())
    for cid in checks:
        words = CATALOGUE.checks[cid].verify(lang, "linux").split()[:5]
        assert " ".join(words) in text, (fmt, lang, cid)
