"""The overall score and coverage.

Score formula (documented in the README and every report)::

    score    = 100 x sum(weight x credit) / sum(weight)      over applicable items
    credit   = 1 for green, 0.5 for amber, 0 for red and for grey
    coverage = 100 x sum(weight of green, amber, red) / sum(weight)

Items "Sans objet" (not applicable) are left out of both sums. A grey item
earns nothing, so a machine never scores better because something could not
be verified; coverage says how much of the checklist was actually verified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from clinicguard.core.model import CheckResult, Score, Status

CREDIT = {Status.PASS: 1.0, Status.WARN: 0.5, Status.FAIL: 0.0, Status.UNKNOWN: 0.0}


def compute_score(results: Iterable[CheckResult], weights: Mapping[str, int]) -> Score:
    counts = {s.value: 0 for s in Status}
    total = earned = verified = 0.0
    for r in results:
        counts[r.status.value] += 1
        if r.status is Status.NOT_APPLICABLE:
            continue
        w = float(weights.get(r.check_id, 1))
        total += w
        earned += w * CREDIT[r.status]
        if r.status.verified:
            verified += w
    if total == 0:
        return Score(value=0, coverage=0, counts=counts)
    return Score(value=round(100 * earned / total), coverage=round(100 * verified / total), counts=counts)
