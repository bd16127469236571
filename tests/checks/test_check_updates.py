"""updates.os_support, updates.pending, updates.automatic, updates.reboot at every boundary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinicguard.checks import CheckContext
from clinicguard.checks.updates import automatic, os_support, pending, reboot
from clinicguard.core.facts import SystemFacts, Unknown, UpdateStatus
from clinicguard.core.model import Reason, Status
from clinicguard.host import UserInfo

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def ctx(platform: str = "linux", now: datetime = NOW) -> CheckContext:
    return CheckContext(platform=platform, now=now, user=UserInfo(name="alice"))


def at(day: str) -> CheckContext:
    return ctx(now=datetime.fromisoformat(day + "T12:00:00+00:00"))


def system(os_id: str, version: str = "", build: int | None = None, edition: str = "") -> SystemFacts:
    return SystemFacts(
        os_id=os_id, os_version=version, os_name=f"{os_id} {version}".strip(), build=build, edition=edition
    )


def updates(**kw) -> UpdateStatus:
    base = {"manager": "apt", "pending": 0, "pending_security": 0}
    base.update(kw)
    return UpdateStatus(**base)


# -- updates.os_support --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "status", "key"),
    [
        ("2026-08-28", Status.PASS, "supported"),  # Fedora 43 ends 2026-12-09
        ("2026-09-09", Status.PASS, "supported"),  # 91 days left
        ("2026-09-10", Status.WARN, "ends_soon"),  # 90 days left
        ("2026-12-09", Status.WARN, "ends_soon"),  # last day of support
        ("2026-12-10", Status.FAIL, "past_eol"),  # Fedora has no extended phase
    ],
)
def test_fedora_43_around_its_end(day, status, key):
    v = os_support(at(day), system("fedora", "43"))
    assert (v.status, v.key) == (status, key)


def test_ends_soon_counts_days():
    v = os_support(at("2026-12-01"), system("fedora", "43"))
    assert v.params["days"] == 8
    assert v.params["eol_date"] == "2026-12-09"


@pytest.mark.parametrize(
    ("day", "status", "key"),
    [
        ("2026-07-11", Status.WARN, "ends_soon"),  # last day of security-team support
        ("2026-07-12", Status.WARN, "debian_lts"),  # LTS window: amber, not red
        ("2028-06-30", Status.WARN, "debian_lts"),
        ("2028-07-01", Status.FAIL, "past_extended"),
    ],
)
def test_debian_12_lts_window(day, status, key):
    v = os_support(at(day), system("debian", "12"))
    assert (v.status, v.key) == (status, key)


def test_debian_11_after_lts_is_red():
    assert os_support(ctx(), system("debian", "11")).status is Status.FAIL


def test_debian_13_supported():
    v = os_support(ctx(), system("debian", "13"))
    assert (v.status, v.key) == (Status.PASS, "supported")


@pytest.mark.parametrize(
    ("pro", "status", "key"),
    [
        (False, Status.FAIL, "ubuntu_no_pro"),
        (True, Status.WARN, "ubuntu_esm"),
        (None, Status.WARN, "ubuntu_esm_unverified"),
    ],
)
def test_ubuntu_lts_past_standard_support(pro, status, key):
    v = os_support(at("2027-04-02"), system("ubuntu", "22.04"), updates(extended_support=pro))
    assert (v.status, v.key) == (status, key)


def test_ubuntu_lts_without_updates_fact():
    v = os_support(at("2027-04-02"), system("ubuntu", "22.04"), None)
    assert v.key == "ubuntu_esm_unverified"


def test_ubuntu_non_lts_past_end_is_red_even_with_pro():
    v = os_support(ctx(), system("ubuntu", "25.04"), updates(extended_support=True))
    assert (v.status, v.key) == (Status.FAIL, "past_eol")


def test_ubuntu_24_04_supported():
    assert os_support(ctx(), system("ubuntu", "24.04")).status is Status.PASS


@pytest.mark.parametrize(
    ("edition", "day", "enrolled", "status", "key"),
    [
        ("Core", "2025-10-14", None, Status.WARN, "ends_soon"),
        ("Core", "2025-10-15", None, Status.WARN, "windows_esu_unverified"),
        ("Professional", "2026-10-13", None, Status.WARN, "windows_esu_unverified"),  # last consumer ESU day
        ("Professional", "2026-10-14", None, Status.FAIL, "past_extended"),
        ("Professional", "2026-10-14", True, Status.FAIL, "past_extended"),
        ("Professional", "2026-05-01", False, Status.FAIL, "windows_no_esu"),
        ("Professional", "2026-05-01", True, Status.WARN, "windows_esu"),
        ("Enterprise", "2026-11-28", None, Status.WARN, "windows_esu_unverified"),  # commercial ESU to 2028
        ("Enterprise", "2028-10-10", True, Status.WARN, "windows_esu"),
        ("Enterprise", "2028-10-11", True, Status.FAIL, "past_extended"),
    ],
)
def test_windows_10_22h2(edition, day, enrolled, status, key):
    v = os_support(
        at(day),
        system("windows", "10 22H2", 19045, edition),
        updates(manager="windows-update", extended_support=enrolled),
    )
    assert (v.status, v.key) == (status, key)


@pytest.mark.parametrize(
    ("build", "edition", "status", "key"),
    [
        (26100, "Professional", Status.FAIL, "past_eol"),  # 11 24H2 Home/Pro ended 2026-10-13
        (26100, "Enterprise", Status.PASS, "supported"),  # 2027-10-12
        (26200, "Core", Status.PASS, "supported"),
        (22631, "Enterprise", Status.WARN, "ends_soon"),  # ends 2026-11-10, checked on 2026-11-01
        (26100, "EnterpriseS", Status.PASS, "supported"),
        (28000, "Professional", Status.PASS, "supported"),
    ],
)
def test_windows_11(build, edition, status, key):
    day = "2026-11-01" if build == 22631 else "2026-11-28"
    v = os_support(at(day), system("windows", "11", build, edition))
    assert (v.status, v.key) == (status, key)


def test_windows_11_23h2_enterprise_after_end():
    v = os_support(ctx(), system("windows", "11 23H2", 22631, "Enterprise"))
    assert (v.status, v.key) == (Status.FAIL, "past_eol")


@pytest.mark.parametrize(
    ("version", "status", "key"),
    [
        ("26.1", Status.PASS, "supported_no_end"),
        ("15.7.2", Status.PASS, "supported_no_end"),
        ("13.7.8", Status.FAIL, "past_eol"),
        ("10.15.7", Status.FAIL, "past_eol"),
    ],
)
def test_macos(version, status, key):
    v = os_support(ctx("macos"), system("macos", version))
    assert (v.status, v.key) == (status, key)


@pytest.mark.parametrize(
    "facts",
    [
        system("linuxmint", "22"),
        system("debian", ""),
        system("windows", "", 20348, "ServerStandard"),
        system("windows", "", None, "Professional"),
        system("fedora", "99"),
    ],
)
def test_release_not_in_table_is_grey(facts):
    v = os_support(ctx(), facts)
    assert v.status is Status.UNKNOWN
    assert v.reason is Reason.NOT_FOUND
    assert v.key == "not_in_table"
    assert v.params["as_of_date"] == "2026-08-22"


def test_os_support_evidence_names_the_table():
    v = os_support(ctx(), system("debian", "12"))
    labels = {e.label: e.value for e in v.evidence}
    assert labels["eol_table_bundled"] == "2026-08-22"
    assert labels["end_of_support"] == "2026-07-11"
    assert labels["extended_support_end"] == "2028-06-30"


def test_os_support_uses_refreshed_cache():
    import json

    from clinicguard.references import eol

    path = eol.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "fetched_at": "2026-10-01T00:00:00Z",
                "source": "endoflife.date",
                "releases": [
                    {"os": "macos", "cycle": "14", "label": "macOS 14 Sonoma", "eol": "2026-09-15", "extended": None}
                ],
            }
        ),
        encoding="utf-8",
    )
    from dataclasses import replace

    from clinicguard.references.tables import load_references

    # The refreshed table reaches the check through its context (read once per assessment)...
    v = os_support(replace(ctx("macos"), references=load_references()), system("macos", "14.8"))
    assert (v.status, v.key) == (Status.FAIL, "past_eol")
    assert any(e.label == "eol_table_refreshed" and e.value == "2026-10-01" for e in v.evidence)
    # ...the check itself reads no file: with the bundled tables it ignores the cache.
    v = os_support(ctx("macos"), system("macos", "14.8"))
    assert not any(e.label == "eol_table_refreshed" for e in v.evidence)


# -- updates.pending -------------------------------------------------------------------


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


@pytest.mark.parametrize(
    ("last", "status", "key"),
    [
        (0, Status.PASS, "up_to_date"),
        (30, Status.PASS, "up_to_date"),
        (31, Status.WARN, "last_install_aging"),
        (60, Status.WARN, "last_install_aging"),
        (61, Status.FAIL, "last_install_old"),
    ],
)
def test_last_install_age(last, status, key):
    v = pending(ctx(), updates(last_install=days_ago(last), metadata_age_days=1))
    assert (v.status, v.key) == (status, key)
    assert v.params["days"] == last


@pytest.mark.parametrize(("age", "status"), [(7, Status.PASS), (7.9, Status.PASS), (8, Status.WARN)])
def test_package_list_age(age, status):
    v = pending(ctx(), updates(last_install=days_ago(2), metadata_age_days=age))
    assert v.status is status
    if status is Status.WARN:
        assert v.key == "lists_stale_named"


@pytest.mark.parametrize(
    ("last", "lists", "status", "key"),
    [
        (14, 1, Status.WARN, "security_pending"),
        (15, 1, Status.FAIL, "security_overdue_install"),
        (3, 14, Status.WARN, "security_pending"),
        (3, 15, Status.FAIL, "security_overdue_lists"),
        (None, None, Status.WARN, "security_pending"),
    ],
)
def test_pending_security_updates(last, lists, status, key):
    v = pending(
        ctx(),
        updates(
            pending=5,
            pending_security=2,
            metadata_age_days=lists,
            last_install=None if last is None else days_ago(last),
        ),
    )
    assert (v.status, v.key) == (status, key)
    assert v.params["security"] == 2


def test_pending_non_security_is_amber():
    v = pending(ctx(), updates(pending=4, pending_security=0, last_install=days_ago(1), metadata_age_days=0.5))
    assert (v.status, v.key, v.params["pending"]) == (Status.WARN, "pending_no_security", 4)


def test_pending_with_unknown_security_share():
    v = pending(ctx(), updates(pending=4, pending_security=None, last_install=days_ago(1)))
    assert (v.status, v.key) == (Status.WARN, "pending_security_unknown")


def test_worst_finding_wins():
    v = pending(ctx(), updates(pending=4, pending_security=0, last_install=days_ago(90), metadata_age_days=20))
    assert (v.status, v.key) == (Status.FAIL, "last_install_old")


def test_pending_unknown_but_recent_install_is_amber_never_green():
    v = pending(ctx(), updates(pending=None, pending_security=None, last_install=days_ago(2)))
    assert (v.status, v.key) == (Status.WARN, "pending_unknown_last")


def test_pending_unknown_and_old_install_is_red():
    v = pending(ctx(), updates(pending=None, pending_security=None, last_install=days_ago(75)))
    assert v.status is Status.FAIL


@pytest.mark.parametrize(
    ("why", "reason"),
    [
        ({"pending": Unknown(Reason.NEEDS_ADMIN, "dnf cache")}, Reason.NEEDS_ADMIN),
        ({"pending": Unknown(Reason.TIMED_OUT, "apt list")}, Reason.TIMED_OUT),
        ({"pending": Unknown(Reason.TOOL_MISSING, "apt")}, Reason.TOOL_MISSING),
        ({}, Reason.NOT_READABLE),
    ],
)
def test_pending_unknown_carries_the_probe_reason(why, reason):
    v = pending(ctx(), updates(pending=None, pending_security=None, why_unknown=why))
    assert v.status is Status.UNKNOWN
    assert v.reason is reason


def test_no_freshness_information_is_not_green():
    v = pending(ctx(), updates(pending=0, pending_security=0))
    assert (v.status, v.key) == (Status.WARN, "up_to_date_unconfirmed")


def test_up_to_date_from_list_age_only():
    v = pending(ctx(), updates(pending=0, pending_security=0, metadata_age_days=1.5))
    assert (v.status, v.key, v.params["days"]) == (Status.PASS, "up_to_date_lists", 1)


def test_future_install_date_counts_as_today():
    v = pending(ctx(), updates(last_install=NOW + timedelta(hours=8), metadata_age_days=0))
    assert (v.status, v.params["days"]) == (Status.PASS, 0)


def test_naive_dates_are_accepted():
    v = pending(ctx(), updates(last_install=datetime(2026, 11, 20, 10, 0), metadata_age_days=0))
    assert v.status is Status.PASS


def test_notes_go_to_their_check():
    u = updates(
        automatic=False,
        reboot_required=False,
        last_install=days_ago(1),
        metadata_age_days=0,
        notes=("automatic: APT::Periodic unset", "reboot: kernel 6.1 running", "pending: nothing", "plain"),
    )
    notes = {
        c.__name__: [e.value for e in fn(ctx(), u).evidence if e.label == "technical_note"]
        for c, fn in ((pending, pending), (automatic, automatic), (reboot, reboot))
    }
    assert notes["pending"] == ["nothing", "plain"]
    assert notes["automatic"] == ["APT::Periodic unset", "plain"]
    assert notes["reboot"] == ["kernel 6.1 running", "plain"]


# -- updates.automatic -------------------------------------------------------------------


def test_automatic_on():
    assert automatic(ctx(), updates(automatic=True)).status is Status.PASS


def test_automatic_off_is_red():
    v = automatic(ctx(), updates(automatic=False))
    assert (v.status, v.key) == (Status.FAIL, "disabled")


@pytest.mark.parametrize(
    ("until", "status", "key"),
    [
        (NOW + timedelta(days=5), Status.WARN, "paused"),
        (NOW - timedelta(seconds=1), Status.PASS, "enabled"),
        (NOW + timedelta(seconds=1), Status.WARN, "paused"),
    ],
)
def test_paused(until, status, key):
    v = automatic(ctx("windows"), updates(manager="windows-update", automatic=True, paused_until=until))
    assert (v.status, v.key) == (status, key)


def test_paused_wins_over_unknown_setting():
    v = automatic(ctx("windows"), updates(automatic=None, paused_until=NOW + timedelta(days=3)))
    assert (v.status, v.params["until_date"]) == (Status.WARN, "2026-12-01")


def test_automatic_unknown_carries_reason():
    v = automatic(ctx(), updates(automatic=None, why_unknown={"automatic": Unknown(Reason.NEEDS_ADMIN, "x")}))
    assert (v.status, v.reason) == (Status.UNKNOWN, Reason.NEEDS_ADMIN)


# -- updates.reboot ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "status", "key"),
    [
        (None, Status.WARN, "reboot_needed"),
        (0, Status.WARN, "reboot_needed_since"),
        (14, Status.WARN, "reboot_needed_since"),
        (15, Status.FAIL, "reboot_overdue"),
    ],
)
def test_reboot_pending(since, status, key):
    v = reboot(ctx(), updates(reboot_required=True, reboot_required_since=None if since is None else days_ago(since)))
    assert (v.status, v.key) == (status, key)


def test_no_reboot():
    assert reboot(ctx(), updates(reboot_required=False)).status is Status.PASS


def test_reboot_unknown():
    why = {"reboot_required": Unknown(Reason.NOT_FOUND, "container")}
    v = reboot(ctx(), updates(reboot_required=None, why_unknown=why))
    assert (v.status, v.reason, v.detail) == (Status.UNKNOWN, Reason.NOT_FOUND, "container")
