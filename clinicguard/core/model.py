"""Results model shared by the runner, storage, reports and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Traffic-light status of one checklist item."""

    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"
    NOT_APPLICABLE = "NOT_APPLICABLE"

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @property
    def verified(self) -> bool:
        """True when the machine state was actually established."""
        return self in (Status.PASS, Status.WARN, Status.FAIL)


_COLOURS = {
    Status.PASS: "green",
    Status.WARN: "amber",
    Status.FAIL: "red",
    Status.UNKNOWN: "grey",
    Status.NOT_APPLICABLE: "none",
}

# Order used to sort "worst first".
SEVERITY_ORDER = {
    Status.FAIL: 0,
    Status.WARN: 1,
    Status.UNKNOWN: 2,
    Status.PASS: 3,
    Status.NOT_APPLICABLE: 4,
}


class Reason(StrEnum):
    """Why a result is UNKNOWN (grey)."""

    NEEDS_ADMIN = "needs_admin"
    TOOL_MISSING = "tool_missing"
    TIMED_OUT = "timed_out"
    UNEXPECTED_OUTPUT = "unexpected_output"
    NOT_READABLE = "not_readable"
    UNSUPPORTED = "unsupported"
    NOT_FOUND = "not_found"
    CHECK_ERROR = "check_error"
    NOT_ANSWERED = "not_answered"
    NOT_KNOWN = "not_known"  # the questionnaire was answered "I don't know"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class UserInfo:
    """The person the assessment is about (the invoking user under sudo)."""

    name: str
    uid: int | None = None
    groups: tuple[str, ...] = ()
    home: str = ""
    is_admin: bool = False  # running with administrator / root rights now
    sid: str = ""


@dataclass(frozen=True)
class Evidence:
    """One observed fact and where it came from.

    ``label`` and ``value`` are plain, language-neutral text (numbers, paths,
    setting names); ``source`` names the file, command or registry key read.
    """

    label: str
    value: str
    source: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"label": self.label, "value": self.value, "source": self.source}


@dataclass(frozen=True)
class Acceptance:
    """A red or amber item the volunteer accepted, with why and until when.

    The result keeps its status: an accepted item is shown as accepted,
    never counted as green, and comes back once ``expires`` has passed.
    """

    justification: str
    expires: date
    accepted_on: date

    def to_dict(self) -> dict[str, str]:
        return {
            "justification": self.justification,
            "expires": self.expires.isoformat(),
            "accepted_on": self.accepted_on.isoformat(),
        }


@dataclass(frozen=True)
class CheckResult:
    """The judgement of one check on one machine.

    The one-line summary is stored as a message key plus parameters so it can
    be rendered in any language at display time (the dashboard switches
    language at runtime).
    """

    check_id: str
    status: Status
    summary_key: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    reason: Reason | None = None
    detail: str = ""
    duration_s: float = 0.0
    accepted: Acceptance | None = None

    def with_duration(self, duration_s: float) -> CheckResult:
        return replace(self, duration_s=duration_s)


@dataclass(frozen=True)
class HostInfo:
    """Identity of the assessed machine, shown in headers and reports."""

    hostname: str
    platform: str  # "linux" | "windows" | "macos"
    os_name: str
    os_version: str
    user: str
    is_admin: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "hostname": self.hostname,
            "platform": self.platform,
            "os_name": self.os_name,
            "os_version": self.os_version,
            "user": self.user,
            "is_admin": self.is_admin,
        }


@dataclass(frozen=True)
class Score:
    """Overall 0-100 figure and how much of the checklist could be verified."""

    value: int
    coverage: int
    counts: dict[str, int]


@dataclass(frozen=True)
class Assessment:
    """A full run: machine, timing and every result."""

    host: HostInfo
    started_at: datetime
    finished_at: datetime
    tool_version: str
    results: tuple[CheckResult, ...]
    score: Score
    cancelled: bool = False
