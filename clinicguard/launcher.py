"""The ``clinicguard`` program: the command line, and the dashboard when no command is given.

The one place that knows both front ends, so that neither imports the other:
the dashboard opens only in a terminal that can draw it and where textual is installed;
otherwise, or when it cannot start, the checklist is printed as text.
"""

from __future__ import annotations

import argparse

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


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, default=dashboard_or_text)
