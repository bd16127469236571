"""Fleet index and import, the same tests on the folder's SQLite index and on a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import pytest

from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Acceptance, Status
from clinicguard.fleet import establishment
from clinicguard.fleet.aggregate import Filters, matrix
from clinicguard.fleet.service import open_fleet
from clinicguard.fleet.visit import content_hash, write_visit
from tests.support.fleet_support import FROZEN, TODAY, make_assessment, visit_document

FW, AUTO = "network.firewall", "updates.automatic"


def _visit(folder, n, label, statuses=None, days_ago=0, version="0.1.0", **kw):
    a = make_assessment(
        statuses or {}, hostname=f"PC-{n}", when=FROZEN - timedelta(days=days_ago), version=version, **kw
    )
    return write_visit(folder, visit_document(n, label, a))


def _open(folder, db, **kw):
    return open_fleet(folder, db=db, site=kw.pop("site", "Les Tilleuls"), settings=kw.pop("settings", {}), **kw)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "parc"
    d.mkdir()
    return d


class TestImport:
    def test_idempotent(self, folder, fleet_db):
        for n in range(3):
            _visit(folder, n, f"Poste {n}", days_ago=40)
            _visit(folder, n, f"Poste {n}")
        with _open(folder, fleet_db) as fleet:
            assert (fleet.imported.imported, fleet.imported.already, fleet.imported.skipped) == (6, 0, [])
        with _open(folder, fleet_db) as fleet:
            assert (fleet.imported.imported, fleet.imported.already) == (0, 6)
            assert len(fleet.store.all_visits()) == 6
        # The same visit under another name (copied twice onto the key) is still one visit.
        first = sorted(folder.glob("*.json"))[0]
        shutil.copy(first, folder / "copie.json")
        with _open(folder, fleet_db) as fleet:
            assert (fleet.imported.imported, fleet.imported.already) == (0, 7)
            assert len(fleet.store.all_visits()) == 6

    def test_problem_files_listed_with_reason_and_skipped(self, folder, fleet_db):
        good = _visit(folder, 1, "Accueil")
        tampered = json.loads(good.read_text())
        tampered["assessment"]["score"]["value"] = 5
        (folder / "tampered.json").write_text(json.dumps(tampered))
        newer = visit_document(2, "Infirmerie", make_assessment())
        newer["version"] = 2
        newer["content_hash"] = content_hash(newer)
        (folder / "newer.json").write_text(json.dumps(newer))
        (folder / "broken.json").write_bytes(b"\x00\x01 pulled out")
        _visit(folder, 3, "accueil")  # another machine with the same label (case aside)
        for _ in range(2):  # listed every time, never merged
            with _open(folder, fleet_db) as fleet:
                reasons = {s.name: s.reason for s in fleet.imported.skipped}
                assert reasons["tampered.json"] == "tampered"
                assert reasons["newer.json"] == "newer"
                assert reasons["broken.json"] == "unreadable"
                assert [r for n, r in reasons.items() if n.startswith("accueil_")] == ["duplicate_label"]
                assert len(fleet.store.all_visits()) == 1
                picture = fleet.picture("fr", TODAY)
                assert [m.label.casefold() for m in picture.machines] == ["accueil"]

    def test_changed_file_is_read_again(self, folder, fleet_db):
        (folder / "x.json").write_text("{")
        with _open(folder, fleet_db) as fleet:
            assert fleet.imported.skipped[0].reason == "unreadable"
        doc = visit_document(1, "Accueil", make_assessment())
        (folder / "x.json").write_text(json.dumps(doc))
        with _open(folder, fleet_db) as fleet:
            assert (fleet.imported.imported, fleet.imported.skipped) == (1, [])

    def test_relabelled_machine_keeps_one_identity(self, folder, fleet_db):
        _visit(folder, 1, "PC-1", days_ago=30)
        _visit(folder, 1, "Infirmerie 1")
        with _open(folder, fleet_db) as fleet:
            machines = fleet.store.machines()
            assert [m.label for m in machines] == ["Infirmerie 1"]
            assert len(fleet.machine_visits(machines[0].machine_id)) == 2

    def test_unreadable_folder(self, tmp_path, fleet_db):
        missing = tmp_path / "file"
        missing.write_text("")
        with pytest.raises(ClinicGuardError, match="not a folder"):
            _open(missing, fleet_db)


class TestPicture:
    def _fleet(self, folder):
        # 12 machines; automatic updates off on 7 (5 red, 2 amber), firewall red on 2.
        for n in range(12):
            statuses = {}
            if n < 5:
                statuses[AUTO] = Status.FAIL
            elif n < 7:
                statuses[AUTO] = Status.WARN
            if n in (0, 8):
                statuses[FW] = Status.FAIL
            _visit(folder, n, f"Poste {n:02d}", statuses, days_ago=n * 10, version="0.1.0" if n else "0.0.9")

    def test_score_actions_order_and_attention(self, folder, fleet_db):
        self._fleet(folder)
        with _open(folder, fleet_db, settings={"assessment": {"interval_days": 90}}) as fleet:
            p = fleet.picture("fr", TODAY, since=TODAY - timedelta(days=50))
        assert p.machines[0].label == "Poste 00" and p.machines[1].label in ("Poste 01", "Poste 02")
        auto = next(a for a in p.actions if a.check_id == AUTO)
        assert (auto.red, auto.amber, len(auto.machines)) == (5, 2, 7)
        weights = p.machines[0].weights
        assert auto.points == weights[AUTO] * (5 + 0.5 * 2)
        assert p.actions[0].check_id == AUTO  # 3 x 6 points before the firewall's 3 x 2
        # Pooled score by hand: every machine's items with their weights.
        total = earned = 0.0
        for m in p.machines:
            for cid, cell in m.cells.items():
                if cell.status is Status.NOT_APPLICABLE:
                    continue
                total += m.weights[cid]
                earned += m.weights[cid] * {Status.PASS: 1, Status.WARN: 0.5}.get(cell.status, 0)
        assert p.score == round(100 * earned / total)
        assert {m.label for m in p.overdue} == {"Poste 10", "Poste 11"}  # 100 and 110 days ago
        assert {m.label for m in p.older} == {"Poste 00"}
        assert {m.label for m in p.not_since} == {f"Poste {n:02d}" for n in range(6, 12)}
        assert [m.label for m in p.red_machines][:1] == ["Poste 00"]
        fw_theme = next(t for t in p.themes if t.id == "network")
        assert fw_theme.status is Status.FAIL

    def test_filters_and_search(self, folder, fleet_db):
        self._fleet(folder)
        with _open(folder, fleet_db) as fleet:
            p = fleet.picture("fr", TODAY)
        from clinicguard.catalogue import load_catalogue

        cat = load_catalogue()
        rows, cols = matrix(p, cat, Filters(colour="red"))
        assert set(cols) == {AUTO, FW} and len(rows) == 6
        rows, cols = matrix(p, cat, Filters(theme="network"))
        assert all(c.startswith("network.") for c in cols) and len(rows) == 12
        rows, cols = matrix(p, cat, Filters(search="pare-feu"))
        assert cols == [FW] and len(rows) == 12
        rows, cols = matrix(p, cat, Filters(search="poste 03"))
        assert [m.label for m in rows] == ["Poste 03"]
        rows, _ = matrix(p, cat, Filters(machine="POSTE 1"))
        assert {m.label for m in rows} == {"Poste 10", "Poste 11"}

    def test_establishment_answers_are_authoritative(self, folder, fleet_db):
        q = "ask.security_contact"
        _visit(folder, 1, "Accueil", {q: Status.PASS})
        _visit(folder, 2, "Direction", {q: Status.PASS})
        store = establishment.answers_store(folder)
        from clinicguard.records.questionnaire import Answer

        store.set(Answer(q, "no", date(2026, 11, 1)))
        store.save()
        with _open(folder, fleet_db) as fleet:
            p = fleet.picture("fr", TODAY)
        for m in p.machines:
            cell = m.cells[q]
            assert (cell.status, cell.origin, cell.local) == (Status.FAIL, "establishment", Status.PASS)
        row = next(r for r in p.answers if r.question_id == q)
        assert row.answer.answer == "no" and row.local == {"PASS": 2}
        action = next(a for a in p.actions if a.check_id == q)
        assert action.establishment and action.red == 2

    def test_exceptions_fleet_wide_and_per_machine(self, folder, fleet_db):
        from clinicguard.fleet.aggregate import build_picture  # noqa: F401

        _visit(folder, 1, "Accueil", {FW: Status.FAIL, AUTO: Status.WARN})
        _visit(folder, 2, "Direction", {FW: Status.FAIL, AUTO: Status.WARN})
        with _open(folder, fleet_db) as fleet:
            before = fleet.picture("fr", TODAY)
            direction = next(m for m in before.machines if m.label == "Direction").machine_id
        exc = establishment.FleetExceptions.load(folder)
        exc.accept(AUTO, "Logiciel de soins certifié sur cette version", TODAY + timedelta(days=90), TODAY)
        exc.accept(FW, "Poste isolé du réseau", TODAY + timedelta(days=30), TODAY, machine_id=direction)
        exc.save()
        with _open(folder, fleet_db) as fleet:
            p = fleet.picture("fr", TODAY)
            later = fleet.picture("fr", TODAY + timedelta(days=31))
        assert p.score == before.score  # an accepted item never earns credit
        assert all(m.cells[AUTO].accepted for m in p.machines)
        by_label = {m.label: m for m in p.machines}
        assert by_label["Direction"].cells[FW].accepted and not by_label["Accueil"].cells[FW].accepted
        assert [a.check_id for a in p.actions] == [FW]
        assert not {m.label: m for m in later.machines}["Direction"].cells[FW].accepted  # expired

    def test_trend_by_month(self, folder, fleet_db):
        _visit(folder, 1, "Accueil", {FW: Status.FAIL}, days_ago=62)
        _visit(folder, 1, "Accueil", {}, days_ago=1)
        _visit(folder, 2, "Direction", {FW: Status.FAIL}, days_ago=62)
        with _open(folder, fleet_db) as fleet:
            points = fleet.trend(TODAY)
        assert [p.month for p in points] == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
        assert points[0].score == points[1].score < points[2].score
        assert points[0].themes["network"] < points[2].themes["network"]


class TestSqliteIndex:
    def test_damaged_index_is_set_aside_and_rebuilt(self, folder):
        _visit(folder, 1, "Accueil")
        with _open(folder, None):
            pass
        (folder / "clinicguard-fleet.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
        with _open(folder, None) as fleet:
            assert "damaged" in fleet.notices[0]
            assert len(fleet.store.all_visits()) == 1
        assert list(folder.glob("clinicguard-fleet.db.corrupt-*"))

    def test_newer_index_refused(self, folder):
        import sqlite3

        with _open(folder, None):
            pass
        db = sqlite3.connect(folder / "clinicguard-fleet.db")
        db.execute("UPDATE fleet_meta SET value = '9' WHERE key = 'layout_version'")
        db.commit()
        db.close()
        with pytest.raises(ClinicGuardError, match="newer clinicguard"):
            _open(folder, None)


class TestServer:
    def test_tls_verified_by_default(self, postgres_server):
        url = postgres_server.url(password=True).replace("?sslmode=disable", "")
        with pytest.raises(ClinicGuardError, match="cannot open the fleet database"):
            open_fleet(None, db=url)

    def test_password_from_keyring_and_never_in_messages(self, postgres_server, monkeypatch, folder):
        from tests.support.pg_server import PASSWORD

        class Memory:
            def get_password(self, service, entry):
                return PASSWORD if (service, entry) == ("clinicguard-fleet", "postgres@127.0.0.1") else None

        monkeypatch.setattr("clinicguard.online.secrets.usable_keyring", lambda: Memory())
        url = postgres_server.url(postgres_server.create_database())
        _visit(folder, 1, "Accueil")
        with open_fleet(folder, db=url, site="A") as fleet:
            assert fleet.imported.imported == 1
            assert PASSWORD not in fleet.where
        monkeypatch.setattr("clinicguard.online.secrets.usable_keyring", lambda: object())
        with pytest.raises(ClinicGuardError) as err:
            open_fleet(None, db=url)
        assert "fleet password" in str(err.value) and PASSWORD not in str(err.value)

    def test_two_sites_one_server(self, postgres_server, tmp_path):
        url = postgres_server.url(postgres_server.create_database(), password=True)
        for n, site in ((1, "EHPAD Nord"), (2, "EHPAD Sud")):
            d = tmp_path / site
            d.mkdir()
            _visit(d, n, "Accueil")  # the same label on two sites is fine
            with open_fleet(d, db=url, site=site) as fleet:
                assert fleet.imported.imported == 1
        with open_fleet(None, db=url) as fleet:
            p = fleet.picture("fr", TODAY)
            assert sorted((m.site, m.label) for m in p.machines) == [
                ("EHPAD Nord", "Accueil"),
                ("EHPAD Sud", "Accueil"),
            ]
            assert p.sites == ["EHPAD Nord", "EHPAD Sud"]
            assert [m.site for m in fleet.picture("fr", TODAY, site="EHPAD Sud").machines] == ["EHPAD Sud"]

    def test_concurrent_pushes_of_the_same_visit(self, postgres_server, tmp_path):
        import threading

        url = postgres_server.url(postgres_server.create_database(), password=True)
        with open_fleet(None, db=url):
            pass
        folders = []
        for k in range(3):
            d = tmp_path / f"v{k}"
            d.mkdir()
            for n in range(5):
                _visit(d, n, f"Poste {n}")
            folders.append(d)
        errors = []

        def push(d):
            try:
                with open_fleet(d, db=url, site="S"):
                    pass
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=push, args=(d,)) for d in folders]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors
        with open_fleet(None, db=url) as fleet:
            assert len(fleet.store.all_visits()) == 5


def test_acceptance_in_visit_respects_expiry(folder):
    acc = Acceptance("Exigé par l'éditeur", TODAY + timedelta(days=10), TODAY - timedelta(days=1))
    _visit(folder, 1, "Accueil", {FW: Status.FAIL}, accepted={FW: acc})
    with _open(folder, None) as fleet:
        assert fleet.picture("fr", TODAY).machines[0].cells[FW].accepted
        assert not fleet.picture("fr", TODAY + timedelta(days=11)).machines[0].cells[FW].accepted
