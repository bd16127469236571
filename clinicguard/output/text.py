"""A readable traffic-light list for the terminal."""

from __future__ import annotations

import os

from clinicguard.catalogue import Catalogue, load_catalogue
from clinicguard.core.model import Assessment, Reason, Status
from clinicguard.i18n import evidence_label, evidence_value, note_text, t
from clinicguard.i18n.typography import labelled
from clinicguard.present.dates import format_when
from clinicguard.present.safe import safe_line
from clinicguard.present.statuses import label_width, marked_label, status_label
from clinicguard.present.wording import Wording

_ANSI = {
    Status.PASS: "\x1b[32m",
    Status.WARN: "\x1b[33m",
    Status.FAIL: "\x1b[31m",
    Status.UNKNOWN: "\x1b[90m",
    Status.NOT_APPLICABLE: "\x1b[90m",
}
RESET = "\x1b[0m"


def use_colour(stream) -> bool:  # type: ignore[no-untyped-def]
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def badge(status: Status, lang: str, colour: bool) -> str:
    text = marked_label(status, lang)
    return f"{_ANSI[status]}{text}{RESET}" if colour else text


def render_text(
    assessment: Assessment, lang: str, colour: bool = False, catalogue: Catalogue | None = None, verbose: bool = False
) -> str:
    catalogue = catalogue or load_catalogue()
    h = assessment.host
    s = assessment.score
    lines = [
        t("cli.report_title", lang),
        t("cli.machine_line", lang, hostname=safe_line(h.hostname), os=safe_line(h.os_name), user=safe_line(h.user)),
        t("cli.date_line", lang, when=format_when(assessment.finished_at, lang), version=assessment.tool_version),
        t("cli.score_line", lang, score=s.value, coverage=s.coverage),
        t(
            "cli.counts_line",
            lang,
            fail=s.counts.get("FAIL", 0),
            warn=s.counts.get("WARN", 0),
            unknown=s.counts.get("UNKNOWN", 0),
            ok=s.counts.get("PASS", 0),
        ),
    ]
    if not h.is_admin:
        lines.append(t("cli.not_admin_note", lang))
    wording = Wording(catalogue, lang, h.platform)
    width = label_width(lang)
    current_theme = None
    # Unanswered questions are summed up per theme unless every line is wanted.
    unanswered: dict[str, int] = {}
    for result in assessment.results:
        spec = catalogue.checks.get(result.check_id)
        if not verbose and result.reason is Reason.NOT_ANSWERED:
            unanswered[spec.theme if spec else ""] = unanswered.get(spec.theme if spec else "", 0) + 1
    for result in assessment.results:
        spec = catalogue.checks.get(result.check_id)
        theme = spec.theme if spec else ""
        if theme != current_theme:
            current_theme = theme
            title = wording.theme_title(theme)
            lines.append("")
            lines.append(f"== {title}")
            if unanswered.get(theme):
                pad = " " * max(0, width - len(status_label(Status.UNKNOWN, lang)))
                lines.append(
                    f"  {badge(Status.UNKNOWN, lang, colour)}{pad} "
                    + t("cli.unanswered", lang, count=unanswered[theme])
                )
        if not verbose and result.reason is Reason.NOT_ANSWERED:
            continue
        texts = wording.texts(result)
        mark = badge(result.status, lang, colour)
        pad = " " * max(0, width - len(status_label(result.status, lang)))
        lines.append(f"  {mark}{pad} {texts['title']}")
        lines.append(f"  {' ' * (width + 2)} {texts['summary']}")
        if result.accepted is not None:
            acc = result.accepted
            lines.append(
                f"  {' ' * (width + 2)} "
                + t("report.accepted_until", lang, expires_date=acc.expires, justification=safe_line(acc.justification))
            )
        if result.status is Status.UNKNOWN and result.detail and verbose:
            lines.append(f"  {' ' * (width + 2)} ({safe_line(note_text(result.detail, lang))})")
        if verbose:
            for ev in result.evidence:
                src = f"  [{safe_line(ev.source)}]" if ev.source else ""
                label = safe_line(evidence_label(ev.label, lang))
                value = safe_line(evidence_value(ev.value, lang, ev.label))
                lines.append(f"  {' ' * (width + 2)} - {labelled(label, value, lang)}{src}")
    if assessment.cancelled:
        lines.append("")
        lines.append(t("cli.cancelled", lang))
    lines.append("")
    lines.append(t("cli.legend", lang))
    return "\n".join(lines) + "\n"
