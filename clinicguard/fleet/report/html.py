"""The fleet report as one printable HTML file (the style and badges of the workstation report)."""

from __future__ import annotations

from clinicguard.core.model import Status
from clinicguard.fleet.report.content import TOP_ACTIONS, FleetReportView
from clinicguard.report.html import MARK, STYLE, badge
from clinicguard.report.html import _e as e

EXTRA_STYLE = """
.machines td, .machines th { padding: .15rem .35rem; font-size: .92em; }
.num { text-align: right; white-space: nowrap; }
.who { color: #52606d; font-size: .9em; }
"""


def answer_word(v: FleetReportView, answer: str) -> str:
    return v.txt(f"questionnaire.answer.{answer}") if answer else v.txt("fleet.not_answered")


def local_summary(v: FleetReportView, local: dict[str, int]) -> str:
    return ", ".join(f"{MARK[Status(s)]} {v.txt(f'status.{s}')} × {n}" for s, n in sorted(local.items()))


def render_html(v: FleetReportView) -> str:
    p = v.picture
    c = p.counts
    h = [
        "<!DOCTYPE html>",
        f'<html lang="{v.lang}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(v.txt('fleet.title'))} — {e(v.establishment)}</title>",
        f"<style>{STYLE}{EXTRA_STYLE}</style></head>",
        "<body>",
        f"<header><h1>{e(v.txt('fleet.title'))}</h1>",
        f'<p class="sub">{e(v.establishment)}{" — " if v.establishment else ""}{e(v.txt("report.subtitle"))}</p>',
        '<table class="meta">',
    ]
    meta = [
        ("report.establishment", v.establishment or "—"),
        ("report.date", v.day(v.today)),
        ("fleet.machines", v.txt("fleet.machines_count", count=v.total)),
        ("report.tool", f"clinicguard {v.tool_version}"),
    ]
    h += [f"<tr><th>{e(v.txt(k))}</th><td>{e(val)}</td></tr>" for k, val in meta]
    h.append("</table>")
    if v.anonymized:
        h.append(f'<p class="note">{e(v.txt("fleet.anon_note"))}</p>')
    h += [
        "</header>",
        '<section class="scorebox">',
        f'<div><span class="small">{e(v.txt("fleet.score"))}</span>'
        f'<span class="big">{e(v.txt("report.score_value", score=p.score))}</span></div>',
        f'<div><span class="small">{e(v.txt("fleet.coverage"))}</span><span class="big">{p.coverage} %</span></div>',
        f'<div><span class="small">{e(v.txt("fleet.machines"))}</span><span class="big">{v.total}</span></div>',
        f'<div><span class="small">{e(v.txt("fleet.red_machines_title"))}</span>'
        f'<span class="big">{len(v.red_machines)}</span></div>',
        "</section>",
        f'<p class="small">{e(v.txt("report.counts", fail=c.get(Status.FAIL, 0), warn=c.get(Status.WARN, 0), unknown=c.get(Status.UNKNOWN, 0), ok=c.get(Status.PASS, 0), na=c.get(Status.NOT_APPLICABLE, 0)))}</p>',  # noqa: E501
        '<section class="plan">',
        f"<h2>{e(v.txt('fleet.actions_title'))}</h2>",
        f"<p>{e(v.txt('fleet.actions_intro'))}</p>",
    ]
    if not v.actions:
        h.append(f"<p>{e(v.txt('fleet.actions_empty'))}</p>")
    else:
        h.append("<ol>")
        for a in v.actions[:TOP_ACTIONS]:
            names = "" if a.establishment else ", ".join(v.action_machines(a))
            h.append(
                f"<li>{badge(a.status, v.txt(f'status.{a.status.value}'))} <strong>{e(v.action_text(a))}"
                f'</strong><br><span class="who">{e(names)}</span></li>'
            )
        h.append("</ol>")
        if len(v.actions) > TOP_ACTIONS:
            h.append(f'<ol start="{TOP_ACTIONS + 1}" class="small">')
            h += [
                f"<li>{badge(a.status, v.txt(f'status.{a.status.value}'))} {e(v.action_text(a))}</li>"
                for a in v.actions[TOP_ACTIONS:]
            ]
            h.append("</ol>")
    h.append("</section>")
    h += [f"<section><h2>{e(v.txt('fleet.red_machines_title'))}</h2>"]
    if not v.red_machines:
        h.append(f"<p>{e(v.txt('fleet.red_machines_empty'))}</p>")
    else:
        h.append(
            f'<table class="machines"><tr><th>{e(v.txt("fleet.machine"))}</th><th>{e(v.txt("fleet.site"))}'
            f"</th><th>{e(v.txt('fleet.red'))}</th><th>{e(v.txt('report.item'))}</th></tr>"
        )
        h += [
            f'<tr><td>{e(m.label)}</td><td>{e(m.site)}</td><td class="num">{m.red}</td>'
            f"<td>{e(', '.join(m.reds))}</td></tr>"
            for m in v.red_machines
        ]
        h.append("</table>")
    h.append("</section>")

    h += [
        f'<section class="newpage"><h2>{e(v.txt("fleet.themes_title"))}</h2>',
        "<table>",
        f"<tr><th>{e(v.txt('report.theme'))}</th><th>{e(v.txt('fleet.status_worst'))}</th>"
        f"<th>{e(v.txt('report.score'))}</th><th>{e(v.txt('fleet.coverage'))}</th>"
        + "".join(f"<th>{MARK[st]} {e(v.txt(f'status.{st.value}'))}</th>" for st in Status)
        + "</tr>",
    ]
    for th in v.themes:
        h.append(
            f"<tr><td>{e(th.title)}</td><td>{badge(th.status, v.txt(f'status.{th.status.value}'))}</td>"
            f'<td class="num">{th.score}/100</td><td class="num">{th.coverage} %</td>'
            + "".join(f'<td class="num">{th.counts.get(st, 0)}</td>' for st in Status)
            + "</tr>"
        )
    h += ["</table>", f"<h3>{e(v.txt('fleet.trend_title'))}</h3>"]
    if len(v.trend) < 2:
        h.append(f"<p>{e(v.txt('fleet.trend_empty'))}</p>")
    if v.trend:
        ids = [th.id for th in v.themes]
        h.append(
            f"<table><tr><th>{e(v.txt('report.date'))}</th><th>{e(v.txt('report.score'))}</th>"
            f"<th>{e(v.txt('fleet.coverage'))}</th><th>{e(v.txt('fleet.machines'))}</th>"
            + "".join(f"<th>{e(v.theme_titles[i])}</th>" for i in ids)
            + "</tr>"
        )
        for pt in v.trend:
            h.append(
                f'<tr><td>{e(pt.month.strftime("%m/%Y"))}</td><td class="num">{pt.score}</td>'
                f'<td class="num">{pt.coverage} %</td><td class="num">{pt.machines}</td>'
                + "".join(f'<td class="num">{pt.themes.get(i, "—")}</td>' for i in ids)
                + "</tr>"
            )
        h.append("</table>")
    h.append("</section>")

    h += [f"<section><h2>{e(v.txt('fleet.attention_title'))}</h2>"]
    h += [f"<p>{e(line)}</p>" for line in v.attention] or [f"<p>{e(v.txt('fleet.attention_none'))}</p>"]
    h.append("</section>")

    h += [
        f"<section><h2>{e(v.txt('fleet.machines'))}</h2>",
        '<table class="machines"><tr>'
        + "".join(
            f"<th>{e(v.txt(k))}</th>"
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
        + "</tr>",
    ]
    for m in v.machines:
        h.append(
            f"<tr><td>{badge(m.worst, '')} {e(m.label)}</td><td>{e(m.site)}</td><td>{e(m.when)}</td>"
            f'<td class="num">{m.score}</td><td class="num">{m.coverage} %</td><td class="num">{m.red}</td>'
            f'<td class="num">{m.amber}</td><td class="num">{m.grey}</td><td>{e(m.version)}</td></tr>'
        )
    h.append("</table>")
    for m in v.machines:
        if not (m.reds or m.ambers):
            continue
        h.append(f'<h3>{e(m.label)}</h3><ul class="small">')
        h += [f"<li>{badge(Status.FAIL, v.txt('status.FAIL'))} {e(title)}</li>" for title in m.reds]
        h += [f"<li>{badge(Status.WARN, v.txt('status.WARN'))} {e(title)}</li>" for title in m.ambers]
        h.append("</ul>")
    h.append("</section>")

    h += [
        f"<section><h2>{e(v.txt('fleet.answers_title'))}</h2>",
        f"<p>{e(v.txt('fleet.answers_intro'))}</p>",
        f"<table><tr><th>{e(v.txt('report.question'))}</th><th>{e(v.txt('report.answer'))}</th>"
        f"<th>{e(v.txt('report.answered_on'))}</th><th>{e(v.txt('fleet.local_answers', summary=''))}</th></tr>",
    ]
    for row in p.answers:
        ans = row.answer
        status = ans.status if ans else Status.UNKNOWN
        stale = f' <span class="badge s-WARN">{e(v.txt("report.stale"))}</span>' if row.stale else ""
        h.append(
            f"<tr><td>{e(row.title)}</td><td>{badge(status, answer_word(v, ans.answer if ans else ''))}</td>"
            f"<td>{e(v.day(ans.answered_on)) if ans else ''}{stale}</td>"
            f'<td class="small">{e(local_summary(v, row.local))}</td></tr>'
        )
    h += ["</table>", "</section>"]

    h += [f"<section><h2>{e(v.txt('fleet.exceptions_title'))}</h2>", f"<p>{e(v.txt('report.exceptions_intro'))}</p>"]
    if not v.exceptions:
        h.append(f"<p>{e(v.txt('fleet.exceptions_empty'))}</p>")
    else:
        h.append(
            f"<table><tr><th>{e(v.txt('fleet.machine'))}</th><th>{e(v.txt('report.item'))}</th>"
            f"<th>{e(v.txt('report.justification'))}</th><th>{e(v.txt('report.accepted_on'))}</th>"
            f"<th>{e(v.txt('report.expires'))}</th></tr>"
        )
        h += [
            f"<tr><td>{e(x.target)}</td><td>{e(x.title)}</td><td>{e(x.justification)}</td>"
            f"<td>{e(v.day(x.accepted_on))}</td><td>{e(v.day(x.expires))}</td></tr>"
            for x in v.exceptions
        ]
        h.append("</table>")
    h.append("</section>")

    h += [f'<section class="incident"><h2>{e(v.txt("report.incident_title"))}</h2><ul>']
    h += [f"<li>{e(v.txt(f'report.incident_{n}'))}</li>" for n in range(1, 6)]
    h += [
        "</ul></section>",
        "<footer>",
        f"<h3>{e(v.txt('fleet.formula_title'))}</h3>",
        f"<p>{e(v.txt('fleet.formula'))}</p>",
        f"<p>{e(v.txt('report.signature'))}</p>",
        f"<p>{e(v.txt('report.footer', version=v.tool_version))}</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(h) + "\n"
