"""Leaked-password test: local CNIL estimate and Pwned Passwords by k-anonymity."""

from __future__ import annotations

import hashlib
import io

import pytest

from clinicguard.cli import main
from clinicguard.online.http import Client
from clinicguard.online.password_strength import estimate
from clinicguard.online.password_test import PasswordTester
from tests.online.test_online_eol import settings_file
from tests.support.online_support import loopback_only  # noqa: F401

pytestmark = pytest.mark.usefixtures("loopback_only")

PASSWORD = "Soleil2024"
DIGEST = hashlib.sha1(PASSWORD.encode()).hexdigest().upper()
STRONG = "Quatre-chevaux-Bleus-dans-le-pré-2026"


def range_body(*lines: str, padding: int = 800) -> str:
    pad = [f"{i:035X}:0" for i in range(padding)]
    return "\r\n".join(list(lines) + pad)


@pytest.fixture
def pwned_server(httpserver, _isolated_user_dirs, monkeypatch):
    settings_file(_isolated_user_dirs, pwnedpasswords_url=httpserver.url_for("/").rstrip("/"))
    return httpserver


def typed(monkeypatch, value: str) -> None:
    """The password as a script would pipe it in."""
    monkeypatch.setattr("sys.stdin", io.StringIO(value + "\n"))


@pytest.mark.parametrize(
    "password, level",
    [
        ("Azerty1!", "medium"),  # 8 characters, 4 kinds: 53 bits, CNIL case 2 only
        ("a" * 40, "weak"),
        ("abcdefgh12345678", "weak"),
        ("kT9#mQ2$vL7!", "strong"),  # CNIL case 1 example: 12 characters, 4 kinds (79.6 -> 80 bits)
        ("kT9mQ2vL7xR4pW", "strong"),  # 14 characters, 3 kinds
        ("kT9mQ2vL7x", "medium"),
        (STRONG, "strong"),
    ],
)
def test_cnil_levels(password, level):
    assert estimate(password).level == level


def test_leaked_password_found_with_only_the_prefix_sent(pwned_server, monkeypatch, capsys, _isolated_user_dirs):
    pwned_server.expect_request(f"/range/{DIGEST[:5]}", headers={"Add-Padding": "true"}).respond_with_data(
        range_body(f"{DIGEST[5:]}:52579"), content_type="text/plain"
    )
    typed(monkeypatch, PASSWORD)
    assert main(["password-test", "--online", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "52,579 times" in out and "CC BY 4.0" in out
    request = pwned_server.log[0][0]
    assert request.path == f"/range/{DIGEST[:5]}"
    sent = request.url + str(request.headers) + request.get_data(as_text=True)
    assert DIGEST[5:] not in sent.upper() and PASSWORD not in sent
    log = _isolated_user_dirs / "clinicguard.log"
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    assert PASSWORD not in text and DIGEST[:5] not in text.upper()


def test_padding_lines_are_ignored(pwned_server, monkeypatch, capsys):
    strong_digest = hashlib.sha1(STRONG.encode()).hexdigest().upper()
    pwned_server.expect_request(f"/range/{strong_digest[:5]}").respond_with_data(
        range_body(f"{strong_digest[5:]}:0", "0" * 35 + ":12"), content_type="text/plain"
    )
    typed(monkeypatch, STRONG)
    assert main(["password-test", "--online", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "absent des fuites" in out and "Robuste" in out


def test_offline_by_default_sends_nothing(pwned_server, monkeypatch, capsys):
    typed(monkeypatch, STRONG)
    assert main(["password-test", "--lang", "fr"]) == 0
    assert "--online" in capsys.readouterr().out
    assert len(pwned_server.log) == 0


@pytest.mark.parametrize(
    "body, ctype, status",
    [
        (range_body("NOT-A-HASH:1"), "text/plain", 200),
        (range_body() + "\r\n1E4C9B93F3F0", "text/plain", 200),  # cut in the middle of a line
        ("", "text/plain", 200),
        ("<html>captive portal</html>", "text/html", 200),
        ("down", "text/plain", 503),
    ],
)
def test_bad_answers_leave_the_leak_check_unknown(pwned_server, monkeypatch, capsys, body, ctype, status):
    pwned_server.expect_request(f"/range/{DIGEST[:5]}").respond_with_data(body, status=status, content_type=ctype)
    typed(monkeypatch, "kT9#mQ2$vL7!")
    assert main(["password-test", "--online", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Leaks: not checked, the service could not be reached." in out
    assert "Pwned Passwords" in out


def test_empty_password_is_refused(monkeypatch, capsys):
    typed(monkeypatch, "")
    assert main(["password-test", "--lang", "en"]) == 2
    with pytest.raises(ValueError):
        PasswordTester().test("")


def test_tester_api_with_a_given_client(httpserver):
    httpserver.expect_request(f"/range/{DIGEST[:5]}").respond_with_data(
        range_body(f"{DIGEST[5:].lower()}:3"), content_type="text/plain"
    )
    tester = PasswordTester(online=True, client=Client("pwnedpasswords", httpserver.url_for("/").rstrip("/")))
    report = tester.test(PASSWORD)
    assert report.pwned == 3 and report.status == "red"
    assert any("3 fois" in line for line in report.lines("fr"))


def test_at_a_terminal_the_prompt_is_masked(monkeypatch, capsys):
    prompts: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": prompts.append(prompt) or STRONG)
    assert main(["password-test", "--lang", "fr"]) == 0
    assert prompts and "ne s'affiche pas" in prompts[0]
    assert STRONG not in capsys.readouterr().out


@pytest.mark.parametrize(
    "password, pwned, status",
    [
        ("Le chat de Marie dort sur le canapé bleu!", None, "grey"),  # strong, leak not checked
        ("Le chat de Marie dort sur le canapé bleu!", 0, "green"),
        ("Le chat de Marie dort sur le canapé bleu!", 2, "red"),
        ("Soleil2024", None, "amber"),  # medium: case 2 only
        ("Soleil2024", 0, "amber"),
        ("abc", None, "red"),
    ],
)
def test_report_colour_follows_strength_then_leaks(password, pwned, status):
    from clinicguard.online.password_strength import estimate
    from clinicguard.online.password_test import PasswordReport

    assert PasswordReport(estimate(password), pwned).status == status
