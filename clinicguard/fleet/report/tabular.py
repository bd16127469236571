"""The fleet report as CSV (one row per workstation and item) and JSON (the whole picture)."""

from __future__ import annotations

import csv
import io
from typing import Any

from clinicguard.core.jsontext import dumps
from clinicguard.fleet.report.content import FleetReportView
from clinicguard.present.safe import csv_cell

FORMAT = "clinicguard-fleet-report"
VERSION = 1


def render_csv(v: FleetReportView) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if v.lang == "fr" else ",", lineterminator="\r\n")
    writer.writerow(
        [
            v.txt(k)
            for k in (
                "fleet.site",
                "fleet.machine",
                "fleet.last_visit",
                "report.score",
                "report.theme",
                "report.item",
                "report.status",
                "report.accepted",
            )
        ]
        + ["id"]
    )
    labels = {m.machine_id: m.label for m in v.machines}
    for m in v.picture.machines:
        when = m.finished_at.astimezone().date().isoformat()
        for cid in v.picture.items + v.picture.questions:
            cell = m.cells.get(cid)
            if cell is None:
                continue
            theme = v.theme_titles.get(v.item_themes.get(cid, ""), "")
            writer.writerow(
                [
                    csv_cell(m.site),
                    csv_cell(labels[m.machine_id]),
                    when,
                    m.score,
                    theme,
                    v.titles.get(cid, cid),
                    v.txt(f"status.{cell.status.value}"),
                    v.txt("report.accepted") if cell.accepted else "",
                    cid,
                ]
            )
    return "\ufeff" + buf.getvalue()


def fleet_document(v: FleetReportView) -> dict[str, Any]:
    p = v.picture
    labels = {m.machine_id: m.label for m in v.machines}
    return {
        "format": FORMAT,
        "version": VERSION,
        "tool_version": v.tool_version,
        "language": v.lang,
        "date": v.today.isoformat(),
        "establishment": v.establishment,
        "anonymized": v.anonymized,
        "score": {
            "value": p.score,
            "coverage": p.coverage,
            "counts": {s.value: n for s, n in p.counts.items()},
            "formula": "100 x sum(weight x credit) / sum(weight) over every workstation's latest assessment; "
            "credit green=1, amber=0.5, red=0, grey=0",
        },
        "sites": p.sites,
        "actions": [
            {
                "id": a.check_id,
                "title": v.titles.get(a.check_id, a.title),
                "status": a.status.value,
                "red": a.red,
                "amber": a.amber,
                "machines": v.action_machines(a),
                "points": a.points,
                "establishment": a.establishment,
            }
            for a in v.actions
        ],
        "themes": [
            {"id": th.id, "title": th.title, "status": th.status.value, "score": th.score, "coverage": th.coverage}
            for th in v.themes
        ],
        "trend": [
            {
                "month": pt.month.isoformat()[:7],
                "score": pt.score,
                "coverage": pt.coverage,
                "machines": pt.machines,
                "themes": pt.themes,
            }
            for pt in v.trend
        ],
        "machines": [
            {
                "id": None if v.anonymized else m.machine_id,
                "label": labels[m.machine_id],
                "site": m.site,
                "last_assessment": m.finished_at.isoformat(),
                "tool_version": m.tool_version,
                "score": m.score,
                "coverage": m.coverage,
                "red": m.red,
                "amber": m.amber,
                "overdue": m.overdue,
                "older_version": m.older_version,
                "not_assessed_since": m.before_since,
                "items": {
                    cid: {"status": c.status.value, "accepted": c.accepted, "origin": c.origin}
                    for cid, c in sorted(m.cells.items())
                },
            }
            for m in p.machines
        ],
        "questionnaire": [
            {
                "id": r.question_id,
                "answer": r.answer.answer if r.answer else None,
                "answered_on": r.answer.answered_on.isoformat() if r.answer else None,
                "stale": r.stale,
                "local": r.local,
            }
            for r in p.answers
        ],
        "accepted": [
            {
                "target": x.target,
                "item": x.title,
                "justification": x.justification,
                "accepted_on": x.accepted_on.isoformat(),
                "expires": x.expires.isoformat(),
            }
            for x in v.exceptions
        ],
        "attention": v.attention,
    }


def render_json(v: FleetReportView) -> str:
    return dumps(fleet_document(v), indent=2) + "\n"
