"""``clinicguard check``: the headless assessment, for people and schedulers."""

from __future__ import annotations

import argparse
import json
import sys

from clinicguard.catalogue import load_catalogue
from clinicguard.config import load_config
from clinicguard.errors import ClinicGuardError
from clinicguard.i18n import t
from clinicguard.model import Assessment, Status


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli import add_common

    p = sub.add_parser("check", help="run the assessment without the dashboard")
    add_common(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of the screen")
    p.add_argument("--only", metavar="THEME", help="only the checks of one theme (see 'clinicguard checks')")
    p.add_argument("--verbose", "-v", action="store_true", help="show the evidence of every item")
    p.add_argument("--replay", metavar="RECORDING", help="assess a recorded machine instead of this one")
    net = p.add_mutually_exclusive_group()
    net.add_argument("--online", dest="online", action="store_true", default=None,
                     help="refresh online data first (end-of-support dates); off by default")
    net.add_argument("--offline", dest="online", action="store_false", help="no network even if enabled in settings")
    p.add_argument("--save", action="store_true", help="store this assessment in the history (for schedulers)")
    from clinicguard.cli.datadir import add_data_dir

    add_data_dir(p)
    p.set_defaults(func=run_check)


def make_host(replay: str | None):  # type: ignore[no-untyped-def]
    if replay:
        from clinicguard.host.recorded import RecordedHost, RecordingError

        try:
            return RecordedHost.load(replay)
        except RecordingError as exc:
            raise ClinicGuardError(f"cannot replay {exc}") from exc
        except (OSError, ValueError) as exc:
            raise ClinicGuardError(f"{replay}: cannot replay ({exc})") from exc
    from clinicguard.host.local import LocalHost

    return LocalHost()


def exit_code(assessment: Assessment) -> int:
    # An accepted red item stays red in every view but does not fail a scheduled run.
    return 1 if any(r.status is Status.FAIL and r.accepted is None for r in assessment.results) else 0


def run_check(args: argparse.Namespace) -> int:
    from clinicguard.cli import resolve_language
    from clinicguard.cli.datadir import use_data_dir
    from clinicguard.fsutil import atomic_write
    from clinicguard.output.text import render_text, use_colour
    from clinicguard.serialize import assessment_to_dict
    from clinicguard.workflow import assess, save

    use_data_dir(args)

    settings = load_config(getattr(args, "config", None))
    lang = resolve_language(args, settings)
    catalogue = load_catalogue()
    if args.only and args.only not in catalogue.themes:
        raise ClinicGuardError(f"unknown theme '{args.only}' (known: {', '.join(sorted(catalogue.themes))})")
    from clinicguard.online import online_allowed

    if online_allowed(getattr(args, "online", None), settings):
        from clinicguard.cli.update_eol import refresh_before_check

        refresh_before_check(settings, lang)
    host = make_host(getattr(args, "replay", None))
    outcome = assess(
        host,
        catalogue=catalogue,
        settings=settings,
        only_theme=args.only,
        check_timeout=float(settings["assessment"]["check_timeout_s"]),
    )
    assessment = outcome.assessment
    for notice in outcome.notices:
        print(f"clinicguard: {notice}", file=sys.stderr)
    if args.format == "json":
        text = json.dumps(assessment_to_dict(assessment, lang, catalogue), ensure_ascii=False, indent=2) + "\n"
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
            number, notice = save(outcome)
        except ClinicGuardError as exc:
            print(f"clinicguard: {exc}", file=sys.stderr)
            return 2
        if notice:
            print(f"clinicguard: {notice}", file=sys.stderr)
        print(t("history.saved", lang, number=number), file=sys.stderr)
        from clinicguard.workflow import next_due

        print(t("history.next_due", lang, due_date=next_due(assessment.finished_at, settings)), file=sys.stderr)
    return exit_code(assessment)
