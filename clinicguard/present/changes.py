"""What changed between two assessments, in plain words (``clinicguard diff`` and the history screen)."""

from __future__ import annotations

from clinicguard.catalogue import Catalogue
from clinicguard.core.diff import GROUPS, Diff
from clinicguard.i18n import t
from clinicguard.present.safe import safe_line
from clinicguard.present.statuses import status_label


def score_params(diff: Diff) -> dict[str, object]:
    """The parameters of the "diff.score" text: score and coverage before and after."""
    return {
        "before": diff.score_before,
        "after": diff.score_after,
        "change": f"{diff.score_change:+d}",
        "coverage_before": diff.coverage_before,
        "coverage_after": diff.coverage_after,
    }


def diff_lines(diff: Diff, catalogue: Catalogue, lang: str) -> list[str]:
    """The score change, then each group of changes with the items' titles."""
    lines = [t("diff.score", lang, **score_params(diff))]
    if diff.empty:
        lines.append(t("diff.nothing", lang))
    for group in GROUPS:
        changes = getattr(diff, group)
        if not changes:
            continue
        lines.append(t(f"diff.{group}", lang, count=len(changes)))
        for c in changes:
            spec = catalogue.checks.get(c.check_id)
            before = status_label(c.before, lang) if c.before else t("diff.new_item", lang)
            after = status_label(c.after, lang) if c.after else ""
            lines.append(f"  - {spec.title(lang) if spec else safe_line(c.check_id)} ({before} → {after})")
    return lines
