"""Property tests: random strings in every untrusted field, through every renderer.

No exception escapes, and no control character, bidirectional override or
undecodable byte reaches a terminal output, a Markdown, CSV or HTML report or
the dashboard's texts. HTML and Markdown keep planted markup inert.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinicguard.catalogue import load_catalogue
from clinicguard.core.model import Acceptance, Assessment, CheckResult, Evidence, HostInfo, Status
from clinicguard.core.score import compute_score
from clinicguard.output.text import render_text
from clinicguard.present.safe import has_unsafe, markdown_text, safe_text
from clinicguard.records.questionnaire import Answer, answer_result
from clinicguard.report import build_view, render

CATALOGUE = load_catalogue()
WHEN = datetime.fromisoformat("2026-11-28T09:00:00+00:00")
# Anything a file name, a command output, a note or a recording can hold, undecodable bytes included.
ANY_CHAR = st.characters(exclude_categories=())
HOSTILE_PIECES = st.sampled_from(
    [
        "\x1b]0;x\x07",
        "\x1b[2J",
        "\n",
        "\r",
        "\u202e",
        "\x9b",
        "\udcff",
        "<img src=x>",
        "=cmd",
        "| # * _ [x](y)",
        "&amp;",
        "{user}",
        "\t",
        "\x00",
    ]
)
UNTRUSTED = st.lists(st.one_of(st.text(ANY_CHAR, max_size=12), HOSTILE_PIECES), max_size=5).map("".join)
# More examples on demand: CLINICGUARD_EXAMPLES=1000 python3 -m pytest tests/present/test_render_properties.py
SETTINGS = {
    "max_examples": int(os.environ.get("CLINICGUARD_EXAMPLES", "40")),
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
}


@st.composite
def assessments(draw, surrogates: bool = True):  # type: ignore[no-untyped-def]
    text = UNTRUSTED if surrogates else UNTRUSTED.map(lambda s: s.encode("utf-8", "replace").decode("utf-8"))
    host = HostInfo(draw(text), "windows", draw(text), draw(text), draw(text), draw(st.booleans()))
    acceptance = Acceptance(draw(text), date(2099, 1, 1), date(2026, 11, 1))
    results = [
        CheckResult(
            "access.autologin",
            Status.FAIL,
            "on",
            {"user": draw(text)},
            (Evidence(draw(text), draw(text), draw(text)),),
            accepted=acceptance,
        ),
        CheckResult(
            "malware.antivirus",
            Status.WARN,
            "signatures_aging",
            {"product": draw(text), "days": 9},
            (Evidence("product", draw(text), draw(text)),),
        ),
        CheckResult("network.remote_tools", Status.UNKNOWN, "common.reason.not_readable", {}, (), detail=draw(text)),
        CheckResult(
            draw(text) or "x",
            draw(st.sampled_from(list(Status))),
            draw(text),
            {"a": draw(text)},
            (Evidence(draw(text), draw(text), draw(text)),),
            detail=draw(text),
        ),
        answer_result(Answer("ask.offline_backup", "no", date(2026, 11, 1), draw(text)), date(2026, 11, 28)),
    ]
    weights = {cid: spec.weight for cid, spec in CATALOGUE.checks.items()}
    return Assessment(
        host=host,
        started_at=WHEN,
        finished_at=WHEN,
        tool_version="0.1.0",
        results=tuple(results),
        score=compute_score(results, weights),
    )


@given(UNTRUSTED, st.booleans())
def test_safe_text_leaves_nothing_a_terminal_obeys(value, multiline):
    shown = safe_text(value, multiline=multiline)
    assert not has_unsafe(shown, multiline=multiline)
    shown.encode("utf-8")  # printable on any UTF-8 terminal, undecodable bytes included
    if not has_unsafe(value, multiline=multiline) and len(value) <= 4000:
        assert shown == value  # ordinary text is shown as it is


@given(UNTRUSTED)
def test_markdown_text_is_one_literal_line(value):
    from markdown_it import MarkdownIt

    md = markdown_text(value)
    assert "\n" not in md and not has_unsafe(md) and "<" not in md
    html = MarkdownIt("commonmark").render("x " + md)
    assert html.count("<") == 2  # only <p> and </p>: no link, image, emphasis, code or raw HTML


@settings(**SETTINGS)
@given(assessments(), st.sampled_from(["fr", "en"]), st.booleans())
def test_terminal_text_is_safe(a, lang, verbose):
    out = render_text(a, lang, catalogue=CATALOGUE, verbose=verbose)
    assert not has_unsafe(out, multiline=True)
    out.encode("utf-8")


@settings(**SETTINGS)
@given(assessments(), st.sampled_from(["fr", "en"]), UNTRUSTED)
def test_reports_are_safe(a, lang, establishment):
    view = build_view(a, lang, settings={"establishment": {"name": establishment}}, catalogue=CATALOGUE)
    md = render("md", view).decode("utf-8")
    page = render("html", view).decode("utf-8")
    table = render("csv", view).decode("utf-8")
    for text in (md, page, table):
        assert not has_unsafe(text.replace("\r\n", "\n"), multiline=True)
    assert "<img" not in md and "<img" not in page
    for row in csv.reader(io.StringIO(table.lstrip("\ufeff")), delimiter=";" if lang == "fr" else ","):
        assert not [cell for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@settings(**SETTINGS)
@given(assessments(surrogates=False), st.sampled_from(["fr", "en"]))
def test_json_report_keeps_every_value(a, lang):
    doc = json.loads(render("json", build_view(a, lang, catalogue=CATALOGUE)))
    assert doc["host"]["hostname"] == a.host.hostname  # carried as it is, JSON escapes it


@settings(**SETTINGS)
@given(assessments(), st.sampled_from(["fr", "en"]))
def test_dashboard_texts_are_safe(a, lang):
    from rich.console import Console

    from clinicguard.present.wording import Wording
    from clinicguard.tui import render as tui

    wording = Wording(CATALOGUE, lang, "windows")
    for result in a.results:
        assert not has_unsafe(tui.row(result, wording).plain, multiline=True)
        buf = io.StringIO()
        Console(file=buf, width=80, color_system=None, force_terminal=False).print(tui.detail(result, wording))
        assert not has_unsafe(buf.getvalue(), multiline=True)
    head = tui.header(
        lang=lang,
        establishment=a.host.user,
        hostname=a.host.hostname,
        host=a.host,
        platform="windows",
        when=WHEN,
        results=list(a.results),
        score=(1, 2),
        score_key="",
    )
    assert not has_unsafe(head.plain, multiline=True)
