"""The questionnaire, one question at a time, answered with a single key.

Each answer is saved at once (nothing is lost if the window closes); the
screen is dismissed with the number of answers given, so the caller can
re-run the assessment.
"""

from __future__ import annotations

from datetime import date

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from clinicguard.catalogue import Catalogue
from clinicguard.core.errors import ClinicGuardError
from clinicguard.i18n import t
from clinicguard.present.safe import safe_line
from clinicguard.records.questionnaire import Answer, AnswerStore, questions

ANSWER_KEYS = {"yes": "o/y", "partial": "p", "no": "n", "dont_know": "?", "not_applicable": "s"}


class QuestionnaireScreen(ModalScreen[int]):
    DEFAULT_CSS = """
    QuestionnaireScreen { align: center middle; }
    QuestionnaireScreen > VerticalScroll {
        width: 90%; max-width: 110; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("o,y", "answer('yes')", show=False),
        Binding("p", "answer('partial')", show=False),
        Binding("n", "answer('no')", show=False),
        Binding("question_mark,d", "answer('dont_know')", show=False),
        Binding("s,a", "answer('not_applicable')", show=False),
        Binding("right,enter,space", "move(1)", show=False),
        Binding("left,backspace", "move(-1)", show=False),
        Binding("escape,q", "close", show=False),
    ]

    def __init__(
        self, catalogue: Catalogue, store: AnswerStore, lang: str, today: date | None = None, only_missing: bool = False
    ) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.store = store
        self.lang = lang
        self.today = today or date.today()
        items = questions(catalogue)
        if only_missing:
            items = [q for q in items if q.id not in store.answers or store.answers[q.id].is_stale(self.today)]
        self.items = items
        self.index = 0
        self.changed = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="questionnaire"):
            yield Static(id="question-body")

    def on_mount(self) -> None:
        self.query_one("#questionnaire").focus()
        self.refresh_question()

    def question_text(self) -> RenderableType:
        lang = self.lang
        if not self.items:
            return Text(t("questionnaire.screen.none_left", lang))
        q = self.items[self.index]
        theme = self.catalogue.themes[q.theme].title(lang) if q.theme in self.catalogue.themes else q.theme
        out = Text()
        out.append(t("questionnaire.screen.progress", lang, n=self.index + 1, total=len(self.items)), "bold reverse")
        out.append(f"  {theme}\n\n", "dim")
        out.append(q.title(lang) + "\n\n", "bold")
        out.append(q.why(lang) + "\n\n")
        current = self.store.answers.get(q.id)
        if current is None:
            out.append(t("questionnaire.unanswered", lang) + "\n", "italic")
        else:
            out.append(
                t(
                    "questionnaire.answered_line",
                    lang,
                    answer=t(f"questionnaire.answer.{current.answer}", lang),
                    answered_date=current.answered_on.isoformat(),
                )
                + "\n",
                "bold",
            )
            if current.is_stale(self.today):
                out.append(t("questionnaire.to_reconfirm", lang) + "\n", "bold yellow")
        # One cell per answer: a narrow window wraps between answers, never inside "Je ne sais pas".
        answers = Columns(
            [
                Text.assemble((f" {keys} ", "reverse"), f" {t(f'questionnaire.answer.{answer}', lang)}")
                for answer, keys in ANSWER_KEYS.items()
            ],
            padding=(0, 3),
        )
        return Group(out, answers, Text("\n" + t("questionnaire.screen.keys", lang), "dim"))

    def refresh_question(self) -> None:
        self.query_one("#question-body", Static).update(self.question_text())

    def action_answer(self, answer: str) -> None:
        if not self.items:
            return
        q = self.items[self.index]
        previous = self.store.answers.get(q.id)
        self.store.set(Answer(q.id, answer, self.today, previous.note if previous else ""))
        try:
            self.store.save()
        except ClinicGuardError as exc:
            self.notify(safe_line(exc), severity="error", timeout=10, markup=False)
            return
        self.changed += 1
        if self.index + 1 < len(self.items):
            self.index += 1
        self.refresh_question()

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = max(0, min(len(self.items) - 1, self.index + step))
            self.refresh_question()

    def action_close(self) -> None:
        self.dismiss(self.changed)
