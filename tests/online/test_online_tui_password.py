"""The password-test dashboard screen, driven by a pilot in a minimal app."""

from __future__ import annotations

import hashlib

import pytest
from textual.app import App
from textual.widgets import Input, Static

from clinicguard.online.http import Client
from clinicguard.online.password_test import PasswordTester
from clinicguard.tui.screens.password_test import PasswordTestScreen
from tests.support.online_support import loopback_only  # noqa: F401

pytestmark = pytest.mark.usefixtures("loopback_only")

SECRET = "Soleil2024"


class RecordingTester(PasswordTester):
    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.calls = 0

    def test(self, password: str):
        self.calls += 1
        return super().test(password)


class Host(App):
    def __init__(self, tester, lang: str = "fr") -> None:
        super().__init__()
        self.tester = tester
        self.lang = lang

    def on_mount(self) -> None:
        self.push_screen(PasswordTestScreen(self.lang, self.tester))


def shown(screen) -> str:
    return " ".join(str(w.render()) for w in screen.query(Static))


async def type_and_submit(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_offline_strength_and_the_field_is_cleared():
    tester = RecordingTester(online=False)
    app = Host(tester)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, PasswordTestScreen)
        await type_and_submit(pilot, SECRET)
        assert tester.calls == 1
        assert screen.query_one("#pw-input", Input).value == ""
        text = shown(screen)
        assert "Force estimée" in text and "désactivée" in text
        assert "--online" not in text
        assert SECRET not in text
        await pilot.press("escape")
        assert not isinstance(app.screen, PasswordTestScreen)


async def test_online_leak_found_in_english(httpserver):
    digest = hashlib.sha1(SECRET.encode()).hexdigest().upper()
    httpserver.expect_request(f"/range/{digest[:5]}", headers={"Add-Padding": "true"}).respond_with_data(
        f"{digest[5:]}:1234\r\n{'0' * 35}:0", content_type="text/plain"
    )
    client = Client("pwnedpasswords", httpserver.url_for("/").rstrip("/"))
    app = Host(RecordingTester(online=True, client=client), lang="en")
    async with app.run_test() as pilot:
        assert "only the first 5 characters" in shown(app.screen)
        await type_and_submit(pilot, SECRET)
        text = shown(app.screen)
        assert "Change it" in text and "1,234 times" in text and "CC BY 4.0" in text
        assert app.screen.query_one("#pw-input", Input).value == ""


async def test_empty_submit_asks_for_a_password():
    tester = RecordingTester(online=False)
    app = Host(tester, lang="en")
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "No password typed" in shown(app.screen)
        assert tester.calls == 0


PASSPHRASE = "Le chat de Marie dort sur le canapé bleu!"  # 41 characters, over 240 bits


async def test_a_strong_passphrase_offline_is_not_labelled_to_improve():
    app = Host(RecordingTester(online=False))
    async with app.run_test() as pilot:
        await type_and_submit(pilot, PASSPHRASE)
        text = shown(app.screen)
        assert "Robuste" in text and "fuites non vérifiées" in text
        assert "À améliorer" not in text and "Bon mot de passe" not in text
