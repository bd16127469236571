"""Recent infostealer SHA-256 digests from abuse.ch, swapped in only when sound.

Sources: the MalwareBazaar "recent" CSV export (about 48 hours of samples,
filtered here on stealer family signatures) and, when an abuse.ch Auth-Key
is in the keyring, ThreatFox ``get_iocs`` (7 days, sha256 payloads of the
same families). The result goes to ``data_dir()/iocs/sha256.txt`` with
``meta.json`` beside it (format in docs/architecture.md). Any malformed
line, unexpected answer, failed source or implausible count keeps the
previous list untouched.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from clinicguard.core.errors import DataFileError
from clinicguard.files.fsutil import MAX_STORE_BYTES, read_capped
from clinicguard.online.http import Client, OnlineError, base_url

MAX_BYTES = 32 << 20
MIN_COUNT = 10  # fewer stealer samples than this in two days means a broken or partial answer
MAX_COUNT = 200_000
MIN_INTERVAL = timedelta(hours=1)  # abuse.ch exports change slowly; do not hammer a free service
STEALERS = re.compile(
    r"lumma|stealc|vidar|redline|raccoon|rhadamanthys|meta_?stealer|amos|atomic|poseidon|banshee|odyssey|stealer",
    re.IGNORECASE,
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
CSV_TYPES = ("text/plain", "text/csv", "application/csv", "application/octet-stream")


@dataclass(frozen=True)
class IocRefresh:
    path: Path
    count: int
    fetched_at: str
    source: str


def ioc_dir() -> Path:
    from clinicguard.files.paths import data_dir

    return data_dir() / "iocs"


def current_meta() -> dict[str, Any] | None:
    try:
        meta = json.loads(read_capped(ioc_dir() / "meta.json", MAX_STORE_BYTES).decode("utf-8"))
    except (DataFileError, OSError, ValueError, RecursionError):
        return None
    return meta if isinstance(meta, dict) else None


def recently_fetched(meta: dict[str, Any], now: datetime | None = None) -> bool:
    try:
        when = datetime.fromisoformat(str(meta["fetched_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return timedelta(0) <= (now or datetime.now(UTC)) - when < MIN_INTERVAL


def parse_bazaar_csv(text: str) -> set[str]:
    """Stealer digests of a MalwareBazaar CSV export; ValueError on any malformed row."""
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    found: set[str] = set()
    for row in csv.reader(rows, skipinitialspace=True, strict=True):
        if len(row) < 9:
            raise ValueError("short row")
        digest = row[1].strip().lower()
        if not _SHA256.match(digest):
            raise ValueError("bad sha256")
        if STEALERS.search(row[8]):
            found.add(digest)
    if not rows:
        raise ValueError("no rows")
    return found


def parse_threatfox(data: Any) -> set[str]:
    if not isinstance(data, dict) or data.get("query_status") not in ("ok", "no_result"):
        raise ValueError("bad query_status")
    items = data.get("data") if data.get("query_status") == "ok" else []
    if not isinstance(items, list):
        raise ValueError("data is not a list")
    found: set[str] = set()
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("item is not an object")
        if item.get("ioc_type") != "sha256_hash":
            continue
        digest = str(item.get("ioc", "")).strip().lower()
        if not _SHA256.match(digest):
            raise ValueError("bad sha256")
        family = f"{item.get('malware', '')} {item.get('malware_printable', '')}"
        if STEALERS.search(family):
            found.add(digest)
    return found


def _checked(parse: Any, payload: Any, service: str) -> set[str]:
    try:
        return parse(payload)
    except (ValueError, TypeError, csv.Error):
        raise OnlineError("garbage", service) from None


def fetch_digests(settings: dict[str, Any] | None, auth_key: str | None) -> tuple[set[str], list[str]]:
    headers = {"Auth-Key": auth_key} if auth_key else {}
    with Client("malwarebazaar", base_url("malwarebazaar", settings)) as mb:
        text = mb.get("/export/csv/recent/", headers=headers, expect=CSV_TYPES, max_bytes=MAX_BYTES).text()
    digests = _checked(parse_bazaar_csv, text, "malwarebazaar")
    sources = ["MalwareBazaar"]
    if auth_key:
        with Client("threatfox", base_url("threatfox", settings)) as tf:
            data = tf.post(
                "/api/v1/", headers=headers, json_body={"query": "get_iocs", "days": 7}, max_bytes=MAX_BYTES
            ).json()
        digests |= _checked(parse_threatfox, data, "threatfox")
        sources.append("ThreatFox")
    return digests, sources


def refresh_iocs(
    settings: dict[str, Any] | None = None, *, auth_key: str | None = None, now: datetime | None = None
) -> IocRefresh:
    """Download, validate, then swap the list in; on OnlineError nothing on disk changed."""
    from clinicguard.files.fsutil import atomic_write

    digests, sources = fetch_digests(settings, auth_key)
    if not MIN_COUNT <= len(digests) <= MAX_COUNT:
        raise OnlineError("ioc_count", "malwarebazaar", count=len(digests), low=MIN_COUNT, high=MAX_COUNT)
    fetched_at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    source = "abuse.ch " + " + ".join(sources)
    folder = ioc_dir()
    folder.mkdir(parents=True, exist_ok=True)
    header = f"# SHA-256 of recent infostealer samples\n# source: {source}\n# fetched_at: {fetched_at}\n"
    path = atomic_write(folder / "sha256.txt", header + "".join(f"{d}\n" for d in sorted(digests)), mode=0o644)
    meta = {"fetched_at": fetched_at, "source": source, "count": len(digests)}
    atomic_write(folder / "meta.json", json.dumps(meta, indent=1) + "\n", mode=0o644)
    return IocRefresh(path, len(digests), fetched_at, source)
