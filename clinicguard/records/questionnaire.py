"""Questionnaire answers: what no program can see, answered by the volunteer.

Questions are catalogue items of ``kind = "ask"``. Answers are kept with the
date they were given in ``<data dir>/answers.json``, pre-filled next time,
and flagged for reconfirmation after 12 months. Each answer becomes a
CheckResult fed to ``run_assessment(extra_results=...)``.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from clinicguard.catalogue import Catalogue, CheckSpec
from clinicguard.core.errors import DataFileError
from clinicguard.core.model import CheckResult, Evidence, Reason, Status
from clinicguard.files.fsutil import load_versioned_json, read_capped, save_json
from clinicguard.files.paths import data_dir

FORMAT = "clinicguard-answers"
VERSION = 1
STALE_AFTER_DAYS = 365  # answers older than 12 months are to be reconfirmed
# A note is a sentence or two ("disque USB branché en permanence"); an answer file is a few KiB.
MAX_NOTE_CHARS = 2000
MAX_ANSWER_FILE_BYTES = 1024 * 1024

# Answer -> status. "Je ne sais pas" is grey: it never earns credit.
ANSWERS: dict[str, Status] = {
    "yes": Status.PASS,
    "partial": Status.WARN,
    "no": Status.FAIL,
    "dont_know": Status.UNKNOWN,
    "not_applicable": Status.NOT_APPLICABLE,
}

# Words accepted in answer files and at the prompt, in both languages.
ALIASES: dict[str, str] = {
    "yes": "yes",
    "y": "yes",
    "oui": "yes",
    "o": "yes",
    "partial": "partial",
    "partly": "partial",
    "partiel": "partial",
    "partiellement": "partial",
    "p": "partial",
    "no": "no",
    "n": "no",
    "non": "no",
    "dont_know": "dont_know",
    "don't know": "dont_know",
    "unknown": "dont_know",
    "je ne sais pas": "dont_know",
    "nsp": "dont_know",
    "?": "dont_know",
    "not_applicable": "not_applicable",
    "n/a": "not_applicable",
    "na": "not_applicable",
    "sans objet": "not_applicable",
    "so": "not_applicable",
}


def normalise_answer(word: str) -> str | None:
    return ALIASES.get(" ".join(str(word).strip().lower().replace("’", "'").split()))


@dataclass(frozen=True)
class Answer:
    question_id: str
    answer: str  # a key of ANSWERS
    answered_on: date
    note: str = ""

    @property
    def status(self) -> Status:
        return ANSWERS[self.answer]

    def is_stale(self, today: date) -> bool:
        return (today - self.answered_on).days > STALE_AFTER_DAYS

    def to_dict(self) -> dict[str, str]:
        return {"answer": self.answer, "date": self.answered_on.isoformat(), "note": self.note}


def questions(catalogue: Catalogue) -> list[CheckSpec]:
    """The questionnaire in display order (theme, then id)."""
    specs = [s for s in catalogue.checks.values() if s.kind == "ask"]
    return sorted(specs, key=lambda s: (catalogue.theme_order(s.theme), s.id))


def answers_path() -> Path:
    return data_dir() / "answers.json"


def _parse_date(value: Any, where: str, qid: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DataFileError(where, "answer_invalid_date", question=qid, value=repr(value)) from None


def parse_answers(raw: Mapping[str, Any], where: str, known: Iterable[str], today: date) -> dict[str, Answer]:
    """Validate a mapping ``question id -> answer`` (a word or a table).

    Every problem names the file and the question; nothing is kept from an
    invalid file.
    """
    known_ids = set(known)
    out: dict[str, Answer] = {}
    for key, value in raw.items():
        qid = key if key in known_ids else f"ask.{key}"
        if qid not in known_ids:
            raise DataFileError(where, "unknown_question", question=key)
        if isinstance(value, str):
            word, when, note = value, today, ""
        elif isinstance(value, Mapping):
            word = value.get("answer", "")
            when = _parse_date(value["date"], where, key) if value.get("date") else today
            note = value.get("note", "")
            if not isinstance(note, str):
                raise DataFileError(where, "note_not_text", question=key)
            if len(note) > MAX_NOTE_CHARS:
                raise DataFileError(where, "note_too_long", question=key, count=MAX_NOTE_CHARS)
        else:
            raise DataFileError(where, "answer_not_word", question=key)
        answer = normalise_answer(str(word))
        if answer is None:
            raise DataFileError(where, "answer_invalid", question=key, value=repr(word))
        if when > today:
            raise DataFileError(where, "answer_in_future", question=key, answer_date=when.isoformat())
        out[qid] = Answer(qid, answer, when, note)
    return out


def _parse_answers(data: dict[str, Any]) -> dict[str, Answer]:
    return {
        qid: Answer(qid, a["answer"], date.fromisoformat(a["date"]), a.get("note", ""))
        for qid, a in data.get("answers", {}).items()
        if a.get("answer") in ANSWERS
    }


class AnswerStore:
    """The saved answers, keyed by question id."""

    def __init__(self, answers: dict[str, Answer] | None = None, path: Path | None = None) -> None:
        self.answers: dict[str, Answer] = dict(answers or {})
        self.path = path or answers_path()
        self.notice = ""  # set when a damaged file was kept aside

    @classmethod
    def load(cls, path: Path | None = None, today: date | None = None) -> AnswerStore:
        """Read the saved answers; a damaged file is renamed, never lost.

        ``today`` is accepted for callers that pass it; staleness is judged when results are made.
        """
        path = path or answers_path()
        store = cls(path=path)
        answers, store.notice = load_versioned_json(path, FORMAT, VERSION, "answers", _parse_answers)
        store.answers = answers or {}
        return store

    def set(self, answer: Answer) -> None:
        self.answers[answer.question_id] = answer

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "answers": {qid: a.to_dict() for qid, a in sorted(self.answers.items())},
        }

    def save(self) -> Path:
        return save_json(self.path, self.to_dict())

    def stale(self, today: date) -> list[Answer]:
        return [a for a in self.answers.values() if a.is_stale(today)]


def load_answer_file(path: str | Path, catalogue: Catalogue, today: date) -> dict[str, Answer]:
    """Read an answer file to import (TOML or JSON; see the README)."""
    where = str(path)
    raw = read_capped(path, MAX_ANSWER_FILE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(where, "not_utf8") from exc
    try:
        data = json.loads(text) if where.lower().endswith(".json") else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(where, "cannot_be_read", problem=str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise DataFileError(where, "missing_entry", name="[answers]")
    return parse_answers(data["answers"], where, (q.id for q in questions(catalogue)), today)


def answer_result(answer: Answer, today: date) -> CheckResult:
    """The checklist result of one answer."""
    stale = answer.is_stale(today)
    evidence = [
        Evidence("answer", answer.answer, "questionnaire"),
        Evidence("answered_on", answer.answered_on.isoformat(), "questionnaire"),
    ]
    if answer.note:
        evidence.append(Evidence("note", answer.note, "questionnaire"))
    if stale:
        evidence.append(Evidence("to_reconfirm", "yes", "questionnaire"))
    status = answer.status
    return CheckResult(
        check_id=answer.question_id,
        status=status,
        summary_key=f"questionnaire.summary.{answer.answer}{'_stale' if stale else ''}",
        params={"answered_date": answer.answered_on.isoformat()},
        evidence=tuple(evidence),
        reason=Reason.NOT_KNOWN if status is Status.UNKNOWN else None,
        detail="answered: don't know" if status is Status.UNKNOWN else "",
    )


def answer_results(store: AnswerStore, catalogue: Catalogue, today: date) -> list[CheckResult]:
    """Results for every answered question still in the catalogue."""
    ids = {q.id for q in questions(catalogue)}
    return [answer_result(a, today) for qid, a in sorted(store.answers.items()) if qid in ids]


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def answer_file_text(store: AnswerStore, catalogue: Catalogue, lang: str, today: date) -> str:
    """An answer file holding the saved answers, every question as a comment.

    Organisational answers are the same on every computer of the
    establishment: answer once, then import the file on each computer.
    Unanswered questions are left commented out so the file imports as is.
    """
    from clinicguard.i18n import t

    lines = [
        f"# {t('questionnaire.file.header', lang, today_date=today.isoformat())}",
        f"# {t('questionnaire.file.words', lang)}",
        "",
        "[answers]",
    ]
    theme = None
    for q in questions(catalogue):
        if q.theme != theme:
            theme = q.theme
            title = catalogue.themes[theme].title(lang) if theme in catalogue.themes else theme
            lines += ["", f"# == {title}"]
        key = q.id.removeprefix("ask.")
        lines.append(f"# {q.title(lang)}")
        a = store.answers.get(q.id)
        if a is None:
            lines.append(f'# {key} = ""')
            continue
        fields = [
            f"answer = {_toml_string(t(f'questionnaire.file.{a.answer}', lang))}",
            f"date = {a.answered_on.isoformat()}",
        ]
        if a.note:
            fields.append(f"note = {_toml_string(a.note)}")
        lines.append(f"{key} = {{ {', '.join(fields)} }}")
    return "\n".join(lines) + "\n"
