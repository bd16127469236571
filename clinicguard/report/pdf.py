"""PDF report with fpdf2 (pure Python: nothing to install on Windows).

DejaVu Sans is embedded (fonts/LICENSE) so accented French text prints as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from clinicguard.core.model import Status
from clinicguard.files.datafiles import package_file
from clinicguard.present.changes import score_params
from clinicguard.present.statuses import MARKS as MARK
from clinicguard.report.content import PLAN_FIRST_PAGE, ReportView

RGB = {
    Status.PASS: (23, 105, 47),
    Status.WARN: (154, 91, 0),
    Status.FAIL: (179, 38, 30),
    Status.UNKNOWN: (82, 96, 109),
    Status.NOT_APPLICABLE: (123, 135, 148),
}
ACCEPTED_RGB = (61, 77, 183)
TEXT_RGB = (31, 41, 51)
GREY_RGB = (82, 96, 109)
FONT = "DejaVu"
# Room a heading needs below it before a page ends (mm): its own line and about three lines of text.
HEADING_KEEP_MM = 20
# Room for the start of an item: its status line and the first lines of its summary.
ITEM_KEEP_MM = 22


def _pdf_class():  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    class ReportPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, "", 7)
            self.set_text_color(*GREY_RGB)
            self.cell(0, 5, f"{self.footer_text} — {self.page_no()}/{{nb}}", align="C")

    return ReportPDF


class _Writer:
    def __init__(self, v: ReportView) -> None:
        self.v = v
        pdf = _pdf_class()(format="A4")
        pdf.set_margins(16, 14, 16)
        pdf.set_auto_page_break(True, margin=16)
        pdf.add_font(FONT, "", str(package_file("report", "fonts", "DejaVuSans.ttf")))
        pdf.add_font(FONT, "B", str(package_file("report", "fonts", "DejaVuSans-Bold.ttf")))
        pdf.footer_text = v.txt("report.footer", version=v.tool_version)
        pdf.set_title(v.txt("report.title"))
        pdf.set_creator(f"clinicguard {v.tool_version}")
        pdf.set_lang(v.lang)
        finished = v.assessment.finished_at
        pdf.set_creation_date(finished if isinstance(finished, datetime) else None)
        self.pdf = pdf

    def text(
        self,
        text: str,
        size: float = 9.5,
        bold: bool = False,
        rgb: tuple[int, int, int] = TEXT_RGB,
        h: float = 4.8,
        indent: float = 0,
    ) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.set_text_color(*rgb)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT", align="L")

    def keep_with_next(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit here: a heading never ends a page without its first lines."""
        if self.pdf.will_page_break(height):
            self.pdf.add_page()

    def label(self, text: str) -> None:
        """A bold label ("Pourquoi c'est important", "Que faire") kept with the first three lines below it."""
        self.keep_with_next(HEADING_KEEP_MM)
        self.text(text, size=9, bold=True, indent=4)

    def heading(self, text: str, size: float = 13) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.ln(3)
        self.text(text, size=size, bold=True, h=size * 0.55)
        pdf.set_draw_color(*TEXT_RGB)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)

    def status_line(self, status: Status, label: str, title: str, accepted: bool = False, size: float = 9.5) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", size)
        pdf.set_text_color(*RGB[status])
        badge = f"{MARK[status]} {label}"
        pdf.cell(pdf.get_string_width(badge) + 3, 5.5, badge)
        if accepted:
            pdf.set_text_color(*ACCEPTED_RGB)
            tag = f"✓ {self.v.txt('report.accepted')}"
            pdf.cell(pdf.get_string_width(tag) + 3, 5.5, tag)
        pdf.set_text_color(*TEXT_RGB)
        pdf.multi_cell(0, 5.5, title, new_x="LMARGIN", new_y="NEXT", align="L")

    def table(
        self,
        headings: list[str],
        rows: list[list[str]],
        widths: tuple[int, ...],
        colours: Sequence[tuple[int, int, int] | None] | None = None,
    ) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*TEXT_RGB)
        pdf.set_draw_color(190, 200, 210)
        from fpdf.fonts import FontFace

        with pdf.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=4.6,
            headings_style=FontFace(emphasis="BOLD", fill_color=(240, 244, 248)),
        ) as table:
            head = table.row()
            for cell in headings:
                head.cell(cell)
            for n, values in enumerate(rows):
                row = table.row()
                for col, value in enumerate(values):
                    colour = colours[n] if colours and col == 1 else None
                    if colour:
                        row.cell(value, style=FontFace(color=colour, emphasis="BOLD"))
                    else:
                        row.cell(value)
        pdf.ln(2)

    def build(self) -> bytes:
        v, pdf = self.v, self.pdf
        s = v.assessment.score
        c = s.counts
        pdf.add_page()
        self.text(v.txt("report.title"), size=18, bold=True, h=9)
        self.text(
            (v.establishment + " — " if v.establishment else "") + v.txt("report.subtitle"), size=11, rgb=GREY_RGB, h=6
        )
        pdf.ln(2)
        for key, value in (
            ("report.establishment", v.establishment or "—"),
            ("report.machine", v.hostname or "—"),
            ("report.system", v.os),
            ("report.user", v.user or "—"),
            ("report.date", v.when),
            ("report.tool", f"clinicguard {v.tool_version}"),
        ):
            pdf.set_font(FONT, "B", 9.5)
            pdf.set_text_color(*TEXT_RGB)
            pdf.cell(42, 5, v.txt(key))
            pdf.set_font(FONT, "", 9.5)
            pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
        if v.anonymized:
            self.text(v.txt("report.anon_note"), size=8.5, rgb=GREY_RGB)
        pdf.ln(3)
        boxes = (
            (v.txt("report.score"), v.txt("report.score_value", score=s.value)),
            (v.txt("report.coverage"), f"{s.coverage} %"),
            (v.txt("report.next_due"), v.day(v.next_due)),
        )
        width = (pdf.w - pdf.l_margin - pdf.r_margin - 8) / 3
        top = pdf.get_y()
        for n, (label, value) in enumerate(boxes):
            x = pdf.l_margin + n * (width + 4)
            pdf.set_draw_color(188, 204, 220)
            pdf.rect(x, top, width, 18)
            pdf.set_xy(x + 2, top + 1.5)
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(*GREY_RGB)
            pdf.cell(width - 4, 4, label)
            pdf.set_xy(x + 2, top + 7)
            pdf.set_font(FONT, "B", 15)
            pdf.set_text_color(*TEXT_RGB)
            pdf.cell(width - 4, 9, value)
        pdf.set_xy(pdf.l_margin, top + 21)
        self.text(
            v.txt(
                "report.counts",
                fail=c.get("FAIL", 0),
                warn=c.get("WARN", 0),
                unknown=c.get("UNKNOWN", 0),
                ok=c.get("PASS", 0),
                na=c.get("NOT_APPLICABLE", 0),
            ),
            size=8.5,
            rgb=GREY_RGB,
        )

        self.heading(v.txt("report.plan_title"))
        self.text(v.txt("report.plan_intro"), size=9, rgb=GREY_RGB)
        pdf.ln(1)
        if not v.plan:
            self.text(v.txt("report.plan_empty"))
        for n, item in enumerate(v.plan[:PLAN_FIRST_PAGE], 1):
            self.status_line(item.status, item.label, f"{n}. {item.title}")
            self.text(item.theme, size=8, rgb=GREY_RGB, indent=4)
            if item.fix:
                self.text(item.fix, size=9, indent=4)  # the whole action for the item's colour
            pdf.ln(1.5)
        for n, item in enumerate(v.plan[PLAN_FIRST_PAGE:], PLAN_FIRST_PAGE + 1):
            self.status_line(item.status, item.label, f"{n}. {item.title}", size=8.5)
        if v.grey_count:
            pdf.ln(1)
            self.text(
                f"{MARK[Status.UNKNOWN]} {v.txt('report.plan_grey', count=v.grey_count)}",
                size=8.5,
                rgb=RGB[Status.UNKNOWN],
            )

        self.heading(v.txt("report.themes_title"))
        self.table(
            [v.txt("report.theme"), v.txt("report.status")] + [f"{MARK[st]}" for st in Status],
            [
                [th.title, f"{MARK[th.status]} {v.txt(f'status.{th.status.value}')}"]
                + [str(th.counts[st]) for st in Status]
                for th in v.themes
            ],
            (60, 26, 8, 8, 8, 8, 8),
            [RGB[th.status] for th in v.themes],
        )
        self.text("   ".join(f"{MARK[st]} {v.txt(f'status.{st.value}')}" for st in Status), size=8, rgb=GREY_RGB)

        self.heading(v.txt("report.changes_title"))
        if v.diff is None:
            self.text(v.txt("report.changes_none"))
        else:
            d = v.diff
            self.text(
                v.txt("report.changes_previous", when=v.previous_when) + " " + v.txt("diff.score", **score_params(d))
            )
            if d.empty:
                self.text(v.txt("diff.nothing"))
            for group, changes in v.changes.items():
                if changes:
                    self.text(v.txt(f"diff.{group}", count=len(changes)), bold=True)
                    for ch in changes:
                        self.text(f"• {ch.title} ({ch.before} → {ch.after})", indent=3)

        self.heading(v.txt("report.exceptions_title"))
        self.text(v.txt("report.exceptions_intro"), size=9, rgb=GREY_RGB)
        if not v.accepted:
            self.text(v.txt("report.exceptions_empty"))
        else:
            self.table(
                [
                    v.txt("report.item"),
                    v.txt("report.status"),
                    v.txt("report.justification"),
                    v.txt("report.accepted_on"),
                    v.txt("report.expires"),
                ],
                [
                    [
                        i.title,
                        f"{MARK[i.status]} {i.label}",
                        i.accepted.justification,
                        v.day(i.accepted.accepted_on),
                        v.day(i.accepted.expires),
                    ]
                    for i in v.accepted
                    if i.accepted
                ],
                (50, 24, 50, 22, 22),
                [RGB[i.status] for i in v.accepted],
            )

        self.heading(v.txt("report.answers_title"))
        if not any(a.answer for a in v.answers):
            self.text(v.txt("report.answers_empty"))
        rows, colours = [], []
        for a in v.answers:
            word = v.txt(f"questionnaire.answer.{a.answer}") if a.answer else v.txt("report.not_answered")
            when = (v.day(a.answered_on) if a.answered_on else "") + (f" — {v.txt('report.stale')}" if a.stale else "")
            rows.append([a.question, f"{MARK[a.status]} {word}", when])
            colours.append(RGB[a.status])
        self.table(
            [v.txt("report.question"), v.txt("report.answer"), v.txt("report.answered_on")],
            rows,
            (110, 30, 38),
            colours,
        )

        self.heading(v.txt("report.incident_title"))
        for n in range(1, 6):
            self.text(f"• {v.txt(f'report.incident_{n}')}", indent=1)

        pdf.add_page()
        self.heading(v.txt("report.items_title"))
        for th in v.themes:
            # A theme title stays with the beginning of its first item.
            self.keep_with_next(7 + ITEM_KEEP_MM)
            self.text(th.title, size=11.5, bold=True, h=7)
            for item in th.items:
                self.keep_with_next(ITEM_KEEP_MM)
                self.status_line(item.status, item.label, item.title, accepted=item.accepted is not None)
                self.text(item.summary, indent=4)
                if item.accepted:
                    self.text(
                        v.txt(
                            "report.accepted_until",
                            expires_date=item.accepted.expires,
                            justification=item.accepted.justification,
                        ),
                        rgb=ACCEPTED_RGB,
                        indent=4,
                    )
                if item.reason:
                    self.text(f"{v.txt('report.reason')}{v.colon} {item.reason}", size=8.5, rgb=GREY_RGB, indent=4)
                for label, value, src in item.evidence:
                    self.text(
                        f"– {label}{v.colon} {value}" + (f" ({src})" if src else ""), size=8.5, rgb=GREY_RGB, indent=4
                    )
                if item.status not in (Status.PASS, Status.NOT_APPLICABLE) or item.kind == "ask":
                    self.label(v.txt("report.why"))
                    self.text(item.why, size=9, indent=4)
                    self.label(v.txt("report.fix"))
                    self.text(item.fix, size=9, indent=4)
                if item.sources:
                    self.text(
                        f"{v.txt('report.sources')}{v.colon} " + "; ".join(label for label, _ in item.sources),
                        size=7.5,
                        rgb=GREY_RGB,
                        indent=4,
                    )
                pdf.ln(2.5)

        self.heading(v.txt("report.formula_title"), size=11)
        self.text(v.txt("report.formula"), size=9)
        pdf.ln(6)
        self.text(v.txt("report.signature"), size=9.5)
        return bytes(pdf.output())


def render_pdf(v: ReportView) -> bytes:
    return _Writer(v).build()
