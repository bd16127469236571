"""What a Windows Update history entry patched: the OS, or something else.

Only OS quality updates say when Windows was last patched: monthly
cumulative updates, security updates and (Windows 7/8.1) monthly rollups.
Everything else that flows through Windows Update leaves the OS as it was
and must not reset the clock: Store apps (daily), drivers, Defender
definitions and platform, the malicious software removal tool, feature
updates (upgrades) and .NET Framework updates (they patch .NET only, not
Windows; a PC with a current .NET and an old Windows is not patched).

Titles are localised, so the language-neutral parts come first: the update
service (Microsoft Store), the category ids and the KB numbers; the title is
read last, in French and English only, and anything else is "other", never
an OS update.
"""

from __future__ import annotations

import re
from enum import StrEnum

from clinicguard.probes.windows.text import plain


class UpdateKind(StrEnum):
    OS_QUALITY = "os_quality"
    STORE = "store"
    DRIVER = "driver"
    DEFINITIONS = "definitions"  # Defender signatures and platform, MSRT
    DOTNET = "dotnet"
    FEATURE = "feature"  # upgrade to a new Windows version
    OTHER = "other"


# Update service of the Microsoft Store (IUpdateHistoryEntry.ServiceID).
STORE_SERVICE_ID = "855e8a7c-ecb4-4ca3-b045-1dfa50104289"
# Windows Update classification category ids.
CATEGORY_SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441"
CATEGORY_DEFINITIONS = "e0789628-ce08-4437-be74-2495b842f43b"
CATEGORY_DRIVERS = "ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0"
CATEGORY_UPGRADES = "3689bdc8-b205-4af4-8d4a-a63924c5e9d5"
# Defender security intelligence (and its predecessors), Defender platform, Defender for Endpoint,
# malicious software removal tool.
DEFINITION_KBS = ("KB2267602", "KB2461484", "KB915597", "KB4052623", "KB5007651", "KB5005292", "KB890830")

# A Store product id (12 characters starting with 9) before the package name: "9WZDNCRFHVN5-Microsoft...".
_STORE_TITLE = re.compile(r"^(ApplicationSet-)?9[A-Z0-9]{11}-", re.IGNORECASE)
# Driver titles are "Vendor - Class - Version" in every language: "Intel - System - 10.1.1.44".
_DRIVER_TITLE = re.compile(r"^[^-].* - [^-]+ - \d+(\.\d+)+$")
# 2025+ titles end with the OS build they bring: "2026-09 Security Update (KB5129195) (26200.9457)".
_BUILD_SUFFIX = re.compile(r"\((1\d{4}|2\d{4})\.\d+\)\s*$")
_DOTNET = re.compile(r"\.net\b|\bnet framework\b", re.IGNORECASE)
_KB = re.compile(r"\bKB\d{6,7}\b", re.IGNORECASE)

# Plain (accent-free, lower-case, letters only) keywords of an OS quality update, English and French.
QUALITY_WORDS = (
    "cumulativeupdate",  # "Cumulative Update for Windows 11", "Cumulative Update Preview"
    "miseajourcumulative",  # "Mise à jour cumulative pour Windows 11"
    "securityupdate",  # "Security Update for Windows (KB...)", "2026-09 Security Update (KB...)"
    "miseajourdesecurite",  # "Mise à jour de sécurité pour Windows"
    "monthlyqualityrollup",  # Windows 7/8.1 "Security Monthly Quality Rollup"
    "correctifcumulatifmensuel",  # "Correctif cumulatif mensuel de qualité de la sécurité"
)
FEATURE_WORDS = ("featureupdate", "miseajourdesfonctionnalites", "miseajourdefonctionnalite")


def kb_numbers(title: str) -> set[str]:
    return {m.group(0).upper() for m in _KB.finditer(title)}


def classify(title: str, service_id: str = "", categories: list[str] | tuple[str, ...] = ()) -> UpdateKind:
    cats = {str(c).strip().lower() for c in categories}
    if service_id.strip().strip("{}").lower() == STORE_SERVICE_ID or _STORE_TITLE.match(title.strip()):
        return UpdateKind.STORE
    if CATEGORY_DEFINITIONS in cats or kb_numbers(title) & set(DEFINITION_KBS):
        return UpdateKind.DEFINITIONS
    if CATEGORY_DRIVERS in cats or _DRIVER_TITLE.match(title.strip()):
        return UpdateKind.DRIVER
    if _DOTNET.search(title):
        return UpdateKind.DOTNET
    flat = plain(title)
    if CATEGORY_UPGRADES in cats or any(w in flat for w in FEATURE_WORDS):
        return UpdateKind.FEATURE
    quality = any(w in flat for w in QUALITY_WORDS)
    about_windows = "windows" in flat or bool(_BUILD_SUFFIX.search(title))
    if quality and about_windows:
        return UpdateKind.OS_QUALITY
    return UpdateKind.OTHER
