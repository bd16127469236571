"""``clinicguard check``: the headless assessment, for people and schedulers."""

from __future__ import annotations

import argparse
import sys

from clinicguard.cli.common import say
from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.jsontext import dumps
from clinicguard.core.model import Assessment, Status
from clinicguard.i18n import t
from clinicguard.present.safe import safe_line


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common

    p = sub.add_parser("check")
    add_common(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--output", metavar="FILE")
    p.add_argument("--only", metavar="THEME")
    p.add_argument("--verbose", "-v", action="store_true")
    p.add_argument("--replay", metavar="RECORDING")
    net = p.add_mutually_exclusive_group()
    net.add_argument("--online", dest="online", action="store_true", default=None)
    net.add_argument("--offline", dest="online", action="store_false")
    p.add_argument("--save", action="store_true")
    p.add_argument("--to", metavar="DIR", dest="fleet_dir")
    from clinicguard.cli.datadir import add_data_dir

    add_data_dir(p)
    p.set_defaults(func=run_check)


def exit_code(assessment: Assessment) -> int:
    # An accepted red item stays red in every view but does not fail a scheduled run.
    return 1 if any(r.status is Status.FAIL and r.accepted is None for r in assessment.results) else 0


def run_check(args: argparse.Namespace) -> int:
    from clinicguard.engine.session import open_session
    from clinicguard.files.fsutil import atomic_write
    from clinicguard.output.text import render_text, use_colour
    from clinicguard.records.serialize import assessment_to_dict

    if getattr(args, "fleet_dir", None) and not getattr(args, "save", False):
        raise ClinicGuardError("to_needs_save")

    session = open_session(
        config=getattr(args, "config", None),
        lang=getattr(args, "lang", None),
        replay=getattr(args, "replay", None),
        data_dir=getattr(args, "data_dir", None),
    )
    settings, lang, catalogue = session.settings, session.lang, session.catalogue
    if args.only and args.only not in catalogue.themes:
        raise ClinicGuardError("unknown_theme", theme=safe_line(args.only), known=", ".join(sorted(catalogue.themes)))
    from clinicguard.online import online_allowed

    if online_allowed(getattr(args, "online", None), settings):
        from clinicguard.cli.update_eol import refresh_before_check

        refresh_before_check(settings, lang)
    # The end-of-support table is read here, after any refresh above.
    host = session.host
    outcome = session.assess(only_theme=args.only)
    assessment = outcome.assessment
    if getattr(args, "elevation_baseline", None):
        from clinicguard.cli.elevated import apply_baseline

        assessment = outcome.assessment = apply_baseline(args, assessment, lang)
    for notice in outcome.notices:
        say(notice)
    if args.format == "json":
        text = dumps(assessment_to_dict(assessment, lang, catalogue), indent=2) + "\n"
    else:
        colour = args.output is None and use_colour(sys.stdout)
        text = render_text(assessment, lang, colour=colour, catalogue=catalogue, verbose=args.verbose)
    if args.output:
        atomic_write(args.output, text)
    else:
        sys.stdout.write(text)
    if getattr(args, "save", False):
        # Saved after the output is written: a history problem never hides the results.
        try:
            number, notice = session.save(outcome)
        except ClinicGuardError as exc:
            say(exc)
            return 2
        if notice:
            say(notice)
        print(t("history.saved", lang, number=number), file=sys.stderr)
        from clinicguard.engine.workflow import next_due

        print(t("history.next_due", lang, due_date=next_due(assessment.finished_at, settings)), file=sys.stderr)
        if getattr(args, "fleet_dir", None):
            from clinicguard.fleet.export import export_visit

            try:
                written = export_visit(
                    assessment, args.fleet_dir, host, settings=settings, answers=outcome.answers.to_dict()["answers"]
                )
            except ClinicGuardError as exc:
                say(exc)
                return 2
            print(t("fleet.saved", lang, path=str(written)), file=sys.stderr)
    return exit_code(assessment)
