"""The end-of-support table: bundled data, refreshed cache, machine -> cycle."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from clinicguard.core.errors import DataFileError
from clinicguard.core.facts import SystemFacts
from clinicguard.i18n import message_text
from clinicguard.references import eol


def system(os_id: str, version: str = "", build: int | None = None, edition: str = "") -> SystemFacts:
    return SystemFacts(os_id=os_id, os_version=version, os_name=f"{os_id} {version}", build=build, edition=edition)


def test_bundled_table_is_dated_and_complete():
    table = eol.bundled_table()
    assert table.as_of == date(2026, 8, 22)
    assert not table.refreshed
    for os_id, cycle in [
        ("windows", "10-22h2"),
        ("windows", "11-24h2-w"),
        ("windows", "11-24h2-e"),
        ("windows", "11-24h2-e-lts"),
        ("windows", "11-25h2-w"),
        ("windows", "11-25h2-e"),
        ("windows", "10-21h2-e-lts"),
        ("windows", "11-26h1-w"),
        ("debian", "11"),
        ("debian", "12"),
        ("debian", "13"),
        ("ubuntu", "22.04"),
        ("ubuntu", "24.04"),
        ("ubuntu", "25.10"),
        ("fedora", "41"),
        ("fedora", "42"),
        ("fedora", "43"),
        ("fedora", "44"),
        ("macos", "13"),
        ("macos", "14"),
        ("macos", "15"),
        ("macos", "26"),
    ]:
        assert table.get(os_id, cycle) is not None, (os_id, cycle)


@pytest.mark.parametrize(
    ("os_id", "cycle", "end", "extended"),
    [
        ("windows", "10-22h2", date(2025, 10, 14), date(2028, 10, 10)),
        ("windows", "11-24h2-w", date(2026, 10, 13), None),
        ("windows", "11-24h2-e", date(2027, 10, 12), None),
        ("windows", "11-23h2-w", date(2025, 11, 11), None),
        ("windows", "11-25h2-w", date(2027, 10, 12), None),
        ("windows", "11-25h2-e", date(2028, 10, 10), None),
        ("windows", "10-21h2-e-lts", date(2027, 1, 12), None),
        ("windows", "11-24h2-e-lts", date(2029, 10, 9), None),
        ("debian", "12", date(2026, 7, 11), date(2028, 6, 30)),
        ("debian", "11", date(2024, 8, 14), date(2026, 8, 31)),
        ("debian", "13", date(2028, 8, 9), date(2030, 6, 30)),
        ("ubuntu", "22.04", date(2027, 4, 1), date(2032, 4, 9)),
        ("ubuntu", "24.04", date(2029, 5, 31), date(2036, 5, 31)),
        ("fedora", "42", date(2026, 5, 27), None),
        ("fedora", "43", date(2026, 12, 9), None),
        ("fedora", "44", date(2027, 6, 2), None),
        ("macos", "13", date(2025, 9, 15), None),
        ("macos", "15", None, None),
    ],
)
def test_reference_dates(os_id, cycle, end, extended):
    rel = eol.bundled_table().get(os_id, cycle)
    assert rel.eol == end
    assert rel.extended == extended


def test_windows10_consumer_esu():
    assert eol.bundled_table().get("windows", "10-22h2").extended_consumer == date(2026, 10, 13)


@pytest.mark.parametrize(
    ("build", "edition", "cycle"),
    [
        (19045, "Core", "10-22h2"),
        (19045, "Professional", "10-22h2"),
        (19045, "Enterprise", "10-22h2"),
        (22000, "Professional", "11-21h2-w"),
        (22621, "Education", "11-22h2-e"),
        (22631, "Core", "11-23h2-w"),
        (26100, "Professional", "11-24h2-w"),
        (26100, "ProfessionalWorkstation", "11-24h2-w"),
        (26100, "Enterprise", "11-24h2-e"),
        (26100, "EnterpriseS", "11-24h2-e-lts"),
        (26100, "IoTEnterpriseS", "11-24h2-iot-lts"),
        (26200, "CoreSingleLanguage", "11-25h2-w"),
        (26200, "EducationN", "11-25h2-e"),
        (28000, "Professional", "11-26h1-w"),
        (19044, "EnterpriseS", "10-21h2-e-lts"),
        (19044, "IoTEnterpriseS", "10-21h2-iot-lts"),
        (17763, "EnterpriseS", "10-1809-e-lts"),
        (17763, "IoTEnterpriseS", "10-1809-e-lts"),  # no IoT cycle: the Enterprise LTSC dates apply
        (9600, "Professional", "8.1"),
    ],
)
def test_windows_build_and_edition_map_to_cycle(build, edition, cycle):
    found = eol.cycle_for(system("windows", build=build, edition=edition), eol.bundled_table())
    assert found.cycle == cycle
    assert found.release is not None


@pytest.mark.parametrize(
    ("version", "cycle"), [("11 24H2", "11-24h2-w"), ("10 22H2", "10-22h2"), ("10 1809", "10-1809-w")]
)
def test_windows_version_when_build_unknown(version, cycle):
    found = eol.cycle_for(system("windows", version, build=None, edition="Professional"), eol.bundled_table())
    assert found.cycle == cycle


def test_windows_unknown_edition_uses_home_pro_dates():
    found = eol.cycle_for(system("windows", build=26100, edition=""), eol.bundled_table())
    assert found.cycle == "11-24h2-w"
    assert "unknown" in found.note


@pytest.mark.parametrize(
    ("build", "edition"),
    [(26100, "ServerStandard"), (20348, "Professional"), (None, "Professional"), (22631, "EnterpriseS")],
)
def test_windows_without_cycle(build, edition):
    found = eol.cycle_for(system("windows", build=build, edition=edition), eol.bundled_table())
    assert found.release is None


@pytest.mark.parametrize(
    ("os_id", "version", "cycle"),
    [
        ("debian", "12", "12"),
        ("ubuntu", "24.04", "24.04"),
        ("ubuntu", "22.04.5", "22.04"),
        ("fedora", "43", "43"),
        ("macos", "15.7.1", "15"),
        ("macos", "26.1", "26"),
        ("macos", "10.15.7", "10.15"),
    ],
)
def test_unix_versions_map_to_cycle(os_id, version, cycle):
    found = eol.cycle_for(system(os_id, version), eol.bundled_table())
    assert found.cycle == cycle
    assert found.release is not None


@pytest.mark.parametrize(("os_id", "version"), [("debian", ""), ("linuxmint", "22"), ("fedora", "99"), ("macos", "x")])
def test_unknown_releases(os_id, version):
    assert eol.cycle_for(system(os_id, version), eol.bundled_table()).release is None


# -- refreshed cache ----------------------------------------------------------------


def write_cache(tmp, payload) -> None:
    path = eol.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")


def test_no_cache_gives_bundled():
    assert eol.load_table() is eol.bundled_table()


def test_cache_overlays_bundled(tmp_path):
    write_cache(
        tmp_path,
        {
            "fetched_at": "2026-11-01T08:00:00Z",
            "source": "endoflife.date",
            "releases": [
                {"os": "macos", "cycle": "14", "label": "macOS 14 Sonoma", "eol": "2026-09-15", "extended": None},
                {"os": "fedora", "cycle": "45", "label": "Fedora 45", "eol": "2027-12-01", "extended": None},
            ],
        },
    )
    table = eol.load_table()
    assert table.refreshed
    assert table.as_of == date(2026, 11, 1)
    assert table.get("macos", "14").eol == date(2026, 9, 15)
    assert table.get("fedora", "45").eol == date(2027, 12, 1)
    # Untouched cycles and clinicguard's own fields stay.
    assert table.get("windows", "10-22h2").extended_consumer == date(2026, 10, 13)


@pytest.mark.parametrize(
    "payload",
    [
        "{not json",
        "[]",
        {"releases": [{"os": "debian", "cycle": "12", "eol": "2026-07-11"}]},
        {"fetched_at": "2026-11-01T08:00:00Z", "releases": []},
        {"fetched_at": "2026-11-01T08:00:00Z", "releases": [{"os": "amiga", "cycle": "4", "eol": None}]},
        {"fetched_at": "2026-11-01T08:00:00Z", "releases": [{"os": "debian", "cycle": "12", "eol": "soon"}]},
        {"fetched_at": "yesterday", "releases": [{"os": "debian", "cycle": "12", "eol": None}]},
    ],
)
def test_invalid_cache_is_ignored_with_a_log_line(tmp_path, payload, caplog):
    write_cache(tmp_path, payload)
    with caplog.at_level(logging.WARNING, logger="clinicguard.references.eol"):
        table = eol.load_table()
    assert table is eol.bundled_table()
    assert any("eol.json" in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)


def test_cache_older_than_bundled_is_ignored(tmp_path, caplog):
    write_cache(
        tmp_path,
        {
            "fetched_at": "2026-01-01T00:00:00+00:00",
            "releases": [{"os": "debian", "cycle": "12", "eol": "2030-01-01", "extended": None}],
        },
    )
    with caplog.at_level(logging.WARNING, logger="clinicguard.references.eol"):
        table = eol.load_table()
    assert table.get("debian", "12").eol == date(2026, 7, 11)
    assert any("older than bundled" in r.getMessage() for r in caplog.records)


def test_non_utf8_cache_is_ignored(tmp_path):
    path = eol.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"fetched_at": "\xff\xfe"}')
    assert eol.load_table() is eol.bundled_table()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"release": []}, "as_of"),
        ({"meta": {"as_of": "2026-08-22"}}, "missing [[release]]"),
        ({"meta": {"as_of": "2026-08-22"}, "release": [{"os": "beos", "cycle": "5"}]}, "os: unknown value"),
        ({"meta": {"as_of": "2026-08-22"}, "release": [{"os": "debian", "cycle": "12", "eol": "never"}]}, "not a date"),
        (
            {
                "meta": {"as_of": "2026-08-22"},
                "release": [{"os": "debian", "cycle": "12"}, {"os": "debian", "cycle": "12"}],
            },
            "duplicate",
        ),
        (
            {
                "meta": {"as_of": "2026-08-22"},
                "release": [{"os": "debian", "cycle": "12"}],
                "windows": {"builds": {"x": "1"}},
            },
            "[windows.builds]: unknown value",
        ),
    ],
)
def test_malformed_bundled_table_names_the_problem(data, problem):
    with pytest.raises(DataFileError) as info:
        eol.parse_bundled(data)
    assert problem in message_text(info.value, "en")
    assert "eol.toml" in str(info.value)
