"""Assessment <-> JSON document (schema ``clinicguard/schema/assessment.schema.json``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from clinicguard.catalogue import Catalogue, load_catalogue
from clinicguard.core.model import Acceptance, Assessment, CheckResult, Evidence, HostInfo, Reason, Score, Status
from clinicguard.core.score import compute_score
from clinicguard.i18n import evidence_label, evidence_value, t
from clinicguard.present.wording import result_texts

SCHEMA_VERSION = 1
SCORE_FORMULA = "100 x sum(weight x credit) / sum(weight); credit green=1, amber=0.5, red=0, grey=0"


def result_to_dict(result: CheckResult, catalogue: Catalogue, lang: str, platform: str) -> dict[str, Any]:
    spec = catalogue.checks.get(result.check_id)
    texts = result_texts(result, catalogue, lang, platform)
    recs = []
    if spec is not None:
        for rid in spec.recommendations:
            rec = catalogue.recommendations.get(rid)
            if rec is not None:
                recs.append(
                    {
                        "id": rid,
                        "title": rec.title(lang),
                        "sources": [{"code": s.code, "label": s.label, "url": s.url} for s in rec.sources],
                    }
                )
    return {
        "id": result.check_id,
        "theme": spec.theme if spec else "",
        "weight": spec.weight if spec else 1,
        "status": result.status.value,
        "colour": result.status.colour,
        "label": t(f"status.{result.status.value}", lang),
        "title": texts["title"],
        "summary": texts["summary"],
        "summary_key": result.summary_key,
        "params": {
            k: (v if isinstance(v, int | float | str | bool) or v is None else str(v)) for k, v in result.params.items()
        },
        "why": texts["why"],
        "fix": texts["fix"],
        "evidence": [
            {
                **e.to_dict(),
                "label_text": evidence_label(e.label, lang),
                "value_text": evidence_value(e.value, lang, e.label),
            }
            for e in result.evidence
        ],
        "reason": result.reason.value if result.reason else None,
        "reason_text": t(f"common.reason.{result.reason.value}", lang) if result.reason else "",
        "detail": result.detail,
        "recommendations": recs,
        "duration_s": round(result.duration_s, 3),
        "accepted": result.accepted.to_dict() if result.accepted else None,
    }


def assessment_to_dict(assessment: Assessment, lang: str, catalogue: Catalogue | None = None) -> dict[str, Any]:
    catalogue = catalogue or load_catalogue()
    platform = assessment.host.platform
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "clinicguard",
        "tool_version": assessment.tool_version,
        "language": lang,
        "started_at": assessment.started_at.isoformat(),
        "finished_at": assessment.finished_at.isoformat(),
        "cancelled": assessment.cancelled,
        "host": assessment.host.to_dict(),
        "score": {
            "value": assessment.score.value,
            "coverage": assessment.score.coverage,
            "counts": dict(assessment.score.counts),
            "formula": SCORE_FORMULA,
        },
        "themes": [
            {"id": th.id, "title": th.title(lang)}
            for th in sorted(catalogue.themes.values(), key=lambda x: x.order)
            if any(
                catalogue.checks.get(r.check_id) and catalogue.checks[r.check_id].theme == th.id
                for r in assessment.results
            )
        ],
        "results": [result_to_dict(r, catalogue, lang, platform) for r in assessment.results],
    }


def result_from_dict(d: dict[str, Any]) -> CheckResult:
    return CheckResult(
        check_id=d["id"],
        status=Status(d["status"]),
        summary_key=d.get("summary_key", ""),
        params=dict(d.get("params", {})),
        evidence=tuple(Evidence(e["label"], e["value"], e.get("source", "")) for e in d.get("evidence", [])),
        reason=Reason(d["reason"]) if d.get("reason") else None,
        detail=d.get("detail", ""),
        duration_s=float(d.get("duration_s", 0.0)),
        accepted=_acceptance_from_dict(d.get("accepted")),
    )


def _acceptance_from_dict(d: dict[str, Any] | None) -> Acceptance | None:
    if not d:
        return None
    return Acceptance(
        d.get("justification", ""), date.fromisoformat(d["expires"]), date.fromisoformat(d["accepted_on"])
    )


def assessment_from_dict(d: dict[str, Any], catalogue: Catalogue | None = None) -> Assessment:
    """Rebuild an Assessment from its JSON document (history, reports)."""
    catalogue = catalogue or load_catalogue()
    h = d["host"]
    results = tuple(result_from_dict(r) for r in d["results"])
    score = d.get("score") or {}
    weights = {r["id"]: int(r.get("weight", 1)) for r in d["results"]}
    computed = compute_score(results, weights)
    return Assessment(
        host=HostInfo(h["hostname"], h["platform"], h["os_name"], h["os_version"], h["user"], bool(h["is_admin"])),
        started_at=datetime.fromisoformat(d["started_at"]),
        finished_at=datetime.fromisoformat(d["finished_at"]),
        tool_version=d.get("tool_version", ""),
        results=results,
        score=Score(
            value=int(score.get("value", computed.value)),
            coverage=int(score.get("coverage", computed.coverage)),
            counts=dict(score.get("counts", computed.counts)),
        ),
        cancelled=bool(d.get("cancelled", False)),
    )
