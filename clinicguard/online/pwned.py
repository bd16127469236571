"""Pwned Passwords range search by k-anonymity.

Only the first 5 hexadecimal characters of the password's SHA-1 leave the
machine; the service answers with every known suffix for that prefix, and
the match is made here. ``Add-Padding: true`` makes every answer the same
size; padding lines have a count of 0 and are ignored.
"""

from __future__ import annotations

import hashlib
import re

from clinicguard.online.http import Client, OnlineError

MAX_BYTES = 256 * 1024  # a padded answer is 800-1,000 lines of ~40 bytes
MAX_LINES = 5000
_LINE = re.compile(r"^([0-9A-F]{35}):(\d{1,12})$")


def sha1_upper(secret: bytearray) -> str:
    return hashlib.sha1(secret, usedforsecurity=False).hexdigest().upper()


def parse_range(text: str, suffix: str) -> int:
    """Count for ``suffix`` in a range answer; OnlineError("garbage") on any bad line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > MAX_LINES:
        raise OnlineError("garbage", "pwnedpasswords")
    found = 0
    for line in lines:
        match = _LINE.match(line.upper())
        if not match:
            raise OnlineError("garbage", "pwnedpasswords")
        count = int(match.group(2))
        if count > 0 and match.group(1) == suffix:
            found = count
    return found


def pwned_count(client: Client, digest: str) -> int:
    """How many times the password with this SHA-1 appears in known leaks (0 = never)."""
    prefix, suffix = digest[:5], digest[5:]
    reply = client.get(f"/range/{prefix}", headers={"Add-Padding": "true"}, expect=("text/plain",), max_bytes=MAX_BYTES)
    return parse_range(reply.text(), suffix)
