"""Rich text for rows, header and detail pane.

Texts come from the catalogue and the i18n files; they are appended as plain
text (never parsed as markup), so a bracket in a translation or in a command
output cannot break the display.
"""

from __future__ import annotations

import textwrap
from datetime import datetime

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.content import Content

from clinicguard.catalogue import Catalogue
from clinicguard.core.model import CheckResult, HostInfo, Reason, Status
from clinicguard.i18n import evidence_label, evidence_value, note_text, t
from clinicguard.present.dates import format_when
from clinicguard.present.safe import safe_line
from clinicguard.present.statuses import MARKS, label_width, marked_label, status_label
from clinicguard.present.wording import Wording, how_to_verify

# Amber is orange rather than yellow so it stays apart from green; every colour comes with its word.
COLOURS = {
    Status.PASS: "#4ec95b",
    Status.WARN: "#ff9f1a",
    Status.FAIL: "#ff5454",
    Status.UNKNOWN: "#a0a0a0",
    Status.NOT_APPLICABLE: "#808080",
}
STYLES = {s: Style(color=c, bold=s is not Status.NOT_APPLICABLE) for s, c in COLOURS.items()}
CONTENT_STYLES = {s: f"bold {c}" if s is not Status.NOT_APPLICABLE else c for s, c in COLOURS.items()}
HEADING = Style(bold=True, underline=True)
MUTED = Style(dim=True)


def badge(status: Status, lang: str, width: int = 0) -> Text:
    return Text(marked_label(status, lang).ljust(width), style=STYLES[status])


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, max(8, width)) or [""])
    return lines


def row(result: CheckResult, wording: Wording, width: int = 60) -> Content:
    """One checklist row: the light and its word, then the title and summary wrapped beside it.

    Wrapped here, to the list's width, so the text hangs under the title and the
    list can measure rows without laying out a table for each.
    """
    lang = wording.lang
    texts = wording.texts(result)
    gutter = label_width(lang) + 1
    room = width - gutter
    body: list[tuple[str, str]] = [(line, "bold") for line in _wrap(texts["title"], room)]
    if texts["summary"]:
        body += [(line, "dim") for line in _wrap(texts["summary"], room)]
    if result.accepted is not None:
        body += [(line, "italic") for line in _wrap(accepted_line(result, lang), room)]
    label = marked_label(result.status, lang)
    parts: list[str | tuple[str, str]] = []
    for n, (line, style) in enumerate(body):
        if n:
            parts.append("\n" + " " * gutter)
        else:
            parts += [(label, CONTENT_STYLES[result.status]), " " * (gutter - len(label))]
        parts.append((line, style))
    return Content.assemble(*parts)


def accepted_line(result: CheckResult, lang: str) -> str:
    acc = result.accepted
    if acc is None:
        return ""
    return "✓ " + t("tui.accepted_until", lang, expires_date=acc.expires, justification=safe_line(acc.justification))


def theme_heading(title: str, count: int) -> Text:
    return Text.assemble((title, "bold reverse"), (f"  ({count})", "bold"))


def flow(lines: list[list[Text]], width: int, sep: str = "  ·  ") -> Text:
    """Lay pieces out line by line, breaking only between pieces, never inside one."""
    out = Text()
    for n, pieces in enumerate(lines):
        if n:
            out.append("\n")
        used = 0
        for piece in pieces:
            if used and used + len(sep) + piece.cell_len > width:
                out.append("\n")
                used = 0
            elif used:
                out.append(sep)
                used += len(sep)
            out.append_text(piece)
            used += piece.cell_len
    return out


def header(
    *,
    lang: str,
    establishment: str,
    hostname: str,
    host: HostInfo | None,
    platform: str,
    when: datetime,
    results: list[CheckResult],
    score: tuple[int, int] | None,
    score_key: str,
    assessed: bool = False,
    width: int = 200,
) -> Text:
    """Who and when; then score, coverage and a count per colour."""
    os_text = t(f"tui.os.{platform}", lang)
    if host is not None and host.os_name:
        os_text = host.os_name
        if host.os_version and host.os_version not in host.os_name:
            os_text += f" {host.os_version}"
        os_text = safe_line(os_text)
    who = [
        Text(safe_line(establishment) or t("tui.no_establishment", lang), style="bold"),
        Text(t("tui.machine", lang, hostname=safe_line(hostname))),
        Text(os_text),
        Text(t("tui.assessed", lang, when=format_when(when, lang)) if assessed else format_when(when, lang)),
    ]
    if score is not None:
        figures = [
            Text.assemble(
                (t("tui.score", lang, score=score[0]), "bold"), " · ", t("tui.coverage", lang, coverage=score[1])
            )
        ]
    else:
        figures = [Text(t(score_key, lang), style="bold")]
    tally = dict.fromkeys(Status, 0)
    for r in results:
        tally[r.status] += 1
    for status in (Status.FAIL, Status.WARN, Status.UNKNOWN, Status.PASS):
        figures.append(Text(f"{MARKS[status]} {tally[status]} {status_label(status, lang)}", style=STYLES[status]))
    return flow([who, figures], width)


def progress_bar(done: int, total: int, width: int = 20) -> Text:
    filled = round(width * done / total) if total else 0
    return Text.assemble(("█" * filled, "bold"), ("░" * (width - filled), MUTED))


def _section(out: list[RenderableType], title: str) -> None:
    out.append(Text(""))
    out.append(Text(title, style=HEADING))


def detail(result: CheckResult | None, wording: Wording) -> RenderableType:
    """Everything about one item: observed, why, what to do on this system, sources; for grey, why and how."""
    lang, catalogue, platform = wording.lang, wording.catalogue, wording.platform
    if result is None:
        return Text(t("tui.detail.empty", lang), style=MUTED)
    spec = catalogue.checks.get(result.check_id)
    texts = wording.texts(result)
    out: list[RenderableType] = [
        Text.assemble(badge(result.status, lang), " ", (texts["title"], "bold")),
    ]
    if texts["summary"]:
        out.append(Text(texts["summary"]))
    if result.accepted is not None:
        out.append(Text(accepted_line(result, lang), style="italic"))
    if result.status is Status.UNKNOWN and result.reason is not None:
        reason_text = t(f"common.reason.{result.reason.value}", lang)
        if reason_text != texts["summary"] or result.detail:
            _section(out, t("tui.detail.not_verified", lang))
        if reason_text != texts["summary"]:
            out.append(Text(reason_text))
        if result.detail:
            detail = safe_line(note_text(result.detail, lang))
            out.append(Text(t("tui.detail.technical", lang, detail=detail), style=MUTED))
        _section(out, t("tui.detail.how_to_verify", lang))
        out.append(Text(how_to_verify(result, wording)))
        if result.reason in (Reason.NOT_ANSWERED, Reason.NOT_KNOWN):
            out.append(Text(t("tui.detail.questionnaire_key", lang), style="bold"))
    if result.evidence or result.status.verified:
        _section(out, t("tui.detail.observed", lang))
        if not result.evidence:
            out.append(Text(t("tui.detail.nothing_observed", lang), style=MUTED))
        sources = {ev.source for ev in result.evidence}
        shared = len(sources) == 1 and len(result.evidence) > 1
        for ev in result.evidence:
            line = Text("• ")
            line.append(safe_line(evidence_label(ev.label, lang)) + t("tui.colon", lang))
            line.append(safe_line(evidence_value(ev.value, lang, ev.label)), style="bold")
            if ev.source and not shared:
                line.append(f"  ({safe_line(ev.source)})", style=MUTED)
            out.append(line)
        if shared and result.evidence[0].source:
            out.append(Text(t("tui.detail.read_from", lang, source=safe_line(result.evidence[0].source)), style=MUTED))
    if texts["why"]:
        _section(out, t("tui.detail.why", lang))
        out.append(Text(texts["why"]))
    if texts["fix"]:
        os_name = t(f"tui.os.{platform}", lang)
        _section(out, t("tui.detail.fix", lang, os=os_name))
        out.append(Text(texts["fix"]))
    if spec is not None:
        facts = [t("tui.detail.weight", lang, weight=spec.weight)]
        if spec.needs_admin:
            facts.append(t("tui.detail.needs_admin", lang))
        out.append(Text(""))
        out.append(Text(" · ".join(facts), style=MUTED))
        references = _sources(spec.recommendations, spec.theme, catalogue, lang)
        if references:
            _section(out, t("tui.detail.sources", lang))
            out.extend(references)
    return RichGroup(*out)


def _sources(rec_ids: tuple[str, ...], theme: str, catalogue: Catalogue, lang: str) -> list[Text]:
    lines: list[Text] = []
    for rid in rec_ids:
        rec = catalogue.recommendations.get(rid)
        if rec is None:
            continue
        lines.append(Text(f"{rid} — {rec.title(lang)}", style="bold"))
        for src in rec.sources:
            line = Text(f"  {src.label}")
            if src.url:
                line.append("\n    ")
                line.append(src.url, style=Style(link=src.url, underline=True))
            lines.append(line)
    th = catalogue.themes.get(theme)
    if th is not None and th.link:
        line = Text(t("tui.detail.theme_link", lang) + t("tui.colon", lang))
        line.append(th.link, style=Style(link=th.link, underline=True))
        lines.append(line)
    return lines
