"""The fleet report in Markdown, for e-mail or a wiki: the same content as the HTML one."""

from __future__ import annotations

from clinicguard.core.model import Status
from clinicguard.fleet.report.content import TOP_ACTIONS, FleetReportView
from clinicguard.fleet.report.html import answer_word, local_summary
from clinicguard.present.safe import markdown_text as md_text
from clinicguard.report.html import MARK


def _b(status: Status, label: str) -> str:
    return f"{MARK[status]} {label}"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def render_markdown(v: FleetReportView) -> str:
    p = v.picture
    c = p.counts
    out = [
        f"# {v.txt('fleet.title')}",
        "",
        f"*{md_text(v.establishment) + ' — ' if v.establishment else ''}{v.txt('report.subtitle')}*",
        "",
        f"- **{v.txt('report.date')}**{v.colon} {v.day(v.today)}",
        f"- **{v.txt('fleet.machines')}**{v.colon} {v.txt('fleet.machines_count', count=v.total)}",
        f"- **{v.txt('report.tool')}**{v.colon} clinicguard {v.tool_version}",
    ]
    if v.anonymized:
        out += ["", f"> {v.txt('fleet.anon_note')}"]
    out += [
        "",
        f"**{v.txt('fleet.score')}**{v.colon} {v.txt('report.score_value', score=p.score)} · "
        f"**{v.txt('fleet.coverage')}**{v.colon} {p.coverage} % · "
        f"**{v.txt('fleet.red_machines_title')}**{v.colon} {len(v.red_machines)}",
        "",
        v.txt(
            "report.counts",
            fail=c.get(Status.FAIL, 0),
            warn=c.get(Status.WARN, 0),
            unknown=c.get(Status.UNKNOWN, 0),
            ok=c.get(Status.PASS, 0),
            na=c.get(Status.NOT_APPLICABLE, 0),
        ),
        "",
        f"## {v.txt('fleet.actions_title')}",
        "",
        v.txt("fleet.actions_intro"),
        "",
    ]
    if not v.actions:
        out.append(v.txt("fleet.actions_empty"))
    for n, a in enumerate(v.actions, 1):
        out.append(f"{n}. **{_b(a.status, v.txt(f'status.{a.status.value}'))}** — {md_text(v.action_text(a))}")
        if n <= TOP_ACTIONS and not a.establishment:
            out.append(f"   {', '.join(md_text(name) for name in v.action_machines(a))}")
    out += ["", f"## {v.txt('fleet.red_machines_title')}", ""]
    if not v.red_machines:
        out.append(v.txt("fleet.red_machines_empty"))
    else:
        out += [
            _row(v.txt("fleet.machine"), v.txt("fleet.site"), v.txt("fleet.red"), v.txt("report.item")),
            "|---|---|---:|---|",
        ]
        out += [_row(md_text(m.label), md_text(m.site), m.red, md_text(", ".join(m.reds))) for m in v.red_machines]

    out += [
        "",
        f"## {v.txt('fleet.themes_title')}",
        "",
        _row(
            v.txt("report.theme"),
            v.txt("fleet.status_worst"),
            v.txt("report.score"),
            v.txt("fleet.coverage"),
            *(_b(st, v.txt(f"status.{st.value}")) for st in Status),
        ),
        "|---|---|---:|---:|" + "---:|" * len(Status),
    ]
    out += [
        _row(
            md_text(th.title),
            _b(th.status, v.txt(f"status.{th.status.value}")),
            f"{th.score}/100",
            f"{th.coverage} %",
            *(th.counts.get(st, 0) for st in Status),
        )
        for th in v.themes
    ]
    out += ["", f"### {v.txt('fleet.trend_title')}", ""]
    if len(v.trend) < 2:
        out += [v.txt("fleet.trend_empty"), ""]
    if v.trend:
        ids = [th.id for th in v.themes]
        out += [
            _row(
                v.txt("report.date"),
                v.txt("report.score"),
                v.txt("fleet.coverage"),
                v.txt("fleet.machines"),
                *(md_text(v.theme_titles[i]) for i in ids),
            ),
            "|---|" + "---:|" * (3 + len(ids)),
        ]
        out += [
            _row(
                pt.month.strftime("%m/%Y"),
                pt.score,
                f"{pt.coverage} %",
                pt.machines,
                *(pt.themes.get(i, "—") for i in ids),
            )
            for pt in v.trend
        ]

    out += ["", f"## {v.txt('fleet.attention_title')}", ""]
    out += [f"- {md_text(line)}" for line in v.attention] or [v.txt("fleet.attention_none")]

    out += [
        "",
        f"## {v.txt('fleet.machines')}",
        "",
        _row(
            *(
                v.txt(k)
                for k in (
                    "fleet.machine",
                    "fleet.site",
                    "fleet.last_visit",
                    "report.score",
                    "fleet.coverage",
                    "fleet.red",
                    "fleet.amber",
                    "fleet.grey",
                    "fleet.version",
                )
            )
        ),
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    out += [
        _row(
            f"{MARK[m.worst]} {md_text(m.label)}",
            md_text(m.site),
            m.when,
            m.score,
            f"{m.coverage} %",
            m.red,
            m.amber,
            m.grey,
            md_text(m.version),
        )
        for m in v.machines
    ]
    for m in v.machines:
        if m.reds or m.ambers:
            out += ["", f"### {md_text(m.label)}", ""]
            out += [f"- {_b(Status.FAIL, v.txt('status.FAIL'))} — {md_text(title)}" for title in m.reds]
            out += [f"- {_b(Status.WARN, v.txt('status.WARN'))} — {md_text(title)}" for title in m.ambers]

    out += [
        "",
        f"## {v.txt('fleet.answers_title')}",
        "",
        v.txt("fleet.answers_intro"),
        "",
        _row(
            v.txt("report.question"),
            v.txt("report.answer"),
            v.txt("report.answered_on"),
            v.txt("fleet.local_answers", summary="").rstrip(" :"),
        ),
        "|---|---|---|---|",
    ]
    for row in p.answers:
        ans = row.answer
        when = (v.day(ans.answered_on) if ans else "") + (f" — {v.txt('report.stale')}" if row.stale else "")
        word = answer_word(v, ans.answer if ans else "")
        out.append(
            _row(md_text(row.title), _b(ans.status if ans else Status.UNKNOWN, word), when, local_summary(v, row.local))
        )

    out += ["", f"## {v.txt('fleet.exceptions_title')}", "", v.txt("report.exceptions_intro"), ""]
    if not v.exceptions:
        out.append(v.txt("fleet.exceptions_empty"))
    else:
        out += [
            _row(
                v.txt("fleet.machine"),
                v.txt("report.item"),
                v.txt("report.justification"),
                v.txt("report.accepted_on"),
                v.txt("report.expires"),
            ),
            "|---|---|---|---|---|",
        ]
        out += [
            _row(md_text(x.target), md_text(x.title), md_text(x.justification), v.day(x.accepted_on), v.day(x.expires))
            for x in v.exceptions
        ]

    out += ["", f"## {v.txt('report.incident_title')}", ""]
    out += [f"- {v.txt(f'report.incident_{n}')}" for n in range(1, 6)]
    out += [
        "",
        "---",
        "",
        f"**{v.txt('fleet.formula_title')}**{v.colon} {v.txt('fleet.formula')}",
        "",
        v.txt("report.signature"),
        "",
        f"*{v.txt('report.footer', version=v.tool_version)}*",
    ]
    return "\n".join(out) + "\n"
