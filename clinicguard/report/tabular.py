"""CSV (one row per item, with its theme) and JSON (the versioned assessment document)."""

from __future__ import annotations

import csv
import io
from typing import Any

from clinicguard.core.diff import GROUPS
from clinicguard.core.jsontext import dumps
from clinicguard.present.safe import csv_cell
from clinicguard.records.serialize import assessment_to_dict
from clinicguard.report.content import ReportView

COLUMNS = (
    "id",
    "theme",
    "status",
    "accepted",
    "justification",
    "title",
    "summary",
    "evidence",
    "fix",
    "weight",
    "priority",
)


def render_csv(v: ReportView) -> str:
    # French spreadsheets expect ";" between columns; the BOM makes Excel read UTF-8 accents.
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if v.lang == "fr" else ",", lineterminator="\r\n")
    writer.writerow([v.txt(f"report.csv.{col}") for col in COLUMNS])
    for item in v.items:
        acc = item.accepted
        writer.writerow(
            [
                csv_cell(cell)
                for cell in [
                    item.id,
                    item.theme,
                    item.label,
                    v.day(acc.expires) if acc else "",
                    acc.justification if acc else "",
                    item.title,
                    item.summary,
                    " | ".join(f"{label}{v.colon} {value}" for label, value, _ in item.evidence),
                    item.fix,
                    item.weight,
                    item.priority,
                ]
            ]
        )
    return "\ufeff" + buf.getvalue()


def report_document(v: ReportView) -> dict[str, Any]:
    doc = assessment_to_dict(v.assessment, v.lang)
    doc["report"] = {
        "establishment": v.establishment,
        "anonymized": v.anonymized,
        "next_due": v.next_due.isoformat(),
        "action_plan": [item.id for item in v.plan],
        "changes": None
        if v.diff is None
        else {
            "score_before": v.diff.score_before,
            "score_after": v.diff.score_after,
            "coverage_before": v.diff.coverage_before,
            "coverage_after": v.diff.coverage_after,
            **{
                group: [
                    {
                        "id": c.check_id,
                        "before": c.before.value if c.before else None,
                        "after": c.after.value if c.after else None,
                    }
                    for c in getattr(v.diff, group)
                ]
                for group in GROUPS
            },
        },
    }
    return doc


def render_json(v: ReportView) -> str:
    return dumps(report_document(v), indent=2) + "\n"
