"""Have I Been Pwned API v3: in which known breaches does an e-mail address appear?

The full address goes to HIBP (outside the EU): callers must have the
user's consent for each run. The API key comes from the OS keyring. 404
means "in no known breach", 429 is retried after the announced delay
(bounded by the HTTP helper).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from clinicguard.online.http import Client, OnlineError

MAX_BYTES = 4 << 20  # a full answer for a much-leaked address is a few hundred KiB
MAX_BREACHES = 2000
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}$")


def valid_email(address: str) -> bool:
    return len(address) <= 254 and bool(_EMAIL.match(address))


def _clean(value: Any, limit: int = 80) -> str:
    if not isinstance(value, str):
        return ""
    return "".join(c for c in value if c.isprintable())[:limit]


@dataclass(frozen=True)
class Breach:
    name: str
    title: str
    breach_date: str
    data_classes: tuple[str, ...]

    @property
    def passwords(self) -> bool:
        return "Passwords" in self.data_classes


def parse_breaches(data: Any) -> list[Breach]:
    if not isinstance(data, list) or len(data) > MAX_BREACHES:
        raise OnlineError("garbage", "hibp")
    breaches = []
    for item in data:
        if not isinstance(item, dict) or not _clean(item.get("Name")):
            raise OnlineError("garbage", "hibp")
        classes = item.get("DataClasses") or []
        if not isinstance(classes, list):
            raise OnlineError("garbage", "hibp")
        date = _clean(item.get("BreachDate"), 10)
        breaches.append(
            Breach(
                _clean(item["Name"]),
                _clean(item.get("Title")) or _clean(item["Name"]),
                date if re.match(r"^\d{4}-\d{2}-\d{2}$", date) else "",
                tuple(_clean(c, 60) for c in classes if isinstance(c, str)),
            )
        )
    return breaches


def breaches_for(client: Client, api_key: str, address: str) -> list[Breach]:
    """Known breaches of ``address`` (empty when HIBP answers 404)."""
    if not valid_email(address):
        raise ValueError("not an e-mail address")
    reply = client.get(
        f"/api/v3/breachedaccount/{quote(address, safe='')}",
        params={"truncateResponse": "false"},
        headers={"hibp-api-key": api_key},
        ok=(200, 404),
        max_bytes=MAX_BYTES,
    )
    if reply.status == 404:
        return []
    return parse_breaches(reply.json())
