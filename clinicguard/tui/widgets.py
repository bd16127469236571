"""Small widgets of the dashboard: key bar, checklist and detail pane."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from clinicguard.i18n import plural, t
from clinicguard.tui.keys import Key, shown

THEME_PREFIX = "theme:"


class KeyHint(Static):
    """One clickable key hint of the key bar."""

    DEFAULT_CSS = """
    KeyHint { width: auto; height: 1; padding: 0 1 0 0; }
    KeyHint:hover { background: $boost; }
    """

    def __init__(self, key: Key, lang: str) -> None:
        super().__init__(id=f"key-{key.name}")
        self.key = key
        self.set_lang(lang)

    def set_lang(self, lang: str, hidden: int = 0) -> None:
        """``hidden``: how many keys the bar had no room for; the help hint says they are behind it."""
        self.lang = lang
        label = t(f"tui.key.{self.key.name}", lang)
        if hidden:
            label = t("tui.key.help_more", lang, more=plural(lang, "tui.key.more_keys", hidden))
        # The key in reverse video already sets it apart from its label: no extra space, more keys fit.
        self.text = Text.assemble((f" {shown(self.key, lang)} ", "bold reverse"), label)
        self.update(self.text)

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.app.run_action(self.key.action, self.screen)


class KeyBar(HorizontalGroup):
    """The main keys at the bottom of the screen, translated, clickable."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; overflow: hidden hidden; }
    """

    def __init__(self, keys: tuple[Key, ...], lang: str) -> None:
        super().__init__(id="keybar")
        self.keys = tuple(k for k in keys if k.in_bar and k.action)
        self.lang = lang

    def compose(self) -> ComposeResult:
        for key in self.keys:
            yield KeyHint(key, self.lang)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        for hint in self.query(KeyHint):
            hint.set_lang(lang)
        self.fit(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self.fit(event.size.width)

    def fit(self, width: int) -> None:
        """Leave out the least important hints that do not fit; the help hint then says how many keys it lists."""
        hints = list(self.query(KeyHint))
        helper = next((h for h in hints if h.key.action == "help"), None)
        if helper is not None:
            helper.set_lang(self.lang)
        keep = self._keep(hints, width)
        if helper is not None and len(keep) < len(hints):
            # Room for the longer help label first (it is the most important hint), then the others again.
            helper.set_lang(self.lang, hidden=len(hints) - len(keep))
            keep = self._keep(hints, width)
            helper.set_lang(self.lang, hidden=len(hints) - len(keep))
        for hint in hints:
            hint.display = hint.key.name in keep

    @staticmethod
    def _keep(hints: list[KeyHint], width: int) -> set[str]:
        room = width
        keep: set[str] = set()
        for hint in sorted(hints, key=lambda h: h.key.rank):
            need = hint.text.cell_len + 1
            if need > room:
                break  # the next ones matter less: none of them jumps ahead
            keep.add(hint.key.name)
            room -= need
        return keep


class Checklist(OptionList):
    """Rows grouped under theme headings; headings are disabled so the cursor skips them."""

    DEFAULT_CSS = """
    Checklist > .option-list--option-disabled { color: $text; text-style: bold; }
    """

    class WidthChanged(Message):
        """The rows must be wrapped again."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._row_width = 0

    def row_width(self) -> int:
        """Room for one row's text, once the list has been laid out."""
        if self.size.width <= 0:
            return 0
        # The scrollbar's room is always kept: rows must not change width when it appears.
        padding = self.get_component_styles("option-list--option").padding
        return self.size.width - self.styles.gutter.width - self.styles.scrollbar_size_vertical - padding.width

    def on_resize(self) -> None:
        width = self.row_width()
        if width and width != self._row_width:
            self._row_width = width
            self.post_message(self.WidthChanged())

    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def ids(self) -> list[str | None]:
        return [o.id for o in self.options]

    def select_id(self, option_id: str) -> bool:
        try:
            self.highlighted = self.get_option_index(option_id)
        except Exception:  # noqa: BLE001 - the row is filtered out
            return False
        return True

    def first_item_after(self, index: int) -> int | None:
        for i in range(index, self.option_count):
            if not self.options[i].disabled:
                return i
        return None

    def heading_indexes(self) -> list[int]:
        return [i for i, o in enumerate(self.options) if (o.id or "").startswith(THEME_PREFIX)]

    def jump_theme(self, step: int) -> None:
        """Move to the first item of the next (step=1) or previous (step=-1) theme."""
        headings = self.heading_indexes()
        if not headings:
            return
        current = self.highlighted if self.highlighted is not None else -1
        # The heading of the group the cursor is in.
        mine = max((h for h in headings if h < current), default=None)
        if step > 0:
            target = next((h for h in headings if h > current), None)
            if target is None:
                target = headings[0]
        else:
            first_of_mine = self.first_item_after(mine) if mine is not None else None
            if mine is not None and first_of_mine is not None and first_of_mine < current:
                target = mine
            else:
                before = [h for h in headings if mine is not None and h < mine]
                target = before[-1] if before else headings[-1]
        index = self.first_item_after(target)
        if index is not None:
            self.highlighted = index
            self.scroll_to_highlight()
            # Show the theme heading too when possible.
            self.scroll_to(y=min(self.scroll_y, self._index_to_line.get(target, self.scroll_y)), animate=False)


def heading_option(theme: str, prompt: Text) -> Option:
    return Option(prompt, id=f"{THEME_PREFIX}{theme}", disabled=True)


class DetailPane(VerticalScroll):
    """Scrollable detail of the selected row."""

    BINDINGS = [("escape", "back", "")]

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def show(self, renderable) -> None:  # type: ignore[no-untyped-def]
        self.query_one("#detail-body", Static).update(renderable)

    def action_back(self) -> None:
        self.screen.query_one(Checklist).focus()
