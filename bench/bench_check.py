"""Benchmark: full `clinicguard check --format json`, wall time and peak memory.

Runs the real command several times on this machine (each run in a fresh
process, as a user would) and prints the median wall time and the peak
resident memory. Targets on a 2-core machine: < 3 s wall, < 100 MB RSS.

    python bench/bench_check.py [--runs 7] [--with-lynis]

With --with-lynis (and Debian's lynis package installed) the same run also
times `lynis audit system --quick` once, side by side on the same machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time

# Measures one child in a wrapper so that each run's peak RSS is its own.
WRAPPER = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
res = subprocess.run([sys.executable, "-m", "clinicguard", "check", "--format", "json"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
doc = json.loads(res.stdout)
print(json.dumps({"wall": wall, "rss_mb": rss_kb / 1024, "rc": res.returncode, "checks": len(doc["results"]),
                  "slowest": sorted(((r["duration_s"], r["id"]) for r in doc["results"]), reverse=True)[:3]}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--with-lynis", action="store_true", help="also time one Lynis quick audit")
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", WRAPPER], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
        time.sleep(0.2)
    walls = [r["wall"] for r in runs]
    rss = [r["rss_mb"] for r in runs]
    print(f"clinicguard check --format json, {args.runs} runs, {runs[0]['checks']} checks")
    print(f"  wall time: median {statistics.median(walls):.2f} s  (min {min(walls):.2f}, max {max(walls):.2f})")
    print(f"  peak RSS : median {statistics.median(rss):.1f} MB (max {max(rss):.1f})")
    print(
        f"  exit code: {runs[-1]['rc']}; slowest checks (last run): "
        + ", ".join(f"{cid} {d:.2f} s" for d, cid in runs[-1]["slowest"])
    )
    if args.with_lynis:
        lynis = shutil.which("lynis")
        if lynis is None:
            print("  lynis   : not installed (apt-get install lynis)")
        else:
            code = (
                "import resource, subprocess, sys, time; t0 = time.perf_counter(); "
                f"subprocess.run([{lynis!r}, 'audit', 'system', '--quick', '--no-colors'], "
                "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
                "print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
            )
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            wall, rss = (float(x) for x in out.stdout.split())
            print(f"  lynis audit system --quick (1 run): {wall:.1f} s, peak RSS {rss:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
