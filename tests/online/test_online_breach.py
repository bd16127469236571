"""Breached-account check against a local server answering like HIBP API v3."""

from __future__ import annotations

import time

import pytest

from clinicguard.cli import main
from clinicguard.online.http import USER_AGENT
from tests.online.test_online_eol import settings_file
from tests.support.online_support import (
    loopback_only,  # noqa: F401
    memory_keyring,  # noqa: F401
)
from tests.support.paths import FIXTURES

pytestmark = pytest.mark.usefixtures("loopback_only")

RESPONSES = FIXTURES / "online" / "hibp"
KEY = "hibp-test-key-0123456789abcdef"
ALICE = "alice.martin@ehpad-tilleuls.fr"
BOB = "bob@ehpad-tilleuls.fr"


def path_of(address: str) -> str:
    return f"/api/v3/breachedaccount/{address}"


@pytest.fixture
def hibp(httpserver, _isolated_user_dirs, memory_keyring):  # noqa: F811
    settings_file(_isolated_user_dirs, hibp_url=httpserver.url_for("/").rstrip("/"))
    memory_keyring.set_password("clinicguard", "hibp-api-key", KEY)
    return httpserver


def serve(server, address: str, name: str) -> None:
    server.expect_request(
        path_of(address),
        query_string={"truncateResponse": "false"},
        headers={"hibp-api-key": KEY, "User-Agent": USER_AGENT},
    ).respond_with_data((RESPONSES / name).read_text(encoding="utf-8"), content_type="application/json")


def test_breaches_found_and_not_found(hibp, capsys, _isolated_user_dirs):
    serve(hibp, ALICE, "breachedaccount.json")
    hibp.expect_request(path_of(BOB)).respond_with_data("", status=404)
    assert main(["breach-check", ALICE, BOB, "--yes", "--lang", "fr"]) == 1
    out = capsys.readouterr()
    assert f"{ALICE} : présente dans 2 fuites : Adobe (2013-10), Canva (2019-05)." in out.out
    assert "Des mots de passe ont fuité" in out.out
    assert f"{BOB} : absente des fuites" in out.out
    assert "hors de l'Union européenne" in out.err and ALICE in out.err
    assert KEY not in out.out + out.err
    log = _isolated_user_dirs / "clinicguard.log"
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    assert ALICE not in text and KEY not in text


def test_breach_without_passwords_is_not_red(hibp, capsys):
    serve(hibp, ALICE, "no_passwords.json")
    assert main(["breach-check", ALICE, "--yes", "--lang", "en"]) == 0
    assert "found in 1 breach: Apollo (2018-07)." in capsys.readouterr().out


def test_429_retry_after_is_honoured(hibp, capsys):
    hibp.expect_ordered_request(path_of(ALICE)).respond_with_data("", status=429, headers={"Retry-After": "1"})
    hibp.expect_ordered_request(path_of(ALICE)).respond_with_data("", status=404)
    started = time.monotonic()
    assert main(["breach-check", ALICE, "--yes", "--lang", "en"]) == 0
    assert time.monotonic() - started >= 0.9
    assert "not found in known data breaches" in capsys.readouterr().out


def test_429_with_a_long_wait_stops_and_says_when(hibp, capsys):
    hibp.expect_request(path_of(ALICE)).respond_with_data("", status=429, headers={"Retry-After": "600"})
    assert main(["breach-check", ALICE, BOB, "--yes", "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "try again in 600 s" in out
    assert len(hibp.log) == 1  # Bob was not tried in vain


@pytest.mark.parametrize(
    "body, status, ctype, words",
    [
        ('{"statusCode": 401}', 401, "application/json", "access refused"),
        ("", 503, "text/plain", "down at the moment"),
        ("<html>portal</html>", 200, "text/html", "unexpected type"),
        ('{"Name": "Adobe"}', 200, "application/json", "expected format"),
        ('[{"Name": "Adobe", "DataClasses": "Passwords"}]', 200, "application/json", "expected format"),
        ('[{"Name": "Ado', 200, "application/json", "expected format"),
    ],
)
def test_errors_are_explained(hibp, capsys, body, status, ctype, words):
    hibp.expect_request(path_of(ALICE)).respond_with_data(body, status=status, content_type=ctype)
    assert main(["breach-check", ALICE, "--yes", "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert f"{ALICE}: not checked (" in out and words in out


def test_consent_refused_sends_nothing(hibp, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": "n")
    assert main(["breach-check", ALICE, "--lang", "fr"]) == 2
    assert "Rien n'a été envoyé" in capsys.readouterr().err
    assert len(hibp.log) == 0


def test_consent_given_at_the_prompt(hibp, monkeypatch):
    hibp.expect_request(path_of(ALICE)).respond_with_data("", status=404)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": "oui")
    assert main(["breach-check", ALICE, "--lang", "fr"]) == 0
    assert len(hibp.log) == 1


def test_without_terminal_and_without_yes_nothing_is_sent(hibp, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["breach-check", ALICE, "--lang", "en"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert len(hibp.log) == 0


def test_invalid_address_sends_nothing(hibp, capsys):
    assert main(["breach-check", ALICE, "not-an-address", "--yes", "--lang", "en"]) == 2
    assert "not a valid e-mail address" in capsys.readouterr().err
    assert len(hibp.log) == 0


def test_missing_key_is_explained(hibp, memory_keyring, capsys):  # noqa: F811
    memory_keyring.store.clear()
    assert main(["breach-check", ALICE, "--yes", "--lang", "en"]) == 2
    assert "config set-key hibp" in capsys.readouterr().err
    assert len(hibp.log) == 0
