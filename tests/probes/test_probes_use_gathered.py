"""Every probe hands its fact's sources, notes and unknowns over through probes.gathered.Gathered.

A reason for an unknown field written by hand (``why_unknown=...``) drifts from the typed ``Unknown`` that
Gathered records; this scan of clinicguard/probes keeps the rule from eroding.
"""

from __future__ import annotations

import ast
from pathlib import Path

import clinicguard.probes

PROBES = Path(clinicguard.probes.__file__).parent
HAND_BUILT = ("why_unknown", "sources", "notes")

# Modules that still pass ``sources=``/``notes=`` by hand (none of them has an unknown field to explain).
# The list only shrinks: converting a module means taking it off.
SOURCES_NOTES_BY_HAND = frozenset(
    {
        "browsers.py",
        "linux/accounts.py",
        "linux/backups/collector.py",
        "linux/desktop.py",
        "linux/disk.py",
        "linux/pam.py",
        "linux/system.py",
        "listeners.py",
        "macos/accounts.py",
        "macos/antivirus.py",
        "macos/backups.py",
        "macos/disk.py",
        "macos/firewall.py",
        "macos/pwpolicy.py",
        "macos/screen.py",
        "macos/services.py",
        "macos/system.py",
        "posix.py",
        "windows/accounts.py",
        "windows/backups.py",
        "windows/exposure.py",
        "windows/session.py",
        "windows/system.py",
    }
)


def hand_built(source: str) -> list[tuple[int, str]]:
    """(line, keyword) of every call but ``Gathered(...)`` that passes why_unknown, sources or notes itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id == "Gathered"):
            found += [(node.lineno, kw.arg) for kw in node.keywords if kw.arg in HAND_BUILT]
    return found


def _modules() -> dict[str, list[tuple[int, str]]]:
    return {
        path.relative_to(PROBES).as_posix(): hand_built(path.read_text(encoding="utf-8"))
        for path in sorted(PROBES.rglob("*.py"))
        if path.name != "gathered.py"
    }


def test_no_probe_writes_why_unknown_by_hand() -> None:
    offenders = [f"{name}:{line}" for name, hits in _modules().items() for line, kw in hits if kw == "why_unknown"]
    assert offenders == [], f"build why_unknown through Gathered (**g.fields()): {offenders}"


def test_no_new_module_passes_sources_or_notes_by_hand() -> None:
    by_hand = {name for name, hits in _modules().items() if hits}
    assert by_hand - SOURCES_NOTES_BY_HAND == set(), "collect sources and notes through Gathered"
    # A module converted to Gathered leaves the list, so it cannot slip back.
    assert SOURCES_NOTES_BY_HAND - by_hand == set(), "take the converted module off SOURCES_NOTES_BY_HAND"


def test_the_scan_sees_hand_built_fields_and_accepts_gathered() -> None:
    by_hand = "def p(h):\n    return F(x=1, sources=('a',), notes=tuple(n),\n             why_unknown={'x': u})\n"
    assert hand_built(by_hand) == [(2, "sources"), (2, "notes"), (2, "why_unknown")]
    gathered = (
        "def p(h):\n    g = Gathered(sources=['a'], notes=n)\n    g.unknown('x', u)\n"
        "    return F(x=None, **g.fields())\n"
    )
    assert hand_built(gathered) == []
