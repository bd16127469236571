"""``clinicguard history``: the saved assessments, oldest first, and when the next one is due."""

from __future__ import annotations

import argparse
import json
from datetime import date

from clinicguard.cli.common import say
from clinicguard.i18n import t
from clinicguard.present.safe import safe_line


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common
    from clinicguard.cli.datadir import add_data_dir

    p = sub.add_parser("history")
    add_common(p)
    add_data_dir(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run_history)


def run_history(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import session_of
    from clinicguard.engine.workflow import next_due
    from clinicguard.present.dates import format_when
    from clinicguard.records.history import open_history

    session = session_of(args)
    settings, lang = session.settings, session.lang
    with open_history() as history:
        if history.notice:
            say(history.notice)
        entries = history.entries()
    due = next_due(entries[-1].finished_at, settings) if entries else None
    if args.format == "json":
        rows = [
            {
                "id": e.id,
                "started_at": e.started_at.isoformat(),
                "finished_at": e.finished_at.isoformat(),
                "hostname": e.hostname,
                "score": e.score,
                "coverage": e.coverage,
                "fail": e.fail_count,
                "warn": e.warn_count,
                "tool_version": e.tool_version,
            }
            for e in entries
        ]
        print(json.dumps({"assessments": rows, "next_due": due.isoformat() if due else None}, indent=2))
        return 0
    if not entries:
        print(t("history.empty", lang))
        return 0
    for e in entries:
        print(
            t(
                "history.line",
                lang,
                id=e.id,
                when=format_when(e.finished_at, lang),
                score=e.score,
                coverage=e.coverage,
                fail=e.fail_count,
                warn=e.warn_count,
                hostname=safe_line(e.hostname),
            )
        )
    if due is not None and due < date.today():
        print(t("history.overdue", lang, due_date=due.isoformat()))
    else:
        print(t("history.next_due", lang, due_date=due.isoformat() if due else ""))
    return 0
