"""``clinicguard questionnaire``: answer the organisational questions, at the prompt or from a file."""

from __future__ import annotations

import argparse
from datetime import date

from clinicguard.catalogue import load_catalogue
from clinicguard.cli.common import say
from clinicguard.i18n import t
from clinicguard.records.questionnaire import Answer, AnswerStore, load_answer_file, normalise_answer, questions


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common
    from clinicguard.cli.datadir import add_data_dir

    p = sub.add_parser("questionnaire")
    add_common(p)
    add_data_dir(p)
    p.add_argument("--import", dest="import_file", metavar="FILE")
    p.add_argument("--list", action="store_true")
    p.add_argument("--export", metavar="FILE")
    p.add_argument("--missing", action="store_true")
    p.set_defaults(func=run_questionnaire)


def answer_word(answer: str, lang: str) -> str:
    return t(f"questionnaire.answer.{answer}", lang)


def _show(store: AnswerStore, lang: str, today: date) -> None:
    catalogue = load_catalogue()
    for q in questions(catalogue):
        a = store.answers.get(q.id)
        if a is None:
            state = t("questionnaire.unanswered", lang)
        else:
            state = t(
                "questionnaire.answered_line",
                lang,
                answer=answer_word(a.answer, lang),
                answered_date=a.answered_on.isoformat(),
            )
            if a.is_stale(today):
                state += " · " + t("questionnaire.to_reconfirm", lang)
        print(f"{q.id:<26} {state}\n    {q.title(lang)}")
    ids = {q.id for q in questions(catalogue)}
    print(
        t(
            "questionnaire.count_line",
            lang,
            answered=len(ids & set(store.answers)),
            total=len(ids),
            stale=sum(1 for a in store.stale(today) if a.question_id in ids),
        )
    )


def _ask(store: AnswerStore, lang: str, today: date, missing_only: bool) -> int:
    catalogue = load_catalogue()
    items = questions(catalogue)
    if missing_only:
        items = [q for q in items if q.id not in store.answers or store.answers[q.id].is_stale(today)]
    print(t("questionnaire.intro", lang, count=len(items)))
    changed = 0
    try:
        for n, q in enumerate(items, 1):
            theme = catalogue.themes[q.theme].title(lang) if q.theme in catalogue.themes else q.theme
            print(f"\n[{n}/{len(items)}] {theme}\n{q.title(lang)}")
            current = store.answers.get(q.id)
            if current is not None:
                line = t(
                    "questionnaire.answered_line",
                    lang,
                    answer=answer_word(current.answer, lang),
                    answered_date=current.answered_on.isoformat(),
                )
                if current.is_stale(today):
                    line += " · " + t("questionnaire.to_reconfirm", lang)
                print("  " + line)
            while True:
                raw = input(t("questionnaire.prompt", lang) + " ").strip()
                if not raw:
                    if current is not None and current.is_stale(today):
                        # Keeping an old answer at the prompt reconfirms it today.
                        store.set(Answer(q.id, current.answer, today, current.note))
                        changed += 1
                    break
                if raw.lower() in ("q", "quit", "quitter"):
                    raise EOFError
                if raw.lower() in ("i", "info"):
                    print(f"  {q.why(lang)}\n  → {q.fix(lang, 'default')}")
                    continue
                answer = normalise_answer(raw)
                if answer is None:
                    print("  " + t("questionnaire.invalid", lang))
                    continue
                store.set(Answer(q.id, answer, today, current.note if current else ""))
                changed += 1
                break
    except (EOFError, KeyboardInterrupt):
        print()
    # Answers given so far are kept even when the questionnaire is left early.
    if changed:
        store.save()
    print(t("questionnaire.saved", lang, count=changed, path=str(store.path)))
    return 0


def run_questionnaire(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import session_of

    session = session_of(args)
    lang = session.lang
    today = date.today()
    store = AnswerStore.load()
    if store.notice:
        say(store.notice)
    if args.list:
        _show(store, lang, today)
        return 0
    if args.export:
        from clinicguard.files.fsutil import atomic_write
        from clinicguard.records.questionnaire import answer_file_text

        atomic_write(args.export, answer_file_text(store, session.catalogue, lang, today))
        print(t("questionnaire.exported", lang, count=len(store.answers), path=args.export))
        return 0
    if args.import_file:
        # Validated as a whole first: an invalid file changes nothing.
        imported = load_answer_file(args.import_file, session.catalogue, today)
        for answer in imported.values():
            store.set(answer)
        store.save()
        print(t("questionnaire.imported", lang, count=len(imported), path=args.import_file))
        return 0
    return _ask(store, lang, today, args.missing)
