"""The main screen: header, scan status, the checklist grouped by theme, the detail pane and the key bar.

The assessment runs in a thread worker; each finished check arrives as a
message and is drawn a few rows at a time, so keys, scrolling and the detail
pane keep working during a scan.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from clinicguard.core.model import Assessment, CheckResult
from clinicguard.i18n import message_text, t
from clinicguard.present.safe import safe_line
from clinicguard.tui import render, wiring
from clinicguard.tui.checklist import FILTERS, visible_groups
from clinicguard.tui.keys import MAIN_KEYS, bindings
from clinicguard.tui.widgets import Checklist, DetailPane, KeyBar, heading_option

if TYPE_CHECKING:
    from clinicguard.engine.runner import Progress
    from clinicguard.tui.contract import Dashboard

log = logging.getLogger("clinicguard.tui")

# Below this size the detail pane is hidden and a notice asks for a bigger window.
MIN_WIDTH, MIN_HEIGHT = 60, 16
# Below this width the detail pane goes under the list instead of beside it.
SIDE_BY_SIDE_WIDTH = 100
FLUSH_INTERVAL_S = 0.1
ROWS_PER_FLUSH = 12


START_HERE = ("tui.start_here", "tui.start_here_narrow", "tui.start_here_key")


class CheckDone(Message):
    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class ProfileStep(Message):
    """One user profile being examined (from the triage, through the scan process)."""

    def __init__(self, step: dict) -> None:
        super().__init__()
        self.step = step


class ScanFinished(Message):
    def __init__(self, assessment: Assessment, notices: list[str] | None = None) -> None:
        super().__init__()
        self.assessment = assessment
        self.notices = notices or []


class ScanFailed(Message):
    pass


class MainScreen(Screen):
    """Header, scan status, grouped checklist, detail pane, key bar."""

    BINDINGS = [*bindings(MAIN_KEYS), Binding("escape", "escape", show=False)]

    filter_name: var[str] = var("all")
    search_text: var[str] = var("")

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, CheckResult] = {}
        self.assessment: Assessment | None = None
        self.scanning = False
        self.scan_state = "never"  # never | running | done | cancelled | failed
        self.profile_step = ""  # "Profil 3/10 : marie.d" while the profiles are examined
        self.done = self.total = 0
        self.finished_at: datetime | None = None
        self._cancel = threading.Event()
        self._flush_pending = False
        self._pending: list[CheckResult] = []
        self._shapes: dict[str, tuple[int, bool]] = {}
        self._width = 200
        self._rows: dict[str, tuple[CheckResult, tuple[str, int], Option]] = {}
        self._detail_shown: tuple[CheckResult | None, str] | None = None

    @property
    def cg(self) -> Dashboard:
        return cast("Dashboard", self.app)

    # ----- layout

    def compose(self) -> ComposeResult:
        lang = self.cg.lang
        yield Static(id="header")
        yield Static(id="status")
        yield Static(id="small")
        with Horizontal(id="body"):
            yield Checklist(id="checklist")
            yield DetailPane(id="detail")
        yield Input(id="search", placeholder=t("tui.search.placeholder", lang))
        yield KeyBar(MAIN_KEYS, lang)

    def on_mount(self) -> None:
        self.query_one(Checklist).focus()
        self._width = self.app.size.width
        self.refresh_all()
        self._apply_size(self.app.size.width, self.app.size.height)
        if self.cg.scan_on_start:
            # After the first frame: the checklist shows at once, then fills in.
            self.call_after_refresh(self.action_scan)

    def on_resize(self, event) -> None:  # type: ignore[no-untyped-def]
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        self._width = width
        if self.is_mounted:
            self.render_header()
            self.render_status()
        self.set_class(width < SIDE_BY_SIDE_WIDTH, "-narrow")
        tiny = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(tiny, "-tiny")
        if tiny:
            self.query_one("#small", Static).update(
                t("tui.too_small", self.cg.lang, width=width, height=height, min_width=MIN_WIDTH, min_height=MIN_HEIGHT)
            )

    # ----- rendering

    def refresh_all(self) -> None:
        self.render_header()
        self.render_status()
        self.render_list()
        self.render_detail()

    def render_header(self) -> None:
        cg = self.cg
        host = self.assessment.host if self.assessment else None
        score = None
        if self.assessment is not None and self.scan_state in ("done", "cancelled"):
            score = (self.assessment.score.value, self.assessment.score.coverage)
        self._update_static(
            "#header",
            render.header(
                lang=cg.lang,
                establishment=cg.establishment,
                hostname=cg.hostname,
                host=host,
                platform=cg.platform,
                when=self.finished_at or cg.clock(),
                results=list(self.results.values()),
                score=score,
                score_key={"running": "tui.score_pending", "failed": "tui.score_incomplete"}.get(
                    self.scan_state, "tui.score_none"
                ),
                width=max(20, self._width - 2),
                assessed=self.finished_at is not None,
            ),
        )

    def render_status(self) -> None:
        lang = self.cg.lang
        state = self.scan_state
        if state == "running":
            if self.total:
                text = render.progress_bar(self.done, self.total)
                text.append(" " + t("tui.scan.running", lang, done=self.done, total=self.total))
            else:
                text = render.Text(t("tui.scan.starting", lang))
            if self.profile_step:
                text.append(" · " + self.profile_step)
        elif state == "done":
            # The header already gives the date; only what the person should know is left here: where to
            # start, and why some items stay grey.
            text = render.Text()
            first = self.most_urgent()
            if first is not None:
                wording = self.cg.wording
                room = max(20, self._width - 2)
                # The fullest wording that fits on one line (the item's title and status, then the title
                # alone, then just the key), never a cut word; the last resort is cut with an ellipsis.
                for key in START_HERE:
                    line = render.Text(
                        t(key, lang, title=wording.title(first), status=wording.status(first.status)), style="bold"
                    )
                    if line.cell_len <= room:
                        break
                line.truncate(room, overflow="ellipsis")
                text.append_text(line)
            if self.assessment is not None and not self.assessment.host.is_admin:
                if text.plain:
                    text.append("\n")
                text.append(t("tui.not_admin", lang), style=render.MUTED)
        elif state == "cancelled":
            text = render.Text(t("tui.scan.cancelled", lang), style="bold")
        elif state == "failed":
            text = render.Text(t("tui.scan.failed", lang, log=self.cg.log_file or "—"), style="bold")
        else:
            text = render.Text(t("tui.scan.never", lang))
        self._update_static("#status", text)
        self.query_one("#status", Static).display = bool(text.plain)

    def _update_static(self, selector: str, text: render.Text) -> None:
        """Update a line of text, asking for a new layout only when its height may change (cheap redraws)."""
        lines = text.plain.split("\n")
        shape = (len(lines), max(len(line) for line in lines) > self._width - 2)
        layout = self._shapes.get(selector) != shape or shape[1]
        self._shapes[selector] = shape
        self.query_one(selector, Static).update(text, layout=layout)

    def render_list(self) -> None:
        cg = self.cg
        lang = cg.lang
        checklist = self.query_one(Checklist)
        groups = visible_groups(self.results, cg.wording, self.filter_name, self.search_text)
        width = checklist.row_width() or max(30, self._width // 2 - 6)
        options: list[Option] = []
        for group in groups:
            options.append(heading_option(group.theme, render.theme_heading(group.title, len(group.results))))
            for result in group.results:
                options.append(self._row_option(result, width))
        if not options:
            key = "tui.filter.empty_scanning" if self.scanning and not self.results else "tui.filter.empty"
            options.append(Option(render.Text(t(key, lang), style=render.MUTED), id="empty", disabled=True))
        keep = checklist.highlighted_id()
        # A cursor still on the first row stays on the first row as rows arrive above it.
        at_top = checklist.highlighted is None or checklist.highlighted == checklist.first_item_after(0)
        keep_y = checklist.scroll_y
        checklist.set_options(options)
        index = None
        if keep is not None and not (at_top and self.scanning):
            try:
                index = checklist.get_option_index(keep)
            except Exception:  # noqa: BLE001 - the row is no longer shown
                index = None
        if index is None:
            index = checklist.first_item_after(0)
        if index is not None:
            checklist.highlighted = index
        checklist.scroll_to(y=keep_y, animate=False, immediate=True)
        if index is not None:
            checklist.scroll_to_highlight()
        name = t(f"tui.filter.{self.filter_name}", lang)
        if self.search_text:
            # The search is what matters then; "all items" would only push it out of a narrow frame.
            search = t("tui.filter.search", lang, query=self.search_text)
            name = search if self.filter_name == "all" else f"{name} · {search}"
        checklist.border_title = t("tui.filter.label", lang, name=name)

    def _row_option(self, result: CheckResult, width: int) -> Option:
        """The row of a result, reused while the result, language and width are unchanged (cheap redraws)."""
        cg = self.cg
        cached = self._rows.get(result.check_id)
        if cached is not None and cached[0] is result and cached[1] == (cg.lang, width):
            return cached[2]
        option = Option(render.row(result, cg.wording, width), id=result.check_id)
        self._rows[result.check_id] = (result, (cg.lang, width), option)
        return option

    @on(Checklist.WidthChanged)
    def _list_resized(self) -> None:
        self.render_list()

    def render_detail(self) -> None:
        cg = self.cg
        checklist = self.query_one(Checklist)
        rid = checklist.highlighted_id()
        result = self.results.get(rid) if rid else None
        if self._detail_shown is not None and self._detail_shown[0] is result and self._detail_shown[1] == cg.lang:
            return  # unchanged: spare the redraw during a scan
        self._detail_shown = (result, cg.lang)
        pane = self.query_one(DetailPane)
        pane.show(render.detail(result, cg.wording))
        spec = cg.catalogue.checks.get(rid or "")
        pane.border_title = cg.wording.theme_title(spec.theme) if spec and spec.theme in cg.catalogue.themes else ""

    def watch_filter_name(self) -> None:
        if self.is_mounted:
            self.render_list()
            self.render_detail()

    def watch_search_text(self) -> None:
        if self.is_mounted:
            self.render_list()
            self.render_detail()

    @on(OptionList.OptionHighlighted, "#checklist")
    def _highlighted(self) -> None:
        self.render_detail()

    @on(OptionList.OptionSelected, "#checklist")
    def _selected(self) -> None:
        self.query_one(DetailPane).focus()

    # ----- scanning

    def action_scan(self) -> None:
        if self.scanning:
            self.notify(t("tui.scan.already_running", self.cg.lang), severity="warning")
            return
        self.scanning = True
        self.scan_state = "running"
        self.done, self.total = 0, 0
        self._pending = []
        self._cancel = threading.Event()
        self.render_header()
        self.render_status()
        if not self.results:
            self.render_list()
        self._scan(self._cancel)

    @work(thread=True, exclusive=True, group="assessment", exit_on_error=False)
    def _scan(self, cancel: threading.Event) -> None:
        def on_progress(progress: Progress | dict) -> None:
            if isinstance(progress, dict):  # a step inside a probe: one user profile after another
                self.post_message(ProfileStep(progress))
                return
            self.post_message(CheckDone(progress))

        try:
            outcome = self.cg.assess(on_progress, cancel)
        except Exception:  # noqa: BLE001 - a failed scan keeps what it found and says where the details are
            log.exception("assessment failed")
            self.post_message(ScanFailed())
            return
        self.post_message(ScanFinished(outcome.assessment, list(outcome.notices)))

    def on_profile_step(self, message: ProfileStep) -> None:
        step = message.step
        if step.get("step") == "profile" and self.scanning:
            self.profile_step = t(
                "tui.profile_progress",
                self.cg.lang,
                index=step.get("index", 0),
                total=step.get("total", 0),
                profile=safe_line(str(step.get("profile", ""))),
                files=step.get("files", 0),
            )
        else:
            self.profile_step = ""
        self.render_status()

    def on_check_done(self, message: CheckDone) -> None:
        p = message.progress
        if not self.scanning:
            return
        self._pending.append(p.result)
        self.done, self.total = p.done, p.total
        if not self._flush_pending:
            self._flush_pending = True
            self.set_timer(FLUSH_INTERVAL_S, self._flush)

    def _take_pending(self, limit: int | None = None) -> None:
        batch = self._pending if limit is None else self._pending[:limit]
        self._pending = [] if limit is None else self._pending[limit:]
        for result in batch:
            self.results[result.check_id] = result

    def _flush(self) -> None:
        """Draw new results a few rows at a time, ten times a second, so no frame takes long to draw."""
        if not self._flush_pending:
            return  # the scan finished in the meantime and drew everything
        self._take_pending(ROWS_PER_FLUSH)
        self._flush_pending = bool(self._pending)
        if self._flush_pending:
            self.set_timer(FLUSH_INTERVAL_S, self._flush)
        self.render_header()
        self.render_status()
        self.render_list()
        self.render_detail()

    def most_urgent(self) -> CheckResult | None:
        """The first item of "what to do first" (p), if anything is red or amber."""
        from clinicguard.present.urgency import by_urgency

        ranked = by_urgency(self.results.values(), self.cg.catalogue)
        return ranked[0] if ranked else None

    def on_scan_finished(self, message: ScanFinished) -> None:
        a = message.assessment
        checklist = self.query_one(Checklist)
        # Untouched cursor (still on the first row): once the scan ends, it moves to the most urgent item.
        untouched = checklist.highlighted is None or checklist.highlighted == checklist.first_item_after(0)
        self.scanning = False
        self._flush_pending = False
        self._take_pending()
        self.assessment = a
        # Unchanged results keep their drawn rows: the last frame of a scan stays cheap.
        shown = self.results
        self.results = {r.check_id: shown[r.check_id] if shown.get(r.check_id) == r else r for r in a.results}
        self.finished_at = self.cg.clock()
        self.scan_state = "cancelled" if a.cancelled else "done"
        self.profile_step = ""
        self.refresh_all()
        first = self.most_urgent()
        if untouched and first is not None and checklist.select_id(first.check_id):
            checklist.scroll_to_highlight()
            self.render_detail()
        for notice in message.notices:
            self.notify(safe_line(message_text(notice, self.cg.lang)), severity="warning", timeout=15, markup=False)

    def on_scan_failed(self, _: ScanFailed) -> None:
        self.scanning = False
        self._flush_pending = False
        self._take_pending()
        self.scan_state = "failed"
        self.refresh_all()

    def cancel_scan(self) -> None:
        self._cancel.set()

    def on_unmount(self) -> None:
        self._cancel.set()

    # ----- focus on what matters

    def action_cycle_filter(self) -> None:
        self.filter_name = FILTERS[(FILTERS.index(self.filter_name) + 1) % len(FILTERS)]

    def action_search(self) -> None:
        self.add_class("-searching")
        box = self.query_one("#search", Input)
        box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value.strip()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(Checklist).focus()
        if not self.search_text:
            self.remove_class("-searching")

    def action_escape(self) -> None:
        box = self.query_one("#search", Input)
        if self.has_class("-searching"):
            box.value = ""
            self.search_text = ""
            self.remove_class("-searching")
            self.query_one(Checklist).focus()
        elif self.filter_name != "all":
            self.filter_name = "all"
        else:
            self.query_one(Checklist).focus()

    def action_next_theme(self) -> None:
        self.query_one(Checklist).jump_theme(1)

    def action_prev_theme(self) -> None:
        self.query_one(Checklist).jump_theme(-1)

    def action_todo(self) -> None:
        from clinicguard.tui.screens.todo import TodoScreen

        self.app.push_screen(
            TodoScreen(list(self.results.values()), self.cg.catalogue, self.cg.lang, self.cg.platform), self._reveal
        )

    def _reveal(self, check_id: str | None) -> None:
        if not check_id:
            return
        checklist = self.query_one(Checklist)
        if not checklist.select_id(check_id):
            self.filter_name = "all"
            self.search_text = ""
            self.query_one("#search", Input).value = ""
            self.remove_class("-searching")
            self.render_list()
            checklist.select_id(check_id)
        checklist.focus()

    # ----- screens of the questionnaire, history, reports and password test

    def _open(self, build: Callable[[], Screen], callback: Callable[[Any], None] | None = None) -> None:
        """Open a screen; a damaged or unreadable file becomes a one-line message, never a crash."""
        from clinicguard.core import errors

        try:
            screen = build()
        except errors.ClinicGuardError as exc:
            self.notify(safe_line(exc), severity="error", timeout=10, markup=False)
            return
        except Exception:  # noqa: BLE001 - one screen failing must not close the dashboard
            log.exception("screen could not open")
            self.notify(t("tui.screen_failed", self.cg.lang, log=self.cg.log_file or "—"), severity="error", timeout=10)
            return
        self.app.push_screen(screen, callback)

    def today(self) -> date:
        return self.cg.clock().date()

    def action_questionnaire(self) -> None:
        cg = self.cg
        self._open(lambda: wiring.questionnaire(cg.catalogue, cg.lang, self.today()), self._after_questionnaire)

    def _after_questionnaire(self, changed: int | None) -> None:
        # Answers feed the checklist: assess again so they show (unless a scan is already running).
        if changed and not self.scanning:
            self.action_scan()

    def action_history(self) -> None:
        cg = self.cg
        self._open(lambda: wiring.history(cg.catalogue, cg.lang, cg.settings))

    def action_export(self) -> None:
        cg = self.cg
        if self.assessment is None or self.scanning:
            self.notify(t("tui.export_wait", cg.lang), severity="warning")
            return
        assessment = self.assessment
        self._open(lambda: wiring.export(assessment, cg.catalogue, cg.lang, cg.settings))

    def action_accept(self) -> None:
        cg = self.cg
        rid = self.query_one(Checklist).highlighted_id()
        result = self.results.get(rid or "")
        if result is None:
            return
        from clinicguard.records.acceptance import ACCEPTABLE

        if result.status not in ACCEPTABLE:
            # Nothing to accept on a green, grey or not-applicable item: say so instead of opening a form.
            self.notify(t("accept.screen.not_acceptable", cg.lang), severity="warning")
            return
        title = cg.wording.title(result)
        self._open(lambda: wiring.accept(result, title, cg.lang, self.today()), self._after_accept)

    def _after_accept(self, changed: bool | None) -> None:
        if not changed:
            return
        from clinicguard.core import errors

        try:
            results = wiring.reapply_acceptances(tuple(self.results.values()), self.today())
        except errors.ClinicGuardError as exc:
            self.notify(safe_line(exc), severity="error", timeout=10, markup=False)
            return
        self.results = {r.check_id: r for r in results}
        if self.assessment is not None:
            self.assessment = replace(
                self.assessment, results=tuple(self.results.get(r.check_id, r) for r in self.assessment.results)
            )
        self.refresh_all()

    def action_elevate(self) -> None:
        """Restart the assessment with administrator rights; the results shown now are the comparison."""
        lang = self.cg.lang
        if self.assessment is None or self.scanning:
            self.notify(t("tui.elevate.wait", lang), severity="warning")
            return
        if self.assessment.host.is_admin:
            self.notify(t("elevation.already", lang))
            return
        from clinicguard.engine import elevation

        self.app.exit(result=("elevate", elevation.write_baseline(self.assessment)))

    def action_password_test(self) -> None:
        cg = self.cg
        self._open(lambda: wiring.password_test(cg.lang, cg.settings))

    def action_help(self) -> None:
        from clinicguard.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.cg.lang, self.cg.log_file))

    def action_switch_language(self) -> None:
        self.cg.lang = "en" if self.cg.lang == "fr" else "fr"

    def set_lang(self, lang: str) -> None:
        self.query_one(KeyBar).set_lang(lang)
        self.query_one("#search", Input).placeholder = t("tui.search.placeholder", lang)
        self._apply_size(self.app.size.width, self.app.size.height)
        self.refresh_all()

    async def action_quit(self) -> None:
        await self.cg.action_quit()
