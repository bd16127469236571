"""Probes: functions that gather one kind of fact from a Host.

A probe is registered for a fact name and one or more platforms::

    @probe("password_policy", "linux")
    def linux_password_policy(host: Host) -> PasswordPolicy: ...

Probes may raise HostError or ProbeError; the runner turns those into a grey
result with the reason. The platform modules are imported lazily so that
Windows-only code never loads elsewhere (it still imports cleanly).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from clinicguard.host import Host

ProbeFn = Callable[[Host], Any]

_PROBES: dict[tuple[str, str], ProbeFn] = {}
_OVERRIDES: dict[tuple[str, str], ProbeFn] = {}
_LOADED: set[str] = set()

# Modules whose import registers probes, per platform.
PLATFORM_MODULES = {
    "linux": (
        "clinicguard.probes.shared",
        "clinicguard.probes.linux",
        "clinicguard.probes.posix",
        "clinicguard.probes.infostealer",
    ),
    "windows": ("clinicguard.probes.shared", "clinicguard.probes.windows", "clinicguard.probes.infostealer"),
    "macos": (
        "clinicguard.probes.shared",
        "clinicguard.probes.macos",
        "clinicguard.probes.posix",
        "clinicguard.probes.infostealer",
    ),
}


class DuplicateProbe(RuntimeError):
    """Two probes claim the same fact on the same platform."""


def _name(fn: ProbeFn) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def probe(fact: str, *platforms: str, override: bool = False) -> Callable[[ProbeFn], ProbeFn]:
    """Register ``fn`` as the probe of ``fact`` on ``platforms``.

    One probe per fact and platform: a second one is refused, whatever the
    import order. An OS module that replaces a probe shared by several
    platforms says so with ``override=True``; it wins over the shared one.
    """

    def register(fn: ProbeFn) -> ProbeFn:
        table = _OVERRIDES if override else _PROBES
        for platform in platforms:
            known = table.get((fact, platform))
            if known is not None and _name(known) != _name(fn):  # the same function again is a reload
                raise DuplicateProbe(
                    f"{fact} on {platform}: {_name(fn)} and {_name(known)}"
                    + ("" if override else " (an OS-specific probe needs override=True)")
                )
            table[(fact, platform)] = fn
        return fn

    return register


def load_platform(platform: str) -> None:
    if platform in _LOADED:
        return
    for name in PLATFORM_MODULES.get(platform, ()):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A platform package that does not exist yet simply has no probes.
            if exc.name != name:
                raise
    _LOADED.add(platform)


def provider(fact: str, platform: str) -> ProbeFn | None:
    load_platform(platform)
    return _OVERRIDES.get((fact, platform)) or _PROBES.get((fact, platform))


def registered_facts(platform: str) -> set[str]:
    load_platform(platform)
    return {fact for fact, plat in (*_PROBES, *_OVERRIDES) if plat == platform}
