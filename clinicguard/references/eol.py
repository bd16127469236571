"""End-of-support table of operating systems.

The bundled, dated table ``clinicguard/data/eol.toml`` works offline. When
``clinicguard update-eol`` has written a refreshed copy to
``clinicguard.files.paths.cache_dir() / "eol.json"``, its releases are laid over
the bundled ones (same ``os`` + ``cycle`` = replaced, new cycles added)::

    {"fetched_at": "2026-11-01T08:00:00+00:00", "source": "endoflife.date",
     "releases": [{"os": "windows", "cycle": "11-24h2-w", "label": "...",
                   "eol": "2026-10-13", "extended": null}, ...]}

An invalid cache, or one older than the bundled table, is ignored with a log
line. A malformed bundled table is a :class:`DataFileError` (exit 2).

:func:`cycle_for` maps the facts of a machine to a cycle key: Windows build
and EditionID to ``11-24h2-w``; Debian ``12``; Ubuntu ``24.04``; Fedora
``43``; macOS ``15`` (``10.15`` before Big Sur).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from clinicguard.core.errors import DataFileError
from clinicguard.core.facts import SystemFacts
from clinicguard.files.datafiles import load_toml, package_file
from clinicguard.files.fsutil import MAX_STORE_BYTES, read_capped

log = logging.getLogger(__name__)

OPERATING_SYSTEMS = ("windows", "macos", "debian", "ubuntu", "fedora")
CACHE_FILE = "eol.json"
BUNDLED_LABEL = "clinicguard/data/eol.toml"


@dataclass(frozen=True)
class Release:
    os: str
    cycle: str
    label: str
    eol: date | None  # None = no end announced
    extended: date | None = None  # Debian LTS, Ubuntu ESM, Windows ESU
    extended_consumer: date | None = None  # Windows 10 consumer ESU
    released: date | None = None
    lts: bool = False


@dataclass(frozen=True)
class EolTable:
    as_of: date  # date of the data in use
    source: str
    releases: dict[tuple[str, str], Release]
    refreshed: bool = False  # True when the refreshed cache was laid over the bundled table
    windows_builds: dict[int, str] = field(default_factory=dict)
    windows_editions: dict[str, str] = field(default_factory=dict)  # EditionID (lower case) -> family

    def get(self, os_id: str, cycle: str) -> Release | None:
        return self.releases.get((os_id, cycle))


# -- loading ---------------------------------------------------------------


def _date(value: Any, where: str, key: str) -> date | None:
    if value is None or value is False:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise DataFileError(where, "not_a_date", name=key, value=repr(value))


def parse_bundled(data: dict[str, Any], where: str = BUNDLED_LABEL) -> EolTable:
    meta = data.get("meta")
    if not isinstance(meta, dict) or "as_of" not in meta:
        raise DataFileError(where, "missing_entry", name="[meta] as_of")
    as_of = _date(meta["as_of"], where, "as_of")
    assert as_of is not None
    releases: dict[tuple[str, str], Release] = {}
    raw = data.get("release")
    if not isinstance(raw, list) or not raw:
        raise DataFileError(where, "missing_entry", name="[[release]]")
    for i, item in enumerate(raw):
        here = f"{where} (release {i + 1})"
        if not isinstance(item, dict):
            raise DataFileError(here, "not_a_table")
        os_id, cycle = item.get("os"), item.get("cycle")
        if os_id not in OPERATING_SYSTEMS:
            raise DataFileError(here, "unknown_value", name="os", value=repr(os_id))
        if not isinstance(cycle, str) or not cycle:
            raise DataFileError(here, "missing_entry", name="cycle")
        if (os_id, cycle) in releases:
            raise DataFileError(here, "duplicate_entry", name=f"{os_id} {cycle}")
        releases[(os_id, cycle)] = Release(
            os=os_id,
            cycle=cycle,
            label=str(item.get("label") or f"{os_id} {cycle}"),
            eol=_date(item.get("eol"), here, "eol"),
            extended=_date(item.get("extended"), here, "extended"),
            extended_consumer=_date(item.get("extended_consumer"), here, "extended_consumer"),
            released=_date(item.get("released"), here, "released"),
            lts=bool(item.get("lts", False)),
        )
    win = data.get("windows", {})
    builds: dict[int, str] = {}
    for key, value in (win.get("builds") or {}).items():
        try:
            builds[int(key)] = str(value)
        except ValueError as exc:
            raise DataFileError(where, "unknown_value", name="[windows.builds]", value=repr(key)) from exc
    editions: dict[str, str] = {}
    for family, names in (win.get("editions") or {}).items():
        if not isinstance(names, list):
            raise DataFileError(where, "not_a_list", name=f"[windows.editions] {family}")
        for name in names:
            editions[str(name).lower()] = family
    return EolTable(
        as_of=as_of,
        source=str(meta.get("source", "")),
        releases=releases,
        windows_builds=builds,
        windows_editions=editions,
    )


def _cache_date(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    return date.fromisoformat(value[:10])


def overlay_cache(table: EolTable, data: Any) -> EolTable:
    """Lay a refreshed cache over ``table``; ValueError when it is malformed."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    fetched_raw = data.get("fetched_at")
    if not isinstance(fetched_raw, str):
        raise ValueError("missing 'fetched_at'")
    fetched = datetime.fromisoformat(fetched_raw.replace("Z", "+00:00"))
    fetched = fetched if fetched.tzinfo else fetched.replace(tzinfo=UTC)
    items = data.get("releases")
    if not isinstance(items, list) or not items:
        raise ValueError("missing 'releases'")
    merged = dict(table.releases)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"release {i + 1} is not an object")
        os_id, cycle = item.get("os"), item.get("cycle")
        if os_id not in OPERATING_SYSTEMS:
            raise ValueError(f"release {i + 1}: unknown os {os_id!r}")
        if not isinstance(cycle, str) or not cycle:
            raise ValueError(f"release {i + 1}: missing 'cycle'")
        eol, extended = _cache_date(item.get("eol")), _cache_date(item.get("extended"))
        label = item.get("label")
        old = merged.get((os_id, cycle))
        if old is None:
            merged[(os_id, cycle)] = Release(
                os=os_id, cycle=cycle, label=str(label or f"{os_id} {cycle}"), eol=eol, extended=extended
            )
        else:
            merged[(os_id, cycle)] = replace(old, eol=eol, extended=extended, label=str(label or old.label))
    return replace(
        table,
        as_of=fetched.date(),
        source=str(data.get("source") or "endoflife.date"),
        releases=merged,
        refreshed=True,
    )


_lock = threading.Lock()
_bundled: EolTable | None = None
_memo: dict[tuple[str, int, int], EolTable] = {}


def bundled_table() -> EolTable:
    global _bundled
    with _lock:
        if _bundled is None:
            _bundled = parse_bundled(load_toml(package_file("data", "eol.toml"), BUNDLED_LABEL))
        return _bundled


def cache_path() -> Path:
    from clinicguard.files.paths import cache_dir

    return cache_dir() / CACHE_FILE


def load_table() -> EolTable:
    """The bundled table with the refreshed cache laid over it when usable."""
    table = bundled_table()
    try:
        path = cache_path()
        st = os.stat(path)
    except (OSError, RuntimeError, ValueError):
        return table
    key = (str(path), st.st_mtime_ns, st.st_size)
    with _lock:
        if key in _memo:
            return _memo[key]
    try:
        data = json.loads(read_capped(path, MAX_STORE_BYTES).decode("utf-8"))
        merged = overlay_cache(table, data)
    except (DataFileError, UnicodeDecodeError, ValueError, TypeError, RecursionError) as exc:
        log.warning("%s: refreshed end-of-support table ignored (%s)", path, exc)
        merged = table
    else:
        if merged.as_of < table.as_of:
            log.warning(
                "%s: refreshed end-of-support table ignored (data of %s older than bundled %s)",
                path,
                merged.as_of,
                table.as_of,
            )
            merged = table
    with _lock:
        _memo[key] = merged
    return merged


# -- mapping a machine to a cycle ------------------------------------------


@dataclass(frozen=True)
class Lookup:
    os: str
    cycle: str | None  # None: the machine maps to no known cycle
    release: Release | None
    note: str = ""  # language-neutral remark (edition unknown...)


def windows_family(edition: str, table: EolTable) -> str:
    """'w', 'e', 'e-lts', 'iot-lts' or '' for an EditionID."""
    name = (edition or "").strip().lower()
    if not name:
        return ""
    if name in table.windows_editions:
        return table.windows_editions[name]
    if name.startswith("server"):
        return "server"
    if name.endswith("s") and name.startswith(("enterprise", "iotenterprise")):
        return "iot-lts" if name.startswith("iot") else "e-lts"
    if name.startswith(("enterprise", "education", "iotenterprise")):
        return "e"
    if name.startswith(("core", "professional")):
        return "w"
    return ""


def _windows_base(system: SystemFacts, table: EolTable) -> str | None:
    """Release key ("11-24h2") from the build, else from a version such as "11 24H2"."""
    if system.build is not None:
        return table.windows_builds.get(int(system.build))
    m = re.fullmatch(r"(10|11)\s+(\d{2}H\d|\d{4})", (system.os_version or "").strip(), re.IGNORECASE)
    if m and f"{m.group(1)}-{m.group(2).lower()}" in table.windows_builds.values():
        return f"{m.group(1)}-{m.group(2).lower()}"
    return None


def _windows(system: SystemFacts, table: EolTable) -> Lookup:
    base = _windows_base(system, table)
    if base is None:
        what = f"build {system.build}" if system.build is not None else f"version {system.os_version or '?'}"
        return Lookup("windows", None, None, f"{what} not in table")
    family = windows_family(system.edition, table)
    note = ""
    if family == "server":
        return Lookup("windows", None, None, f"edition {system.edition} (server) not in table")
    if family == "iot-lts":
        candidates = [f"{base}-iot-lts", f"{base}-e-lts"]
    elif family == "e-lts":
        candidates = [f"{base}-e-lts"]
    elif family == "e":
        candidates = [f"{base}-e", base]
    elif family == "w":
        candidates = [f"{base}-w", base]
    else:
        # Unknown edition: the Home/Pro dates are the earliest, so never too kind.
        candidates = [base, f"{base}-w"]
        note = f"edition {system.edition or '?'} unknown: Home/Pro dates used"
    for cycle in candidates:
        rel = table.get("windows", cycle)
        if rel is not None:
            return Lookup("windows", cycle, rel, note)
    return Lookup("windows", None, None, f"no cycle for build {system.build} edition {system.edition or '?'}")


def cycle_for(system: SystemFacts, table: EolTable) -> Lookup:
    os_id = (system.os_id or "").lower()
    version = (system.os_version or "").strip()
    if os_id == "windows":
        return _windows(system, table)
    if os_id == "macos":
        parts = version.split(".")
        if not parts or not parts[0].isdigit():
            return Lookup(os_id, None, None, "version unknown")
        cycle = f"{parts[0]}.{parts[1]}" if parts[0] == "10" and len(parts) > 1 else parts[0]
    elif os_id == "ubuntu":
        parts = version.split(".")
        cycle = ".".join(parts[:2]) if len(parts) >= 2 else version
    elif os_id in ("debian", "fedora"):
        cycle = version.split(".")[0]
    else:
        return Lookup(os_id, None, None, f"{os_id or '?'} is not in the table")
    if not cycle:
        return Lookup(os_id, None, None, "version unknown")
    return Lookup(os_id, cycle, table.get(os_id, cycle))
