"""One assessment as the user sees it: machine checks, saved answers, accepted exceptions.

The dashboard and the CLI both call :func:`assess`, then optionally
:func:`save` it to the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from clinicguard.catalogue import Catalogue, load_catalogue
from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Assessment
from clinicguard.engine.runner import run_assessment
from clinicguard.host import Host
from clinicguard.records.acceptance import ExceptionStore, apply_exceptions
from clinicguard.records.questionnaire import AnswerStore, answer_results


@dataclass
class Outcome:
    assessment: Assessment
    answers: AnswerStore
    exceptions: ExceptionStore
    notices: list[str] = field(default_factory=list)  # damaged files kept aside


def assess(
    host: Host, *, catalogue: Catalogue | None = None, settings: dict[str, Any] | None = None, **run_options: Any
) -> Outcome:
    """Run the checks with the saved answers and accepted exceptions applied."""
    catalogue = catalogue or load_catalogue()
    today = host.now().date()
    notices: list[str] = []
    # An unreadable data folder costs the saved answers, never the assessment.
    try:
        answers = AnswerStore.load()
    except ClinicGuardError as exc:
        answers = AnswerStore()
        notices.append(str(exc))
    try:
        exceptions = ExceptionStore.load()
    except ClinicGuardError as exc:
        exceptions = ExceptionStore()
        notices.append(str(exc))
    assessment = run_assessment(
        host,
        catalogue=catalogue,
        settings=settings,
        extra_results=answer_results(answers, catalogue, today),
        **run_options,
    )
    assessment = apply_exceptions(assessment, exceptions, today)
    notices += [n for n in (answers.notice, exceptions.notice) if n]
    return Outcome(assessment, answers, exceptions, notices)


def save(outcome: Outcome) -> tuple[int, str]:
    """Store the assessment in the history; returns its number and any recovery notice."""
    from clinicguard.records.history import open_history

    with open_history() as history:
        number = history.save(outcome.assessment, outcome.answers.to_dict()["answers"])
        return number, history.notice


def verdicts(assessment: Assessment) -> dict[str, tuple[str, bool]]:
    """What a person would notice in an assessment: each item's light and whether it is accepted."""
    return {r.check_id: (r.status.value, r.accepted is not None) for r in assessment.results}


def record(outcome: Outcome) -> int | None:
    """Store a dashboard run in the history when it says something new; returns its number, or None when not kept.

    Opening the dashboard or pressing ``r`` again should not fill the history with copies: a run is kept when
    nothing was saved yet on this machine today, or when some item changed since the last saved assessment.
    ``clinicguard check --save`` always saves (see :func:`save`).
    """
    from clinicguard.records.history import open_history

    assessment = outcome.assessment
    with open_history() as history:
        entries = [e for e in history.entries() if e.hostname == assessment.host.hostname]
        if entries:
            last = entries[-1]
            same_day = last.finished_at.astimezone().date() == assessment.finished_at.astimezone().date()
            try:
                unchanged = verdicts(history.load(last.id)) == verdicts(assessment)
            except ClinicGuardError:
                unchanged = False  # an unreadable last entry is no reason to skip this one
            if same_day and unchanged:
                return None
        return history.save(assessment, outcome.answers.to_dict()["answers"])


def next_due(when: datetime | date, settings: dict[str, Any] | None = None) -> date:
    """Date of the next assessment: ``[assessment] interval_days`` after ``when`` (90 by default)."""
    days = int(((settings or {}).get("assessment") or {}).get("interval_days", 90))
    day = when.astimezone().date() if isinstance(when, datetime) else when
    return day + timedelta(days=days)


def next_due_from_history(settings: dict[str, Any] | None = None) -> date | None:
    """When the next assessment is due, from the last saved one (None without history); for headers."""
    from clinicguard.records.history import open_history

    try:
        with open_history() as history:
            entries = history.entries()
    except ClinicGuardError:
        return None
    return next_due(entries[-1].finished_at, settings) if entries else None
