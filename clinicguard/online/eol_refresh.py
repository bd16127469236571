"""End-of-support dates refreshed from endoflife.date (API v0).

Writes ``cache_dir()/eol.json`` (format in docs/architecture.md, "Files
shared between parts"), read by :mod:`clinicguard.references.eol` over the bundled
table. All five products must download and validate, or nothing is
written: a half-refreshed cache would claim a freshness it does not have.

Mapping of the API fields: ``eol`` and ``extendedSupport`` are dates or
booleans. ``eol: false`` (still supported, no date) becomes ``null``;
``eol: true`` (ended, date unknown) cannot be told in the cache format, so
that cycle is left out and the bundled table answers for it.
``extendedSupport`` other than a date becomes ``null``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from clinicguard.core.errors import DataFileError
from clinicguard.files.fsutil import MAX_STORE_BYTES, read_capped
from clinicguard.online.http import Client, OnlineError, base_url

log = logging.getLogger("clinicguard.online")

PRODUCTS = ("windows", "macos", "debian", "ubuntu", "fedora")
SOURCE = "endoflife.date"
CACHE_NAME = "eol.json"
MAX_BYTES = 1 << 20  # one product is a few tens of KiB
MAX_CYCLES = 500
MAX_AGE = timedelta(hours=24)  # `check --online` refreshes at most daily

_CYCLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class EolRefresh:
    path: Path
    count: int
    fetched_at: str


def cache_path() -> Path:
    from clinicguard.files.paths import cache_dir

    return cache_dir() / CACHE_NAME


def _date(value: Any) -> str | None:
    """A plausible ISO date, else None; raises on a malformed string."""
    if not isinstance(value, str):
        return None
    if not _DATE.match(value):
        raise ValueError("bad date")
    day = date.fromisoformat(value)
    if not 1985 <= day.year <= 2100:
        raise ValueError("implausible date")
    return value


def _label(item: dict[str, Any], cycle: str) -> str:
    for key in ("releaseLabel", "codename"):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            text = "".join(c for c in value.strip() if c.isprintable())[:80]
            return text if key == "releaseLabel" else f"{cycle} ({text})"
    return cycle


def parse_product(product: str, data: Any) -> list[dict[str, Any]]:
    """Releases of one product in the cache format; ValueError on anything unexpected."""
    if not isinstance(data, list) or not 1 <= len(data) <= MAX_CYCLES:
        raise ValueError("not a list of cycles")
    releases: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in data:
        if not isinstance(item, dict):
            raise ValueError("cycle is not an object")
        cycle = item.get("cycle")
        if isinstance(cycle, int | float) and not isinstance(cycle, bool):
            cycle = f"{cycle:g}"
        if not isinstance(cycle, str) or not _CYCLE.match(cycle):
            raise ValueError("bad cycle key")
        eol = item.get("eol")
        if not isinstance(eol, bool | str | None):
            raise ValueError("bad eol")
        if eol is True or cycle in seen:
            continue
        seen.add(cycle)
        releases.append(
            {
                "os": product,
                "cycle": cycle,
                "label": _label(item, cycle),
                "eol": _date(eol),
                "extended": _date(item.get("extendedSupport")),
            }
        )
    return releases


def fetch_releases(client: Client) -> list[dict[str, Any]]:
    releases: list[dict[str, Any]] = []
    for product in PRODUCTS:
        data = client.get(f"/api/{product}.json", max_bytes=MAX_BYTES).json()
        try:
            found = parse_product(product, data)
        except (ValueError, TypeError) as exc:
            log.info("endoflife: %s rejected (%s)", product, exc)
            raise OnlineError("garbage", client.service) from None
        if not found:
            raise OnlineError("garbage", client.service)
        releases.extend(found)
    return releases


def refresh_eol(
    settings: dict[str, Any] | None = None, *, client: Client | None = None, now: datetime | None = None
) -> EolRefresh:
    """Download, validate, then write the cache atomically; OnlineError leaves the old cache as it was."""
    from clinicguard.files.fsutil import atomic_write

    own = client is None
    client = client or Client("endoflife", base_url("endoflife", settings))
    try:
        releases = fetch_releases(client)
    finally:
        if own:
            client.close()
    fetched_at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    doc = {"fetched_at": fetched_at, "source": SOURCE, "releases": releases}
    path = cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n", mode=0o644)
    return EolRefresh(path, len(releases), fetched_at)


def cached_fetched_at() -> datetime | None:
    """When the cache was fetched, or None without a readable cache."""
    try:
        doc = json.loads(read_capped(cache_path(), MAX_STORE_BYTES).decode("utf-8"))
        when = datetime.fromisoformat(str(doc["fetched_at"]).replace("Z", "+00:00"))
    except (DataFileError, OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def offline_note(lang: str) -> str:
    """Which offline dates are used instead: the last download, or the bundled table."""
    from clinicguard.i18n import t

    when = cached_fetched_at()
    if when is None:
        return t("online.eol.offline_bundled", lang)
    return t("online.eol.offline_cached", lang, fetched_date=when)


def refresh_if_stale(settings: dict[str, Any] | None, lang: str, now: datetime | None = None) -> tuple[bool, list[str]]:
    """Refresh a cache older than MAX_AGE; (False, what happened) when falling back to offline data.

    For ``check --online`` and the dashboard: never raises for network trouble.
    """
    from clinicguard.i18n import t

    current = now or datetime.now(UTC)
    when = cached_fetched_at()
    if when is not None and timedelta(0) <= current - when < MAX_AGE:
        return True, [t("online.eol.fresh", lang, fetched_date=when)]
    try:
        done = refresh_eol(settings, now=current)
    except OnlineError as exc:
        return False, [exc.message(lang), offline_note(lang)]
    return True, [t("online.eol.updated", lang, count=done.count, fetched_date=done.fetched_at)]
