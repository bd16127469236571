"""Parsers for the few localised console outputs used as fallbacks.

Only English and French are understood; any other language raises a
ProbeError (UNKNOWN with the reason), never a guess. Where a value is
language-neutral (SIDs, 0x numbers, version identifiers) only that is read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from clinicguard.core.errors import ParseError

SID_RE = re.compile(r"^S-1-\d+(-\d+)+$")
HEX_RE = re.compile(r"0x([0-9a-fA-F]+)")
VERSION_ID_RE = re.compile(r"(\d{2})/(\d{2})/(\d{4})-(\d{2}):(\d{2})")

# Words meaning "none / never / unlimited" in net accounts, English and French.
NEVER_WORDS = {"never", "jamais", "none", "aucune", "aucun", "unlimited", "illimite", "illimitee"}


def plain(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'Durée de vie' -> 'dureedevie'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.lower() if c.isascii() and c.isalnum())


# Label (plain form) -> field, per language of `net accounts`.
NET_ACCOUNTS_LABELS = {
    "en": {
        "minimumpasswordlength": "min_length",
        "lockoutthreshold": "lockout",
        "maximumpasswordagedays": "max_age",
    },
    "fr": {
        "longueurminimaledumotdepasse": "min_length",
        "seuildeverrouillage": "lockout",
        "dureedeviemaximaledumotdepassejours": "max_age",
    },
}


@dataclass(frozen=True)
class NetAccounts:
    language: str
    min_length: int | None
    lockout: int | None  # 0 = never
    max_age_days: int | None  # None = unlimited or unreadable


def _number(value: str) -> int | None:
    word = plain(value)
    if word in NEVER_WORDS:
        return 0
    m = re.match(r"\s*(\d+)", value)
    return int(m.group(1)) if m else None


def parse_net_accounts(text: str) -> NetAccounts:
    found: dict[str, dict[str, str]] = {"en": {}, "fr": {}}
    for line in text.splitlines():
        if ":" not in line:
            continue
        label, _, value = line.rpartition(":")
        key = plain(label)
        for lang, table in NET_ACCOUNTS_LABELS.items():
            if key in table:
                found[lang][table[key]] = value.strip()
    lang = max(found, key=lambda k: len(found[k]))
    fields = found[lang]
    if "min_length" not in fields:
        raise ParseError("net accounts: output in an unsupported language or format")
    min_length = _number(fields["min_length"])
    lockout = _number(fields["lockout"]) if "lockout" in fields else None
    max_age = _number(fields["max_age"]) if "max_age" in fields else None
    if min_length is None:
        raise ParseError(f"net accounts: unreadable minimum length {fields['min_length']!r}")
    return NetAccounts(lang, min_length, lockout, max_age or None)


def parse_whoami_groups(text: str) -> set[str]:
    """SIDs of `whoami /groups /fo csv /nh` (the SID column is language-neutral)."""
    sids: set[str] = set()
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if SID_RE.match(cell.strip()):
                sids.add(cell.strip())
    if not sids:
        raise ParseError("whoami /groups: no SID found in the output")
    return sids


def parse_powercfg(text: str) -> tuple[int, int] | None:
    """(AC, DC) values: the last two 0x numbers of `powercfg /q ...`."""
    values = [int(m.group(1), 16) for m in HEX_RE.finditer(text)]
    if len(values) < 2:
        return None
    return values[-2], values[-1]


def parse_version_id(value: str) -> datetime | None:
    """wbadmin version identifier MM/DD/YYYY-HH:MM (same in every language)."""
    m = VERSION_ID_RE.search(value)
    if not m:
        return None
    month, day, year, hour, minute = (int(x) for x in m.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def parse_secedit(lines: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in lines:
        key, _, value = line.partition("=")
        try:
            out[key.strip()] = int(value.strip())
        except ValueError:
            continue
    return out
