"""Fleet reports (golden files per format and language), the headless fleet view and the fleet commands."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest

from clinicguard.cli import main
from clinicguard.core.model import Status
from clinicguard.fleet import establishment
from clinicguard.fleet.report import build_fleet_view, render_fleet
from clinicguard.fleet.service import open_fleet
from clinicguard.fleet.visit import write_visit
from clinicguard.records.questionnaire import Answer
from tests.support.fleet_support import FROZEN, TODAY, make_assessment, visit_document
from tests.support.reports_support import check_golden, frozen_tz

HOSTILE = "Accueil \x1b[2J=cmd|' /C calc'!A0 <script>"


def make_fleet(folder):
    plan = [
        ("Infirmerie 1", {"updates.automatic": Status.FAIL, "network.firewall": Status.FAIL}, 3),
        ("Infirmerie 2", {"updates.automatic": Status.FAIL, "backups.backup": Status.WARN}, 40),
        ("Direction", {"updates.automatic": Status.WARN, "data.disk_encryption": Status.UNKNOWN}, 100),
        (HOSTILE, {"access.screen_lock": Status.WARN}, 10),
        ("Cuisine", {}, 20),
    ]
    for n, (label, statuses, days) in enumerate(plan):
        for back in (95, 0):
            older = dict.fromkeys(statuses, Status.FAIL) if back else statuses
            a = make_assessment(
                older,
                hostname=f"PC-{n}",
                user="mdupont",
                when=FROZEN - timedelta(days=days + back),
                version="0.0.9" if label == "Cuisine" else "0.1.0",
            )
            write_visit(folder, visit_document(n, label, a))
    answers = establishment.answers_store(folder)
    answers.set(Answer("ask.security_contact", "yes", date(2026, 10, 1)))
    answers.set(Answer("ask.offline_backup", "no", date(2025, 9, 1), "disque toujours branché"))
    answers.save()
    exc = establishment.FleetExceptions.load(folder)
    exc.accept(
        "network.firewall", "Poste isolé, câble débranché", TODAY + timedelta(days=60), TODAY - timedelta(days=1)
    )
    exc.save()


@pytest.fixture
def fleet_folder(tmp_path, monkeypatch):
    frozen_tz(monkeypatch)
    folder = tmp_path / "parc"
    make_fleet(folder)
    return folder


def fleet_view(folder, lang, anonymized=False):
    with open_fleet(folder, site="EHPAD Les Tilleuls", settings={}) as fleet:
        picture = fleet.picture(lang, TODAY, since=TODAY - timedelta(days=30))
        return build_fleet_view(
            picture,
            fleet.catalogue,
            settings={"establishment": {"name": "EHPAD Les Tilleuls"}},
            trend=fleet.trend(TODAY),
            anonymized=anonymized,
        )


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_formats_match_golden_files(fleet_folder, fmt, lang):
    check_golden(f"fleet.{lang}.{fmt}", render_fleet(fmt, fleet_view(fleet_folder, lang)).decode("utf-8"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_text_matches_golden_file(fleet_folder, lang):
    from pypdf import PdfReader

    data = render_fleet("pdf", fleet_view(fleet_folder, lang))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    check_golden(f"fleet.{lang}.pdf.txt", text)


def test_first_page_holds_score_actions_and_red_machines(fleet_folder):
    from pypdf import PdfReader

    data = render_fleet("pdf", fleet_view(fleet_folder, "fr"))
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Score de l'établissement" in first and "Points vérifiés" in first
    assert "Mises à jour automatiques" in first or "mises à jour" in first.lower()
    assert "3 sur 5 postes" in first
    assert "Postes en rouge" in first and "Infirmerie 2" in first


def test_anonymized_reports_hide_labels_and_users(fleet_folder):
    view = fleet_view(fleet_folder, "fr", anonymized=True)
    for fmt in ("html", "md", "csv", "json"):
        text = render_fleet(fmt, view).decode("utf-8")
        for secret in ("Infirmerie", "Direction", "Cuisine", "Accueil", "mdupont", "PC-1"):
            assert secret not in text, (fmt, secret)
        assert "Poste 1" in text
    assert json.loads(render_fleet("json", view))["machines"][0]["id"] is None


def test_hostile_label_is_inert_everywhere(fleet_folder):
    view = fleet_view(fleet_folder, "en")
    html = render_fleet("html", view).decode()
    assert "<script>" not in html and "\x1b" not in html
    md = render_fleet("md", view).decode()
    assert "\x1b" not in md and "<script>" not in md
    csv_text = render_fleet("csv", view).decode()
    assert "\x1b" not in csv_text
    for line in csv_text.splitlines():
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@"))


def test_establishment_answer_is_shown_with_local_answers(fleet_folder):
    view = fleet_view(fleet_folder, "fr")
    row = next(r for r in view.picture.answers if r.question_id == "ask.offline_backup")
    assert row.answer.answer == "no" and row.stale
    assert row.local == {"PASS": 5}
    action = next(a for a in view.actions if a.check_id == "ask.offline_backup")
    assert "tout l'établissement" in view.action_text(action)


class TestCommands:
    @pytest.fixture(autouse=True)
    def _env(self, tmp_path, monkeypatch):
        monkeypatch.setenv("CLINICGUARD_CONFIG", str(tmp_path / "config.toml"))
        monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(tmp_path / "data"))

    def test_text_and_json_views(self, fleet_folder, capsys):
        assert main(["fleet", str(fleet_folder), "--format", "text", "--lang", "fr"]) == 1
        out = capsys.readouterr().out
        assert "Score de l'établissement" in out and "Infirmerie 1" in out
        assert "\x1b[2J" not in out and "\\x1b[2J" in out  # hostile label shown escaped
        assert main(["fleet", str(fleet_folder), "--format", "json"]) == 1
        doc = json.loads(capsys.readouterr().out)
        assert doc["format"] == "clinicguard-fleet-report" and len(doc["machines"]) == 5
        assert doc["import"]["already"] == 10

    def test_skipped_files_listed(self, fleet_folder, capsys):
        (fleet_folder / "abime.json").write_text("{")
        main(["fleet", str(fleet_folder), "--format", "text", "--lang", "en"])
        assert "abime.json: unreadable" in capsys.readouterr().out

    def test_report_file(self, fleet_folder, tmp_path, capsys):
        out = tmp_path / "r.html"
        assert main(["fleet", "report", str(fleet_folder), "--format", "html", "--output", str(out)]) == 0
        assert "Score de l" in out.read_text() and oct(out.stat().st_mode & 0o777) == "0o600"
        assert main(["fleet", "report", str(fleet_folder), "--format", "txt"]) == 2

    def test_accept_for_one_machine_and_list(self, fleet_folder, capsys):
        code = main(
            [
                "fleet",
                "accept",
                "backups.backup",
                str(fleet_folder),
                "--machine",
                "infirmerie 2",
                "--reason",
                "Sauvegarde par le prestataire",
                "--until",
                "2099-01-31",
            ]
        )
        assert code == 0
        exc = establishment.FleetExceptions.load(fleet_folder)
        assert any("backups.backup" in e for mid, e in exc.items.items() if mid != "*")
        assert (
            main(
                [
                    "fleet",
                    "accept",
                    "backups.backup",
                    str(fleet_folder),
                    "--machine",
                    "Nulle part",
                    "--reason",
                    "x",
                    "--until",
                    "2099-01-31",
                ]
            )
            == 2
        )
        capsys.readouterr()
        main(["fleet", "accept", str(fleet_folder), "--list", "--lang", "fr"])
        out = capsys.readouterr().out
        assert "Infirmerie 2" in out and "Tout le parc" in out

    def test_answers_import(self, fleet_folder, tmp_path, capsys):
        answers = tmp_path / "reponses.toml"
        answers.write_text('[answers]\nrestore_test = "partiel"\n')
        assert main(["fleet", "answers", str(fleet_folder), "--import", str(answers), "--lang", "fr"]) == 0
        assert "ask.restore_test" in establishment.answers_store(fleet_folder).answers

    def test_no_folder(self, capsys):
        assert main(["fleet", "--format", "text"]) == 2
        assert "dossier du parc" in capsys.readouterr().err

    def test_empty_fleet(self, tmp_path, capsys):
        assert main(["fleet", str(tmp_path / "vide"), "--format", "text", "--lang", "fr"]) == 0
        assert "clinicguard check --save --to" in capsys.readouterr().out
