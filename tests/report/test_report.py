"""Exported reports: golden files per format, PDF text, self-contained HTML, anonymisation, safe writes."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import stat

import jsonschema
import pytest

from clinicguard.cli import main
from clinicguard.core.errors import ClinicGuardError
from clinicguard.files.datafiles import load_json, package_file
from clinicguard.records.serialize import assessment_to_dict
from clinicguard.report import build_view, render, write_report
from clinicguard.report.anonymize import anonymize
from tests.support.reports_support import check_golden, current, frozen_tz, previous

SCHEMA = load_json(package_file("schema", "assessment.schema.json"))
SETTINGS = {"establishment": {"name": "EHPAD Les Tilleuls"}, "assessment": {"interval_days": 90}}


@pytest.fixture(autouse=True)
def _tz(monkeypatch):
    frozen_tz(monkeypatch)


def view(lang: str = "fr", anonymized: bool = False, with_previous: bool = True):
    a = current()
    if anonymized:
        a = anonymize(a, lang)
    return build_view(a, lang, settings=SETTINGS, previous=previous() if with_previous else None, anonymized=anonymized)


@functools.cache
def pdf_bytes(lang: str, anonymized: bool = False) -> bytes:
    # Embedding the font takes about a second: render each PDF once per run.
    return render("pdf", view(lang, anonymized=anonymized))


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_text_formats_match_golden_files(fmt, lang):
    check_golden(f"report.{lang}.{fmt}", render(fmt, view(lang)).decode("utf-8"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_text_matches_golden_file(lang):
    data = pdf_bytes(lang)
    assert data.startswith(b"%PDF-")
    check_golden(f"report.{lang}.pdf.txt", pdf_text(data))


def test_pdf_holds_the_expected_content():
    text = " ".join(pdf_text(pdf_bytes("fr")).split())
    first_page = text.split("Synthèse par thème")[0]
    for expected in (
        "Bilan de sécurité informatique",
        "EHPAD Les Tilleuls",
        "POSTE-SOINS-2",
        "Score",
        "Plan d'action prioritaire",
        "Règles de mot de passe du poste",
    ):
        assert expected in first_page
    for expected in (
        "Risques acceptés",
        "Disque amovible commandé",
        "Réponses au questionnaire",
        "à reconfirmer",
        "signalement.social-sante.gouv.fr",
        "17Cyber",
        "72 heures",
        "26/02/2027",
        "Nouveaux points critiques",
        "Points corrigés",
        "Non vérifié",
    ):
        assert expected in text, expected


def test_html_is_self_contained():
    html = render("html", view("fr")).decode("utf-8")
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"\b(src|href)\s*=", html, re.I)
    assert "url(" not in html and "@import" not in html
    assert html.count("<html") == 1 and html.rstrip().endswith("</html>")


def test_json_report_follows_the_schema_and_reads_back():
    from clinicguard.records.serialize import assessment_from_dict

    doc = json.loads(render("json", view("fr")))
    jsonschema.validate(doc, SCHEMA)
    assert doc["report"]["next_due"] == "2027-02-26"
    assert doc["report"]["action_plan"][0] == "access.password_policy"
    assert "ask.offline_backup" not in doc["report"]["action_plan"]  # accepted: listed apart
    assert [c["id"] for c in doc["report"]["changes"]["new_red"]] == ["ask.offline_backup"]
    back = assessment_from_dict(doc)
    accepted = next(r for r in back.results if r.check_id == "ask.offline_backup")
    assert accepted.status.value == "FAIL" and accepted.accepted.justification.startswith("Disque")


def test_accepted_items_are_never_green():
    v = view("fr")
    item = next(i for i in v.items if i.id == "ask.offline_backup")
    assert item.status.value == "FAIL" and item.accepted is not None
    backups = next(th for th in v.themes if th.id == "backups")
    assert backups.status.value == "FAIL"
    csv_text = render("csv", v).decode("utf-8")
    row = next(line for line in csv_text.splitlines() if line.startswith("ask.offline_backup"))
    assert "Critique" in row and "31/01/2027" in row


def test_csv_has_one_row_per_item_with_its_theme():
    import csv

    rows = list(csv.reader(io.StringIO(render("csv", view("en")).decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "theme", "status"]
    assert len(rows) == 1 + len(current().results)
    themes = {r[0]: r[1] for r in rows[1:]}
    assert themes["ask.offline_backup"] == "Back up data"


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json", "pdf"])
def test_anonymize_removes_host_user_and_paths_from_every_format(fmt):
    text = pdf_text(pdf_bytes("fr", True)) if fmt == "pdf" else render(fmt, view("fr", anonymized=True)).decode()
    for secret in ("POSTE-SOINS-2", "poste-soins-2", "mdupont", r"C:\Users", "AppData", "secpol.inf"):
        assert secret not in text, secret
    if fmt == "md":  # shown literally: Markdown escapes the brackets
        text = text.replace("\\[", "[").replace("\\]", "]")
    assert "[poste]" in text
    if fmt != "csv":  # the CSV has neither evidence sources nor a header block
        assert "[chemin masqué]" in text
        assert ('"anonymized": true' if fmt == "json" else "anonymisée") in text


def test_write_is_atomic_and_owner_only(tmp_path):
    target = tmp_path / "bilan.html"
    write_report(target, b"<html></html>")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(ClinicGuardError, match="missing"):
        write_report(tmp_path / "missing" / "bilan.pdf", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bilan.html"]


def test_report_command_on_a_saved_assessment(tmp_path, capsys):
    from clinicguard.records.history import open_history

    with open_history() as history:
        history.save(previous())
        second = history.save(current())
    out = tmp_path / "bilan.md"
    assert main(["report", "--assessment", str(second), "--format", "md", "--output", str(out), "--lang", "fr"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Évolution depuis l'analyse précédente" in text and "Points corrigés (1)" in text
    assert str(out) in capsys.readouterr().out


def test_report_command_fresh_run_to_screen(tmp_path, capsys):
    rec = tmp_path / "host.json"
    rec.write_text(
        json.dumps(
            {
                "format": "clinicguard-host",
                "version": 1,
                "platform": "linux",
                "hostname": "poste-accueil",
                "now": "2026-11-28T09:00:00+00:00",
                "user": {"name": "alice", "uid": 1000, "groups": [], "home": "/home/alice", "is_admin": False},
            }
        )
    )
    code = main(["report", "--replay", str(rec), "--format", "json", "--output", "-", "--anonymize", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    assert "poste-accueil" not in out and "alice" not in out
    assert doc["report"]["anonymized"] is True


def test_report_to_unwritable_place_says_why(tmp_path, capsys):
    code = main(["report", "--assessment", "1", "--output", str(tmp_path / "nope" / "x.html")])
    assert code == 2
    assert "no saved assessment" in capsys.readouterr().err


def test_anonymize_hides_every_account_name_in_the_evidence():
    from dataclasses import replace

    from clinicguard.core.model import CheckResult, Evidence, Status

    a = current()
    accounts = CheckResult(
        "access.admin_user",
        Status.FAIL,
        "daily_admin",
        {"user": "mdupont"},
        (
            Evidence("user", "mdupont"),
            Evidence("admins", "mdupont, Administrateur, jmartin"),
            Evidence("note", "jmartin n'a pas ouvert de session depuis 2025"),
        ),
    )
    a = replace(a, results=(*a.results, accounts))
    scrubbed = anonymize(a, "fr")
    text = json.dumps(assessment_to_dict(scrubbed, "fr"), ensure_ascii=False)
    assert "mdupont" not in text and "jmartin" not in text
    values = [e.value for r in scrubbed.results for e in r.evidence]
    assert "[utilisateur], [utilisateur], [utilisateur]" in values
    assert not any("Administrateur" in v for v in values)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"C:\Program Files\Google\Chrome\chrome.exe est ancien", "[chemin masqué] est ancien"),
        (r"C:\Users\mdupont\AppData\Roaming\x.exe", "[chemin masqué]"),
        (r"%APPDATA%\Microsoft\Windows\Start Menu\Programs\Startup\a.lnk", "[chemin masqué]"),
        (r"\\NAS\partage\résidents.xlsx", "[chemin masqué]"),
        ("/home/mdupont/.config/autostart/x.desktop", "[chemin masqué]"),
        ("~/Documents", "[chemin masqué]"),
        ("mdupont@POSTE-SOINS-2", "[utilisateur]@[poste]"),
        ("https://signalement.social-sante.gouv.fr/a/b", "https://signalement.social-sante.gouv.fr/a/b"),
        ("le 28/11/2026, 6/10 essais", "le 28/11/2026, 6/10 essais"),
        ("monté sur / (ext4)", "monté sur / (ext4)"),
    ],
)
def test_scrubber(raw, expected):
    from clinicguard.report.anonymize import Scrubber

    assert Scrubber("POSTE-SOINS-2", {"mdupont"}, "fr").text(raw) == expected


def test_reports_are_french_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    from clinicguard.records.history import open_history

    with open_history() as history:
        number = history.save(current())
    out = tmp_path / "r.md"
    assert main(["report", "--assessment", str(number), "--format", "md", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Bilan de sécurité informatique")
