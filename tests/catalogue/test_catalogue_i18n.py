"""The catalogue and the interface text are complete in both languages."""

from __future__ import annotations

import re

import pytest

from clinicguard.catalogue import load_catalogue, parse_check, placeholders
from clinicguard.checks import implementations
from clinicguard.core.errors import DataFileError
from clinicguard.i18n import catalog, detect_language, flatten, t


def test_interface_keys_identical_in_both_languages():
    # "grammar." keys hold one language's agreement rules (French genders) and have no counterpart.
    fr, en = ({k for k in catalog(lang) if not k.startswith("grammar.")} for lang in ("fr", "en"))
    assert fr == en, sorted(fr ^ en)


def test_interface_placeholders_identical():
    fr, en = catalog("fr"), catalog("en")
    for key in fr:
        if not key.startswith("grammar."):
            assert placeholders(fr[key]) == placeholders(en[key]), key


@pytest.mark.parametrize("spec", list(load_catalogue().checks.values()), ids=lambda s: s.id)
def test_check_texts_complete(spec):
    fr, en = spec.texts["fr"], spec.texts["en"]
    assert set(flatten(fr)) == set(flatten(en)), sorted(set(flatten(fr)) ^ set(flatten(en)))
    for key, value in flatten(fr).items():
        assert value.strip(), f"{spec.id}: empty fr.{key}"
        assert placeholders(value) == placeholders(flatten(en)[key]), f"{spec.id}: {key}"
    for lang in ("fr", "en"):
        assert spec.title(lang) and spec.why(lang)
        for platform in spec.platforms:
            assert spec.fix(lang, platform), f"{spec.id}: no fix for {platform} in {lang}"


def test_every_automatic_check_has_an_implementation_and_vice_versa():
    cat = load_catalogue()
    impls = implementations()
    auto = {cid for cid, spec in cat.checks.items() if spec.kind == "auto"}
    assert auto - set(impls) == set(), "catalogued checks without code"
    assert {i for i in impls if not i.startswith("test.")} - set(cat.checks) == set(), "code without catalogue entry"


def test_check_themes_and_recommendations_exist():
    cat = load_catalogue()
    for spec in cat.checks.values():
        assert spec.theme in cat.themes
        assert spec.recommendations, spec.id
        for rec in spec.recommendations:
            assert cat.recommendations[rec].sources


def test_status_labels_french():
    labels = [t(f"status.{s}", "fr") for s in ("PASS", "WARN", "FAIL", "UNKNOWN", "NOT_APPLICABLE")]
    assert labels == ["Conforme", "À améliorer", "Critique", "Non vérifié", "Sans objet"]


def test_malformed_check_file_names_file_and_problem():
    with pytest.raises(DataFileError) as err:
        parse_check({"id": "x.y", "theme": "access", "platforms": ["linux"], "weight": 9}, "checks/x.y.toml")
    assert "checks/x.y.toml" in str(err.value) and "weight" in str(err.value)
    with pytest.raises(DataFileError, match="unknown platform"):
        parse_check({"id": "x.y", "theme": "access", "platforms": ["beos"], "weight": 1}, "f")
    with pytest.raises(DataFileError, match="missing 'fr'"):
        parse_check({"id": "x.y", "theme": "access", "platforms": ["linux"], "weight": 1}, "f")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_BE.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US"}, "en"),
        ({"LANG": "en"}, "en"),
        # French first: only an explicit request for another supported language turns it off.
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "C"}, "fr"),
        ({"LANG": "POSIX"}, "fr"),
        ({"LANG": ""}, "fr"),
        ({}, "fr"),
        ({"LANGUAGE": "en", "LANG": "C.UTF-8"}, "fr"),  # gettext ignores LANGUAGE under the C locale
        ({"LANGUAGE": "de:en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"CLINICGUARD_LANG": "fr", "LANG": "en_US"}, "fr"),
        ({"CLINICGUARD_LANG": "en", "LANG": "C.UTF-8"}, "en"),
    ],
)
def test_language_detection(env, expected):
    assert detect_language(env) == expected


def test_dates_follow_the_language():
    assert t("cli.date_line", "fr", when="x", version="1").startswith("Analyse du")
    from clinicguard.i18n import render

    assert render("{end_date}", {"end_date": "2026-10-13"}, "fr") == "13/10/2026"
    assert render("{end_date}", {"end_date": "2026-10-13"}, "en") == "2026-10-13"
    assert re.fullmatch(r"\{missing\}", render("{missing}", {"x": 1}, "fr"))
