"""Markdown report: the same content as the HTML one, for e-mail or a wiki."""

from __future__ import annotations

import re

from clinicguard.core.model import Status
from clinicguard.present.changes import score_params
from clinicguard.present.safe import markdown_text
from clinicguard.present.statuses import MARKS as MARK
from clinicguard.report.content import PLAN_FIRST_PAGE, ReportView


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _m(text: object) -> str:
    """What came from the machine or a person: shown literally, never as Markdown or HTML."""
    return markdown_text(text)


# "<fichier>" in the catalogue's advice is a placeholder, but Markdown viewers take it for an HTML tag and hide it.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def _own(text: str) -> str:
    """The catalogue's own text: its Markdown is kept, only what would open an HTML tag is escaped."""
    return _TAG_OPEN.sub(r"\\<", text)


def _steps(text: str, indent: str = "") -> list[str]:
    """What to do, as Markdown that also reads as plain text: numbered steps stay a numbered list, other lines
    are paragraphs (never a code block). The catalogue's own text: see :func:`_own`."""
    out: list[str] = []
    was_step = False
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        is_step = bool(_STEP.match(line))
        if out and not (is_step and was_step):
            out.append("")
        out.append(indent + _own(line))
        was_step = is_step
    return out


_STEP = re.compile(r"\d+\. ")


def _b(status: Status, label: str) -> str:
    return f"{MARK[status]} {label}"


def render_markdown(v: ReportView) -> str:
    s = v.assessment.score
    c = s.counts
    md = [
        f"# {v.txt('report.title')}",
        "",
        f"*{_m(v.establishment) + ' — ' if v.establishment else ''}{v.txt('report.subtitle')}*",
        "",
    ]
    meta = [
        ("report.establishment", _m(v.establishment) or "—"),
        ("report.machine", _m(v.hostname) or "—"),
        ("report.system", _m(v.os)),
        ("report.user", _m(v.user) or "—"),
        ("report.date", v.when),
        ("report.tool", f"clinicguard {v.tool_version}"),
    ]
    md += [f"- **{v.txt(k)}**{v.colon} {val}" for k, val in meta]
    if v.anonymized:
        md += ["", f"> {v.txt('report.anon_note')}"]
    md += [
        "",
        f"**{v.txt('report.score')}**{v.colon} {v.txt('report.score_value', score=s.value)} · "
        f"**{v.txt('report.coverage')}**{v.colon} {s.coverage} % · "
        f"**{v.txt('report.next_due')}**{v.colon} {v.day(v.next_due)}",
        "",
        v.txt(
            "report.counts",
            fail=c.get("FAIL", 0),
            warn=c.get("WARN", 0),
            unknown=c.get("UNKNOWN", 0),
            ok=c.get("PASS", 0),
            na=c.get("NOT_APPLICABLE", 0),
        ),
        "",
        f"## {v.txt('report.plan_title')}",
        "",
        v.txt("report.plan_intro"),
        "",
    ]
    if not v.plan:
        md.append(v.txt("report.plan_empty"))
    for n, item in enumerate(v.plan, 1):
        md.append(f"{n}. **{_b(item.status, item.label)}** — {_m(item.title)} *({item.theme})*")
        if item.fix and n <= PLAN_FIRST_PAGE:
            # The whole action for the item's colour, indented under its number (a list inside the item).
            md += ["", *_steps(item.fix, indent="   "), ""]
    if v.grey_count:
        md += ["", f"*{MARK[Status.UNKNOWN]} {v.txt('report.plan_grey', count=v.grey_count)}*"]
    md += [
        "",
        f"## {v.txt('report.themes_title')}",
        "",
        f"| {v.txt('report.theme')} | {v.txt('report.status')} | "
        + " | ".join(_b(st, v.txt(f"status.{st.value}")) for st in Status)
        + " |",
        "|---|---|" + "---|" * len(Status),
    ]
    for th in v.themes:
        md.append(
            f"| {_cell(th.title)} | {_b(th.status, v.txt(f'status.{th.status.value}'))} | "
            + " | ".join(str(th.counts[st]) for st in Status)
            + " |"
        )

    md += ["", f"## {v.txt('report.changes_title')}", ""]
    if v.diff is None:
        md.append(v.txt("report.changes_none"))
    else:
        d = v.diff
        md.append(v.txt("report.changes_previous", when=v.previous_when) + " " + v.txt("diff.score", **score_params(d)))
        if d.empty:
            md += ["", v.txt("diff.nothing")]
        for group, changes in v.changes.items():
            if changes:
                md += ["", f"**{v.txt(f'diff.{group}', count=len(changes))}**", ""]
                md += [f"- {_m(ch.title)} ({ch.before} → {ch.after})" for ch in changes]

    md += ["", f"## {v.txt('report.exceptions_title')}", "", v.txt("report.exceptions_intro"), ""]
    if not v.accepted:
        md.append(v.txt("report.exceptions_empty"))
    else:
        md += [
            f"| {v.txt('report.item')} | {v.txt('report.status')} | {v.txt('report.justification')} | "
            f"{v.txt('report.accepted_on')} | {v.txt('report.expires')} |",
            "|---|---|---|---|---|",
        ]
        for i in v.accepted:
            assert i.accepted is not None
            md.append(
                f"| {_m(i.title)} | {_b(i.status, i.label)} | {_m(i.accepted.justification)} | "
                f"{v.day(i.accepted.accepted_on)} | {v.day(i.accepted.expires)} |"
            )

    md += ["", f"## {v.txt('report.answers_title')}", ""]
    if not any(a.answer for a in v.answers):
        md += [v.txt("report.answers_empty"), ""]
    md += [
        f"| {v.txt('report.question')} | {v.txt('report.answer')} | {v.txt('report.answered_on')} |",
        "|---|---|---|",
    ]
    for a in v.answers:
        word = v.txt(f"questionnaire.answer.{a.answer}") if a.answer else v.txt("report.not_answered")
        when = (v.day(a.answered_on) if a.answered_on else "") + (f" — {v.txt('report.stale')}" if a.stale else "")
        md.append(f"| {_m(a.question)} | {_b(a.status, word)} | {when} |")

    md += ["", f"## {v.txt('report.incident_title')}", ""]
    md += [f"- {v.txt(f'report.incident_{n}')}" for n in range(1, 6)]

    md += ["", f"## {v.txt('report.items_title')}"]
    for th in v.themes:
        md += ["", f"### {th.title}"]
        for item in th.items:
            acc = f" · ✓ {v.txt('report.accepted')}" if item.accepted else ""
            md += ["", f"#### {_b(item.status, item.label)}{acc} — {_m(item.title)}", "", _m(item.summary)]
            if item.accepted:
                md += [
                    "",
                    "*"
                    + v.txt(
                        "report.accepted_until",
                        expires_date=item.accepted.expires,
                        justification=_m(item.accepted.justification),
                    )
                    + "*",
                ]
            if item.reason:
                # A hard line break (two spaces) keeps the reason's advice and the check by hand apart.
                md += ["", f"*{v.txt('report.reason')}*{v.colon} " + item.reason.replace("\n", "  \n")]
            if item.evidence:
                md += ["", f"*{v.txt('report.evidence')}*{v.colon}", ""]
                md += [
                    f"- {_m(label)}{v.colon} {_m(value)}" + (f" ({_m(src)})" if src else "")
                    for label, value, src in item.evidence
                ]
            if item.status not in (Status.PASS, Status.NOT_APPLICABLE) or item.kind == "ask":
                md += [
                    "",
                    f"**{v.txt('report.why')}**{v.colon} {_own(item.why)}",
                    "",
                    f"**{v.txt('report.fix')}**{v.colon}",
                    "",
                    *_steps(item.fix),
                ]
            if item.sources:
                md += [
                    "",
                    f"*{v.txt('report.sources')}*{v.colon} "
                    + "; ".join(f"{label} <{url}>" if url else label for label, url in item.sources),
                ]

    md += [
        "",
        "---",
        "",
        f"**{v.txt('report.formula_title')}**{v.colon} {v.txt('report.formula')}",
        "",
        v.txt("report.signature"),
        "",
        f"*{v.txt('report.footer', version=v.tool_version)}*",
    ]
    return "\n".join(md) + "\n"
