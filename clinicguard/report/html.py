"""One self-contained, printable HTML file: inline style, no script, no external resource.

Source addresses are printed as text rather than links so the file never
points the browser anywhere.
"""

from __future__ import annotations

from html import escape

from clinicguard.core.model import Status
from clinicguard.present.changes import score_params
from clinicguard.present.statuses import MARKS as MARK
from clinicguard.report.content import PLAN_FIRST_PAGE, ItemView, ReportView

STYLE = """
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1f2933; margin: 0 auto; max-width: 60rem;
       padding: 1.5rem; line-height: 1.45; font-size: 11pt; }
h1 { font-size: 1.6rem; margin: 0; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #1f2933; padding-bottom: .2rem; margin-top: 1.6rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.sub { color: #52606d; margin: .1rem 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .45rem; border-bottom: 1px solid #d9e2ec; }
th { background: #f0f4f8; }
tr { break-inside: avoid; }
.meta th { width: 12rem; background: none; font-weight: 600; }
.scorebox { display: flex; gap: 1rem; flex-wrap: wrap; margin: .8rem 0; }
.scorebox div { border: 1px solid #bcccdc; border-radius: 6px; padding: .5rem .9rem; }
.big { font-size: 1.7rem; font-weight: 700; display: block; }
.badge { display: inline-block; border-radius: 4px; padding: 0 .4rem; font-weight: 600; white-space: nowrap;
         border: 1px solid currentColor; }
.s-PASS { color: #17692f; } .s-WARN { color: #9a5b00; } .s-FAIL { color: #b3261e; }
.s-UNKNOWN { color: #52606d; } .s-NOT_APPLICABLE { color: #7b8794; }
.accepted { color: #3d4db7; }
.plan li { margin-bottom: .5rem; }
.item { border: 1px solid #d9e2ec; border-left: 5px solid #9aa5b1; border-radius: 4px; padding: .5rem .8rem;
        margin: .5rem 0; break-inside: avoid; }
.item.s-PASS { border-left-color: #17692f; } .item.s-WARN { border-left-color: #c17d00; }
.item.s-FAIL { border-left-color: #b3261e; } .item.s-UNKNOWN { border-left-color: #7b8794; }
.item > * { color: #1f2933; }
.item h4 { margin: .1rem 0 .3rem; font-size: 1rem; }
.fix { white-space: pre-wrap; }
.small { font-size: .9em; color: #52606d; }
.incident { border: 2px solid #b3261e; border-radius: 6px; padding: .3rem 1rem; break-inside: avoid; }
.newpage { break-before: page; }
.note { background: #fff8e1; padding: .4rem .7rem; border-radius: 4px; }
footer { margin-top: 2rem; font-size: .9em; color: #52606d; }
@media print {
  /* Paper: compact type, items that may run across pages (a long item no longer leaves half a page blank),
     headings kept with what follows them, no lone lines at a page top or bottom. */
  body { padding: 0; max-width: none; font-size: 9pt; line-height: 1.3; }
  h1 { font-size: 15pt; } h2 { font-size: 12pt; margin-top: 1rem; } h3 { font-size: 10.5pt; margin: .7rem 0 .3rem; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  p, li { orphans: 3; widows: 3; }
  p { margin: .25rem 0; } ul, ol { margin: .2rem 0; padding-left: 1.3rem; }
  .item { break-inside: auto; padding: .3rem .6rem; margin: .35rem 0; }
  .item h4, .item .label { break-after: avoid; page-break-after: avoid; }  /* "Que faire" stays with its steps */
  .item ul.small { margin: .1rem 0; } .item ul.small li { margin: 0; }
  .plan li { margin-bottom: .3rem; break-inside: avoid; }
  .newpage { break-before: auto; }
  th, td { padding: .15rem .35rem; }
  thead { display: table-header-group; }
  thead tr, thead th { break-inside: avoid; break-after: avoid; page-break-after: avoid; }
  tbody tr:first-child { break-before: avoid; page-break-before: avoid; }
  h2:has(+ table), h2:has(+ p + table), p:has(+ table) { break-after: avoid; page-break-after: avoid; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


TABLE_END = "</tbody></table>"


def _table_head(cells: list[str]) -> str:
    """A data table's opening with its header row in <thead>, which print repeats on every page it spans.

    The print rules keep that row with the first row and the heading (and sentence) before the table with its
    top, so a header row never stays alone at a page bottom.
    """
    return "<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in cells) + "</tr></thead><tbody>"


def badge(status: Status, label: str) -> str:
    return f'<span class="badge s-{status.value}">{MARK[status]} {_e(label)}</span>'


def _accepted_badge(v: ReportView) -> str:
    return f'<span class="badge accepted">✓ {_e(v.txt("report.accepted"))}</span>'


def _item(v: ReportView, item: ItemView) -> str:
    out = [
        f'<article class="item s-{item.status.value}" id="{_e(item.id)}">',
        f"<h4>{badge(item.status, item.label)} {_accepted_badge(v) if item.accepted else ''} {_e(item.title)}</h4>",
        f"<p>{_e(item.summary)}</p>",
    ]
    if item.accepted:
        accepted = v.txt(
            "report.accepted_until", expires_date=item.accepted.expires, justification=item.accepted.justification
        )
        out.append(f'<p class="accepted">{_e(accepted)}</p>')
    if item.reason:
        out.append(f'<p class="small"><strong>{_e(v.txt("report.reason"))}{v.colon}</strong> {_e(item.reason)}</p>')
    if item.evidence:
        rows = "".join(
            f"<li>{_e(label)}{v.colon} {_e(value)}" + (f" <span>({_e(src)})</span>" if src else "") + "</li>"
            for label, value, src in item.evidence
        )
        heading = f'<p class="small label"><strong>{_e(v.txt("report.evidence"))}</strong></p>'
        out.append(f'{heading}<ul class="small">{rows}</ul>')
    if item.status is not Status.PASS and item.status is not Status.NOT_APPLICABLE or item.kind == "ask":
        out.append(f"<p><strong>{_e(v.txt('report.why'))}</strong><br>{_e(item.why)}</p>")
        out.append(f'<p class="label"><strong>{_e(v.txt("report.fix"))}</strong></p><p class="fix">{_e(item.fix)}</p>')
    if item.sources:
        srcs = "; ".join(f"{_e(label)} ({_e(url)})" if url else _e(label) for label, url in item.sources)
        out.append(f'<p class="small"><strong>{_e(v.txt("report.sources"))}{v.colon}</strong> {srcs}</p>')
    out.append("</article>")
    return "\n".join(out)


def render_html(v: ReportView) -> str:
    s = v.assessment.score
    c = s.counts
    h: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{v.lang}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(v.txt('report.title'))} — {_e(v.establishment or v.hostname)}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
        f"<header><h1>{_e(v.txt('report.title'))}</h1>",
        f'<p class="sub">{_e(v.establishment)}{" — " if v.establishment else ""}{_e(v.txt("report.subtitle"))}</p>',
        '<table class="meta">',
    ]
    meta = [
        ("report.establishment", v.establishment or "—"),
        ("report.machine", v.hostname or "—"),
        ("report.system", v.os),
        ("report.user", v.user or "—"),
        ("report.date", v.when),
        ("report.tool", f"clinicguard {v.tool_version}"),
    ]
    h += [f"<tr><th>{_e(v.txt(k))}</th><td>{_e(val)}</td></tr>" for k, val in meta]
    h.append("</table>")
    if v.anonymized:
        h.append(f'<p class="note">{_e(v.txt("report.anon_note"))}</p>')
    h.append("</header>")
    h += [
        '<section class="scorebox">',
        f'<div><span class="small">{_e(v.txt("report.score"))}</span>'
        f'<span class="big">{_e(v.txt("report.score_value", score=s.value))}</span></div>',
        f'<div><span class="small">{_e(v.txt("report.coverage"))}</span><span class="big">{s.coverage} %</span></div>',
        f'<div><span class="small">{_e(v.txt("report.next_due"))}</span>'
        f'<span class="big">{_e(v.day(v.next_due))}</span></div>',
        "</section>",
        f'<p class="small">{_e(v.txt("report.counts", fail=c.get("FAIL", 0), warn=c.get("WARN", 0), unknown=c.get("UNKNOWN", 0), ok=c.get("PASS", 0), na=c.get("NOT_APPLICABLE", 0)))}</p>',  # noqa: E501
        '<section class="plan">',
        f"<h2>{_e(v.txt('report.plan_title'))}</h2>",
        f"<p>{_e(v.txt('report.plan_intro'))}</p>",
    ]
    if not v.plan:
        h.append(f"<p>{_e(v.txt('report.plan_empty'))}</p>")
    else:
        h.append("<ol>")
        for item in v.plan[:PLAN_FIRST_PAGE]:
            # The whole action for the item's colour, not only its first line.
            steps = "<br>".join(_e(line) for line in item.fix.splitlines() if line.strip())
            h.append(
                f"<li>{badge(item.status, item.label)} <strong>{_e(item.title)}</strong>"
                f'<br><span class="small">{_e(item.theme)}</span><div class="steps">{steps}</div></li>'
            )
        h.append("</ol>")
        if len(v.plan) > PLAN_FIRST_PAGE:
            h.append('<ol start="6" class="small">')
            h += [f"<li>{badge(i.status, i.label)} {_e(i.title)}</li>" for i in v.plan[PLAN_FIRST_PAGE:]]
            h.append("</ol>")
    if v.grey_count:
        h.append(
            f'<p class="small">{badge(Status.UNKNOWN, v.txt("status.UNKNOWN"))} '
            f"{_e(v.txt('report.plan_grey', count=v.grey_count))}</p>"
        )
    h.append("</section>")

    h += [
        f"<section><h2>{_e(v.txt('report.themes_title'))}</h2>",
        _table_head(
            [_e(v.txt("report.theme")), _e(v.txt("report.status"))]
            + [f"{MARK[st]} {_e(v.txt(f'status.{st.value}'))}" for st in Status]
        ),
    ]
    for th in v.themes:
        h.append(
            f"<tr><td>{_e(th.title)}</td><td>{badge(th.status, v.txt(f'status.{th.status.value}'))}</td>"
            + "".join(f"<td>{th.counts[st]}</td>" for st in Status)
            + "</tr>"
        )
    h += [TABLE_END, "</section>"]

    h.append(f"<section><h2>{_e(v.txt('report.changes_title'))}</h2>")
    if v.diff is None:
        h.append(f"<p>{_e(v.txt('report.changes_none'))}</p>")
    else:
        d = v.diff
        score = v.txt("diff.score", **score_params(d))
        h.append(f"<p>{_e(v.txt('report.changes_previous', when=v.previous_when))} {_e(score)}</p>")
        if d.empty:
            h.append(f"<p>{_e(v.txt('diff.nothing'))}</p>")
        for group, changes in v.changes.items():
            if changes:
                h.append(f"<h3>{_e(v.txt(f'diff.{group}', count=len(changes)))}</h3><ul>")
                h += [
                    f"<li>{_e(ch.title)} ({_e(ch.before)} → {badge(ch.after_status, ch.after)})</li>" for ch in changes
                ]
                h.append("</ul>")
    h.append("</section>")

    h += [f"<section><h2>{_e(v.txt('report.exceptions_title'))}</h2>", f"<p>{_e(v.txt('report.exceptions_intro'))}</p>"]
    if not v.accepted:
        h.append(f"<p>{_e(v.txt('report.exceptions_empty'))}</p>")
    else:
        h.append(
            _table_head(
                [
                    _e(v.txt(k))
                    for k in (
                        "report.item",
                        "report.status",
                        "report.justification",
                        "report.accepted_on",
                        "report.expires",
                    )
                ]
            )
        )
        for i in v.accepted:
            assert i.accepted is not None
            h.append(
                f"<tr><td>{_e(i.title)}</td><td>{badge(i.status, i.label)}</td><td>{_e(i.accepted.justification)}"
                f"</td><td>{_e(v.day(i.accepted.accepted_on))}</td><td>{_e(v.day(i.accepted.expires))}</td></tr>"
            )
        h.append(TABLE_END)
    h.append("</section>")

    h.append(f"<section><h2>{_e(v.txt('report.answers_title'))}</h2>")
    if not any(a.answer for a in v.answers):
        h.append(f"<p>{_e(v.txt('report.answers_empty'))}</p>")
    h.append(_table_head([_e(v.txt(k)) for k in ("report.question", "report.answer", "report.answered_on")]))
    for a in v.answers:
        word = v.txt(f"questionnaire.answer.{a.answer}") if a.answer else v.txt("report.not_answered")
        when = v.day(a.answered_on) if a.answered_on else ""
        stale = f' <span class="badge s-WARN">{_e(v.txt("report.stale"))}</span>' if a.stale else ""
        h.append(f"<tr><td>{_e(a.question)}</td><td>{badge(a.status, word)}</td><td>{_e(when)}{stale}</td></tr>")
    h += [TABLE_END, "</section>"]

    h += [f'<section class="incident"><h2>{_e(v.txt("report.incident_title"))}</h2><ul>']
    h += [f"<li>{_e(v.txt(f'report.incident_{n}'))}</li>" for n in range(1, 6)]
    h += ["</ul></section>"]

    h.append(f'<section class="newpage"><h2>{_e(v.txt("report.items_title"))}</h2>')
    for th in v.themes:
        h.append(f"<h3>{_e(th.title)}</h3>")
        h += [_item(v, item) for item in th.items]
    h.append("</section>")

    h += [
        "<footer>",
        f"<h3>{_e(v.txt('report.formula_title'))}</h3>",
        f"<p>{_e(v.txt('report.formula'))}</p>",
        f"<p>{_e(v.txt('report.signature'))}</p>",
        f"<p>{_e(v.txt('report.footer', version=v.tool_version))}</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(h) + "\n"
