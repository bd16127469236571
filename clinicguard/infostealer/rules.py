"""Loading of the indicator rules (``clinicguard/data/infostealer_rules.toml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from clinicguard.core.errors import DataFileError
from clinicguard.files.datafiles import load_toml, package_file

STRENGTHS = ("S", "M", "W")
KINDS = ("text", "file", "dll_set", "stealer_log", "path", "process", "defender", "hash")
OSES = ("windows", "macos", "linux")
_WHERE = "clinicguard/data/infostealer_rules.toml"


def _rx(pattern: str, where: str) -> re.Pattern[str]:
    # DOTALL: a file name may hold a line feed, and "crack\n...exe" must not slip past "crack.*\.exe$".
    try:
        return re.compile(pattern, re.IGNORECASE | re.DOTALL)
    except re.error as exc:
        raise DataFileError(_WHERE, f"{where}: bad regular expression ({exc})") from exc


@dataclass(frozen=True)
class Rule:
    id: str
    os: tuple[str, ...]
    kind: str
    category: str
    family: str
    strength: str
    fp: str
    source: str = ""
    match: tuple[re.Pattern[str], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    exe: tuple[re.Pattern[str], ...] = ()
    name: re.Pattern[str] | None = None
    roots: tuple[str, ...] = ()
    max_depth: int = 0
    executable: bool | None = None
    min_size: int = 0
    names: frozenset[str] = frozenset()
    min_count: int = 0
    strong: frozenset[str] = frozenset()
    weak: frozenset[str] = frozenset()
    min_total: int = 0
    min_strong: int = 0
    zip_max_bytes: int = 0
    paths: tuple[str, ...] = ()
    all_paths: bool = False
    remediated_strength: str = ""
    # A harmless line of our own that this rule matches: what a recording keeps instead of the real line.
    sample: str = ""

    def text_hit(self, line: str) -> bool:
        return all(p.search(line) for p in self.match) and not any(p.search(line) for p in self.unless)


def parse_rule(raw: dict[str, Any]) -> Rule:
    rid = raw.get("id")
    if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9_]+", rid):
        raise DataFileError(_WHERE, f"rule with a missing or malformed id: {rid!r}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise DataFileError(_WHERE, f"{rid}: unknown kind {kind!r}")
    strength = raw.get("strength")
    if strength not in STRENGTHS:
        raise DataFileError(_WHERE, f"{rid}: strength must be one of {STRENGTHS}")
    oses = tuple(raw.get("os", ()))
    if not oses or any(o not in OSES for o in oses):
        raise DataFileError(_WHERE, f"{rid}: bad os list")
    for key in ("category", "family", "fp"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise DataFileError(_WHERE, f"{rid}: missing '{key}'")
    if kind == "text" and not raw.get("source"):
        raise DataFileError(_WHERE, f"{rid}: text rules need a 'source'")

    def many(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(_rx(p, f"{rid}.{key}") for p in raw.get(key, ()))

    pattern = raw.get("name") or raw.get("threat")
    return Rule(
        id=rid,
        os=oses,
        kind=kind,
        category=raw["category"],
        family=raw["family"],
        strength=strength,
        fp=raw["fp"],
        source=raw.get("source", ""),
        match=many("match"),
        unless=many("unless"),
        exe=many("exe"),
        name=_rx(pattern, f"{rid}.name") if pattern else None,
        roots=tuple(raw.get("roots", ())),
        max_depth=int(raw.get("max_depth", 0)),
        executable=raw.get("executable"),
        min_size=int(raw.get("min_size", 0)),
        names=frozenset(n.lower() for n in raw.get("names", ())),
        min_count=int(raw.get("min_count", 0)),
        strong=frozenset(n.lower() for n in raw.get("strong", ())),
        weak=frozenset(n.lower() for n in raw.get("weak", ())),
        min_total=int(raw.get("min_total", 0)),
        min_strong=int(raw.get("min_strong", 0)),
        zip_max_bytes=int(raw.get("zip_max_bytes", 0)),
        paths=tuple(raw.get("paths", ())),
        all_paths=bool(raw.get("all", False)),
        remediated_strength=raw.get("remediated_strength", ""),
        sample=str(raw.get("sample", "")),
    )


@cache
def load_rules() -> tuple[Rule, ...]:
    data = load_toml(package_file("data", "infostealer_rules.toml"), _WHERE)
    rules = tuple(parse_rule(r) for r in data.get("rule", []))
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise DataFileError(_WHERE, "duplicate rule id")
    return rules


def rules_for(platform: str, kind: str | None = None, source: str | None = None) -> list[Rule]:
    return [
        r
        for r in load_rules()
        if platform in r.os and (kind is None or r.kind == kind) and (source is None or r.source == source)
    ]
