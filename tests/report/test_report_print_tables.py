"""Printed HTML report: a table's header row never stays alone at a page bottom, and repeats on each page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clinicguard.report import build_view, render
from clinicguard.report.html import STYLE
from tests.support.reports_support import current, frozen_tz, previous

HOST = Path(__file__).parent.parent / "fixtures" / "hosts" / "windows11-fr-user.json"


@pytest.fixture(autouse=True)
def _tz(monkeypatch):
    frozen_tz(monkeypatch)


def test_print_rules_keep_header_rows_with_their_table():
    printed = STYLE.split("@media print", 1)[1]
    assert "thead { display: table-header-group; }" in printed
    assert re.search(r"thead tr, thead th \{[^}]*break-inside: avoid;[^}]*break-after: avoid;", printed)
    assert "tbody tr:first-child { break-before: avoid;" in printed
    assert re.search(r"h2:has\(\+ table\), h2:has\(\+ p \+ table\), p:has\(\+ table\) \{ break-after: avoid;", printed)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_data_table_has_its_header_row_in_thead(lang):
    html = render("html", build_view(current(), lang, previous=previous())).decode("utf-8")
    tables = re.findall(r"<table[^>]*>.*?</table>", html, flags=re.S)
    data = [tb for tb in tables if 'class="meta"' not in tb]
    assert len(data) >= 2  # themes and questionnaire at least
    for table in data:
        assert table.startswith("<table><thead><tr><th>") and "</tr></thead><tbody>" in table, table[:120]
        assert table.endswith("</tbody></table>")


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="needs a headless Chromium to print")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_printed_by_chromium_no_page_ends_on_the_questionnaire_header(tmp_path, lang):
    from pypdf import PdfReader

    from clinicguard.cli import main
    from clinicguard.i18n import t

    page = tmp_path / "r.html"
    assert main(["report", "--replay", str(HOST), "--format", "html", "--output", str(page), "--lang", lang]) == 0
    pdf = tmp_path / "r.pdf"
    subprocess.run(
        [
            str(_chromium()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.exists() and pdf.stat().st_size > 0
    header = " ".join(t(k, lang) for k in ("report.question", "report.answer", "report.answered_on"))
    title = t("report.answers_title", lang)
    seen = 0
    for number, sheet in enumerate(PdfReader(io.BytesIO(pdf.read_bytes())).pages, 1):
        lines = [line.strip() for line in sheet.extract_text().splitlines() if line.strip()]
        for i, line in enumerate(lines):
            if line.replace("\xa0", " ") == header.replace("\xa0", " "):
                seen += 1
                assert i + 1 < len(lines), f"page {number} ends on the table's header row"
            if line.replace("\xa0", " ") == title.replace("\xa0", " "):
                assert i + 2 < len(lines), f"page {number} ends on the questionnaire heading"
    assert seen >= 1
