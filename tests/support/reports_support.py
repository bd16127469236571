"""A fixed pair of assessments (previous and current) for report, history and diff tests."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime

from clinicguard.catalogue import load_catalogue
from clinicguard.core.model import Acceptance, Assessment, CheckResult, Evidence, HostInfo, Reason, Status
from clinicguard.core.score import compute_score
from clinicguard.engine.runner import grey
from clinicguard.records.questionnaire import Answer, answer_result
from tests.support.paths import GOLDEN

TODAY = date(2026, 11, 28)
HOST = HostInfo("POSTE-SOINS-2", "windows", "Windows 11 Professionnel", "23H2", "mdupont", False)


def frozen_tz(monkeypatch) -> None:
    """Reports show local time: pin it so golden files match on any machine."""
    from tests.conftest import pinned_time_zone

    pinned_time_zone(monkeypatch, "Europe/Paris")


def _assessment(results: list[CheckResult], when: datetime) -> Assessment:
    weights = {cid: spec.weight for cid, spec in load_catalogue().checks.items()}
    return Assessment(
        host=HOST,
        started_at=when,
        finished_at=when.replace(second=12),
        tool_version="0.1.0",
        results=tuple(results),
        score=compute_score(results, weights),
    )


def answered(qid: str, answer: str, on: date = TODAY, note: str = "") -> CheckResult:
    return answer_result(Answer(qid, answer, on, note), TODAY)


def current() -> Assessment:
    pw = CheckResult(
        "access.password_policy",
        Status.FAIL,
        "too_short",
        {"length": 6},
        (
            Evidence("min_length", "6", r"C:\Users\mdupont\AppData\Local\Temp\secpol.inf"),
            Evidence("lockout_threshold", "off", "net accounts"),
        ),
    )
    backup = replace(
        answered("ask.offline_backup", "no", note="disque USB toujours branché sur POSTE-SOINS-2"),
        accepted=Acceptance("Disque amovible commandé, livraison en janvier", date(2027, 1, 31), TODAY),
    )
    results = [
        pw,
        grey("data.disk_encryption", Reason.NEEDS_ADMIN, "manage-bde: access denied"),
        answered("ask.security_contact", "yes"),
        answered("ask.restore_test", "partial", date(2025, 6, 2)),
        backup,
        answered("ask.hds_hosting", "dont_know"),
        answered("ask.cyber_insurance", "not_applicable"),
        grey("ask.named_accounts", Reason.NOT_ANSWERED),
    ]
    return _assessment(results, datetime.fromisoformat("2026-11-28T09:00:00+00:00"))


def previous() -> Assessment:
    results = [
        CheckResult("access.password_policy", Status.FAIL, "too_short", {"length": 6}, ()),
        grey("data.disk_encryption", Reason.NEEDS_ADMIN),
        answered("ask.security_contact", "no", date(2026, 8, 1)),
        answered("ask.restore_test", "yes", date(2025, 6, 2)),
        answered("ask.offline_backup", "partial", date(2026, 8, 1)),
    ]
    return _assessment(results, datetime.fromisoformat("2026-08-28T09:00:00+00:00"))


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CLINICGUARD_UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"missing golden file {path} (run with CLINICGUARD_UPDATE_GOLDEN=1)"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"
