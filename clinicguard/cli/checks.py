"""``clinicguard checks``: list the catalogue."""

from __future__ import annotations

import argparse

from clinicguard.i18n import t
from clinicguard.i18n.typography import labelled


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common

    p = sub.add_parser("checks")
    add_common(p)
    p.set_defaults(func=run_checks)


def run_checks(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import session_of

    session = session_of(args)
    lang, cat = session.lang, session.catalogue
    for theme in sorted(cat.themes.values(), key=lambda th: th.order):
        specs = sorted((c for c in cat.checks.values() if c.theme == theme.id), key=lambda c: c.id)
        if not specs:
            continue
        print(f"== {theme.title(lang)}  [{theme.id}]")
        for spec in specs:
            admin = f"  ({t('cli.needs_admin_short', lang)})" if spec.needs_admin else ""
            print(f"  {spec.id:<28} {spec.title(lang)}{admin}")
            recs = ", ".join(spec.recommendations)
            print(
                f"  {'':<28} {labelled(t('cli.platforms', lang), ', '.join(spec.platforms), lang)} · "
                f"{labelled(t('cli.weight', lang), str(spec.weight), lang)} · {recs}"
            )
    return 0
