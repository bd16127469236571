"""Security Center (root/SecurityCenter2) products: who is who, by identity.

A product is Microsoft Defender only when Security Center says so by what
identifies it: its instance GUID or its signed executables
(``windowsdefender://``, ``%ProgramFiles%\\Windows Defender\\MsMpEng.exe``).
Display names are never used: "Bitdefender Antivirus" and "Bitdefender
Firewall" contain "defender" and are other vendors' products.
"""

from __future__ import annotations

import re

# instanceGuid Security Center gives Microsoft Defender Antivirus on Windows 10/11.
DEFENDER_GUID = "{d68ddc3a-831f-4fae-9e44-da132c1acf46}"
DEFENDER_PRODUCT_EXE = "windowsdefender://"
# Reporting executable: %ProgramFiles%\Windows Defender\MsMpEng.exe, or the same path expanded
# (C:\Program Files\...) or under the platform folder %ProgramData%\Microsoft\Windows Defender\Platform\<v>\.
_DEFENDER_EXE_RE = re.compile(
    r"^(%programfiles%|[a-z]:\\program files)\\windows defender\\msmpeng\.exe$"
    r"|^(%programdata%|[a-z]:\\programdata)\\microsoft\\windows defender\\platform\\[^\\]+\\msmpeng\.exe$"
)


def _norm_path(value: object) -> str:
    return str(value or "").strip().strip('"').replace("/", "\\").lower()


def is_microsoft_defender(item: dict) -> bool | None:
    """True/False from the product's identity; None when the entry carries no identity at all."""
    guid = str(item.get("guid") or "").strip().lower()
    product_exe = _norm_path(item.get("product_exe"))
    reporting_exe = _norm_path(item.get("reporting_exe"))
    if not (guid or product_exe or reporting_exe):
        return None
    if guid == DEFENDER_GUID:
        return True
    if str(item.get("product_exe") or "").strip().lower() == DEFENDER_PRODUCT_EXE:
        return True
    return bool(_DEFENDER_EXE_RE.match(reporting_exe) or _DEFENDER_EXE_RE.match(product_exe))
