"""``clinicguard`` with no command: open the dashboard on this machine."""

from __future__ import annotations

import argparse
import logging
import sys
import threading

from clinicguard.i18n import t

log = logging.getLogger("clinicguard.tui")


def build_app(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The dashboard for the real machine, with the person's settings and language."""
    from clinicguard import workflow
    from clinicguard.catalogue import load_catalogue
    from clinicguard.cli import resolve_language
    from clinicguard.config import load_config
    from clinicguard.host.local import LocalHost
    from clinicguard.logsetup import log_path
    from clinicguard.tui.app import ClinicGuardApp
    from clinicguard.tui.scanproc import assess_in_child

    settings = load_config(getattr(args, "config", None))
    lang = resolve_language(args, settings)
    catalogue = load_catalogue()
    host = LocalHost()
    timeout = float(settings["assessment"]["check_timeout_s"])

    config = getattr(args, "config", None)
    # Restarted with administrator rights from the dashboard or --elevate: the first scan is compared
    # with the run without rights (the file is read, and removed, by the scan process).
    baseline = {"path": getattr(args, "elevation_baseline", None)}

    def assess(on_progress, cancel: threading.Event):  # type: ignore[no-untyped-def]
        # In a child process, so probes never freeze the interface; saved answers and accepted items apply
        # as in "clinicguard check", and a finished run joins the history.
        try:
            path, baseline["path"] = baseline["path"], None
            return assess_in_child(on_progress, cancel, catalogue=catalogue, config=config, elevation_baseline=path)
        except OSError:
            log.exception("no child process for the assessment; running it here")
        outcome = workflow.assess(
            host, catalogue=catalogue, settings=settings, on_progress=on_progress, cancel=cancel, check_timeout=timeout
        )
        if not outcome.assessment.cancelled:
            try:
                workflow.record(outcome)
            except Exception:  # noqa: BLE001 - an unsaved history must not hide the results
                log.exception("assessment not saved to the history")
        return outcome

    try:
        hostname = host.hostname()
    except Exception:  # noqa: BLE001 - the name is only shown
        hostname = ""
    return ClinicGuardApp(
        assess,
        catalogue=catalogue,
        platform=host.platform,
        hostname=hostname,
        settings=settings,
        lang=lang,
        log_file=log_path(),
    )


def run(args: argparse.Namespace) -> int:
    app = build_app(args)
    try:
        app.run()
    except Exception as exc:  # noqa: BLE001 - the terminal could not host the dashboard
        log.exception("dashboard could not start")
        from clinicguard.logsetup import log_path

        print(t("tui.start_failed", app.lang, error=type(exc).__name__, log=log_path()), file=sys.stderr)
        # Still give the person the checklist, as plain text.
        from clinicguard.cli.check import run_check

        args.format, args.output, args.only, args.verbose, args.replay = "text", None, None, False, None
        return run_check(args)
    result = getattr(app, "return_value", None)
    if isinstance(result, tuple) and len(result) == 2 and result[0] == "elevate":
        return restart_elevated(args, str(result[1]), app.lang)
    if app.crashed:
        from clinicguard.logsetup import log_path

        print(t("tui.crashed", app.lang, log=log_path()), file=sys.stderr)
        return 2
    return 0


def restart_elevated(args: argparse.Namespace, baseline: str, lang: str) -> int:
    """Key E of the dashboard: the dashboard closed; open it again with administrator rights."""
    from clinicguard import elevation
    from clinicguard.host.local import LocalHost

    argv = [a for a in sys.argv[1:] if a != elevation.ELEVATE_FLAG]
    p = elevation.plan(LocalHost().platform, argv, is_admin=False, baseline=baseline, interactive=sys.stdin.isatty())
    print("clinicguard: " + t(p.message_key, lang), file=sys.stderr)
    return elevation.launch(p)
