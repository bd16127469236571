"""The dashboard's assessment, run in a child process.

Probes run commands, parse outputs and import many modules; in the
dashboard's own process that work competes with the interface for the
Python interpreter and freezes it for a few hundred milliseconds. In a child
process it cannot. The child writes one JSON object per line::

    {"progress": [done, total, <result>]}          one per finished check
    {"assessment": <document>, "notices": [...]}  last line

``<result>`` and ``<document>`` are the formats of :mod:`clinicguard.records.serialize`.
The child keeps a finished run in the history once a day or when something changed (``workflow.record``).
This module never imports textual.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clinicguard.catalogue import Catalogue
from clinicguard.core.jsontext import dumps
from clinicguard.tui.contract import ScanOutcome

log = logging.getLogger("clinicguard.tui")


class ChildFailed(RuntimeError):
    """The child ended without a result (its details are in the log)."""


def assess_in_child(
    on_progress: Callable[[Any], None],
    cancel: threading.Event,
    *,
    catalogue: Catalogue,
    config: str | None = None,
    replay: str | None = None,
    elevation_baseline: str | None = None,
) -> ScanOutcome:
    """Run the assessment in a child process; ``cancel`` ends it at once."""
    from clinicguard.engine.runner import Progress
    from clinicguard.records.serialize import assessment_from_dict, result_from_dict

    cmd = [sys.executable, "-m", "clinicguard.tui.scanproc"]
    if config:
        cmd += ["--config", config]
    if replay:
        cmd += ["--replay", replay]
    if elevation_baseline:
        cmd += ["--elevation-baseline", elevation_baseline]
    # The child finds this very copy of clinicguard, installed or not.
    root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p),
        "PYTHONIOENCODING": "utf-8",
    }
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
        encoding="utf-8",
        errors="replace",
    )

    def stop_on_cancel() -> None:
        while proc.poll() is None:
            if cancel.wait(0.05):
                proc.kill()
                return

    threading.Thread(target=stop_on_cancel, daemon=True, name="scan-child-cancel").start()
    final: dict[str, Any] | None = None
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                log.warning("scan child: unreadable line %r", line[:200])
                continue
            if "progress" in message:
                done, total, result = message["progress"]
                on_progress(Progress(int(done), int(total), result_from_dict(result)))
            elif "activity" in message and isinstance(message["activity"], dict):
                on_progress(message["activity"])  # a step inside a probe, e.g. one user profile
            elif "assessment" in message:
                final = message
    finally:
        proc.stdout.close()
        proc.wait()
    if final is None:
        if cancel.is_set():
            raise ChildFailed("cancelled")
        raise ChildFailed(f"assessment process ended with code {proc.returncode} and no result")
    return ScanOutcome(assessment_from_dict(final["assessment"], catalogue), list(final.get("notices", [])))


def _yield_to_the_interface() -> None:
    """Background priority: when the processor is busy, the dashboard is served first."""
    try:
        if hasattr(os, "nice"):
            os.nice(10)
        else:
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - only a courtesy
        log.debug("priority unchanged", exc_info=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="clinicguard.tui.scanproc")
    parser.add_argument("--config")
    parser.add_argument("--replay")
    parser.add_argument("--elevation-baseline")
    args = parser.parse_args(argv)

    from clinicguard.engine.session import open_session
    from clinicguard.files.logsetup import setup_logging
    from clinicguard.records.serialize import assessment_to_dict, result_to_dict

    setup_logging()
    _yield_to_the_interface()
    out = sys.stdout
    lock = threading.Lock()

    def emit(message: dict[str, Any]) -> None:
        with lock:
            out.write(dumps(message) + "\n")
            out.flush()

    try:
        # The same setup as the dashboard that started this process (settings, data folder, recording).
        session = open_session(config=args.config, replay=args.replay)
        catalogue, platform = session.catalogue, session.platform

        def on_progress(p: Any) -> None:
            emit({"progress": [p.done, p.total, result_to_dict(p.result, catalogue, "en", platform)]})

        from clinicguard.core import activity

        with activity.listening(lambda step: emit({"activity": step})):
            outcome = session.assess(on_progress=on_progress)
        if args.elevation_baseline:
            # Restarted with administrator rights: mark what the rights changed since the standard run.
            from clinicguard.engine import elevation

            before = elevation.read_baseline(args.elevation_baseline)
            if before is not None:
                outcome.assessment, _changes = elevation.mark_changes(outcome.assessment, before)
        notices = list(outcome.notices)
        try:
            session.record(outcome)  # once a day, or when something changed
        except Exception:  # noqa: BLE001 - an unsaved history must not hide the results
            log.exception("assessment not saved to the history")
        emit({"assessment": assessment_to_dict(outcome.assessment, "en", catalogue), "notices": notices})
    except Exception:  # noqa: BLE001 - the dashboard reports the failure and names the log
        log.exception("assessment failed")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
