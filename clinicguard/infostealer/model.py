"""Facts of the infostealer triage: signs of infection and credential exposure.

Like every fact they hold no secret: paths, counts and rule ids only.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinicguard.core.facts import Facts


@dataclass(frozen=True, kw_only=True)
class InfostealerHit:
    rule: str  # rule id, also the i18n key evidence.infostealer.<rule>
    strength: str  # S, M or W
    category: str
    where: str  # file path, registry key, process or history file
    detail: str = ""  # short, non-secret excerpt: command line, line number, matched names


@dataclass(frozen=True, kw_only=True)
class ScanSummary:
    files: int
    dirs: int
    hashed: int
    bytes_hashed: int
    skipped: dict[str, int]  # reason -> count (unreadable, vanished, special...)
    hash_list_size: int
    elapsed_s: float
    complete: bool  # False when cancelled or out of time


@dataclass(frozen=True, kw_only=True)
class ProfileScope:
    """Which user profiles of the machine were examined."""

    current: str  # the account running the assessment (the invoking user under sudo)
    admin: bool  # administrator rights: every profile could be examined
    others: tuple[str, ...]  # the other real profiles of the machine
    skipped: tuple[tuple[str, str], ...] = ()  # (folder or account, reason word): system, service, default...
    error: str = ""  # why the list of profiles may be incomplete


@dataclass(frozen=True, kw_only=True)
class ProfileSigns:
    """Signs found in another account's profile (the machine-wide sources are in the main result)."""

    profile: str
    home: str
    state: str  # examined, vanished, unreadable, network, cut, not_examined
    hits: tuple[InfostealerHit, ...] = ()
    looked_at: tuple[str, ...] = ()
    not_looked_at: tuple[tuple[str, str], ...] = ()
    core_missing: tuple[str, ...] = ()
    scan: ScanSummary | None = None


@dataclass(frozen=True, kw_only=True)
class InfostealerSigns(Facts):
    hits: tuple[InfostealerHit, ...]
    looked_at: tuple[str, ...]  # source ids examined
    not_looked_at: tuple[tuple[str, str], ...]  # (source id, reason word)
    core_missing: tuple[str, ...] = ()  # core sources that could not be examined
    scan: ScanSummary | None = None
    # Other accounts' profiles: examined with administrator rights, else only named in the scope.
    profiles: tuple[ProfileSigns, ...] = ()
    scope: ProfileScope | None = None


@dataclass(frozen=True, kw_only=True)
class ExposureItem:
    kind: str  # i18n key evidence.exposure.<kind>
    where: str
    count: int | None = None


@dataclass(frozen=True, kw_only=True)
class ProfileExposure:
    """What a stealer would take from another account's profile."""

    profile: str
    home: str
    state: str  # examined, vanished, unreadable, network
    items: tuple[ExposureItem, ...] = ()
    looked_at: tuple[str, ...] = ()
    not_looked_at: tuple[tuple[str, str], ...] = ()
    saved_logins: int | None = None  # passwords saved in that profile's browsers (counted, never read)


@dataclass(frozen=True, kw_only=True)
class CredentialExposure(Facts):
    items: tuple[ExposureItem, ...]
    looked_at: tuple[str, ...]
    not_looked_at: tuple[tuple[str, str], ...] = ()
    profiles: tuple[ProfileExposure, ...] = ()
    scope: ProfileScope | None = None
