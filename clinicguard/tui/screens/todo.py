"""What to do first: the red and amber items in priority order."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from clinicguard.catalogue import Catalogue
from clinicguard.core.model import CheckResult, Status
from clinicguard.i18n import t
from clinicguard.present.statuses import label_width
from clinicguard.present.urgency import by_urgency
from clinicguard.present.wording import result_texts
from clinicguard.tui import render
from clinicguard.tui.keys import Key
from clinicguard.tui.widgets import KeyBar

TODO_KEYS = (
    Key("enter", "", "select", "detail"),
    Key("escape", "", "back", "back"),
)


class TodoScreen(Screen[str | None]):
    """Dismissed with the chosen check id (or None) so the main screen can show it."""

    DEFAULT_CSS = """
    TodoScreen #todo-intro { height: auto; padding: 0 1; background: $panel; }
    TodoScreen #todo-list { height: 1fr; border: round $primary; }
    TodoScreen #todo-note { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,p", "back", show=False),
        Binding("q", "app.quit", show=False),
        Binding("l", "switch_language", show=False),
    ]

    def __init__(self, results: list[CheckResult], catalogue: Catalogue, lang: str, platform: str) -> None:
        super().__init__()
        self.results = results
        self.catalogue = catalogue
        self.lang = lang
        self.platform = platform

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(
            Text.assemble((t("tui.todo.title", lang), "bold"), "\n", t("tui.todo.intro", lang)), id="todo-intro"
        )
        items = by_urgency(self.results, self.catalogue)
        options: list[Option] = []
        for rank, result in enumerate(items, 1):
            options.append(Option(self._row(rank, result), id=result.check_id))
        if not options:
            options.append(Option(Text(t("tui.todo.empty", lang), style=render.MUTED), disabled=True))
        yield OptionList(*options, id="todo-list")
        grey = sum(1 for r in self.results if r.status is Status.UNKNOWN)
        yield Static(t("tui.todo.grey_note", lang, count=grey) if grey else "", id="todo-note")
        yield KeyBar(TODO_KEYS, lang)

    def _row(self, rank: int, result: CheckResult) -> Table:
        texts = result_texts(result, self.catalogue, self.lang, self.platform, display=True)
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, width=3, justify="right")
        grid.add_column(no_wrap=True, width=label_width(self.lang))
        grid.add_column(ratio=1)
        body = Text(texts["title"], style="bold")
        if result.accepted is not None:
            # Accepted risks stay in the list (still red or amber) but say so, as everywhere else.
            body.append("  " + t("tui.todo.accepted", self.lang), style="italic")
        if texts["summary"]:
            body.append("\n" + texts["summary"], style=render.MUTED)
        if result.accepted is not None:
            body.append("\n" + render.accepted_line(result, self.lang), style="italic")
        grid.add_row(t("tui.todo.item", self.lang, rank=rank), render.badge(result.status, self.lang), body)
        return grid

    def on_mount(self) -> None:
        self.query_one("#todo-list").focus()

    async def action_switch_language(self) -> None:
        """Same key as on the main screen; this list is redrawn in the other language."""
        self.lang = "en" if self.lang == "fr" else "fr"
        if hasattr(self.app, "lang"):
            self.app.lang = self.lang
        await self.recompose()
        self.query_one("#todo-list").focus()

    @on(OptionList.OptionSelected, "#todo-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_select(self) -> None:
        option = self.query_one("#todo-list", OptionList).highlighted_option
        self.dismiss(option.id if option is not None and not option.disabled else None)

    def action_back(self) -> None:
        self.dismiss(None)
