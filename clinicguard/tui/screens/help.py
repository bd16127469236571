"""Help: every key, what the colours and the score mean, where the log is."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from clinicguard.i18n import t
from clinicguard.tui.keys import MAIN_KEYS, NAVIGATION_KEYS, Key, shown

CLOSE = Key("escape", "", "dismiss", "close")


def help_text(lang: str, log_file: Path | None, extra_keys: tuple[Key, ...] = ()) -> Group:
    keys = Table.grid(padding=(0, 2))
    keys.add_column(no_wrap=True, style="bold")
    keys.add_column()
    for key in (*MAIN_KEYS, *extra_keys, *NAVIGATION_KEYS):
        keys.add_row(shown(key, lang), t(f"tui.keyhelp.{key.name}", lang))
    log_line = t("tui.help.log_text", lang, path=str(log_file)) if log_file else t("tui.help.log_none", lang)
    heading = "bold underline"
    return Group(
        Text(t("tui.help.title", lang), style="bold reverse"),
        Text(t("tui.help.intro", lang)),
        Text(""),
        Text(t("tui.help.keys", lang), style=heading),
        keys,
        Text(""),
        Text(t("tui.help.legend", lang), style=heading),
        Text(t("tui.help.legend_text", lang)),
        Text(""),
        Text(t("tui.help.score", lang), style=heading),
        Text(t("tui.help.score_text", lang)),
        Text(""),
        Text(t("tui.help.log", lang), style=heading),
        Text(log_line),
        Text(""),
        Text(t("tui.help.close", lang), style="dim"),
    )


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,question_mark,f1,q", "dismiss", show=False),
        Binding("l", "switch_language", show=False),
    ]

    def __init__(self, lang: str, log_file: Path | None, extra_keys: tuple[Key, ...] = ()) -> None:
        super().__init__()
        self.lang = lang
        self.log_file = log_file
        self.extra_keys = extra_keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(self.lang, self.log_file, self.extra_keys), id="help-body")

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_switch_language(self) -> None:
        """Same key as on the main screen; the help follows at once."""
        self.lang = "en" if self.lang == "fr" else "fr"
        if hasattr(self.app, "lang"):
            self.app.lang = self.lang
        self.query_one("#help-body", Static).update(help_text(self.lang, self.log_file, self.extra_keys))

    def on_click(self) -> None:
        self.dismiss()
