"""Untrusted text never reaches the terminal raw: check, check -v, history, accept --list, diff, dashboard."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

from rich.console import Console

from clinicguard.catalogue import load_catalogue
from clinicguard.cli import main
from clinicguard.core.model import Acceptance, CheckResult, Evidence, HostInfo, Status
from clinicguard.output.text import render_text
from clinicguard.present.safe import has_unsafe, safe_text
from clinicguard.records.history import open_history
from tests.support.reports_support import current, previous

# Retitles the terminal, clears it, fakes a new line, reverses the text, a C1 CSI, an undecodable byte.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\nFAKE LINE\u202eexe.txt\x9b31m\udcff"


def hostile_assessment(hostile: str = HOSTILE):
    a = current()
    host = HostInfo(hostile, "windows", "Windows " + hostile, "23H2" + hostile, "mdupont" + hostile, False)
    results = list(a.results)
    results[0] = replace(
        results[0],
        evidence=(Evidence("min_length", hostile, hostile),),
        accepted=Acceptance(hostile, date(2099, 1, 1), date(2026, 11, 28)),
    )
    results.append(
        CheckResult("no.such" + hostile, Status.UNKNOWN, "common.reason.not_readable", {}, (), detail=hostile)
    )
    return replace(a, host=host, results=tuple(results))


def assert_terminal_safe(text: str) -> None:
    assert not has_unsafe(text, multiline=True), repr(text)
    assert not any(line.startswith("FAKE LINE") for line in text.splitlines())


def test_safe_text_shows_controls_visibly():
    assert safe_text("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert safe_text("x\ny") == "x\\ny"
    assert safe_text("x\ny", multiline=True) == "x\ny"
    assert safe_text("\u202egpj.exe") == "\\u202egpj.exe"
    assert safe_text("crack_\udcff.exe") == "crack_\\xff.exe"
    assert safe_text("\x85\x9b\x07\x7f") == "\\x85\\x9b\\x07\\x7f"
    assert safe_text("C:\\Users\\Zoé — ok") == "C:\\Users\\Zoé — ok"
    assert safe_text("x" * 10, limit=4) == "xxxx… (+6)"


def test_check_text_and_verbose_escape_every_untrusted_field():
    for verbose in (False, True):
        out = render_text(hostile_assessment(), "fr", verbose=verbose)
        assert_terminal_safe(out)
        assert "\\x1b]0;pwned\\x07" in out


def test_check_of_a_recording_with_a_hostile_host_name(tmp_path, capsys):
    rec = tmp_path / "host.json"
    rec.write_text(
        json.dumps(
            {
                "format": "clinicguard-host",
                "version": 1,
                "platform": "linux",
                "hostname": "pc\x1b]0;pwned\x07\nFAKE",
                "now": "2026-11-28T09:00:00+00:00",
                "user": {"name": "alice\x1b[2J", "uid": 1000, "groups": [], "home": "/home/alice", "is_admin": False},
            }
        )
    )
    main(["check", "--replay", str(rec), "--lang", "en", "-v"])
    captured = capsys.readouterr()
    assert_terminal_safe(captured.out)
    assert_terminal_safe(captured.err)
    assert "pc\\x1b]0;pwned\\x07\\nFAKE" in captured.out and "alice\\x1b[2J" in captured.out


def test_history_diff_and_accept_list_escape(capsys):
    # Undecodable bytes in a saved document are the business of the history's own tests.
    with open_history() as h:
        h.save(previous())
        h.save(hostile_assessment(HOSTILE.replace("\udcff", "")))
    assert main(["history", "--lang", "fr"]) == 0
    assert main(["diff", "--lang", "en"]) == 0
    assert (
        main(["accept", "access.password_policy", "--reason", HOSTILE.replace("\udcff", ""), "--until", "2099-01-31"])
        == 0
    )
    assert main(["accept", "--list", "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert_terminal_safe(captured.out)
    assert "\\x1b]0;pwned" in captured.out


def test_error_messages_escape_file_names(capsys):
    assert main(["check", "--replay", "/nonexistent/\x1b[2J\x1b]0;x\x07.json"]) == 2
    assert_terminal_safe(capsys.readouterr().err)


def _plain(renderable) -> str:
    buf = io.StringIO()
    Console(file=buf, width=100, color_system=None, force_terminal=False, legacy_windows=False).print(renderable)
    return buf.getvalue()


def test_dashboard_render_functions_escape():
    from clinicguard.present.wording import Wording
    from clinicguard.tui import render

    a = hostile_assessment()
    wording = Wording(load_catalogue(), "fr", "windows")
    for result in a.results:
        assert not has_unsafe(render.row(result, wording).plain, multiline=True)
        assert_terminal_safe(_plain(render.detail(result, wording)))
    head = render.header(
        lang="fr",
        establishment=HOSTILE,
        hostname=HOSTILE,
        host=a.host,
        platform="windows",
        when=a.finished_at,
        results=list(a.results),
        score=(50, 60),
        score_key="",
    )
    assert not has_unsafe(head.plain, multiline=True)


# --- Reports ---------------------------------------------------------------------------------------------------

PLANTED = "<img src=x onerror=alert(1)>"


def planted_view(lang: str = "fr", planted: str = PLANTED):
    from clinicguard.report import build_view

    a = hostile_assessment(planted + HOSTILE.replace("\udcff", ""))
    return build_view(a, lang, settings={"establishment": {"name": planted}}, previous=previous())


def test_markdown_report_keeps_planted_html_and_markup_inert():
    from markdown_it import MarkdownIt

    from clinicguard.report.markdown import render_markdown

    md = render_markdown(planted_view())
    assert PLANTED not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert not has_unsafe(md, multiline=True)
    html = MarkdownIt("commonmark").render(md)
    assert "<img" not in html and "onerror=alert(1)&gt;" in html


def test_markdown_report_fields_cannot_open_headings_lists_or_links():
    from clinicguard.present.safe import markdown_text

    for hostile, shown in [
        ("# Tout va bien", "\\# Tout va bien"),
        ("1. faux", "1\\. faux"),
        ("[clic](https://evil.example)", "\\[clic\\](https://evil.example)"),
        ("a | b", "a \\| b"),
        ("**gras**", "\\*\\*gras\\*\\*"),
        ("x\n# y", "x\\\\n# y"),
    ]:
        assert markdown_text(hostile) == shown


def test_csv_report_neutralises_formulas():
    import csv

    from clinicguard.report.tabular import render_csv

    for planted in ('=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"):
        view = planted_view("en", planted)
        rows = list(csv.reader(io.StringIO(render_csv(view).lstrip("\ufeff"))))
        cells = [cell for row in rows for cell in row]
        assert cells and not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), planted
        assert not any(has_unsafe(c, multiline=True) for c in cells)
        justification = rows[1 + [r[0] for r in rows[1:]].index("access.password_policy")][4]
        # A tab or CR is already shown as "\t"/"\r" text; a formula keeps its text behind a quote.
        assert justification.startswith(
            "'" + planted if planted[0] in "=+-@" else planted.replace("\t", "\\t").replace("\r", "\\r")
        )


def test_html_report_escapes_planted_markup_and_controls():
    from clinicguard.report.html import render_html

    page = render_html(planted_view())
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not has_unsafe(page, multiline=True)
