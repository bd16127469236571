"""``clinicguard report``: export the checklist as HTML, PDF, Markdown, JSON or CSV."""

from __future__ import annotations

import argparse
import sys

from clinicguard.cli.common import say
from clinicguard.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common
    from clinicguard.cli.datadir import add_data_dir
    from clinicguard.report import FORMATS

    p = sub.add_parser("report")
    add_common(p)
    add_data_dir(p)
    p.add_argument("--format", choices=FORMATS, default="html")
    p.add_argument("--output", metavar="FILE")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--assessment", metavar="ID", type=int)
    which.add_argument("--from-history", action="store_true")
    p.add_argument("--anonymize", action="store_true")
    p.add_argument("--replay", metavar="RECORDING")
    p.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from clinicguard.core.errors import ClinicGuardError
    from clinicguard.engine.session import open_session
    from clinicguard.records.history import open_history
    from clinicguard.report import build_view, default_name, render, write_report
    from clinicguard.report.anonymize import anonymize

    # Reports go to French institutions: French unless asked otherwise (--lang or the settings).
    session = open_session(
        config=getattr(args, "config", None),
        lang=args.lang,
        replay=args.replay,
        data_dir=getattr(args, "data_dir", None),
        fallback_lang="fr",
    )
    settings, lang, catalogue = session.settings, session.lang, session.catalogue
    try:
        history = open_history()
    except ClinicGuardError as exc:
        if args.assessment is not None or getattr(args, "from_history", False):
            raise
        # A fresh report does not need the history, only its "changes" section does.
        say(exc)
        history = None
    if history is not None and history.notice:
        say(history.notice)
    if getattr(args, "from_history", False):
        # The last saved assessment, as is: no new assessment runs.
        args.assessment = history.latest_id() if history is not None else None
        if args.assessment is None:
            if history is not None:
                history.close()
            raise ClinicGuardError(t("report.no_saved_assessment", lang))
    try:
        if args.assessment is not None and history is not None:
            assessment = history.load(args.assessment)
            previous_id = history.previous_id(args.assessment)
        else:
            outcome = session.assess()
            for notice in outcome.notices:
                say(notice)
            assessment = outcome.assessment
            previous_id = history.latest_id() if history is not None else None
        previous = history.load(previous_id) if history is not None and previous_id is not None else None
    finally:
        if history is not None:
            history.close()
    if args.anonymize:
        assessment = anonymize(assessment, lang)
    view = build_view(
        assessment, lang, settings=settings, previous=previous, anonymized=args.anonymize, catalogue=catalogue
    )
    data = render(args.format, view)
    if args.output == "-":
        if args.format == "pdf":
            raise ClinicGuardError("pdf_needs_output")
        sys.stdout.write(data.decode("utf-8"))
        return 0
    path = write_report(args.output or default_name(view, args.format), data)
    print(t("report.written", lang, path=str(path), size=len(data)))
    return 0
