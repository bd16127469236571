"""Scoring of infection signs (reference: infostealers.md, section 11).

S = 100 points, M = 40, W = 10; several hits of one category count once (the
strongest), so two Run keys are one medium sign. Red from 80 points (any
strong sign, or two medium signs of different kinds), amber from 30.
"""

from __future__ import annotations

from collections.abc import Iterable

from clinicguard.infostealer.model import InfostealerHit

POINTS = {"S": 100, "M": 40, "W": 10}
RED_FROM = 80
AMBER_FROM = 30


def evidence_points(hits: Iterable[InfostealerHit]) -> int:
    best: dict[str, int] = {}
    for h in hits:
        best[h.category] = max(best.get(h.category, 0), POINTS[h.strength])
    return sum(best.values())


def level(hits: Iterable[InfostealerHit]) -> str:
    """ "red", "amber" or "green"."""
    points = evidence_points(hits)
    if points >= RED_FROM:
        return "red"
    if points >= AMBER_FROM:
        return "amber"
    return "green"
