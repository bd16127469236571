"""The dashboard application.

Built from an assessment function, a catalogue, a clock,
a host name, settings and a language, so tests and screenshots run on fixed
results; :mod:`clinicguard.tui.launch` builds the real one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.reactive import var

from clinicguard.catalogue import Catalogue
from clinicguard.i18n import t
from clinicguard.present.wording import Wording
from clinicguard.tui.contract import AssessFn, Clock, local_now
from clinicguard.tui.main_screen import MainScreen

log = logging.getLogger("clinicguard.tui")


class ClinicGuardApp(App[int]):
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    # Ctrl+C quits as in any terminal program (Textual's default only shows an English hint).
    BINDINGS = [Binding("ctrl+c", "quit", show=False, priority=True)]

    lang: var[str] = var("fr", init=False)

    def __init__(
        self,
        assess: AssessFn,
        *,
        catalogue: Catalogue,
        platform: str,
        hostname: str,
        clock: Clock = local_now,
        settings: dict[str, Any] | None = None,
        lang: str = "fr",
        log_file: Path | None = None,
        scan_on_start: bool = True,
    ) -> None:
        super().__init__()
        self.assess = assess
        self.catalogue = catalogue
        self.platform = platform
        self.hostname = hostname
        self.clock = clock
        self.settings = settings or {}
        self.set_reactive(ClinicGuardApp.lang, lang)
        self.log_file = log_file
        self.scan_on_start = scan_on_start
        self.crashed = False
        # A fixed theme: the look does not depend on TEXTUAL_THEME.
        self.theme = "textual-dark"
        self.main = MainScreen()

    @property
    def wording(self) -> Wording:
        """How results are worded now: follows the language switch."""
        return Wording(self.catalogue, self.lang, self.platform)

    @property
    def establishment(self) -> str:
        return str(self.settings.get("establishment", {}).get("name", "") or "")

    def on_mount(self) -> None:
        self.title = t("tui.title", self.lang)
        self.push_screen(self.main)
        self._quit_on_termination_signals()

    def _quit_on_termination_signals(self) -> None:
        """SIGTERM or SIGHUP (kill, shutdown, closed window) quit like 'q', so the terminal is given back.

        Python's default would end the process at once, leaving the terminal in
        raw mode with mouse reporting on. Not available on Windows, where the
        console is restored by the system.
        """
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, lambda: self.call_later(self.action_quit))

    def watch_lang(self, lang: str) -> None:
        self.title = t("tui.title", lang)
        self.main.set_lang(lang)

    async def action_quit(self) -> None:
        # The runner checks this event every 0.1 s: the worker thread ends at once.
        self.main.cancel_scan()
        self.exit(0)

    def _handle_exception(self, error: Exception) -> None:
        # Technical details go to the log file, never on the person's screen.
        self.crashed = True
        log.error("dashboard error", exc_info=(type(error), error, error.__traceback__))
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        self.bell()
        self._close_messages_no_wait()
