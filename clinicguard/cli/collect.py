"""``clinicguard collect``: record this machine's raw answers, anonymised.

The file replays with ``clinicguard check --replay FILE`` and becomes a test
case for systems the project has not seen yet.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from typing import Any

from clinicguard.core.jsontext import dumps
from clinicguard.host.capture import RecordingHost

log = logging.getLogger(__name__)
PROBE_TIMEOUT_S = 40.0


def register(sub: argparse._SubParsersAction) -> None:
    from clinicguard.cli.common import add_common

    p = sub.add_parser("collect")
    add_common(p)
    p.add_argument("--output", metavar="FILE", required=True)
    p.add_argument("--replay", metavar="RECORDING")
    p.set_defaults(func=run_collect)


def _extras(host: Any) -> None:
    """Text fallbacks a replay needs when the live run used a Win32 call instead."""
    if host.platform == "windows":
        from clinicguard.probes.windows.accounts import NET_ACCOUNTS, run_oem

        try:
            run_oem(host, NET_ACCOUNTS)
        except Exception as exc:  # noqa: BLE001 - recorded as an error either way
            log.info("net accounts: %s", exc)


def collect(inner: Any) -> dict[str, Any]:
    """Run every probe of the platform through a recorder; the anonymised recording."""
    from clinicguard.collect.masking import anonymize
    from clinicguard.probes import provider, registered_facts

    host = RecordingHost(inner)

    def gather(fact: str) -> None:
        fn = provider(fact, host.platform)
        try:
            if fn is not None:
                fn(host)
        except Exception as exc:  # noqa: BLE001 - a failing probe is part of the recording
            log.info("collect %s: %s", fact, exc)

    threads = [threading.Thread(target=gather, args=(f,), daemon=True) for f in sorted(registered_facts(host.platform))]
    threads.append(threading.Thread(target=_extras, args=(host,), daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(PROBE_TIMEOUT_S)
    for call in (host.listeners, host.processes):
        try:
            call()
        except Exception as exc:  # noqa: BLE001
            log.info("collect: %s", exc)
    return anonymize(host.to_dict())


def run_collect(args: argparse.Namespace) -> int:
    from clinicguard.cli.common import resolve_language
    from clinicguard.engine.session import make_host
    from clinicguard.files.fsutil import atomic_write
    from clinicguard.i18n import t

    lang = resolve_language(args)
    data = collect(make_host(getattr(args, "replay", None)))
    atomic_write(args.output, dumps(data, indent=1) + "\n")
    sys.stdout.write(
        t(
            "collect.written",
            lang,
            path=args.output,
            commands=len(data.get("commands", [])),
            files=len(data.get("files", {})),
            keys=len(data.get("registry", {})),
        )
        + "\n"
    )
    sys.stdout.write(t("collect.privacy", lang) + "\n")
    return 0
