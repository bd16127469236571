"""One way to word results: status marks and words, dates, urgency order, a result's texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from clinicguard.catalogue import load_catalogue
from clinicguard.core.diff import Change, Diff
from clinicguard.core.model import CheckResult, Status
from clinicguard.present.changes import diff_lines
from clinicguard.present.dates import format_day, format_when
from clinicguard.present.statuses import MARKS, label_width, marked_label, status_label
from clinicguard.present.urgency import by_urgency, urgency_key
from clinicguard.present.wording import Wording, result_texts

CATALOGUE = load_catalogue()


def test_every_status_has_a_distinct_mark_and_a_word_in_both_languages():
    assert set(MARKS) == set(Status)
    assert len(set(MARKS.values())) == len(Status)
    assert status_label(Status.UNKNOWN, "fr") == "Non vérifié"
    assert status_label(Status.FAIL, "en") == "Critical"
    assert marked_label(Status.FAIL, "fr") == "✖ Critique"


def test_label_width_fits_the_longest_marked_word():
    for lang in ("fr", "en"):
        assert all(len(marked_label(s, lang)) <= label_width(lang) for s in Status)


def test_format_when_shows_the_local_day_and_time():
    when = datetime(2026, 11, 28, 9, 5, tzinfo=UTC)
    local = when.astimezone()
    assert format_when(when, "fr") == f"{local:%d/%m/%Y %H:%M}"
    assert format_when(when, "en").endswith(f" {local:%H:%M}")
    # The same moment given in another zone reads the same.
    assert format_when(when.astimezone(timezone(timedelta(hours=2))), "fr") == format_when(when, "fr")


def test_format_day_reads_iso_strings_and_dates_alike():
    assert format_day("2026-03-01", "fr") == format_day(date(2026, 3, 1), "fr") == "01/03/2026"


def _result(check_id: str, status: Status) -> CheckResult:
    return CheckResult(check_id, status, "common.summary.unknown")


def test_urgency_puts_red_before_amber_then_priority_then_weight_and_leaves_out_the_rest():
    ids = sorted(c for c in CATALOGUE.checks if not c.startswith("ask."))
    results = [_result(i, s) for i in ids for s in (Status.WARN,)] + [_result(ids[-1] + "x", Status.FAIL)]
    results += [_result(ids[0], Status.PASS), _result(ids[1], Status.UNKNOWN)]
    ordered = by_urgency(results, CATALOGUE)
    assert {r.status for r in ordered} == {Status.FAIL, Status.WARN}
    assert ordered[0].status is Status.FAIL
    keys = [urgency_key(r.status, r.check_id, CATALOGUE) for r in ordered]
    assert keys == sorted(keys)
    ambers = [CATALOGUE.checks[r.check_id] for r in ordered if r.status is Status.WARN]
    assert [(s.priority, -s.weight) for s in ambers] == sorted((s.priority, -s.weight) for s in ambers)


def test_a_check_the_catalogue_does_not_know_comes_after_the_known_ones_of_its_colour():
    known = next(iter(CATALOGUE.checks))
    ordered = by_urgency([_result("zz.unknown", Status.WARN), _result(known, Status.WARN)], CATALOGUE)
    assert [r.check_id for r in ordered] == [known, "zz.unknown"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_wording_gives_the_same_texts_as_the_catalogue(lang):
    check_id = "access.autologin"
    result = _result(check_id, Status.UNKNOWN)
    wording = Wording(CATALOGUE, lang, "windows")
    assert wording.texts(result) == result_texts(result, CATALOGUE, lang, "windows")
    assert wording.title(result) == CATALOGUE.checks[check_id].title(lang)
    theme = CATALOGUE.checks[check_id].theme
    assert wording.theme_title(wording.theme_of(result)) == CATALOGUE.themes[theme].title(lang)
    assert wording.theme_title("nope") == "nope"
    assert wording.status(Status.PASS) == status_label(Status.PASS, lang)


def test_a_result_outside_the_catalogue_is_titled_by_its_id():
    texts = result_texts(_result("zz.unknown", Status.UNKNOWN), CATALOGUE, "fr", "linux")
    assert texts["title"] == "zz.unknown" and texts["why"] == "" and texts["fix"] == ""


def test_diff_lines_name_each_change_with_both_status_words():
    diff = Diff(
        50,
        70,
        80,
        90,
        fixed=[Change("access.autologin", Status.FAIL, Status.PASS)],
        new_red=[Change("zz.new", None, Status.FAIL)],
    )
    text = "\n".join(diff_lines(diff, CATALOGUE, "fr"))
    assert f"{CATALOGUE.checks['access.autologin'].title('fr')} (Critique → Conforme)" in text
    assert "zz.new (" in text and "→ Critique)" in text
    assert diff_lines(Diff(50, 50, 80, 80), CATALOGUE, "en")[1:]  # "nothing changed" is said
