"""Generated fleet data for the fleet tests and benchmark (hand-made, fictitious machines).

``make_assessment`` builds an assessment over the real catalogue with chosen or
pseudo-random statuses; ``write_fleet`` fills a folder with visit files.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from clinicguard.catalogue import Catalogue, load_catalogue
from clinicguard.core.model import Acceptance, Assessment, CheckResult, Evidence, HostInfo, Reason, Status
from clinicguard.core.score import compute_score
from clinicguard.fleet.identity import hash_machine_id
from clinicguard.fleet.visit import build_visit, write_visit

FROZEN = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TODAY = FROZEN.date()
# Summary wording per status (compliant, to improve, critical) so fictitious results read consistently.
SUMMARIES = {
    "access.admin_user": ("standard", "many_admins", "admin"),
    "access.autologin": ("off", "on", "on_password_stored"),
    "access.browser_passwords": ("none", "saved", "saved_shared"),
    "access.local_accounts": ("ok", "guest_enabled", "empty_password"),
    "access.password_policy": ("ok_long", "medium_no_lockout", "too_short"),
    "access.screen_lock": ("ok", "slow", "never"),
    "backups.backup": ("recent", "aging", "none_found"),
    "data.autorun": ("off", "partial", "all_on"),
    "data.disk_encryption": ("on", "partial", "off_laptop"),
    "data.secure_boot": ("on", "legacy", "off_windows11"),
    "malware.antivirus": ("active_ok", "signatures_aging", "none_active"),
    "malware.exposure": ("low", "medium", "plaintext"),
    "malware.infostealer": ("clean", "weak", "strong"),
    "network.exposed_services": ("none", "medium", "high_no_firewall"),
    "network.firewall": ("windows_on", "profile_off_private", "profile_off_both"),
    "network.remote_desktop": ("off", "on_nla", "on_no_nla"),
    "network.remote_tools": ("none", "installed", "unattended"),
    "network.smb1": ("disabled", "enabled", "enabled"),
    "updates.automatic": ("enabled", "paused", "disabled"),
    "updates.os_support": ("supported", "ends_soon", "past_eol"),
    "updates.pending": ("up_to_date", "last_install_aging", "security_overdue_install"),
    "updates.reboot": ("no_reboot", "reboot_needed", "reboot_overdue"),
}
PARAMS = {
    "user": "benevole",
    "product": "Defender",
    "name": "Windows 11",
    "os": "Windows 11",
    "date": "2026-01-15",
    "eol_date": "2026-10-13",
    "last_date": "2026-09-01",
    "tool": "AnyDesk",
    "tools": "AnyDesk",
    "services": "RDP (3389)",
    "service": "RDP (3389)",
}
_STATUS_POOL = [Status.PASS] * 6 + [Status.WARN] * 2 + [Status.FAIL, Status.UNKNOWN]


def machine_id(n: int) -> str:
    return hash_machine_id(f"{n:032x}")


def result_for(spec_id: str, status: Status, catalogue: Catalogue, accepted: Acceptance | None = None) -> CheckResult:
    spec = catalogue.checks[spec_id]
    if spec.kind == "ask":
        answer = {
            Status.PASS: "yes",
            Status.WARN: "partial",
            Status.FAIL: "no",
            Status.UNKNOWN: "dont_know",
            Status.NOT_APPLICABLE: "not_applicable",
        }[status]
        return CheckResult(
            spec_id,
            status,
            f"questionnaire.summary.{answer}",
            {"answered_date": "2026-10-01"},
            (Evidence("answer", answer, "questionnaire"), Evidence("answered_on", "2026-10-01", "questionnaire")),
            Reason.NOT_KNOWN if status is Status.UNKNOWN else None,
            accepted=accepted,
        )
    pass_key, warn_key, fail_key = SUMMARIES.get(spec_id, ("ok", "ok", "ok"))
    key = {Status.PASS: pass_key, Status.WARN: warn_key, Status.FAIL: fail_key}.get(status, "unknown")
    summaries = spec.texts["en"].get("summary", {})
    if key not in summaries:
        key = next(iter(summaries), "ok")
    reason = Reason.NEEDS_ADMIN if status is Status.UNKNOWN else None
    text = summaries.get(key, "")
    text = " ".join(map(str, text.values())) if isinstance(text, dict) else str(text)  # plural forms
    params = {name: PARAMS.get(name, "3") for name in re.findall(r"{(\w+)", text)}
    return CheckResult(
        spec_id,
        status,
        key,
        params,
        (Evidence("setting", "value", "generated"),),
        reason,
        "generated" if reason else "",
        accepted=accepted,
    )


def make_assessment(
    statuses: dict[str, Status] | None = None,
    *,
    hostname: str = "PC-ACCUEIL",
    user: str = "benevole",
    when: datetime = FROZEN,
    version: str = "0.1.0",
    seed: int | None = None,
    platform: str = "windows",
    catalogue: Catalogue | None = None,
    accepted: dict[str, Acceptance] | None = None,
) -> Assessment:
    """Every catalogue item; ``statuses`` gives some, the others are green (or random with ``seed``)."""
    catalogue = catalogue or load_catalogue()
    rng = random.Random(seed) if seed is not None else None
    results = []
    for spec in sorted(catalogue.checks.values(), key=lambda s: s.id):
        status = (statuses or {}).get(spec.id)
        if status is None and spec.kind == "ask" and rng is not None:
            # Organisational answers are the same on every machine of a visit round.
            status = random.Random(f"{spec.id}{when:%Y%m}").choice(_STATUS_POOL)
        if status is None:
            status = rng.choice(_STATUS_POOL) if rng else Status.PASS
        results.append(result_for(spec.id, status, catalogue, (accepted or {}).get(spec.id)))
    weights = {cid: s.weight for cid, s in catalogue.checks.items()}
    host = HostInfo(
        hostname,
        platform,
        "Windows 11 Pro" if platform == "windows" else "Debian GNU/Linux",
        "24H2" if platform == "windows" else "12",
        user,
        False,
    )
    return Assessment(host, when - timedelta(seconds=5), when, version, tuple(results), compute_score(results, weights))


def visit_document(n: int, label: str, assessment: Assessment) -> dict:
    return build_visit(assessment, machine_id(n), label, {}, "EHPAD Les Tilleuls")


def write_fleet(
    folder: Path,
    machines: int,
    visits: int,
    *,
    start: date = date(2025, 12, 1),
    seed: int = 7,
    catalogue: Catalogue | None = None,
) -> list[Path]:
    """``machines`` x ``visits`` visit files, one visit a month per machine, ending before TODAY."""
    catalogue = catalogue or load_catalogue()
    paths = []
    for m in range(machines):
        for v in range(visits):
            when = datetime.combine(start + timedelta(days=30 * v + m % 27), datetime.min.time(), UTC) + timedelta(
                hours=8 + m % 9
            )
            a = make_assessment(
                hostname=f"PC-{m:04d}",
                when=when,
                seed=seed * 100003 + m * 101 + v,
                catalogue=catalogue,
                version="0.1.0" if v >= visits - 2 or m % 5 else "0.0.9",
            )
            paths.append(write_visit(folder, visit_document(m, f"Poste {m:04d}", a)))
    return paths
