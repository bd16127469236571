"""Everything a fleet report shows, resolved into the reader's language once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clinicguard import __version__
from clinicguard.catalogue import Catalogue
from clinicguard.core.model import SEVERITY_ORDER, Acceptance, Status
from clinicguard.fleet.aggregate import Action, FleetPicture, MachineState, ThemeState, TrendPoint
from clinicguard.i18n import format_value, t
from clinicguard.present.safe import safe_line

TOP_ACTIONS = 5


@dataclass(frozen=True)
class MachineLine:
    machine_id: str
    label: str
    site: str
    when: str
    score: int
    coverage: int
    red: int
    amber: int
    grey: int
    worst: Status
    version: str
    attention: list[str]
    reds: list[str]  # item titles, red first then amber
    ambers: list[str]


@dataclass(frozen=True)
class ExceptionLine:
    target: str  # a workstation label or "whole fleet"
    title: str
    justification: str
    accepted_on: date
    expires: date


@dataclass
class FleetReportView:
    lang: str
    today: date
    establishment: str
    picture: FleetPicture
    machines: list[MachineLine]
    actions: list[Action]
    red_machines: list[MachineLine]
    themes: list[ThemeState]
    trend: list[TrendPoint]
    attention: list[str]
    exceptions: list[ExceptionLine]
    anonymized: bool
    titles: dict[str, str]
    theme_titles: dict[str, str]
    tool_version: str = __version__
    labels: dict[str, str] = field(default_factory=dict)  # machine label -> label shown
    item_themes: dict[str, str] = field(default_factory=dict)

    def txt(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def day(self, value: date) -> str:
        return str(format_value("x_date", value, self.lang))

    @property
    def colon(self) -> str:
        return "\u00a0:" if self.lang == "fr" else ":"

    @property
    def total(self) -> int:
        return len(self.picture.machines)

    def action_text(self, action: Action) -> str:
        title = self.titles.get(action.check_id, action.title)
        if action.establishment:
            return self.txt("fleet.action_establishment", title=title)
        return self.txt("fleet.action_line", title=title, count=len(action.machines), total=self.total)

    def action_machines(self, action: Action) -> list[str]:
        return [self.labels.get(label, label) for label in action.machines]

    @property
    def multi_site(self) -> bool:
        return len(self.picture.sites) > 1


def _names(machines: list[MachineState], labels: dict[str, str]) -> str:
    names = [labels[m.machine_id] for m in machines]
    return ", ".join(names[:20]) + (f" (+{len(names) - 20})" if len(names) > 20 else "")


def build_fleet_view(
    picture: FleetPicture,
    catalogue: Catalogue,
    *,
    settings: dict[str, Any] | None = None,
    trend: list[TrendPoint] | None = None,
    anonymized: bool = False,
) -> FleetReportView:
    lang = picture.lang
    titles = {
        cid: (catalogue.checks[cid].title(lang) if cid in catalogue.checks else cid)
        for cid in picture.items + picture.questions
    }
    # Labels are untrusted (typed on each workstation): one safe line each, or a number when anonymised.
    labels = {
        m.machine_id: (t("fleet.anon_machine", lang, number=n) if anonymized else safe_line(m.label))
        for n, m in enumerate(picture.machines, 1)
    }
    by_label = {m.label: labels[m.machine_id] for m in picture.machines}
    lines = []
    for m in picture.machines:
        flags = []
        if m.overdue:
            flags.append("overdue")
        if m.older_version:
            flags.append("older")
        if m.before_since:
            flags.append("not_since")
        act = sorted(
            ((cid, c) for cid, c in m.cells.items() if c.to_act_on),
            key=lambda x: (SEVERITY_ORDER[x[1].status], -m.weights.get(x[0], 1), x[0]),
        )
        lines.append(
            MachineLine(
                machine_id=m.machine_id,
                label=labels[m.machine_id],
                site=safe_line(m.site),
                when=str(format_value("x_date", m.finished_at.astimezone().date(), lang)),
                score=m.score,
                coverage=m.coverage,
                red=m.red,
                amber=m.amber,
                grey=m.counts.get(Status.UNKNOWN, 0),
                worst=m.worst,
                version=safe_line(m.tool_version),
                attention=flags,
                reds=[titles.get(cid, cid) for cid, c in act if c.status is Status.FAIL],
                ambers=[titles.get(cid, cid) for cid, c in act if c.status is Status.WARN],
            )
        )
    attention: list[str] = []
    if picture.overdue:
        attention.append(t("fleet.overdue", lang, days=picture.interval_days, names=_names(picture.overdue, labels)))
    if picture.older:
        attention.append(t("fleet.older", lang, version=picture.latest_version, names=_names(picture.older, labels)))
    if picture.not_since and picture.since:
        attention.append(t("fleet.not_since", lang, since_date=picture.since, names=_names(picture.not_since, labels)))
    if picture.never_visited:
        attention.append(
            t(
                "fleet.never",
                lang,
                names=", ".join(
                    t("fleet.anon_machine", lang, number="?") if anonymized else safe_line(r.label)
                    for r in picture.never_visited
                ),
            )
        )
    exceptions = _exceptions(picture, titles, labels, lang)
    establishment = str(((settings or {}).get("establishment") or {}).get("name", "") or "")
    if not establishment and len(picture.sites) == 1:
        establishment = picture.sites[0]
    return FleetReportView(
        lang=lang,
        today=picture.today,
        establishment=safe_line(establishment),
        picture=picture,
        machines=lines,
        actions=picture.actions,
        red_machines=[ln for ln in lines if ln.red],
        themes=picture.themes,
        trend=trend or [],
        attention=attention,
        exceptions=exceptions,
        anonymized=anonymized,
        titles=titles,
        theme_titles={th.id: th.title for th in picture.themes},
        labels=by_label,
        item_themes={cid: catalogue.checks[cid].theme if cid in catalogue.checks else "" for cid in titles},
    )


def _exceptions(
    picture: FleetPicture, titles: dict[str, str], labels: dict[str, str], lang: str
) -> list[ExceptionLine]:
    from clinicguard.fleet.establishment import FLEET_WIDE

    out: dict[tuple[str, str], ExceptionLine] = {}
    for exceptions in picture.exceptions.values():
        for machine, entries in exceptions.items.items():
            for cid, acc in entries.items():
                if acc.expires < picture.today:
                    continue
                if machine == FLEET_WIDE:
                    target = t("fleet.exceptions_fleet", lang)
                else:
                    target = labels.get(machine, machine[:12])
                out[(target, cid)] = _line(target, titles.get(cid, cid), acc)
    return sorted(out.values(), key=lambda e: (e.target, e.title))


def _line(target: str, title: str, acc: Acceptance) -> ExceptionLine:
    return ExceptionLine(target, title, safe_line(acc.justification), acc.accepted_on, acc.expires)


def status_label(status: Status, lang: str) -> str:
    return t(f"status.{status.value}", lang)
