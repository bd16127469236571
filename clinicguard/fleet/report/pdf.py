"""The fleet report as PDF, drawn with the workstation report's PDF writer (fpdf2, DejaVu Sans embedded)."""

from __future__ import annotations

from datetime import datetime, time
from types import SimpleNamespace

from clinicguard.core.model import Status
from clinicguard.fleet.report.content import TOP_ACTIONS, FleetReportView
from clinicguard.fleet.report.html import answer_word, local_summary
from clinicguard.report.html import MARK
from clinicguard.report.pdf import FONT, GREY_RGB, RGB, TEXT_RGB, _Writer


class FleetWriter(_Writer):
    def __init__(self, v: FleetReportView) -> None:
        # The workstation writer sets up the page, fonts, footer and metadata from these few fields.
        shim = SimpleNamespace(
            txt=v.txt,
            tool_version=v.tool_version,
            lang=v.lang,
            assessment=SimpleNamespace(finished_at=datetime.combine(v.today, time(12)).astimezone()),
        )
        super().__init__(shim)  # type: ignore[arg-type]
        self.fv = v
        self.pdf.set_title(v.txt("fleet.title"))

    def para(
        self,
        text: str,
        size: float = 8,
        bold: bool = False,
        rgb: tuple[int, int, int] = TEXT_RGB,
        h: float = 4.2,
        indent: float = 0,
    ) -> None:
        """A wrapped paragraph laid out word by word with cached widths.

        fpdf2's multi_cell measures every candidate line again and again; on a fleet of hundreds of
        workstations the same item titles recur, so measuring each word once keeps the PDF fast.
        """
        pdf = self.pdf
        style = "B" if bold else ""
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*rgb)
        room = pdf.w - pdf.l_margin - pdf.r_margin - indent
        space = self._width(" ", style, size)
        line: list[str] = []
        used = 0.0
        for word in text.split():
            w = self._width(word, style, size)
            if line and used + space + w > room:
                self._emit(" ".join(line), h, indent)
                line, used = [], 0.0
            used += (space if line else 0) + w
            line.append(word)
        if line:
            self._emit(" ".join(line), h, indent)

    def _width(self, word: str, style: str, size: float) -> float:
        key = (word, style, size)
        cache = self.__dict__.setdefault("_widths", {})
        if key not in cache:
            cache[key] = self.pdf.get_string_width(word)
        return float(cache[key])

    def _emit(self, line: str, h: float, indent: float) -> None:
        pdf = self.pdf
        if pdf.get_y() + h > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(0, h, line)
        pdf.ln(h)

    def rows(
        self,
        headings: list[str],
        rows: list[list[str]],
        widths: tuple[int, ...],
        colours: list[tuple[int, int, int] | None] | None = None,
        size: float = 8.5,
    ) -> None:
        """A table of one-line rows drawn cell by cell: hundreds of workstations stay fast to lay out.

        A text too long for its column is shortened with "…" (the full text is in the section below it).
        """
        pdf = self.pdf
        height = size * 0.55

        def line(values: list[str], bold: bool, colour: tuple[int, int, int] | None) -> None:
            if pdf.get_y() + height > pdf.h - pdf.b_margin:
                pdf.add_page()
            pdf.set_x(pdf.l_margin)
            for col, (value, width) in enumerate(zip(values, widths, strict=False)):
                pdf.set_font(FONT, "B" if bold or (colour and col == 1) else "", size)
                pdf.set_text_color(*(colour if colour and col == 1 else TEXT_RGB))
                pdf.cell(width, height, _fit(pdf, value, width - 1.5))
            pdf.ln(height)

        line(headings, True, None)
        pdf.set_draw_color(190, 200, 210)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + sum(widths), pdf.get_y())
        for n, values in enumerate(rows):
            line(values, False, colours[n] if colours else None)
        pdf.ln(2)

    def build(self) -> bytes:  # type: ignore[override]
        v, pdf = self.fv, self.pdf
        p = v.picture
        pdf.add_page()
        self.text(v.txt("fleet.title"), size=18, bold=True, h=9)
        self.text(
            (v.establishment + " — " if v.establishment else "") + v.txt("report.subtitle"), size=11, rgb=GREY_RGB, h=6
        )
        self.text(f"{v.txt('report.date')}{v.colon} {v.day(v.today)} · clinicguard {v.tool_version}", size=9)
        if v.anonymized:
            self.text(v.txt("fleet.anon_note"), size=8.5, rgb=GREY_RGB)
        pdf.ln(2)
        self.text(
            f"{v.txt('fleet.score')}{v.colon} {v.txt('report.score_value', score=p.score)}", size=16, bold=True, h=8
        )
        self.text(
            f"{v.txt('fleet.coverage')}{v.colon} {p.coverage} % · "
            f"{v.txt('fleet.machines_count', count=v.total)} · "
            f"{v.txt('fleet.red_machines_title')}{v.colon} {len(v.red_machines)}",
            size=10,
        )
        self.heading(v.txt("fleet.actions_title"))
        self.text(v.txt("fleet.actions_intro"), size=8.5, rgb=GREY_RGB)
        if not v.actions:
            self.text(v.txt("fleet.actions_empty"))
        for n, a in enumerate(v.actions[:TOP_ACTIONS], 1):
            self.status_line(a.status, v.txt(f"status.{a.status.value}"), f"{n}. {v.action_text(a)}")
            if not a.establishment:
                self.para(", ".join(v.action_machines(a)), size=8, rgb=GREY_RGB, indent=6)
        self.heading(v.txt("fleet.red_machines_title"))
        if not v.red_machines:
            self.text(v.txt("fleet.red_machines_empty"))
        else:
            self.rows(
                [v.txt("fleet.machine"), v.txt("fleet.red"), v.txt("report.item")],
                [[m.label, str(m.red), ", ".join(m.reds)] for m in v.red_machines],
                (44, 20, 114),
            )

        pdf.add_page()
        self.heading(v.txt("fleet.themes_title"))
        self.table(
            [v.txt("report.theme"), v.txt("fleet.status_worst"), v.txt("report.score"), v.txt("fleet.coverage")],
            [[th.title, v.txt(f"status.{th.status.value}"), f"{th.score}/100", f"{th.coverage} %"] for th in v.themes],
            (80, 40, 30, 28),
            [RGB[th.status] for th in v.themes],
        )
        self.heading(v.txt("fleet.trend_title"), size=11)
        if len(v.trend) < 2:
            self.text(v.txt("fleet.trend_empty"))
        if v.trend:
            self.table(
                [v.txt("report.date"), v.txt("report.score"), v.txt("fleet.coverage"), v.txt("fleet.machines")],
                [[pt.month.strftime("%m/%Y"), str(pt.score), f"{pt.coverage} %", str(pt.machines)] for pt in v.trend],
                (45, 45, 45, 43),
            )
        self.heading(v.txt("fleet.attention_title"))
        for line in v.attention or [v.txt("fleet.attention_none")]:
            self.text(line)

        self.heading(v.txt("fleet.machines"))
        self.rows(
            [
                v.txt("fleet.machine"),
                v.txt("report.score"),
                v.txt("fleet.site"),
                v.txt("fleet.last_visit"),
                v.txt("fleet.red"),
                v.txt("fleet.amber"),
                v.txt("fleet.grey"),
            ],
            [
                [m.label, f"{MARK[m.worst]} {m.score}", m.site, m.when, str(m.red), str(m.amber), str(m.grey)]
                for m in v.machines
            ],
            (46, 18, 40, 26, 16, 16, 16),
            [RGB[m.worst] for m in v.machines],
        )
        for m in v.machines:
            if not (m.reds or m.ambers):
                continue
            self.para(m.label, bold=True, size=9, h=4.6)
            if m.reds:
                self.para(
                    f"{MARK[Status.FAIL]} {v.txt('status.FAIL')}{v.colon} " + " · ".join(m.reds),
                    size=8,
                    rgb=RGB[Status.FAIL],
                    indent=4,
                )
            if m.ambers:
                self.para(
                    f"{MARK[Status.WARN]} {v.txt('status.WARN')}{v.colon} " + " · ".join(m.ambers),
                    size=8,
                    rgb=RGB[Status.WARN],
                    indent=4,
                )

        self.heading(v.txt("fleet.answers_title"))
        self.text(v.txt("fleet.answers_intro"), size=8.5, rgb=GREY_RGB)
        rows, colours = [], []
        for row in p.answers:
            ans = row.answer
            rows.append(
                [
                    row.title,
                    answer_word(v, ans.answer if ans else ""),
                    v.day(ans.answered_on) if ans else "",
                    local_summary(v, row.local),
                ]
            )
            colours.append(RGB[ans.status if ans else Status.UNKNOWN])
        self.table(
            [
                v.txt("report.question"),
                v.txt("report.answer"),
                v.txt("report.answered_on"),
                v.txt("fleet.local_answers", summary="").rstrip(" :"),
            ],
            rows,
            (80, 30, 26, 42),
            colours,
        )

        self.heading(v.txt("fleet.exceptions_title"))
        if not v.exceptions:
            self.text(v.txt("fleet.exceptions_empty"))
        else:
            self.table(
                [v.txt("fleet.machine"), v.txt("report.item"), v.txt("report.justification"), v.txt("report.expires")],
                [[x.target, x.title, x.justification, v.day(x.expires)] for x in v.exceptions],
                (36, 54, 64, 24),
            )
        self.heading(v.txt("report.incident_title"))
        for n in range(1, 6):
            self.text(f"• {v.txt(f'report.incident_{n}')}", size=9)
        self.heading(v.txt("fleet.formula_title"), size=11)
        self.text(v.txt("fleet.formula"), size=8.5)
        pdf.ln(6)
        self.text(v.txt("report.signature"))
        return bytes(pdf.output())


def _fit(pdf, text: str, width: float) -> str:  # type: ignore[no-untyped-def]
    if pdf.get_string_width(text) <= width:
        return text
    # Shorten by the measured ratio, then trim the last characters one by one.
    cut = max(1, int(len(text) * width / max(pdf.get_string_width(text), 1)))
    while cut > 1 and pdf.get_string_width(text[:cut] + "…") > width:
        cut -= 1
    return text[:cut] + "…"


def render_pdf(v: FleetReportView) -> bytes:
    return FleetWriter(v).build()
