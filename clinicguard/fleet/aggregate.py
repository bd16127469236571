"""The establishment picture built from each machine's latest visit.

Establishment score (documented in the help and the reports)::

    score    = 100 x sum over machines and items of (weight x credit) / sum of weights
    credit   = 1 green, 0.5 amber, 0 red and grey; "Sans objet" left out
    coverage = 100 x weight of verified items (green, amber, red) / sum of weights

That is the machine formula pooled over every machine's latest assessment,
with the establishment's questionnaire answers in place of each machine's
own. Actions are ranked by the score points they would give back:
``weight x (machines in red + 0.5 x machines in amber)``, accepted items
left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from clinicguard.catalogue import Catalogue
from clinicguard.core.model import SEVERITY_ORDER, Status
from clinicguard.core.score import CREDIT
from clinicguard.fleet.establishment import FleetExceptions
from clinicguard.fleet.store import MachineRecord, VisitSummary
from clinicguard.records.questionnaire import STALE_AFTER_DAYS, Answer

ACT_ON = (Status.FAIL, Status.WARN)
COLOUR_FILTERS = ("all", "act", "red", "amber", "grey")
_FILTER_STATUSES = {
    "act": (Status.FAIL, Status.WARN),
    "red": (Status.FAIL,),
    "amber": (Status.WARN,),
    "grey": (Status.UNKNOWN,),
}


@dataclass(frozen=True)
class Cell:
    status: Status
    accepted: bool = False
    origin: str = "machine"  # machine | establishment (questionnaire answered once for every machine)
    local: Status | None = None  # the machine's own answer when the establishment's replaced it

    @property
    def to_act_on(self) -> bool:
        return self.status in ACT_ON and not self.accepted


@dataclass
class MachineState:
    machine_id: str
    label: str
    site: str
    platform: str
    os: str
    visit_id: int
    finished_at: datetime
    tool_version: str
    cells: dict[str, Cell]
    weights: dict[str, int]
    score: int = 0
    coverage: int = 0
    counts: dict[Status, int] = field(default_factory=dict)
    visits: int = 1
    due: date | None = None
    overdue: bool = False
    older_version: bool = False
    before_since: bool = False
    user: str = ""

    @property
    def red(self) -> int:
        return sum(1 for c in self.cells.values() if c.status is Status.FAIL and not c.accepted)

    @property
    def amber(self) -> int:
        return sum(1 for c in self.cells.values() if c.status is Status.WARN and not c.accepted)

    @property
    def worst(self) -> Status:
        return min(
            (c.status for c in self.cells.values()), key=lambda s: SEVERITY_ORDER[s], default=Status.NOT_APPLICABLE
        )

    @property
    def needs_attention(self) -> bool:
        return self.overdue or self.older_version or self.before_since


@dataclass(frozen=True)
class Action:
    check_id: str
    title: str
    theme: str
    status: Status  # worst among the machines concerned
    machines: tuple[str, ...]  # labels, worst machines first
    red: int
    amber: int
    points: float
    establishment: bool = False  # a questionnaire answer of the whole establishment


@dataclass(frozen=True)
class ThemeState:
    id: str
    title: str
    status: Status
    score: int
    coverage: int
    counts: dict[Status, int]


@dataclass(frozen=True)
class TrendPoint:
    month: date  # first day of the month; the state at the end of that month
    score: int
    coverage: int
    machines: int
    themes: dict[str, int]


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    title: str
    theme: str
    answer: Answer | None  # the establishment's answer
    stale: bool
    local: dict[str, int]  # machines' own answers: answer word -> number of machines


@dataclass
class FleetPicture:
    lang: str
    today: date
    machines: list[MachineState]
    items: list[str]  # machine checks, theme order (matrix columns)
    questions: list[str]  # questionnaire items
    score: int
    coverage: int
    counts: dict[Status, int]
    actions: list[Action]
    themes: list[ThemeState]
    answers: list[AnswerRow]
    latest_version: str
    interval_days: int
    since: date | None
    sites: list[str]
    never_visited: list[MachineRecord] = field(default_factory=list)
    exceptions: dict[str, FleetExceptions] = field(default_factory=dict)  # per site

    @property
    def red_machines(self) -> list[MachineState]:
        return [m for m in self.machines if m.red]

    @property
    def overdue(self) -> list[MachineState]:
        return [m for m in self.machines if m.overdue]

    @property
    def older(self) -> list[MachineState]:
        return [m for m in self.machines if m.older_version]

    @property
    def not_since(self) -> list[MachineState]:
        return [m for m in self.machines if m.before_since]

    def machine(self, machine_id: str) -> MachineState | None:
        return next((m for m in self.machines if m.machine_id == machine_id), None)


def version_key(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _pool(cells: Iterable[tuple[Cell, int]]) -> tuple[int, int, dict[Status, int]]:
    counts = dict.fromkeys(Status, 0)
    total = earned = verified = 0.0
    for cell, weight in cells:
        counts[cell.status] += 1
        if cell.status is Status.NOT_APPLICABLE:
            continue
        total += weight
        earned += weight * CREDIT[cell.status]
        if cell.status.verified:
            verified += weight
    if not total:
        return 0, 0, counts
    return round(100 * earned / total), round(100 * verified / total), counts


def machine_cells(
    summary: VisitSummary, answers: dict[str, Answer], exceptions: FleetExceptions, catalogue: Catalogue, today: date
) -> tuple[dict[str, Cell], dict[str, int]]:
    """A machine's items with the establishment's answers and accepted exceptions applied."""
    cells: dict[str, Cell] = {}
    weights: dict[str, int] = {}
    for cid, (status_text, weight, _theme, accepted_until) in summary.statuses.items():
        try:
            status = Status(status_text)
        except ValueError:
            status = Status.UNKNOWN
        local_accept = bool(accepted_until) and str(accepted_until) >= today.isoformat()
        cells[cid] = Cell(status, local_accept)
        weights[cid] = int(weight)
    for qid, answer in answers.items():
        spec = catalogue.checks.get(qid)
        if spec is None:
            continue
        local = cells.get(qid)
        cells[qid] = Cell(answer.status, False, "establishment", local.status if local else None)
        weights[qid] = spec.weight
    for cid, cell in cells.items():
        if cell.status in ACT_ON and exceptions.for_machine(summary.machine_id, cid, today) is not None:
            cells[cid] = replace(cell, accepted=True)
    return cells, weights


def _is_question(cid: str, catalogue: Catalogue) -> bool:
    spec = catalogue.checks.get(cid)
    return spec.kind == "ask" if spec else cid.startswith("ask.")


def _theme_of(cid: str, catalogue: Catalogue, fallback: dict[str, str]) -> str:
    spec = catalogue.checks.get(cid)
    return spec.theme if spec else fallback.get(cid, "")


def build_picture(
    latest: list[VisitSummary],
    catalogue: Catalogue,
    lang: str,
    today: date,
    *,
    site_documents: dict[str, dict[str, dict[str, Any]]] | None = None,
    machines: list[MachineRecord] | None = None,
    visit_counts: dict[str, int] | None = None,
    interval_days: int = 90,
    since: date | None = None,
    current_version: str = "",
) -> FleetPicture:
    from clinicguard.fleet.establishment import answers_from_document

    docs = site_documents or {}
    answers_by_site = {site: answers_from_document(d.get("answers")) for site, d in docs.items()}
    exceptions_by_site = {site: FleetExceptions.from_document(d.get("exceptions")) for site, d in docs.items()}
    records = {m.machine_id: m for m in machines or []}
    versions = [s.tool_version for s in latest if s.tool_version] + ([current_version] if current_version else [])
    latest_version = max(versions, key=version_key, default="")
    themes_fallback: dict[str, str] = {}
    states: list[MachineState] = []
    for s in latest:
        for cid, entry in s.statuses.items():
            themes_fallback.setdefault(cid, str(entry[2]))
        cells, weights = machine_cells(
            s, answers_by_site.get(s.site, {}), exceptions_by_site.get(s.site, FleetExceptions()), catalogue, today
        )
        score, coverage, counts = _pool((c, weights[cid]) for cid, c in cells.items())
        rec = records.get(s.machine_id)
        last_day = s.finished_at.astimezone().date()
        due = last_day + timedelta(days=interval_days)
        states.append(
            MachineState(
                machine_id=s.machine_id,
                label=s.label,
                site=s.site,
                platform=rec.platform if rec else "",
                os=rec.os if rec else "",
                visit_id=s.id,
                finished_at=s.finished_at,
                tool_version=s.tool_version,
                cells=cells,
                weights=weights,
                score=score,
                coverage=coverage,
                counts=counts,
                visits=(visit_counts or {}).get(s.machine_id, 1),
                due=due,
                overdue=due < today,
                older_version=bool(latest_version) and version_key(s.tool_version) < version_key(latest_version),
                before_since=since is not None and last_day < since,
                user=s.user,
            )
        )
    states.sort(key=lambda m: (-m.red, -m.amber, m.score, m.label.casefold(), m.machine_id))
    all_ids = {cid for m in states for cid in m.cells}
    ordered = sorted(all_ids, key=lambda cid: (catalogue.theme_order(_theme_of(cid, catalogue, themes_fallback)), cid))
    items = [cid for cid in ordered if not _is_question(cid, catalogue)]
    questions = [cid for cid in ordered if _is_question(cid, catalogue)]
    score, coverage, counts = _pool((c, m.weights[cid]) for m in states for cid, c in m.cells.items())
    known = {m.machine_id for m in states}
    picture = FleetPicture(
        lang=lang,
        today=today,
        machines=states,
        items=items,
        questions=questions,
        score=score,
        coverage=coverage,
        counts=counts,
        actions=_actions(states, ordered, catalogue, lang, themes_fallback),
        themes=_themes(states, catalogue, lang, themes_fallback),
        answers=[],
        latest_version=latest_version,
        interval_days=interval_days,
        since=since,
        sites=sorted({m.site for m in states}),
        never_visited=[r for mid, r in records.items() if mid not in known],
    )
    picture.exceptions = exceptions_by_site
    picture.answers = _answer_rows(states, questions, answers_by_site, catalogue, lang, today)
    return picture


def _title(cid: str, catalogue: Catalogue, lang: str) -> str:
    spec = catalogue.checks.get(cid)
    return spec.title(lang) if spec else cid


def _actions(
    states: list[MachineState], ordered: list[str], catalogue: Catalogue, lang: str, themes_fallback: dict[str, str]
) -> list[Action]:
    actions = []
    for cid in ordered:
        concerned = [(m, m.cells[cid]) for m in states if cid in m.cells and m.cells[cid].to_act_on]
        if not concerned:
            continue
        red = sum(1 for _, c in concerned if c.status is Status.FAIL)
        amber = len(concerned) - red
        weight = max(m.weights[cid] for m, _ in concerned)
        actions.append(
            Action(
                check_id=cid,
                title=_title(cid, catalogue, lang),
                theme=_theme_of(cid, catalogue, themes_fallback),
                status=Status.FAIL if red else Status.WARN,
                machines=tuple(m.label for m, _ in concerned),
                red=red,
                amber=amber,
                points=weight * (red + 0.5 * amber),
                establishment=all(c.origin == "establishment" for _, c in concerned),
            )
        )
    priority = {cid: (catalogue.checks[cid].priority if cid in catalogue.checks else 2) for cid in ordered}
    return sorted(actions, key=lambda a: (-a.points, priority[a.check_id], a.check_id))


def _themes(
    states: list[MachineState], catalogue: Catalogue, lang: str, themes_fallback: dict[str, str]
) -> list[ThemeState]:
    by_theme: dict[str, list[tuple[Cell, int]]] = {}
    for m in states:
        for cid, cell in m.cells.items():
            by_theme.setdefault(_theme_of(cid, catalogue, themes_fallback), []).append((cell, m.weights[cid]))
    out = []
    for tid in sorted(by_theme, key=catalogue.theme_order):
        cells = by_theme[tid]
        score, coverage, counts = _pool(cells)
        applicable: list[Status] = [c.status for c, _ in cells if c.status is not Status.NOT_APPLICABLE]
        applicable = applicable or [Status.NOT_APPLICABLE]
        worst = min(applicable, key=lambda s: SEVERITY_ORDER[s])
        title = catalogue.themes[tid].title(lang) if tid in catalogue.themes else (tid or "—")
        out.append(ThemeState(tid, title, worst, score, coverage, counts))
    return out


def _answer_rows(
    states: list[MachineState],
    questions: list[str],
    answers_by_site: dict[str, dict[str, Answer]],
    catalogue: Catalogue,
    lang: str,
    today: date,
) -> list[AnswerRow]:
    from clinicguard.records.questionnaire import questions as all_questions

    ids = list(dict.fromkeys([q.id for q in all_questions(catalogue)] + questions))
    sites = sorted({m.site for m in states}) or [""]
    rows = []
    for qid in ids:
        answer = next(
            (answers_by_site.get(site, {}).get(qid) for site in sites if qid in answers_by_site.get(site, {})), None
        )
        local: dict[str, int] = {}
        for m in states:
            cell = m.cells.get(qid)
            if cell is None:
                continue
            own = cell.local if cell.origin == "establishment" else cell.status
            if own is not None:
                local[own.value] = local.get(own.value, 0) + 1
        rows.append(
            AnswerRow(
                qid,
                _title(qid, catalogue, lang),
                _theme_of(qid, catalogue, {}),
                answer,
                answer is not None and (today - answer.answered_on).days > STALE_AFTER_DAYS,
                local,
            )
        )
    return rows


def fold(text: str) -> str:
    """Case- and accent-insensitive form for searching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Filters:
    colour: str = "all"  # one of COLOUR_FILTERS
    theme: str = ""  # theme id, "" = every theme
    machine: str = ""  # part of a label or site
    search: str = ""  # part of a machine label or item title

    @property
    def active(self) -> bool:
        return self != Filters()


def matrix(picture: FleetPicture, catalogue: Catalogue, filters: Filters) -> tuple[list[MachineState], list[str]]:
    """The rows (machines) and columns (items) the filters keep, worst machines first."""
    lang = picture.lang
    columns = [cid for cid in picture.items if not filters.theme or _theme_of(cid, catalogue, {}) == filters.theme]
    rows = picture.machines
    if filters.machine:
        needle = fold(filters.machine)
        rows = [m for m in rows if needle in fold(m.label) or needle in fold(m.site)]
    if filters.search:
        needle = fold(filters.search)
        titled = [cid for cid in columns if needle in fold(_title(cid, catalogue, lang)) or needle in fold(cid)]
        named = [m for m in rows if needle in fold(m.label) or needle in fold(m.site)]
        if titled:
            columns = titled
        if named or not titled:
            rows = named
    wanted = _FILTER_STATUSES.get(filters.colour)
    if wanted:

        def hit(cell: Cell | None) -> bool:
            return cell is not None and cell.status in wanted and (not cell.accepted or cell.status is Status.UNKNOWN)

        columns = [cid for cid in columns if any(hit(m.cells.get(cid)) for m in rows)]
        rows = [m for m in rows if any(hit(m.cells.get(cid)) for cid in columns)]
    return rows, columns


def month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _visit_sums(
    statuses: dict[str, list[Any]], answers: dict[str, Answer], catalogue: Catalogue, fallback: dict[str, str]
) -> dict[str, list[float]]:
    """Per theme: [earned, total, verified] weight of one visit, the establishment's answers in place."""
    sums: dict[str, list[float]] = {}

    def add(theme: str, status_text: str, weight: float) -> None:
        if status_text == "NOT_APPLICABLE":
            return
        acc = sums.setdefault(theme, [0.0, 0.0, 0.0])
        acc[1] += weight
        acc[0] += weight * _CREDIT_BY_TEXT.get(status_text, 0.0)
        if status_text in _VERIFIED_TEXT:
            acc[2] += weight

    for cid, entry in statuses.items():
        if cid in answers:
            continue
        add(_theme_of(cid, catalogue, fallback) or str(entry[2]), str(entry[0]), float(entry[1]))
    for qid, answer in answers.items():
        spec = catalogue.checks.get(qid)
        if spec is not None:
            add(spec.theme, answer.status.value, float(spec.weight))
    return sums


_CREDIT_BY_TEXT = {s.value: c for s, c in CREDIT.items()}
_VERIFIED_TEXT = frozenset(s.value for s in Status if s.verified)


def _ratio(part: float, total: float) -> int:
    return round(100 * part / total) if total else 0


def trend(
    visits: Iterable[tuple[int, str, str, datetime, dict[str, list[Any]]]],
    catalogue: Catalogue,
    today: date,
    *,
    site_documents: dict[str, dict[str, dict[str, Any]]] | None = None,
    months: int = 12,
) -> list[TrendPoint]:
    """The establishment score at the end of each month: every machine counted by its last visit by then.

    ``visits`` yields (id, machine, site, date, statuses) oldest first; each visit is reduced to its
    per-theme sums at once, so thousands of visits never sit in memory.
    """
    from clinicguard.fleet.establishment import answers_from_document

    docs = site_documents or {}
    answers_by_site = {site: answers_from_document(d.get("answers")) for site, d in docs.items()}
    fallback: dict[str, str] = {}
    reduced = [
        (when, machine, _visit_sums(statuses, answers_by_site.get(site, {}), catalogue, fallback))
        for _id, machine, site, when, statuses in visits
    ]
    if not reduced:
        return []
    reduced.sort(key=lambda x: x[0])
    first = month_start(reduced[0][0].astimezone().date())
    start = max(first, month_start(today - timedelta(days=31 * (months - 1))))
    points: list[TrendPoint] = []
    latest: dict[str, dict[str, list[float]]] = {}
    i = 0
    month = first
    while month <= month_start(today):
        end = datetime.combine(_next_month(month), datetime.min.time()).astimezone(UTC)
        while i < len(reduced) and reduced[i][0] < end:
            latest[reduced[i][1]] = reduced[i][2]
            i += 1
        if month >= start and latest:
            totals: dict[str, list[float]] = {}
            for sums in latest.values():
                for theme, (earned, total, verified) in sums.items():
                    acc = totals.setdefault(theme, [0.0, 0.0, 0.0])
                    acc[0] += earned
                    acc[1] += total
                    acc[2] += verified
            earned = sum(a[0] for a in totals.values())
            total = sum(a[1] for a in totals.values())
            verified = sum(a[2] for a in totals.values())
            points.append(
                TrendPoint(
                    month,
                    _ratio(earned, total),
                    _ratio(verified, total),
                    len(latest),
                    {tid: _ratio(a[0], a[1]) for tid, a in totals.items()},
                )
            )
        month = _next_month(month)
    return points


BARS = "▁▂▃▄▅▆▇█"


def sparkline(scores: list[int]) -> str:
    """One bar per value, 0 to 100."""
    return "".join(BARS[min(len(BARS) - 1, max(0, s) * len(BARS) // 101)] for s in scores)
