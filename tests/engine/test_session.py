"""One session for every front end: settings, language, catalogue, paths, host and reference tables."""

from __future__ import annotations

import json
import os

import pytest

from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Status
from clinicguard.engine.session import make_host, open_session, resolve_language
from tests.conftest import FIXTURES, recorded


def _settings(tmp_path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("requested", "configured", "fallback", "expected"),
    [("en", "fr", "fr", "en"), (None, "en", "fr", "en"), (None, "", "fr", "fr"), (None, "", None, "system")],
)
def test_language_is_the_one_asked_then_the_settings_then_the_fallback_then_the_system(
    monkeypatch, requested, configured, fallback, expected
):
    monkeypatch.setattr("clinicguard.engine.session.detect_language", lambda: "system")
    assert resolve_language(requested, {"interface": {"language": configured}}, fallback) == expected


def test_open_session_reads_the_settings_once_and_derives_the_rest(tmp_path, monkeypatch):
    config = _settings(tmp_path, '[interface]\nlanguage = "en"\n[assessment]\ncheck_timeout_s = 7\n')
    data = tmp_path / "elsewhere"
    session = open_session(config=config, data_dir=str(data))
    assert session.lang == "en"
    assert session.check_timeout == 7.0
    assert session.paths.config == tmp_path / "config.toml"
    assert session.paths.data == data and os.environ["CLINICGUARD_DATA_DIR"] == str(data)
    assert "access.autologin" in session.catalogue.checks
    assert session.wording().lang == "en" and session.wording("fr").lang == "fr"


def test_a_session_that_only_reads_the_history_never_touches_the_machine(monkeypatch):
    monkeypatch.setattr("clinicguard.engine.session.make_host", lambda replay: pytest.fail("host made"))
    monkeypatch.setattr("clinicguard.engine.session.load_references", lambda: pytest.fail("tables read"))
    session = open_session(lang="fr")
    assert session.lang == "fr" and session.settings["assessment"]["interval_days"] == 90


def test_a_recording_replaces_this_machine_and_a_bad_one_is_a_clear_error(tmp_path):
    host = make_host(str(FIXTURES / "hosts" / "macos15-standard.json"))
    assert host.platform == "macos"
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ClinicGuardError, match="cannot replay"):
        make_host(str(bad))
    with pytest.raises(ClinicGuardError, match="cannot replay"):
        open_session(replay=str(tmp_path / "missing.json")).host  # noqa: B018 - made on first use


def test_assess_uses_the_session_tables_read_once_with_the_refreshed_cache():
    from clinicguard.references import eol

    path = eol.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "fetched_at": "2026-10-01T00:00:00Z",
                "source": "endoflife.date",
                "releases": [
                    {"os": "debian", "cycle": "12", "label": "Debian 12", "eol": "2026-06-10", "extended": None}
                ],
            }
        ),
        encoding="utf-8",
    )
    host = recorded(files={"/etc/os-release": {"text": 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian 12"\n'}})
    session = open_session(lang="fr", host=host)
    outcome = session.assess(check_ids=["updates.os_support"])
    result = next(r for r in outcome.assessment.results if r.check_id == "updates.os_support")
    assert result.status is Status.FAIL, result
    assert any(e.label == "eol_table_refreshed" for e in result.evidence)
    assert session.references is session.references  # read once per session
