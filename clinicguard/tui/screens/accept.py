"""Accept a red or amber item: a justification and an expiry date, or withdraw an acceptance."""

from __future__ import annotations

import re
from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.model import Status
from clinicguard.i18n import format_value, t
from clinicguard.present.safe import safe_line
from clinicguard.records.acceptance import ACCEPTABLE, ExceptionStore, parse_day

DEFAULT_DAYS = 90  # suggested expiry: the usual re-assessment interval


# The two ways a date may be typed (JJ/MM/AAAA, AAAA-MM-JJ), whether or not the day exists.
DATE_SHAPE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}")


class AcceptScreen(ModalScreen[bool]):
    """Dismissed with True when an acceptance was saved or withdrawn."""

    DEFAULT_CSS = """
    AcceptScreen { align: center middle; }
    AcceptScreen > Vertical {
        width: 90%; max-width: 90; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    AcceptScreen .title { text-style: bold; }
    AcceptScreen Input { width: 100%; }
    AcceptScreen #accept-buttons { height: auto; margin-top: 1; }
    AcceptScreen #accept-status { height: auto; color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(
        self, check_id: str, title: str, status: Status, store: ExceptionStore, lang: str, today: date | None = None
    ) -> None:
        super().__init__()
        self.check_id = check_id
        self.item_title = title
        self.status = status
        self.store = store
        self.lang = lang
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        lang = self.lang
        current = self.store.items.get(self.check_id)
        expiry = current.expires if current else self.today + timedelta(days=DEFAULT_DAYS)
        with Vertical(id="accept"):
            yield Static(t("accept.screen.title", lang), classes="title")
            yield Static(Text(f"{t(f'status.{self.status.value}', lang)} — {safe_line(self.item_title)}"))
            if self.status not in ACCEPTABLE:
                yield Static(t("accept.screen.not_acceptable", lang))
            yield Static(t("accept.screen.justification", lang))
            yield Input(
                current.justification if current else "",
                id="accept-justification",
                placeholder=t("accept.screen.example", lang),
            )
            yield Static(t("accept.screen.until", lang))
            yield Input(str(format_value("x_date", expiry, lang)), id="accept-until")
            yield Static(t("accept.screen.note", lang))
            with Horizontal(id="accept-buttons"):
                yield Button(
                    t("accept.screen.accept", lang),
                    variant="primary",
                    id="accept-save",
                    disabled=self.status not in ACCEPTABLE,
                )
                if current:
                    yield Button(t("accept.screen.withdraw", lang), variant="warning", id="accept-withdraw")
                yield Button(t("export.close", lang), id="accept-cancel")
            yield Static("", id="accept-status")

    def on_mount(self) -> None:
        self.query_one("#accept-justification", Input).focus()

    @on(Button.Pressed, "#accept-save")
    @on(Input.Submitted)
    def save(self) -> None:
        if self.status not in ACCEPTABLE:
            return
        status = self.query_one("#accept-status", Static)
        reason = self.query_one("#accept-justification", Input).value
        typed = self.query_one("#accept-until", Input).value
        try:
            until = parse_day(typed)
        except ClinicGuardError:
            # "31/02/2027" is written right but is not a day of the calendar: say so, not "write it as...".
            key = "no_such_date" if DATE_SHAPE.fullmatch(typed.strip()) else "bad_date"
            status.update(Text(t(f"accept.screen.{key}", self.lang, typed=safe_line(typed.strip()))))
            return
        if not reason.strip():
            status.update(t("accept.screen.need_reason", self.lang))
            return
        if until <= self.today:
            status.update(t("accept.screen.past_date", self.lang))
            return
        try:
            self.store.accept(self.check_id, reason, until, self.today)
            self.store.save()
        except ClinicGuardError as exc:
            status.update(Text(safe_line(exc)))
            return
        self.dismiss(True)

    @on(Button.Pressed, "#accept-withdraw")
    def withdraw(self) -> None:
        self.store.remove(self.check_id)
        try:
            self.store.save()
        except ClinicGuardError as exc:
            self.query_one("#accept-status", Static).update(Text(safe_line(exc)))
            return
        self.dismiss(True)

    @on(Button.Pressed, "#accept-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
