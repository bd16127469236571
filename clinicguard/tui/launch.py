"""``clinicguard`` with no command: open the dashboard on this machine."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from clinicguard.engine.session import Session, open_session
from clinicguard.i18n import t
from clinicguard.tui.app import ClinicGuardApp
from clinicguard.tui.contract import ScanOutcome

if TYPE_CHECKING:
    from clinicguard.engine.runner import Progress

log = logging.getLogger("clinicguard.tui")


def build_app(session: Session, elevation_baseline: str | None = None) -> ClinicGuardApp:
    """The dashboard for the session's machine, with the person's settings and language.

    ``elevation_baseline``: restarted with administrator rights from the dashboard or --elevate, the first
    scan is compared with the run without rights (the file is read, and removed, by the scan process).
    """
    from clinicguard.tui.scanproc import assess_in_child

    baseline = {"path": elevation_baseline}

    def assess(on_progress: Callable[[Progress], None], cancel: threading.Event) -> ScanOutcome:
        # In a child process, so probes never freeze the interface; saved answers and accepted items apply
        # as in "clinicguard check", and a finished run joins the history.
        try:
            path, baseline["path"] = baseline["path"], None
            return assess_in_child(
                on_progress,
                cancel,
                catalogue=session.catalogue,
                config=session.config_file,
                replay=session.replay,
                elevation_baseline=path,
            )
        except OSError:
            log.exception("no child process for the assessment; running it here")
        outcome = session.assess(on_progress=on_progress, cancel=cancel)
        if not outcome.assessment.cancelled:
            try:
                session.record(outcome)  # once a day, or when something changed
            except Exception:  # noqa: BLE001 - an unsaved history must not hide the results
                log.exception("assessment not saved to the history")
        return ScanOutcome(outcome.assessment, list(outcome.notices))

    return ClinicGuardApp(
        assess,
        catalogue=session.catalogue,
        platform=session.platform,
        hostname=session.hostname(),
        settings=session.settings,
        lang=session.lang,
        log_file=session.paths.log,
    )


def run(args: argparse.Namespace) -> int | None:
    """Run the dashboard; None when this terminal cannot host it (the caller prints the checklist instead)."""
    session = open_session(config=getattr(args, "config", None), lang=getattr(args, "lang", None))
    app = build_app(session, getattr(args, "elevation_baseline", None))
    try:
        app.run()
    except Exception as exc:  # noqa: BLE001 - the terminal could not host the dashboard
        log.exception("dashboard could not start")
        print(t("tui.start_failed", app.lang, error=type(exc).__name__, log=session.paths.log), file=sys.stderr)
        return None
    result = getattr(app, "return_value", None)
    if isinstance(result, tuple) and len(result) == 2 and result[0] == "elevate":
        return restart_elevated(str(result[1]), app.lang)
    if app.crashed:
        print(t("tui.crashed", app.lang, log=session.paths.log), file=sys.stderr)
        return 2
    return 0


def restart_elevated(baseline: str, lang: str) -> int:
    """Key E of the dashboard: the dashboard closed; open it again with administrator rights."""
    from clinicguard.engine import elevation
    from clinicguard.host.local import LocalHost

    argv = [a for a in sys.argv[1:] if a != elevation.ELEVATE_FLAG]
    p = elevation.plan(LocalHost().platform, argv, is_admin=False, baseline=baseline, interactive=sys.stdin.isatty())
    print("clinicguard: " + t(p.message_key, lang), file=sys.stderr)
    return elevation.launch(p)
