"""``clinicguard diff [A] [B]``: what got better and worse between two saved assessments."""

from __future__ import annotations

import argparse

from clinicguard.cli.common import say
from clinicguard.core.errors import ClinicGuardError
from clinicguard.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common
    from clinicguard.cli.datadir import add_data_dir

    p = sub.add_parser("diff")
    add_common(p)
    add_data_dir(p)
    p.add_argument("before", nargs="?", type=int)
    p.add_argument("after", nargs="?", type=int)
    p.set_defaults(func=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import session_of
    from clinicguard.core.diff import compare
    from clinicguard.present.changes import diff_lines
    from clinicguard.present.dates import format_when
    from clinicguard.records.history import open_history

    session = session_of(args)
    lang = session.lang
    with open_history() as history:
        if history.notice:
            say(history.notice)
        after_id = args.after or (args.before and history.latest_id()) or history.latest_id()
        before_id = args.before if args.before else (history.previous_id(after_id) if after_id else None)
        if after_id is None or before_id is None:
            raise ClinicGuardError("diff_needs_two")
        before, after = history.load(before_id), history.load(after_id)
    print(
        t(
            "diff.title",
            lang,
            before=before_id,
            after=after_id,
            before_when=format_when(before.finished_at, lang),
            after_when=format_when(after.finished_at, lang),
        )
    )
    for line in diff_lines(compare(before, after), session.catalogue, lang):
        print(line)
    return 0
