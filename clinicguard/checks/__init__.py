"""Checks: pure functions that judge facts and return a verdict.

A check never runs a command or reads a file. It receives a CheckContext and
the facts it declared, and returns a :class:`Verdict`. Its texts live in
``clinicguard/catalogue/checks/<id>.toml``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clinicguard.core.model import Evidence, Reason, Status, UserInfo
from clinicguard.references.tables import References, bundled_references


@dataclass(frozen=True)
class CheckContext:
    platform: str
    now: datetime
    user: UserInfo
    settings: dict[str, Any] = field(default_factory=dict)
    # Read before the checks run (end of support, well-known ports): a check never reads a file.
    references: References = field(default_factory=bundled_references)

    def setting(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.settings
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node


@dataclass(frozen=True)
class Verdict:
    status: Status
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    reason: Reason | None = None
    detail: str = ""


def verdict(
    status: Status,
    key: str,
    evidence: list[Evidence] | tuple[Evidence, ...] = (),
    reason: Reason | None = None,
    detail: str = "",
    **params: Any,
) -> Verdict:
    return Verdict(status, key, params, tuple(evidence), reason, detail)


def unknown(
    reason: Reason,
    key: str = "",
    detail: str = "",
    evidence: list[Evidence] | tuple[Evidence, ...] = (),
    **params: Any,
) -> Verdict:
    return Verdict(Status.UNKNOWN, key or f"common.reason.{reason.value}", params, tuple(evidence), reason, detail)


CheckFn = Callable[..., Verdict]


@dataclass(frozen=True)
class CheckImpl:
    id: str
    facts: tuple[str, ...]
    fn: CheckFn
    optional_facts: tuple[str, ...] = ()


_CHECKS: dict[str, CheckImpl] = {}

# Modules whose import registers checks.
CHECK_MODULES = (
    "clinicguard.checks.access",
    "clinicguard.checks.updates",
    "clinicguard.checks.malware",
    "clinicguard.checks.network",
    "clinicguard.checks.data",
    "clinicguard.checks.backups",
    "clinicguard.checks.infostealer",
)
_loaded = False


def check(check_id: str, facts: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a check. ``optional`` facts are passed as None when unavailable."""

    def register(fn: CheckFn) -> CheckFn:
        _CHECKS[check_id] = CheckImpl(check_id, tuple(facts), fn, tuple(optional))
        return fn

    return register


def implementations() -> dict[str, CheckImpl]:
    global _loaded
    if not _loaded:
        for name in CHECK_MODULES:
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
        _loaded = True
    return dict(_CHECKS)
