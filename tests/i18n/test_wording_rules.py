"""Plurals, agreement and French typography by rule (CLDR plural rules through Babel), never "(s)"."""

from __future__ import annotations

import re

import pytest

from clinicguard.catalogue import load_catalogue
from clinicguard.cli import main
from clinicguard.core.model import CheckResult, Status
from clinicguard.i18n import catalog, evidence_value, flatten, render, t
from clinicguard.i18n.numbers import agree, format_number, plural_category
from clinicguard.i18n.typography import colon, french_spacing
from clinicguard.present.wording import result_texts

HAND_MADE = re.compile(r"\w\((s|e|es|x)\)")


def all_texts():
    for lang in ("fr", "en"):
        for key, text in catalog(lang).items():
            yield f"i18n {lang} {key}", text
    for spec in load_catalogue().checks.values():
        for lang, tree in spec.texts.items():
            for key, text in flatten(tree).items():
                yield f"{spec.id} {lang} {key}", text


def test_no_hand_made_plural_suffix_anywhere():
    offenders = [where for where, text in all_texts() if HAND_MADE.search(text)]
    assert offenders == []


@pytest.mark.parametrize(
    ("lang", "n", "category"),
    [
        ("fr", 0, "one"),
        ("fr", 1, "one"),
        ("fr", 1.5, "one"),
        ("fr", 2, "other"),
        ("en", 0, "other"),
        ("en", 1, "one"),
        ("en", 2, "other"),
    ],
)
def test_plural_categories_follow_cldr(lang, n, category):
    assert plural_category(lang, n) == category


def test_plural_tables_in_the_interface():
    assert t("tui.todo.grey_note", "fr", count=1).startswith("1 point n'a pas pu être vérifié :")
    assert t("tui.todo.grey_note", "fr", count=0).startswith("0 point n'a pas pu")
    assert t("tui.todo.grey_note", "fr", count=24).startswith("24 points n'ont pas pu être vérifiés")
    assert t("tui.todo.grey_note", "en", count=1).startswith("1 item could not be verified")
    assert t("tui.todo.grey_note", "en", count=0).startswith("0 items could not")


def test_the_counted_number_is_written_the_french_way():
    assert t("tui.todo.grey_note", "fr", count=1234).startswith("1\u202f234 points")
    assert format_number(12.5, "fr") == "12,5" and format_number(1234, "en") == "1,234"
    # Other integers (years, ports) are left alone.
    assert render("port {port}", {"port": 3389}, "fr") == "port 3389"


def test_words_agree_with_the_number_inside_a_text():
    assert agree("il y a {days} {days|jour|jours}", {"days": 1}, "fr") == "il y a {days} jour"
    assert render("il y a {days} {days|jour|jours}", {"days": 0}, "fr") == "il y a 0 jour"
    assert render("{days} {days|day|days} ago", {"days": 0}, "en") == "0 days ago"
    assert render("{days} {days|day|days} ago", {"days": "1"}, "en") == "1 day ago"
    assert render("{days} {days|day|days} ago", {}, "en") == "{days} days ago"


def test_check_summaries_agree():
    services = CheckResult("network.exposed_services", Status.WARN, "other", {"count": 1}, ())
    text = result_texts(services, load_catalogue(), "fr", "linux")["summary"]
    assert text.startswith("1 autre service accepte des connexions") and "(s)" not in text
    services = CheckResult("network.exposed_services", Status.WARN, "other", {"count": 3}, ())
    assert result_texts(services, load_catalogue(), "fr", "linux")["summary"].startswith("3 autres services acceptent")
    accounts = CheckResult("access.local_accounts", Status.FAIL, "empty_password", {"names": "bob", "count": 1}, ())
    assert result_texts(accounts, load_catalogue(), "fr", "linux")["summary"] == "Compte sans mot de passe : bob."


def test_evidence_words_agree_with_their_label():
    assert evidence_value("off", "fr", "complexity") == "désactivée"  # Complexité exigée : désactivée
    assert evidence_value("on", "fr", "automatic_updates") == "activées"
    assert evidence_value("off", "fr", "lockout_threshold") == "désactivé"
    assert evidence_value("off", "en", "complexity") == "off"


def test_french_colon_and_guillemets():
    assert colon("fr") == "\u00a0: " and colon("en") == ": "
    assert (
        french_spacing("répondez avec « clinicguard questionnaire ».", "fr")
        == "répondez avec «\u00a0clinicguard questionnaire\u00a0»."
    )
    assert "« " not in t("cli.unanswered", "fr", count=2)


def test_checks_command_puts_a_space_before_the_colon(capsys):
    assert main(["checks", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Systèmes\u00a0: " in out and "Poids\u00a0: " in out and "Systèmes:" not in out


# ----- item 14: a grey item says how to check it by hand


@pytest.mark.parametrize("platform", ["windows", "linux", "macos"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_grey_restart_item_says_how_to_check_by_hand(platform, lang):
    from clinicguard.core.model import Reason
    from clinicguard.engine.runner import grey
    from clinicguard.present.wording import Wording, how_to_verify

    catalogue = load_catalogue()
    result = grey("updates.reboot", Reason.NOT_FOUND, "no flag")
    text = how_to_verify(result, Wording(catalogue, lang, platform))
    by_hand = catalogue.checks["updates.reboot"].verify(lang, platform)
    assert by_hand and by_hand in text
    assert (
        "reboot-required" in text
        or "Windows Update" in text
        or "Software Update" in text
        or "Mise à jour de logiciels" in text
    )


def test_reason_help_never_points_to_advice_that_only_fixes():
    for lang in ("fr", "en"):
        for key, text in catalog(lang).items():
            if key.startswith("common.reason_help."):
                assert "ci-dessous" not in text and "below" not in text, key


@pytest.mark.parametrize("check_id", ["updates.reboot", "data.disk_encryption", "updates.pending", "malware.antivirus"])
def test_checks_often_grey_for_a_standard_user_have_a_by_hand_check(check_id):
    spec = load_catalogue().checks[check_id]
    for lang in ("fr", "en"):
        for platform in spec.platforms:
            assert spec.verify(lang, platform), (check_id, lang, platform)


# A participle right after a plural choice agrees with the same number, so it belongs inside the choice:
# "{files|fichier examiné|fichiers examinés}", never "{files|fichier|fichiers} examinés" ("1 fichier examinés").
AGREEING_AFTER_CHOICE = re.compile(r"\{\w+\|[^|{}]+\|[^|{}]+\} \w+(é|ée)s\b")


def test_a_participle_after_a_plural_choice_is_inside_it():
    offenders = [where for where, text in all_texts() if AGREEING_AFTER_CHOICE.search(text)]
    assert offenders == []


def test_one_file_examined_is_singular():
    clean = CheckResult("malware.infostealer", Status.PASS, "clean_minor", {"files": 1, "count": 1}, ())
    summary = result_texts(clean, load_catalogue(), "fr", "linux")["summary"]
    assert "1 fichier examiné)" in summary and "1 détail mineur listé" in summary
