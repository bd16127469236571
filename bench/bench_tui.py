"""Benchmark: dashboard start-up time and the longest UI stall during a full assessment.

Each run is a fresh process started as a user would start ``clinicguard``:
the time from process start to the first screen drawn, then the largest gap
between the ticks of a 10 ms timer inside the app while the assessment of
this machine runs (a gap far above 10 ms means keys and scrolling froze).
Prints the median of several runs. Targets: first screen < 1 s, no stall
over 100 ms.

    python bench/bench_tui.py [--runs 5] [--synthetic N] [--idle]

``--synthetic N`` replaces the machine by N fictitious checks finishing 2 ms
apart, to load the list far beyond today's catalogue. ``--idle`` measures the
same ticks for one second with no assessment at all: the noise floor of a
busy machine, to read the other figures against.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(synthetic: int, idle: bool = False) -> None:
    """Runs inside the measured process."""
    t0 = float(os.environ["CG_BENCH_T0"])
    sys.path.insert(0, str(ROOT))
    marks: dict[str, float] = {}
    gaps: list[float] = []
    last = [0.0]

    from clinicguard.tui import main_screen as appmod

    mount, finished = appmod.MainScreen.on_mount, appmod.MainScreen.on_scan_finished

    def tick() -> None:
        now = time.perf_counter()
        if last[0]:
            gaps.append(now - last[0])
        last[0] = now

    def on_mount(self) -> None:  # type: ignore[no-untyped-def]
        mount(self)

        def first_frame() -> None:
            # The assessment starts after the first frame too: from here on, every gap is a stall.
            marks.setdefault("first_screen", time.time())
            self.set_interval(0.01, tick)

        self.call_after_refresh(first_frame)

    def on_scan_finished(self, message) -> None:  # type: ignore[no-untyped-def]
        finished(self, message)
        marks["scan_done"] = time.time()
        marks["checks"] = len(message.assessment.results)
        self.call_after_refresh(self.app.exit)

    appmod.MainScreen.on_mount = on_mount
    appmod.MainScreen.on_scan_finished = on_scan_finished

    if idle:
        app = synthetic_app(1)
        app.scan_on_start = False

        def idle_mount(self) -> None:  # type: ignore[no-untyped-def]
            on_mount(self)
            marks["checks"] = 0

            def done() -> None:
                marks["scan_done"] = time.time()
                self.app.exit()

            self.set_timer(1.0, done)

        appmod.MainScreen.on_mount = idle_mount
    elif synthetic:
        app = synthetic_app(synthetic)
    else:
        from clinicguard.engine.session import open_session
        from clinicguard.tui.launch import build_app

        app = build_app(open_session(lang="fr"))
    app.run(headless=True, size=(110, 32))
    print(
        json.dumps(
            {
                "first_screen_s": marks["first_screen"] - t0,
                "scan_s": marks["scan_done"] - marks["first_screen"],
                "max_stall_ms": 1000 * max(gaps, default=0.0),
                "checks": marks.get("checks", 0),
            }
        )
    )


def synthetic_app(count: int):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from clinicguard.catalogue import Catalogue
    from clinicguard.tui.app import ClinicGuardApp
    from tests.support.tui_demo import FakeAssessment, frozen_clock, load_demo

    catalogue, results, host, settings = load_demo()
    specs, many = {}, []
    for i in range(count):
        base = results[i % len(results)]
        cid = f"{base.check_id}.{i:04d}"
        specs[cid] = replace(catalogue.checks[base.check_id], id=cid)
        many.append(replace(base, check_id=cid))
    big = Catalogue(catalogue.themes, catalogue.recommendations, specs)
    fake = FakeAssessment(many, host, big, delay=0.002)
    return ClinicGuardApp(
        fake,
        catalogue=big,
        platform=host.platform,
        hostname=host.hostname,
        clock=frozen_clock,
        settings=settings,
        lang="fr",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=0, metavar="N")
    parser.add_argument("--idle", action="store_true", help="no assessment: the machine's noise floor")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.synthetic, args.idle)
        return 0
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        # The dashboard saves each assessment: keep the person's own history out of it.
        env = {
            **os.environ,
            "CLINICGUARD_DATA_DIR": f"{tmp}/data",
            "CLINICGUARD_LOG": f"{tmp}/log",
            "CLINICGUARD_CONFIG": f"{tmp}/config.toml",
            "CLINICGUARD_CACHE_DIR": f"{tmp}/cache",
        }
        for _ in range(args.runs):
            env["CG_BENCH_T0"] = repr(time.time())
            extra = ["--idle"] if args.idle else []
            proc = subprocess.run(
                [sys.executable, __file__, "--child", "--synthetic", str(args.synthetic), *extra],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    first = statistics.median(r["first_screen_s"] for r in runs)
    stall = statistics.median(r["max_stall_ms"] for r in runs)
    scan = statistics.median(r["scan_s"] for r in runs)
    worst = max(r["max_stall_ms"] for r in runs)
    print(f"runs: {len(runs)}  checks: {runs[0]['checks']}")
    print(f"first screen: median {first:.3f} s (target < 1 s)")
    print(f"longest UI stall during the assessment: median {stall:.1f} ms, worst {worst:.1f} ms (target < 100 ms)")
    print(f"assessment: median {scan:.2f} s")
    return 0 if first < 1.0 and stall < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
