"""Benchmark: the establishment fleet with 500 workstations × 12 visits, on SQLite and on PostgreSQL.

Generates 6,000 visit files once (fictitious assessments over the real
catalogue), then, for each database, times in a fresh process each of:

- import: every visit file into an empty index (target < 10 s);
- first screen: the fleet view of the dashboard, from start to the matrix drawn, headless at 80×24, on an
  index already filled (target < 2 s);
- report: the fleet report in HTML and in PDF (target < 5 s);

and prints the median of several runs and the peak resident memory of each (target < 200 MB), on this machine
(the targets are for 2 cores). PostgreSQL runs on a throw-away server started here (as in the tests).

    python bench/bench_fleet.py [--machines 500] [--visits 12] [--runs 3] [--no-postgresql]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, ROOT)
op, folder, db = sys.argv[1], sys.argv[2], sys.argv[3] or None
from pathlib import Path
t0 = time.perf_counter()
if op == "import":
    from clinicguard.fleet.service import open_fleet
    with open_fleet(Path(folder), db=db, site="Bench", settings={}) as fleet:
        count = fleet.imported.imported
elif op == "screen":
    import asyncio
    from clinicguard.tui.fleet.launch import build_app
    app = build_app(Path(folder), db=db, site="Bench", settings={}, lang="fr")
    async def run():
        async with app.run_test(size=(80, 24)) as pilot:
            while app.picture is None:
                await pilot.pause(0.01)
            await pilot.pause()
            return app.main.query_one("#matrix").row_count
    count = asyncio.run(run())
else:
    from datetime import date
    from clinicguard.fleet.report import build_fleet_view, render_fleet
    from clinicguard.fleet.service import open_fleet
    with open_fleet(Path(folder), db=db, site="Bench", settings={}) as fleet:
        today = date(2026, 11, 28)
        view = build_fleet_view(fleet.picture("fr", today), fleet.catalogue, trend=fleet.trend(today))
    data = render_fleet(op.split("-")[1], view)
    count = len(data)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "count": count}))
""".replace("ROOT", repr(str(ROOT)))


def measure(op: str, folder: Path, db: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, op, str(folder), db], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    if out.returncode != 0:
        raise RuntimeError(f"{op} failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, runs: list[dict], target_s: float) -> None:
    walls = [r["wall"] for r in runs]
    rss = max(r["rss_mb"] for r in runs)
    ok = "ok" if statistics.median(walls) < target_s and rss < 200 else "OVER"
    print(
        f"  {name:<22} median {statistics.median(walls):6.2f} s  (runs: {', '.join(f'{w:.2f}' for w in walls)})"
        f"  peak {rss:6.1f} MB  [{ok}: < {target_s:g} s, < 200 MB]  ({runs[0]['count']})"
    )


def bench(label: str, folder: Path, fresh_db, runs: int) -> None:  # type: ignore[no-untyped-def]
    print(f"{label}:")
    imports = []
    for _ in range(runs):
        db = fresh_db()
        imports.append(measure("import", folder, db))
    report("import", imports, 10)
    # The index filled by the last import serves the next measures.
    report("first screen", [measure("screen", folder, db) for _ in range(runs)], 2)
    report("report html", [measure("report-html", folder, db) for _ in range(runs)], 5)
    report("report pdf", [measure("report-pdf", folder, db) for _ in range(runs)], 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--machines", type=int, default=500)
    parser.add_argument("--visits", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.support.fleet_support import write_fleet

    base = Path(tempfile.mkdtemp(prefix="clinicguard-bench-fleet-"))
    folder = base / "parc"
    t0 = time.perf_counter()
    write_fleet(folder, args.machines, args.visits)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    print(
        f"{args.machines} workstations × {args.visits} visits: {args.machines * args.visits} files, {size:.0f} MB, "
        f"generated in {time.perf_counter() - t0:.0f} s"
    )
    index = folder / "clinicguard-fleet.db"

    def fresh_sqlite() -> str:
        for side in folder.glob("clinicguard-fleet.db*"):
            side.unlink()
        return ""

    try:
        bench("SQLite (index in the fleet folder)", folder, fresh_sqlite, args.runs)
        del index
        if not args.no_postgresql:
            from tests.support.pg_server import PostgresServer

            try:
                server = PostgresServer()
            except (RuntimeError, OSError) as exc:
                print(f"PostgreSQL: not measured ({exc})")
                return 0
            try:
                bench(
                    "PostgreSQL (local server)",
                    folder,
                    lambda: server.url(server.create_database(), password=True),
                    args.runs,
                )
            finally:
                server.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
