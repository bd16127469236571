"""Reading the published Windows captures of tests/fixtures/real/windows/.

People publish PowerShell objects as Format-List text ("key : value") and wmic
output as "key=value" lines; the probes receive the same objects as JSON from
the batched PowerShell script. These helpers turn the published text into the
section shapes of batch.ps1, so a real capture replays through RecordedHost.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path
from typing import Any

from tests.support.paths import FIXTURES

REAL_WINDOWS = FIXTURES / "real" / "windows"
SIDECAR_KEYS = {"url", "title", "os", "language", "captured", "checks", "changes", "hand_written"}

_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*(?::|=)\s?(.*?)\s*$")


def text(name: str) -> str:
    return (REAL_WINDOWS / name).read_text(encoding="utf-8")


def sidecar(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".source.toml").read_text(encoding="utf-8"))


def objects(raw: str, first_key: str) -> list[dict[str, str]]:
    """Objects of Format-List / wmic /format:list output, each starting at ``first_key``."""
    out: list[dict[str, str]] = []
    for line in raw.splitlines():
        m = _LINE.match(line)
        if not m or line.lstrip().startswith(("PS ", "C:\\")):
            continue
        key, value = m.group(1), m.group(2)
        if key == first_key:
            out.append({})
        if out and key not in out[-1]:
            out[-1][key] = value
    return out


def av_section(raw: str) -> list[dict[str, Any]]:
    """AntiVirusProduct objects in the shape of batch.ps1's av_products section."""
    items = []
    for o in objects(raw, "displayName"):
        item: dict[str, Any] = {
            "name": o["displayName"],
            "guid": o.get("instanceGuid", ""),
            "product_exe": o.get("pathToSignedProductExe", ""),
            "reporting_exe": o.get("pathToSignedReportingExe", ""),
        }
        if o.get("productState", "").isdigit():
            item["state"] = int(o["productState"])
        items.append(item)
    return items


def _bool(value: str | None) -> bool | None:
    return {"true": True, "false": False}.get((value or "").strip().lower())


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def defender_section(raw: str) -> dict[str, Any]:
    """MSFT_MpComputerStatus in the shape of batch.ps1's defender section (absent fields stay None)."""
    (o,) = objects(raw, "AMEngineVersion")
    return {
        "mode": o.get("AMRunningMode"),
        "service": _bool(o.get("AMServiceEnabled")),
        "antivirus": _bool(o.get("AntivirusEnabled")),
        "realtime": _bool(o.get("RealTimeProtectionEnabled")),
        "tamper": _bool(o.get("IsTamperProtected")),
        "signature_age": _int(o.get("AntivirusSignatureAge")),
        "outdated": _bool(o.get("DefenderSignaturesOutOfDate")),
    }


def firewall_section(raw: str) -> list[dict[str, str]]:
    """Get-NetFirewallProfile objects in the shape of batch.ps1's firewall section."""
    return [
        {"name": o["Name"], "enabled": o.get("Enabled", ""), "inbound": o.get("DefaultInboundAction", "")}
        for o in objects(raw, "Name")
    ]


def wsc_error(raw: str) -> dict[str, str]:
    """The error a published wmic/CIM query of SecurityCenter2 printed, as a failed batch section."""
    for line in raw.splitlines():
        if "Description =" in line or "wmic:ERROR" in line:
            return {"error": line.split("=", 1)[-1].strip() if "=" in line else line.strip(), "id": "CimException"}
    raise AssertionError("no Security Center error in the capture")


def table_rows(raw: str) -> list[list[str]]:
    """Rows of a console table (whoami /groups without /fo csv): columns are the runs of '=' under the headers."""
    lines = raw.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("="))
    spans = [m.span() for m in re.finditer(r"=+", lines[rule])]
    rows = []
    for line in lines[rule + 1 :]:
        if not line.strip():
            continue
        cells = [
            line[start : spans[n + 1][0] if n + 1 < len(spans) else None].strip()
            for n, (start, _end) in enumerate(spans)
        ]
        rows.append(cells)
    return rows


def whoami_csv(raw: str) -> str:
    """A published whoami /groups table in the shape the probe asks for (/fo csv /nh)."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(table_rows(raw))
    return out.getvalue()


_WU_ROW = re.compile(r"^\S+\s+(Installation|Uninstallation)\s+(\w+)\s+(\d{1,2})/(\d{1,2})/(\d{4})\s+\S+\s+(.+?)\s*$")
_WU_RESULTS = {"InProgress": 1, "Succeeded": 2, "SucceededWithErrors": 3, "Failed": 4, "Aborted": 5}


def wu_history(raw: str) -> list[dict[str, Any]]:
    """Get-WUHistory table rows (US dates) in the shape of updates.ps1's wu_history section.

    The table gives the day and the title; the time of day, the service and the categories are
    not in it (midnight UTC, empty)."""
    entries = []
    for line in raw.splitlines():
        m = _WU_ROW.match(line)
        if m:
            _op, result, month, day, year, title = m.groups()
            entries.append(
                {
                    "date": f"{year}-{int(month):02d}-{int(day):02d}T00:00:00Z",
                    "title": title,
                    "result": _WU_RESULTS[result],
                    "service": "",
                    "categories": [],
                }
            )
    return entries
