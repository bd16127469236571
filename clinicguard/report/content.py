"""Everything a report shows, resolved into the reader's language once.

Each output format (HTML, PDF, Markdown, CSV, JSON) only lays out this view,
so they cannot disagree on content.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from clinicguard.catalogue import Catalogue, load_catalogue
from clinicguard.core.diff import GROUPS, Diff, compare
from clinicguard.core.model import SEVERITY_ORDER, Acceptance, Assessment, CheckResult, Reason, Status
from clinicguard.i18n import evidence_label, evidence_value, format_value, t
from clinicguard.present.dates import format_day, format_when
from clinicguard.present.safe import safe_line
from clinicguard.present.statuses import status_label
from clinicguard.present.urgency import urgency_key
from clinicguard.present.wording import Wording, how_to_verify

PLAN_FIRST_PAGE = 5  # actions shown on the first page


@dataclass(frozen=True)
class ItemView:
    id: str
    theme_id: str
    theme: str
    kind: str
    title: str
    status: Status
    label: str
    summary: str
    why: str
    fix: str
    evidence: list[tuple[str, str, str]]
    reason: str
    accepted: Acceptance | None
    sources: list[tuple[str, str]]
    weight: int
    priority: int


@dataclass(frozen=True)
class ThemeView:
    id: str
    title: str
    status: Status  # worst item: a theme with grey items is never shown green
    counts: dict[Status, int]
    items: list[ItemView]


@dataclass(frozen=True)
class AnswerView:
    id: str
    question: str
    answer: str  # key of questionnaire.ANSWERS, or "" when not answered
    answered_on: str
    stale: bool
    status: Status


@dataclass(frozen=True)
class ChangeView:
    title: str
    before: str
    after: str
    after_status: Status


@dataclass
class ReportView:
    lang: str
    assessment: Assessment
    establishment: str
    hostname: str
    os: str
    user: str
    when: str
    tool_version: str
    next_due: date
    anonymized: bool
    plan: list[ItemView]
    themes: list[ThemeView]
    answers: list[AnswerView]
    accepted: list[ItemView]
    diff: Diff | None = None
    previous_when: str = ""
    changes: dict[str, list[ChangeView]] = field(default_factory=dict)

    def txt(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def day(self, value: date | datetime | str) -> str:
        return format_day(value, self.lang)

    @property
    def grey_count(self) -> int:
        return sum(1 for item in self.items if item.status is Status.UNKNOWN)

    @property
    def colon(self) -> str:
        # French typography puts a (non-breaking) space before a colon.
        return "\u00a0:" if self.lang == "fr" else ":"

    @property
    def items(self) -> list[ItemView]:
        return [item for theme in self.themes for item in theme.items]


def _evidence_value(label: str, value: str, lang: str) -> str:
    if label.endswith(("_on", "_date")):
        return str(format_value("x_date", value, lang))
    return evidence_value(value, lang, label)


def _item(result: CheckResult, wording: Wording) -> ItemView:
    catalogue, lang = wording.catalogue, wording.lang
    spec = catalogue.checks.get(result.check_id)
    texts = wording.texts(result)
    theme_id = wording.theme_of(result)
    theme = wording.theme_title(theme_id)
    sources: list[tuple[str, str]] = []
    for rid in spec.recommendations if spec else ():
        rec = catalogue.recommendations.get(rid)
        if rec is not None:
            sources.extend((s.label, s.url) for s in rec.sources)
    return ItemView(
        id=safe_line(result.check_id),
        theme_id=theme_id,
        theme=theme,
        kind=spec.kind if spec else "auto",
        title=texts["title"],
        status=result.status,
        label=status_label(result.status, lang),
        summary=texts["summary"],
        why=texts["why"],
        fix=texts["fix"],
        # Answers name no file or command: their "questionnaire" source would only be noise.
        evidence=[
            (
                safe_line(evidence_label(e.label, lang)),
                safe_line(_evidence_value(e.label, e.value, lang)),
                "" if e.source == "questionnaire" else safe_line(e.source),
            )
            for e in result.evidence
        ],
        reason=how_to_verify(result, wording) if result.reason else "",
        accepted=replace(result.accepted, justification=safe_line(result.accepted.justification))
        if result.accepted
        else None,
        sources=list(dict.fromkeys(sources)),
        weight=spec.weight if spec else 1,
        priority=spec.priority if spec else 2,
    )


def _answer(result: CheckResult, item: ItemView) -> AnswerView:
    ev = {e.label: e.value for e in result.evidence if e.source == "questionnaire"}
    answered = result.reason is not Reason.NOT_ANSWERED and "answer" in ev
    return AnswerView(
        id=result.check_id,
        question=item.title,
        answer=ev.get("answer", "") if answered else "",
        answered_on=ev.get("answered_on", ""),
        stale="to_reconfirm" in ev,
        status=result.status,
    )


def build_view(
    assessment: Assessment,
    lang: str,
    *,
    settings: dict[str, Any] | None = None,
    previous: Assessment | None = None,
    anonymized: bool = False,
    catalogue: Catalogue | None = None,
) -> ReportView:
    from clinicguard.engine.workflow import next_due

    catalogue = catalogue or load_catalogue()
    wording = Wording(catalogue, lang, assessment.host.platform)
    items = [(_item(r, wording), r) for r in assessment.results]
    themes: list[ThemeView] = []
    for theme in sorted(catalogue.themes.values(), key=lambda th: th.order):
        members = [i for i, _ in items if i.theme_id == theme.id]
        if not members:
            continue
        counts = {s: sum(1 for i in members if i.status is s) for s in Status}
        applicable: list[Status] = [i.status for i in members if i.status is not Status.NOT_APPLICABLE]
        applicable = applicable or [Status.NOT_APPLICABLE]
        worst = min(applicable, key=lambda s: SEVERITY_ORDER[s])
        themes.append(ThemeView(theme.id, theme.title(lang), worst, counts, members))
    orphans = [i for i, _ in items if i.theme_id not in catalogue.themes]
    if orphans:
        themes.append(
            ThemeView(
                "",
                "—",
                min((i.status for i in orphans), key=lambda s: SEVERITY_ORDER[s]),
                {s: sum(1 for i in orphans if i.status is s) for s in Status},
                orphans,
            )
        )
    actionable = [i for i, _ in items if i.status in (Status.FAIL, Status.WARN) and i.accepted is None]
    plan = sorted(actionable, key=lambda i: urgency_key(i.status, i.id, catalogue))
    answers = [_answer(r, i) for i, r in items if i.kind == "ask"]
    h = assessment.host
    view = ReportView(
        lang=lang,
        assessment=assessment,
        establishment=safe_line(((settings or {}).get("establishment") or {}).get("name", "")),
        hostname=safe_line(h.hostname),
        os=safe_line(
            (h.os_name if not h.os_version or h.os_version in h.os_name else f"{h.os_name} {h.os_version}")
            or h.platform
        ),
        user=safe_line(h.user),
        when=format_when(assessment.finished_at, lang),
        tool_version=assessment.tool_version,
        next_due=next_due(assessment.finished_at, settings),
        anonymized=anonymized,
        plan=plan,
        themes=themes,
        answers=answers,
        accepted=[i for i, _ in items if i.accepted is not None],
    )
    if previous is not None:
        view.diff = compare(previous, assessment)
        view.previous_when = format_when(previous.finished_at, lang)
        titles = {i.id: i.title for i, _ in items}
        for group in GROUPS:
            view.changes[group] = [
                ChangeView(
                    titles.get(c.check_id, safe_line(c.check_id)),
                    t(f"status.{c.before.value}", lang) if c.before else t("diff.new_item", lang),
                    t(f"status.{c.after.value}", lang),
                    c.after or Status.UNKNOWN,
                )
                for c in getattr(view.diff, group)
            ]
    return view
