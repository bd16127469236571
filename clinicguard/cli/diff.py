"""``clinicguard diff [A] [B]``: what got better and worse between two saved assessments."""

from __future__ import annotations

import argparse

from clinicguard.cli import say
from clinicguard.errors import ClinicGuardError
from clinicguard.i18n import t
from clinicguard.present.safe import safe_line


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli import add_common
    from clinicguard.cli.datadir import add_data_dir

    p = sub.add_parser("diff", help="compare two saved assessments (default: the last two)")
    add_common(p)
    add_data_dir(p)
    p.add_argument("before", nargs="?", type=int, help="number of the older assessment")
    p.add_argument("after", nargs="?", type=int, help="number of the newer assessment (default: the latest)")
    p.set_defaults(func=run_diff)


def diff_lines(diff, catalogue, lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The changes in plain words, shared by the CLI and the text reports."""
    lines = [t("diff.score", lang, before=diff.score_before, after=diff.score_after,
               change=f"{diff.score_change:+d}", coverage_before=diff.coverage_before,
               coverage_after=diff.coverage_after)]
    if diff.empty:
        lines.append(t("diff.nothing", lang))
    for group in ("new_red", "fixed", "worse", "better"):
        changes = getattr(diff, group)
        if not changes:
            continue
        lines.append(t(f"diff.{group}", lang, count=len(changes)))
        for c in changes:
            spec = catalogue.checks.get(c.check_id)
            before = t(f"status.{c.before.value}", lang) if c.before else t("diff.new_item", lang)
            after = t(f"status.{c.after.value}", lang)
            lines.append(f"  - {spec.title(lang) if spec else safe_line(c.check_id)} ({before} → {after})")
    return lines


def run_diff(args: argparse.Namespace) -> int:
    from clinicguard.catalogue import load_catalogue
    from clinicguard.cli import resolve_language
    from clinicguard.cli.datadir import use_data_dir
    from clinicguard.config import load_config
    from clinicguard.diff import compare
    from clinicguard.history import open_history
    from clinicguard.output.text import format_when

    use_data_dir(args)
    lang = resolve_language(args, load_config(getattr(args, "config", None)))
    with open_history() as history:
        if history.notice:
            say(history.notice)
        after_id = args.after or (args.before and history.latest_id()) or history.latest_id()
        before_id = args.before if args.before else (history.previous_id(after_id) if after_id else None)
        if after_id is None or before_id is None:
            raise ClinicGuardError("two saved assessments are needed (run 'clinicguard check --save' twice)")
        before, after = history.load(before_id), history.load(after_id)
    print(t("diff.title", lang, before=before_id, after=after_id, before_when=format_when(before.finished_at, lang),
            after_when=format_when(after.finished_at, lang)))
    for line in diff_lines(compare(before, after), load_catalogue(), lang):
        print(line)
    return 0
