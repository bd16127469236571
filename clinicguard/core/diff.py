"""What changed between two assessments: new reds, fixed items, score change."""

from __future__ import annotations

from dataclasses import dataclass, field

from clinicguard.core.model import Assessment, Status

# The groups of a Diff, in the order people read them.
GROUPS = ("new_red", "fixed", "verified", "worse", "better")

# Higher is better; grey sits below amber since it earns no credit.
_RANK = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.WARN: 2, Status.PASS: 3}


@dataclass(frozen=True)
class Change:
    check_id: str
    before: Status | None  # None: the item did not exist before
    after: Status | None


@dataclass(frozen=True)
class Diff:
    score_before: int
    score_after: int
    coverage_before: int
    coverage_after: int
    new_red: list[Change] = field(default_factory=list)
    fixed: list[Change] = field(default_factory=list)  # now green, was red or amber
    verified: list[Change] = field(default_factory=list)  # was grey, now green or amber: known, not improved
    worse: list[Change] = field(default_factory=list)  # other degradations
    better: list[Change] = field(default_factory=list)  # other improvements

    @property
    def score_change(self) -> int:
        return self.score_after - self.score_before

    @property
    def empty(self) -> bool:
        return not any(getattr(self, group) for group in GROUPS)


def compare(before: Assessment, after: Assessment) -> Diff:
    old = {r.check_id: r.status for r in before.results}
    diff = Diff(before.score.value, after.score.value, before.score.coverage, after.score.coverage)
    for result in after.results:
        was, now = old.get(result.check_id), result.status
        if was == now:
            continue
        change = Change(result.check_id, was, now)
        if now is Status.FAIL:
            diff.new_red.append(change)
        elif now is Status.PASS and was in (Status.FAIL, Status.WARN):
            diff.fixed.append(change)
        elif was is None or now is Status.NOT_APPLICABLE or was is Status.NOT_APPLICABLE:
            continue
        elif was is Status.UNKNOWN:
            # Grey -> a colour says nothing about the machine getting better: it is now verified.
            diff.verified.append(change)
        elif _RANK[now] < _RANK[was]:
            diff.worse.append(change)
        else:
            diff.better.append(change)
    return diff
