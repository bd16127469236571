"""Leaked-password test: a masked field, the CNIL strength estimate and the Pwned Passwords answer.

Self-contained: takes the interface language and a tester object (see
:class:`clinicguard.online.password_test.PasswordTester`), whose ``test``
may go online and therefore runs in a thread worker. The field is emptied
as soon as Enter is pressed and the typed value is handed over in a box
the worker empties, so no widget or worker keeps it.
"""

from __future__ import annotations

from typing import Protocol

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from clinicguard.i18n import t
from clinicguard.online.password_test import PasswordReport

STYLES = {"green": "bold green", "amber": "bold yellow", "red": "bold red", "grey": "bold"}


class Tester(Protocol):
    online: bool

    def test(self, password: str) -> PasswordReport: ...


class PasswordTestScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    PasswordTestScreen { align: center middle; }
    PasswordTestScreen > Vertical {
        width: 90%; max-width: 90; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PasswordTestScreen #pw-title { text-style: bold reverse; }
    PasswordTestScreen #pw-result { margin-top: 1; }
    PasswordTestScreen #pw-help { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self, lang: str, tester: Tester) -> None:
        super().__init__()
        self.lang = lang
        self.tester = tester

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="pw-box"):
            yield Static(t("online.password.screen.title", lang), id="pw-title")
            yield Static(t("online.password.screen.intro", lang))
            note = "online.password.screen.online" if self.tester.online else "online.password.pwned_offline_tui"
            yield Static(t(note, lang), id="pw-mode")
            yield Input(password=True, placeholder=t("online.password.screen.placeholder", lang), id="pw-input")
            yield Static("", id="pw-result")
            yield Static(t("online.password.screen.help", lang), id="pw-help")

    def on_mount(self) -> None:
        self.query_one("#pw-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one("#pw-input", Input)
        box = [field.value]
        field.value = ""
        result = self.query_one("#pw-result", Static)
        if not box[0]:
            result.update(t("online.password.empty", self.lang))
            return
        result.update(t("online.password.screen.testing", self.lang))
        self._run(box)

    @work(thread=True, exclusive=True, group="password-test")
    def _run(self, box: list[str]) -> None:
        report = self.tester.test(box.pop())
        self.app.call_from_thread(self._show, report)

    def _show(self, report: PasswordReport) -> None:
        text = Text()
        lines = report.lines(self.lang, offline_key="online.password.pwned_offline_tui")
        text.append(t(f"online.password.screen.verdict.{report.status}", self.lang) + "\n", STYLES[report.status])
        text.append("\n".join(lines))
        if report.pwned is not None:
            text.append("\n" + t("online.password.attribution", self.lang), "dim")
        self.query_one("#pw-result", Static).update(text)

    def action_close(self) -> None:
        self.query_one("#pw-input", Input).value = ""
        self.dismiss()
