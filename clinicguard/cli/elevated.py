"""``clinicguard --elevate``: the same command again, with administrator rights.

The standard run comes first (its statuses are the baseline), then the
elevated run starts and marks the items the rights changed. A standard-user
run stays the default: nothing here runs without ``--elevate``.
"""

from __future__ import annotations

import argparse
import sys

from clinicguard.core.model import Assessment
from clinicguard.engine import elevation
from clinicguard.host import Host
from clinicguard.i18n import t


def run_elevate(args: argparse.Namespace, argv: list[str], lang: str) -> int | None:
    """Restart with administrator rights; None when already administrator (the command simply runs)."""
    from clinicguard.host.local import LocalHost

    host = LocalHost()
    if host.user().is_admin:
        print("clinicguard: " + t("elevation.already", lang), file=sys.stderr)
        return None
    first = elevation.plan(host.platform, argv, is_admin=False, interactive=sys.stdin.isatty())
    if first.method in ("explain", "unavailable"):
        print("clinicguard: " + t(first.message_key, lang), file=sys.stderr)
        return 2
    print("clinicguard: " + t("elevation.baseline", lang), file=sys.stderr)
    baseline = elevation.write_baseline(standard_assessment(args, host))
    p = elevation.plan(host.platform, argv, is_admin=False, baseline=baseline, interactive=sys.stdin.isatty())
    print("clinicguard: " + t(p.message_key, lang), file=sys.stderr)
    return elevation.launch(p)


def standard_assessment(args: argparse.Namespace, host: Host) -> Assessment:
    from clinicguard.engine.session import open_session

    return open_session(config=getattr(args, "config", None), host=host).assess().assessment


def apply_baseline(args: argparse.Namespace, assessment: Assessment, lang: str) -> Assessment:
    """In the elevated run: mark what the rights changed and say how many items."""
    path = getattr(args, "elevation_baseline", None)
    if not path:
        return assessment
    before = elevation.read_baseline(path)
    if before is None:
        return assessment
    marked, changes = elevation.mark_changes(assessment, before)
    print("clinicguard: " + t("elevation.changed", lang, count=len(changes)), file=sys.stderr)
    return marked
