"""Reports for the director: the action that fits each item's colour, Markdown that reads as text and renders."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from clinicguard.core.model import CheckResult, Status
from clinicguard.report import build_view, render
from tests.support.paths import FIXTURES
from tests.support.reports_support import _assessment, current, frozen_tz


@pytest.fixture(autouse=True)
def _tz(monkeypatch):
    frozen_tz(monkeypatch)


def infostealer(status: Status) -> CheckResult:
    key = {Status.FAIL: "strong", Status.WARN: "weak"}[status]
    return CheckResult("malware.infostealer", status, key, {"count": 2}, ())


def plan_text(status: Status, fmt: str, lang: str = "fr") -> str:
    a = current()
    a = _assessment([infostealer(status), *a.results], a.finished_at)
    return render(fmt, build_view(a, lang)).decode("utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_red_infostealer_item_gets_its_whole_red_action_in_the_plan(fmt):
    plan = plan_text(Status.FAIL, fmt).split("Synthèse par thème")[0]
    assert "Débranchez le câble réseau" in plan and "CNIL sous 72 heures" in plan  # steps 1 and 5
    assert "Si le résultat est rouge" not in plan and "faux positifs" not in plan


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_amber_infostealer_item_gets_the_amber_action(fmt):
    plan = plan_text(Status.WARN, fmt).split("Synthèse par thème")[0]
    assert "faux positifs" in plan and "Microsoft Defender hors ligne" in plan
    assert "Débranchez le câble réseau" not in plan


def test_the_pdf_plan_holds_the_whole_action():
    import io

    from pypdf import PdfReader

    a = current()
    a = _assessment([infostealer(Status.FAIL), *a.results], a.finished_at)
    reader = PdfReader(io.BytesIO(render("pdf", build_view(a, "fr"))))
    first = reader.pages[0].extract_text() + reader.pages[1].extract_text()
    assert "Débranchez" in first and "72 heures" in first


def test_a_grey_item_still_shows_both_colours_actions():
    from clinicguard.catalogue import load_catalogue

    spec = load_catalogue().checks["malware.infostealer"]
    text = spec.fix("fr", "windows", Status.UNKNOWN)
    assert text.startswith("Si le résultat est rouge") and "Si le résultat est orange" in text


# ----- item 17: Markdown


def markdown_report(lang: str = "fr") -> str:
    from tests.support.reports_support import previous

    return render("md", build_view(current(), lang, previous=previous())).decode("utf-8")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markdown_renders_without_code_blocks_and_with_real_lists(lang):
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown_report(lang))
    kinds = {tok.type for tok in tokens}
    assert "code_block" not in kinds and "fence" not in kinds  # "what to do" is text, not code
    assert "ordered_list_open" in kinds and "table_open" in kinds and "heading_open" in kinds
    html = MarkdownIt("commonmark").enable("table").render(markdown_report(lang))
    assert (
        "<li>Longueur minimale : net accounts /minpwlen:12</li>" in html.replace("\xa0", " ")
        or "<li>Minimum length: net accounts /minpwlen:12</li>" in html
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markdown_reads_as_plain_text(lang):
    text = markdown_report(lang)
    lines = text.splitlines()
    assert not [line for line in lines if line.startswith("    ")]  # no indented code
    assert "<br>" not in text and "<div" not in text and "&nbsp;" not in text
    # A long line is a paragraph or a table row, never a heading followed by nothing.
    headings = [i for i, line in enumerate(lines) if line.startswith("#")]
    assert all(lines[i + 1] == "" for i in headings if i + 1 < len(lines))


def test_grey_reason_and_check_by_hand_are_two_lines_in_markdown():
    text = markdown_report("fr")
    assert "pour vérifier ce point.  \nExplorateur de fichiers" in text


# ----- item 16: printing


def test_html_has_a_print_stylesheet_that_keeps_headings_with_their_text():
    from clinicguard.report.html import STYLE

    printed = STYLE.split("@media print", 1)[1]
    assert "break-after: avoid" in printed and "orphans" in printed and "widows" in printed
    assert ".item { break-inside: auto" in printed  # long items run on instead of leaving half a page blank
    assert "@page { size: A4" in STYLE


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_pdf_page_ends_on_a_heading(tmp_path, lang):
    import io

    from pypdf import PdfReader

    from clinicguard.catalogue import load_catalogue
    from clinicguard.cli import main
    from clinicguard.i18n import t

    host = FIXTURES / "hosts" / "windows11-fr-user.json"
    out = tmp_path / "r.pdf"
    assert main(["report", "--replay", str(host), "--format", "pdf", "--output", str(out), "--lang", lang]) == 0
    themes = {th.title(lang) for th in load_catalogue().themes.values()}
    headings = {t("report.why", lang), t("report.fix", lang)} | themes
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) > 5
    for number, page in enumerate(reader.pages[:-1], 1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(t("report.footer", lang, version="")[:20])]
        assert body[-1] not in headings, (number, body[-1])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_item_labels_stay_with_their_text_on_paper(lang):
    # "Que faire" / "Constats" are paragraphs, not headings: without their own rule Chromium printed
    # "Que faire" alone at the bottom of a page and its steps on the next one.
    import re

    from clinicguard.i18n import t
    from clinicguard.report.html import STYLE

    printed = STYLE.split("@media print", 1)[1]
    assert re.search(r"\.label[^{}]*\{[^}]*break-after: avoid", printed)
    html = plan_text(Status.FAIL, "html", lang)
    for key in ("report.fix", "report.evidence"):
        labels = re.findall(rf'<p( class="[^"]*")?><strong>{re.escape(t(key, lang))}</strong></p>', html)
        assert labels and all("label" in cls for cls in labels), (key, labels[:3])


@pytest.mark.parametrize(("lang", "placeholder"), [("fr", "&lt;fichier&gt;"), ("en", "&lt;file&gt;")])
def test_a_placeholder_in_the_advice_stays_visible_in_rendered_markdown(lang, placeholder):
    # 'ssh-keygen -p -f <fichier>' in the catalogue: a Markdown viewer took <fichier> for an HTML tag and hid it.
    exposed = CheckResult("malware.exposure", Status.FAIL, "high", {"count": 2}, ())
    a = current()
    md = render("md", build_view(_assessment([exposed, *a.results], a.finished_at), lang)).decode("utf-8")
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert f"ssh-keygen -p -f {placeholder}" in html
