"""End to end: recorded Windows machine -> run_assessment -> expected lights."""

from __future__ import annotations

import time

import pytest

from clinicguard.core.model import Reason, Status
from clinicguard.engine.runner import run_assessment
from tests.fixtures import windows_hosts as wh
from tests.support.windows_support import host

P, W, F, U, N = Status.PASS, Status.WARN, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE

# Expected status per check, for the checks this part of the project owns or
# whose Windows facts it produces (checked when the check is in the catalogue).
# Checks not listed must still never crash.
EXPECTED = {
    "windows11-fr-user": {
        "access.password_policy": W,  # 12 + lockout 10, complexity needs admin
        "access.admin_user": P,
        "access.autologin": P,
        "access.local_accounts": P,
        "access.screen_lock": P,
        "network.remote_desktop": P,
        "network.smb1": P,
        "network.remote_tools": W,
        "data.autorun": P,
        "data.secure_boot": P,
        "data.disk_encryption": P,
        "network.firewall": P,
        "malware.antivirus": P,
        "backups.backup": P,
        "updates.os_support": P,
        "updates.automatic": P,
        "updates.reboot": P,
    },
    "windows10-en-admin": {
        "access.password_policy": F,
        "access.admin_user": F,
        "access.autologin": F,
        "access.local_accounts": F,
        "access.screen_lock": F,
        "network.remote_desktop": F,
        "network.smb1": F,
        "network.remote_tools": W,
        "data.autorun": F,
        "data.secure_boot": W,
        "data.disk_encryption": F,  # suspended
        "network.firewall": F,
        "updates.automatic": F,
        "updates.os_support": F,
        "updates.pending": F,
    },
    "windows11-en-home-user": {
        "access.password_policy": P,
        "access.admin_user": P,
        "access.autologin": P,
        "access.local_accounts": P,
        "access.screen_lock": F,  # screensaver without password, never sleeps
        "network.remote_desktop": N,
        "network.smb1": P,
        "network.remote_tools": P,
        "data.autorun": W,
        "data.secure_boot": P,
        "data.disk_encryption": F,  # device encryption waiting
        "updates.automatic": W,
        "backups.backup": F,
        "updates.os_support": F,  # 24H2 Home/Pro ended 2026-10-13
    },
    "windows10-fr-home-admin": {
        "access.password_policy": F,
        "access.admin_user": W,
        "access.autologin": P,
        "access.local_accounts": P,
        "access.screen_lock": F,
        "network.remote_desktop": N,
        "network.smb1": P,
        "network.remote_tools": P,
        "data.autorun": W,
        "data.secure_boot": W,
        "data.disk_encryption": U,  # needs admin
    },
    "windows11-en-pro-admin": {
        "access.password_policy": P,  # complexity read from the elevated secedit export
        "access.admin_user": W,
        "access.autologin": P,
        "access.local_accounts": P,
        "access.screen_lock": P,
        "network.remote_desktop": P,
        "network.smb1": P,
        "network.remote_tools": P,
        "data.autorun": P,
        "data.secure_boot": P,
        "data.disk_encryption": P,  # from Get-BitLockerVolume
    },
    "windows10-fr-pro-user": {
        "access.password_policy": F,
        "access.admin_user": P,
        "access.autologin": P,
        "access.local_accounts": P,
        "access.screen_lock": F,
        "network.remote_desktop": P,
        "network.smb1": P,
        "network.remote_tools": P,
        "data.autorun": W,
        "data.secure_boot": P,
        "data.disk_encryption": W,  # desktop not encrypted
        "backups.backup": F,
        "updates.os_support": F,
    },
    "windows11-fr-constrained": {
        "access.password_policy": W,
        "access.admin_user": P,
        "access.local_accounts": P,
        "access.screen_lock": P,
        "network.remote_desktop": P,
        "network.smb1": P,
        "network.remote_tools": W,
        "data.autorun": P,
        "data.secure_boot": P,
        "data.disk_encryption": U,
    },
    "windows11-fr-no-powershell": {
        "access.password_policy": W,
        "access.admin_user": P,
        "access.local_accounts": U,
        "access.screen_lock": P,
        "network.remote_desktop": P,
        "network.smb1": P,
        "network.remote_tools": W,
        "data.autorun": P,
        "data.secure_boot": P,
        "data.disk_encryption": U,
        "malware.antivirus": U,
        "updates.pending": U,
    },
}
# The update, antivirus, firewall and backup checks on the same recordings.
OS_CHECKS = (
    "updates.os_support",
    "updates.pending",
    "updates.automatic",
    "updates.reboot",
    "malware.antivirus",
    "network.firewall",
    "backups.backup",
)
OS_EXPECTED = {
    "windows11-fr-user": (P, P, P, P, P, P, P),
    "windows10-en-admin": (F, F, F, W, P, F, W),  # past ESU, 107 days, NoAutoUpdate, reboot, ESET, public off, Veeam
    "windows11-en-home-user": (F, F, W, P, W, P, F),  # 24H2 Home ended, security update waiting, paused, 5-day sigs
    "windows10-fr-home-admin": (F, P, P, P, P, P, F),
    "windows11-en-pro-admin": (P, P, P, P, P, P, P),
    "windows10-fr-pro-user": (F, W, P, P, P, P, F),
    "windows11-fr-constrained": (P, U, P, P, P, P, P),
    "windows11-fr-no-powershell": (P, U, P, P, U, W, P),  # firewall from the registry, inbound rule unknown
}
for _name, _statuses in OS_EXPECTED.items():
    EXPECTED[_name].update(dict(zip(OS_CHECKS, _statuses, strict=True)))
UNKNOWN_REASONS = {
    ("windows10-fr-home-admin", "data.disk_encryption"): Reason.NEEDS_ADMIN,
    ("windows11-fr-constrained", "data.disk_encryption"): Reason.NOT_READABLE,
    ("windows11-fr-no-powershell", "data.disk_encryption"): Reason.TOOL_MISSING,
    ("windows11-fr-no-powershell", "access.local_accounts"): Reason.TOOL_MISSING,
    ("windows11-fr-no-powershell", "malware.antivirus"): Reason.TOOL_MISSING,
    ("windows11-fr-no-powershell", "updates.pending"): Reason.TOOL_MISSING,
    ("windows11-fr-constrained", "updates.pending"): Reason.NOT_READABLE,
}
CASES = {case()["_name"]: case for case in wh.CASES}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_windows_assessment(name):
    h = host(CASES[name])
    started = time.monotonic()
    assessment = run_assessment(h, check_timeout=10)
    elapsed = time.monotonic() - started
    got = {r.check_id: r.status for r in assessment.results}
    for check_id, status in EXPECTED[name].items():
        if check_id in got:
            assert got[check_id] is status, (name, check_id, got[check_id])
    for r in assessment.results:
        assert r.reason is not Reason.CHECK_ERROR, (name, r.check_id, r.detail)
        if (name, r.check_id) in UNKNOWN_REASONS:
            assert r.reason is UNKNOWN_REASONS[(name, r.check_id)], (name, r.check_id, r.reason)
        if r.status is Status.UNKNOWN:
            assert r.reason is not None
    assert assessment.host.platform == "windows" and assessment.host.os_name.startswith("Windows")
    assert h.powershell_starts <= 2
    assert elapsed < 5


def test_powershell_started_at_most_twice():
    from clinicguard.cli.collect import collect
    from clinicguard.probes import provider

    h = host()
    run_assessment(h)
    assert h.powershell_starts <= 2
    every_probe = host()
    collect(every_probe)
    assert every_probe.powershell_starts == 2  # the batch, and Windows Update in parallel
    updates_only = host()
    provider("updates", "windows")(updates_only)
    assert updates_only.calls == [updates_only.calls[0]] and updates_only.calls[0][1] == "-NoLogo"


def test_note_keys_translated_in_both_languages():
    import re

    from clinicguard.i18n import catalog

    seen = set()
    for case in wh.CASES:
        for r in run_assessment(host(case)).results:
            seen |= {
                e.value for e in r.evidence if e.label == "technical_note" and re.fullmatch(r"[a-z][a-z0-9_]+", e.value)
            }
    assert "windows_complexity_needs_admin" in seen
    for lang in ("fr", "en"):
        assert not [v for v in seen if f"value.{v}" not in catalog(lang)], lang
