"""The ``clinicguard`` program: the command line, and the dashboard when no command is given.

The one place that knows both front ends, so that neither imports the other:
the dashboard opens only in a terminal that can draw it and where textual is
installed; otherwise, or when it cannot start, the checklist is printed as text.
Dashboard views a command can open (``clinicguard fleet``) are handed to the
command line here.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from clinicguard import cli


def dashboard_or_text(args: argparse.Namespace) -> int:
    if cli.can_draw_dashboard():
        try:
            from clinicguard.tui import launch
        except ModuleNotFoundError:  # installed without the dashboard's library
            launch = None  # type: ignore[assignment]
        if launch is not None:
            code = launch.run(args)
            if code is not None:
                return code
    # Still give the person the checklist, as plain text.
    return cli.headless_check(args)


def fleet_dashboard(folder: Path | None, **options: Any) -> int:
    """The fleet view of ``clinicguard fleet`` in a terminal."""
    from clinicguard.tui.fleet.launch import run

    return int(run(folder, **options))


def dashboards() -> dict[str, Any]:
    """The dashboard views commands may open, where this installation has them."""
    found: dict[str, Any] = {}
    if importlib.util.find_spec("textual") is not None and importlib.util.find_spec("clinicguard.tui.fleet"):
        found["fleet"] = fleet_dashboard
    return found


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, default=dashboard_or_text, dashboards=dashboards())
