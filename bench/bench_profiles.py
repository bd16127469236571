"""Benchmark of the infostealer triage over every user profile of a machine.

Builds a Linux machine in a temporary folder with N profiles (10 by default) of
F files each (20,000 by default) in their Downloads and Desktop folders, with
a realistic share of programs and archives (hashed) among documents, and a
stealer log planted in one profile. Then runs the probe's own code path
(``collect_all_signs`` with administrator rights and the probe's time budget)
in a fresh process per run and reports the median wall time of several runs,
the files examined per profile, whether every profile was complete, and the
peak memory (RSS), also with 1 and 5 profiles to show that memory does not
grow with the number of profiles. Not a test: run it by hand::

    python bench/bench_profiles.py [--profiles 10] [--files 20000] [--runs 5] [--keep DIR]

Target (issue 12): 10 profiles of 20,000 files in under 15 s on 2 cores, memory flat.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OTHER_EXT = ["pdf", "docx", "xlsx", "odt", "jpg", "png", "txt", "log", "csv", "html", "eml"]
CAND_EXT = ["exe", "dll", "msi", "zip", "sh", "py", "js", "ps1", "bat", "7z", "jar", "deb"]
CANDIDATE_SHARE = 0.08
BLOCK = random.Random(12).randbytes(1 << 18)
STEALER_LOG = ("Passwords.txt", "Wallets/seed.txt", "Cookies/Chrome.txt")

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from clinicguard.host import UserInfo
from clinicguard.host.local import LocalHost
from clinicguard.infostealer.allprofiles import collect_all_signs
from clinicguard.probes.infostealer import TIME_BUDGET_S
host = LocalHost(root=sys.argv[1])
host.platform = "linux"
host._user = UserInfo(name="alice", uid=1000, home="/home/alice", is_admin=True)
t0 = time.perf_counter()
s = collect_all_signs(host, time_budget=TIME_BUDGET_S)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "profiles": [[p.profile, p.state, p.scan.files if p.scan else 0,
                  p.scan.hashed if p.scan else 0] for p in s.profiles],
                  "hits": sorted({(p.profile, h.rule) for p in s.profiles for h in p.hits}),
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def build(tree: Path, profiles: int, files: int, seed: int = 12) -> None:
    rng = random.Random(seed)
    passwd = ["root:x:0:0:root:/root:/bin/bash", "alice:x:1000:1000::/home/alice:/bin/bash"]
    (tree / "home/alice/Downloads").mkdir(parents=True)
    for n in range(1, profiles + 1):
        name = f"soin{n:02d}"
        passwd.append(f"{name}:x:{1000 + n}:{1000 + n}::/home/{name}:/bin/bash")
        home = tree / "home" / name
        for i in range(files):
            area, depth = ("Downloads", 3) if i % 4 else ("Desktop", 2)
            parts = [f"d{rng.randrange(12)}" for _ in range(rng.randrange(depth + 1))]
            folder = home.joinpath(area, *parts)
            folder.mkdir(parents=True, exist_ok=True)
            if rng.random() < CANDIDATE_SHARE:
                path = folder / f"f{i}.{rng.choice(CAND_EXT)}"
                path.write_bytes(BLOCK[: rng.randrange(1024, 64 * 1024)])
            else:
                path = folder / f"f{i}.{rng.choice(OTHER_EXT)}"
                with open(path, "wb") as fh:
                    fh.truncate(rng.randrange(1024, 2 << 20))  # sparse: never read by the triage
        if n == max(1, profiles * 7 // 10):
            for marker in STEALER_LOG:
                p = home / "Downloads" / "FR_logs" / marker
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text("")
    (tree / "etc").mkdir(exist_ok=True)
    (tree / "etc/passwd").write_text("\n".join(passwd) + "\n")


def run_once(tree: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), str(ROOT)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(tree: Path, runs: int) -> dict:
    results = [run_once(tree) for _ in range(runs)]
    last = results[-1]
    return {
        "median_s": statistics.median(r["wall"] for r in results),
        "min_s": min(r["wall"] for r in results),
        "max_s": max(r["wall"] for r in results),
        "peak_rss_mb": max(r["maxrss_kb"] for r in results) / 1024,
        "files": sum(p[2] for p in last["profiles"]),
        "hashed": sum(p[3] for p in last["profiles"]),
        "states": sorted({p[1] for p in last["profiles"]}),
        "hits": last["hits"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profiles", type=int, default=10)
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", metavar="DIR", help="build the trees here and keep them")
    args = ap.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cg-bench-profiles-"))
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  runs: {args.runs}")
    try:
        for count in sorted({1, max(1, args.profiles // 2), args.profiles}):
            tree = base / f"p{count}"
            if not tree.exists():
                build(tree, count, args.files)
            m = measure(tree, args.runs)
            print(
                f"{count:3d} profile(s) x {args.files} files: median {m['median_s']:.2f} s "
                f"(min {m['min_s']:.2f}, max {m['max_s']:.2f}), {m['files']} files examined, "
                f"{m['hashed']} hashed, states {m['states']}, peak RSS {m['peak_rss_mb']:.0f} MB, "
                f"signs {m['hits']}"
            )
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
