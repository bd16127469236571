"""Rich text of the fleet view: header, matrix cells, the selected cell, actions and attention lists."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from clinicguard.core.model import Status
from clinicguard.fleet.aggregate import Cell, Filters, FleetPicture, TrendPoint, sparkline
from clinicguard.fleet.importer import ImportReport
from clinicguard.fleet.report.content import FleetReportView
from clinicguard.i18n import t
from clinicguard.present.safe import safe_line
from clinicguard.present.statuses import MARKS, marked_label
from clinicguard.tui.render import STYLES

ACCEPTED_MARK = "✓"


def cell_text(cell: Cell | None) -> Text:
    if cell is None:
        return Text("  ")
    text = Text(" " + MARKS[cell.status], style=STYLES[cell.status])
    if cell.accepted:
        text.append(ACCEPTED_MARK, style="bold #8c9eff")
    elif cell.origin == "establishment":
        text.append("·", style="dim")
    return text


def score_text(score: int, status: Status) -> Text:
    return Text(f"{score:>3}", style=STYLES[status])


def header(
    picture: FleetPicture,
    establishment: str,
    trend: list[TrendPoint],
    filters: Filters,
    lang: str,
    theme_title: str,
    width: int,
) -> Text:
    red = len(picture.red_machines)
    name = f"{safe_line(establishment)} — " if establishment else ""
    out = Text(
        t(
            "fleet.tui.header",
            lang,
            establishment=name,
            score=picture.score,
            coverage=picture.coverage,
            machines=len(picture.machines),
            red=red,
        ),
        style="bold",
    )
    spark = sparkline([p.score for p in trend]) if len(trend) > 1 else ""
    if spark and out.cell_len + 2 + len(spark) <= width:
        out.append(f"  {spark}", style="bold cyan")
    out.append("\n")
    parts = [t(f"fleet.filter.{filters.colour}", lang)]
    if filters.theme:
        parts.append(t("fleet.filter.theme", lang, name=theme_title))
    if filters.search:
        parts.append(t("fleet.filter.search", lang, query=safe_line(filters.search)))
    line = t("fleet.filter.label", lang, name=" · ".join(parts))
    legend = t("fleet.legend", lang)
    out.append(line, style="bold" if filters.active else "dim")
    if len(line) + len(legend) + 4 <= width:
        out.append("    " + legend, style="dim")
    return out


def cell_line(label: str, title: str, cell: Cell | None, lang: str) -> Text:
    if cell is None:
        return Text(f"{safe_line(label)} — {title}", style="dim")
    out = Text(f"{safe_line(label)} — {title} : " if lang == "fr" else f"{safe_line(label)} — {title}: ")
    out.append(marked_label(cell.status, lang), style=STYLES[cell.status])
    if cell.accepted:
        out.append(t("fleet.tui.cell_accepted", lang), style="bold #8c9eff")
    if cell.origin == "establishment":
        out.append(t("fleet.tui.cell_establishment", lang), style="dim")
    return out


def actions_body(view: FleetReportView) -> Group:
    lang = view.lang
    parts: list = [
        Text(view.txt("fleet.actions_title"), style="bold reverse"),
        Text(view.txt("fleet.actions_intro"), style="dim"),
        Text(""),
    ]
    if not view.actions:
        parts.append(Text(view.txt("fleet.actions_empty")))
    for n, a in enumerate(view.actions, 1):
        line = Text(f"{n:>2}. ")
        line.append(marked_label(a.status, lang), style=STYLES[a.status])
        line.append("  " + view.action_text(a), style="bold")
        parts.append(line)
        if not a.establishment:
            parts.append(Text("     " + ", ".join(view.action_machines(a)), style="dim"))
    parts += [Text(""), Text(view.txt("fleet.themes_title"), style="bold underline")]
    table = Table.grid(padding=(0, 2))
    for _ in range(3):
        table.add_column()
    for th in view.themes:
        spark = sparkline([p.themes.get(th.id, 0) for p in view.trend]) if len(view.trend) > 1 else ""
        table.add_row(
            Text(marked_label(th.status, lang), style=STYLES[th.status]),
            Text(th.title),
            Text(f"{th.score}/100  {spark}"),
        )
    parts.append(table)
    if len(view.trend) > 1:
        first, last = view.trend[0], view.trend[-1]
        parts += [
            Text(""),
            Text.assemble(
                (view.txt("fleet.trend_title") + "  ", "bold"),
                (sparkline([p.score for p in view.trend]), "bold cyan"),
                f"  {first.score} → {last.score}/100",
            ),
        ]
    parts += [Text(""), Text(t("tui.help.close", lang), style="dim")]
    return Group(*parts)


def attention_body(view: FleetReportView, imported: ImportReport | None) -> Group:
    lang = view.lang
    parts: list = [Text(view.txt("fleet.attention_title"), style="bold reverse"), Text("")]
    parts += [Text("• " + line) for line in view.attention] or [Text(view.txt("fleet.attention_none"))]
    if imported is not None:
        parts += [Text(""), Text(view.txt("fleet.imported", imported=imported.imported, already=imported.already))]
        if imported.skipped:
            parts += [Text(""), Text(view.txt("fleet.skipped_title"), style="bold underline")]
            parts += [
                Text(
                    "• "
                    + t(
                        "fleet.skipped_line",
                        lang,
                        name=safe_line(s.name),
                        reason=t(f"fleet.skip.{s.reason}", lang),
                        detail=safe_line(s.detail),
                    )
                )
                for s in imported.skipped
            ]
    parts += [Text(""), Text(t("tui.help.close", lang), style="dim")]
    return Group(*parts)
