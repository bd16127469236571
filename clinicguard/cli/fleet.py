"""``clinicguard fleet``: every workstation of the establishment in one picture, one report, one plan.

    clinicguard fleet [DIR] [--db ADDRESS]            the fleet view (dashboard; text without a terminal)
    clinicguard fleet [DIR] --format text|json        headless
    clinicguard fleet report [DIR] --format html|pdf|md|json|csv [--output FILE] [--anonymize]
    clinicguard fleet accept ITEM [DIR] --reason TEXT --until DATE [--machine LABEL] | --remove | --list
    clinicguard fleet answers [DIR] --import FILE | --export FILE
    clinicguard fleet password --db ADDRESS           keep the server password in the system keyring

DIR is the fleet folder (``check --save --to DIR`` on each workstation);
without it, ``[fleet] folder`` from the settings. Its new visit files are
imported each time (the same file twice is one visit).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from clinicguard.cli.common import say
from clinicguard.core.errors import ClinicGuardError
from clinicguard.core.jsontext import dumps
from clinicguard.i18n import t
from clinicguard.present.safe import safe_line

ACTIONS = ("report", "accept", "answers", "password")


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common

    p = sub.add_parser(
        "fleet",
        help="the establishment's workstations together: view, report, plan",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common(p)
    p.add_argument(
        "words",
        nargs="*",
        metavar="ACTION",
        help="report | accept | answers | password, then the item (accept) and the fleet folder",
    )
    p.add_argument(
        "--db",
        metavar="ADDRESS",
        help="a PostgreSQL fleet database (postgresql://user@host/db) instead of the folder's own index; "
        "password from the system keyring, TLS certificate verified (sslmode=verify-full)",
    )
    p.add_argument(
        "--site", help="site name of the imported folder (default: [establishment] name, else the folder's name)"
    )
    p.add_argument("--format", help="text | json for the view; html | pdf | md | json | csv for a report")
    p.add_argument("--output", metavar="FILE", help="report file ('-' for the screen)")
    p.add_argument("--anonymize", action="store_true", help="report: hide workstation and user names")
    p.add_argument("--since", metavar="DATE", help="flag workstations not assessed since DATE")
    p.add_argument("--reason", help="accept: why the risk is accepted")
    p.add_argument("--until", metavar="DATE", help="accept: expiry date")
    p.add_argument("--machine", metavar="LABEL", help="accept: only this workstation (default: the whole fleet)")
    p.add_argument("--remove", action="store_true", help="accept: withdraw the acceptance")
    p.add_argument("--list", action="store_true", help="accept: list accepted items")
    p.add_argument("--import", dest="import_file", metavar="FILE", help="answers: import an answer file")
    p.add_argument("--export", dest="export_file", metavar="FILE", help="answers: write the answers to a file")
    p.set_defaults(func=run_fleet)


def _split(args: argparse.Namespace) -> tuple[str, list[str]]:
    words = list(args.words)
    action = words.pop(0) if words and words[0] in ACTIONS else ""
    return action, words


def _folder(words: list[str], settings: dict[str, Any], db: str | None, needed: bool = True) -> Path | None:
    if len(words) > 1:
        raise ClinicGuardError("unexpected_arguments", words=safe_line(" ".join(words[1:])))
    if words:
        return Path(words[0]).expanduser()
    configured = str((settings.get("fleet") or {}).get("folder", "") or "")
    if configured:
        return Path(configured).expanduser()
    if db or not needed:
        return None
    raise ClinicGuardError("fleet_folder_needed_or_setting")


def _day(text: str | None) -> date | None:
    if not text:
        return None
    from clinicguard.records.acceptance import parse_day

    return parse_day(text)


def run_fleet(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import resolve_language
    from clinicguard.files.config import load_config

    settings = load_config(getattr(args, "config", None))
    action, words = _split(args)
    if action == "report":
        lang = args.lang or settings["interface"]["language"] or "fr"
    else:
        lang = resolve_language(args, settings)
    if action == "password":
        return _password(args, lang)
    if action == "accept":
        item = words.pop(0) if words and not args.list else None
        return _accept(args, item, _folder(words, settings, None), settings, lang)
    if action == "answers":
        return _answers(args, _folder(words, settings, None), lang)
    folder = _folder(words, settings, args.db)
    if action == "report":
        return _report(args, folder, settings, lang)
    fmt = args.format
    # The program's entry point hands the dashboard in (the command line never imports it).
    run_dashboard = getattr(args, "dashboards", {}).get("fleet")
    if fmt is None and sys.stdout.isatty() and run_dashboard is not None:
        return int(
            run_dashboard(folder, db=args.db, site=args.site, settings=settings, lang=lang, since=_day(args.since))
        )
    if fmt not in (None, "text", "json"):
        raise ClinicGuardError("fleet_view_format", format=fmt)
    view, fleet = _view(args, folder, settings, lang)
    with fleet:
        if fmt == "json":
            from clinicguard.fleet.report.tabular import fleet_document

            doc = fleet_document(view)
            doc["import"] = _import_doc(fleet)
            sys.stdout.write(dumps(doc, indent=2) + "\n")
        else:
            from clinicguard.output.text import use_colour

            sys.stdout.write(fleet_text(view, fleet, colour=use_colour(sys.stdout)))
    return 1 if view.red_machines else 0


def _open(args: argparse.Namespace, folder: Path | None, settings: dict[str, Any]):  # type: ignore[no-untyped-def]
    from clinicguard.fleet.service import open_fleet

    fleet = open_fleet(folder, db=args.db, site=args.site, settings=settings)
    for notice in fleet.notices:
        say(notice)
    return fleet


def _view(args: argparse.Namespace, folder: Path | None, settings: dict[str, Any], lang: str, anonymized: bool = False):  # type: ignore[no-untyped-def]
    from clinicguard.fleet.report import build_fleet_view

    fleet = _open(args, folder, settings)
    try:
        today = date.today()
        picture = fleet.picture(lang, today, since=_day(args.since))
        view = build_fleet_view(
            picture, fleet.catalogue, settings=settings, trend=fleet.trend(today), anonymized=anonymized
        )
    except BaseException:
        fleet.close()
        raise
    return view, fleet


def _import_doc(fleet) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    rep = fleet.imported
    if rep is None:
        return {"imported": 0, "already": 0, "skipped": []}
    return {
        "imported": rep.imported,
        "already": rep.already,
        "skipped": [{"file": s.name, "reason": s.reason, "detail": s.detail} for s in rep.skipped],
    }


def fleet_text(view, fleet, *, colour: bool = False) -> str:  # type: ignore[no-untyped-def]
    """The fleet view as plain text: score, actions, themes, workstations worst first, files set aside."""
    from clinicguard.output.text import badge
    from clinicguard.present.safe import safe_line

    v = view
    p = v.picture
    lang = v.lang
    out = [f"{v.txt('fleet.title')}" + (f" — {v.establishment}" if v.establishment else ""), ""]
    rep = fleet.imported
    if rep is not None:
        out.append(v.txt("fleet.imported", imported=rep.imported, already=rep.already))
    if not p.machines:
        out += ["", v.txt("fleet.no_visits", folder=safe_line(str(fleet.folder or "DIR")))]
    else:
        out += [
            f"{v.txt('fleet.score')}{v.colon} {p.score}/100 · {v.txt('fleet.coverage')}{v.colon} {p.coverage} % · "
            f"{v.txt('fleet.machines_count', count=v.total)}",
            "",
            v.txt("fleet.actions_title"),
        ]
        if not v.actions:
            out.append("  " + v.txt("fleet.actions_empty"))
        for n, a in enumerate(v.actions[:10], 1):
            out.append(f"  {n}. {badge(a.status, lang, colour)}  {v.action_text(a)}")
            if not a.establishment:
                names = v.action_machines(a)
                out.append("       " + ", ".join(names[:12]) + (f" (+{len(names) - 12})" if len(names) > 12 else ""))
        out += ["", v.txt("fleet.themes_title")]
        for th in v.themes:
            spark = ""
            if len(v.trend) > 1:
                from clinicguard.fleet.aggregate import sparkline

                spark = "  " + sparkline([pt.themes.get(th.id, 0) for pt in v.trend])
            out.append(f"  {badge(th.status, lang, colour)}  {th.title}{v.colon} {th.score}/100{spark}")
        if len(v.trend) > 1:
            from clinicguard.fleet.aggregate import sparkline

            out.append(
                f"  {v.txt('fleet.trend_title')}{v.colon} {sparkline([pt.score for pt in v.trend])} "
                f"{v.trend[0].score} → {v.trend[-1].score}"
            )
        out += ["", v.txt("fleet.machines")]
        site = v.multi_site
        for m in v.machines:
            where = f" [{m.site}]" if site and m.site else ""
            out.append(
                f"  {badge(m.worst, lang, colour)}  {m.label}{where} — {m.score}/100 · ✖ {m.red} · ▲ {m.amber}"
                f" · {m.when}"
            )
        out += ["", v.txt("fleet.attention_title")]
        out += [f"  {line}" for line in v.attention] or ["  " + v.txt("fleet.attention_none")]
    if rep is not None and rep.skipped:
        out += ["", v.txt("fleet.skipped_title")]
        out += [
            "  "
            + v.txt(
                "fleet.skipped_line",
                name=safe_line(s.name),
                reason=t(f"fleet.skip.{s.reason}", lang),
                detail=safe_line(s.detail),
            )
            for s in rep.skipped
        ]
    return "\n".join(out) + "\n"


def _report(args: argparse.Namespace, folder: Path | None, settings: dict[str, Any], lang: str) -> int:
    from clinicguard.fleet.report import FORMATS, default_fleet_name, render_fleet
    from clinicguard.report import write_report

    fmt = args.format or "html"
    if fmt not in FORMATS:
        raise ClinicGuardError("fleet_report_format", format=fmt, known=", ".join(FORMATS))
    view, fleet = _view(args, folder, settings, lang, anonymized=args.anonymize)
    with fleet:
        for s in fleet.imported.skipped if fleet.imported else []:
            print(
                "clinicguard: "
                + t("fleet.skipped_line", lang, name=s.name, reason=t(f"fleet.skip.{s.reason}", lang), detail=s.detail),
                file=sys.stderr,
            )
    data = render_fleet(fmt, view)
    if args.output == "-":
        if fmt == "pdf":
            raise ClinicGuardError("pdf_needs_output")
        sys.stdout.write(data.decode("utf-8"))
        return 0
    path = write_report(args.output or default_fleet_name(view, fmt), data)
    print(t("fleet.report_written", lang, path=str(path), size=len(data)))
    return 0


def _accept(
    args: argparse.Namespace, item: str | None, folder: Path | None, settings: dict[str, Any], lang: str
) -> int:
    from clinicguard.catalogue import load_catalogue
    from clinicguard.fleet.establishment import FLEET_WIDE, FleetExceptions
    from clinicguard.present.safe import safe_line
    from clinicguard.records.acceptance import parse_day

    if folder is None:
        raise ClinicGuardError("fleet_folder_needed")
    catalogue = load_catalogue()
    exceptions = FleetExceptions.load(folder)
    if exceptions.notice:
        say(exceptions.notice)
    today = date.today()
    labels: dict[str, str] = {}
    if args.machine or args.list:
        from clinicguard.fleet.service import open_fleet

        with open_fleet(folder, site=args.site, settings=settings) as fleet:
            labels = {m.machine_id: m.label for m in fleet.store.machines()}
    target_id, target = FLEET_WIDE, t("fleet.exceptions_fleet", lang)
    if args.machine:
        wanted = " ".join(args.machine.split()).casefold()
        found = [mid for mid, label in labels.items() if label.casefold() == wanted]
        if not found:
            raise ClinicGuardError(t("fleet.unknown_machine", lang, label=safe_line(args.machine)))
        target_id, target = found[0], safe_line(labels[found[0]])
    if args.list or not item:
        if not any(exceptions.items.values()):
            print(t("fleet.exceptions_empty", lang))
        for mid, entries in sorted(exceptions.items.items()):
            who = t("fleet.exceptions_fleet", lang) if mid == FLEET_WIDE else safe_line(labels.get(mid, mid[:12]))
            for cid, acc in sorted(entries.items()):
                spec = catalogue.checks.get(cid)
                print(
                    t(
                        "fleet.accepted",
                        lang,
                        target=who,
                        expires_date=acc.expires.isoformat(),
                        item=f"{spec.title(lang) if spec else safe_line(cid)} ({safe_line(acc.justification)})",
                    )
                )
        return 0
    if item not in catalogue.checks:
        raise ClinicGuardError("unknown_item", item=safe_line(item))
    title = catalogue.checks[item].title(lang)
    if args.remove:
        if not exceptions.remove(item, target_id):
            print(t("fleet.not_found", lang, target=target))
            return 0
        exceptions.save()
        print(t("fleet.removed", lang, item=title))
        return 0
    if not args.reason or not args.until:
        raise ClinicGuardError("accept_needs_reason_until")
    acc = exceptions.accept(item, args.reason, parse_day(args.until), today, target_id)
    exceptions.save()
    print(t("fleet.accepted", lang, target=target, expires_date=acc.expires.isoformat(), item=title))
    return 0


def _answers(args: argparse.Namespace, folder: Path | None, lang: str) -> int:
    from clinicguard.catalogue import load_catalogue
    from clinicguard.files.fsutil import atomic_write
    from clinicguard.fleet.establishment import answers_store
    from clinicguard.records.questionnaire import answer_file_text, load_answer_file

    if folder is None:
        raise ClinicGuardError("fleet_folder_needed")
    catalogue = load_catalogue()
    today = date.today()
    store = answers_store(folder)
    if store.notice:
        say(store.notice)
    if args.import_file:
        answers = load_answer_file(args.import_file, catalogue, today)
        for answer in answers.values():
            store.set(answer)
        path = store.save()
        print(t("fleet.answers_imported", lang, count=len(answers), path=str(path)))
        return 0
    text = answer_file_text(store, catalogue, lang, today)
    if args.export_file:
        atomic_write(args.export_file, text)
    else:
        sys.stdout.write(text)
    return 0


def _password(args: argparse.Namespace, lang: str) -> int:
    import getpass

    from clinicguard.fleet.store import is_server_url, store_password

    if not args.db or not is_server_url(args.db):
        raise ClinicGuardError("fleet_password_needs_db")
    secret = getpass.getpass("Mot de passe du serveur : " if lang == "fr" else "Server password: ")
    if not secret:
        raise ClinicGuardError("no_password_given")
    print(t("fleet.password_saved", lang, backend=store_password(args.db, secret)))
    return 0
