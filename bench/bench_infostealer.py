"""Benchmark of the infostealer triage against `find` + `sha256sum`.

Generates a home folder and temporary folders holding N files (200,000 by
default) with a realistic mix of sizes and a few planted artefacts, then, in
the same run and over the same candidate files:

* the triage (clinicguard.infostealer.signs.collect_signs, walk + rules +
  hashing + the other sources), each run in a fresh process for its peak RSS;
* `find <roots> -maxdepth ... <candidate test> -print0 | xargs -0 sha256sum`.

Reports the median of several runs: files/s, MB hashed/s, wall time, and the
peak memory of the triage, also on a tree ten times smaller to show that
memory does not grow with the tree. Not a test: run it by hand::

    python bench/bench_infostealer.py [--files 200000] [--runs 5] [--keep DIR]

Files that neither tool reads (documents, images: not candidates) are
created sparse so the tree is quick to build; candidates hold real bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clinicguard.infostealer.hashing import HASH_SIZE_CAP  # noqa: E402
from clinicguard.infostealer.signs import CANDIDATE_EXT  # noqa: E402

HOME = "home/alice"
# (folder under the tree, walk depth, share of the files) — the Linux layout of the triage.
AREAS = [(f"{HOME}/Downloads", 3, 0.55), (f"{HOME}/Desktop", 2, 0.15), ("tmp", 2, 0.22), ("var/tmp", 2, 0.08)]
OTHER_EXT = ["pdf", "docx", "xlsx", "odt", "jpg", "png", "txt", "log", "csv", "html", "json", "xml", "mp3", "eml"]
CAND_EXT = ["exe", "dll", "msi", "zip", "sh", "py", "js", "ps1", "bat", "7z", "jar", "deb", "appimage"]
CANDIDATE_SHARE = 0.08
BLOCK = random.Random(7).randbytes(1 << 20)

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[2])
from clinicguard.host import UserInfo
from clinicguard.host.local import LocalHost
from clinicguard.infostealer.signs import collect_signs
host = LocalHost(root=sys.argv[1])
host.platform = "linux"
host._user = UserInfo(name="alice", uid=1000, home="/home/alice")
t0 = time.perf_counter()
s = collect_signs(host, time_budget=600)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "files": s.scan.files, "dirs": s.scan.dirs, "hashed": s.scan.hashed,
                  "bytes": s.scan.bytes_hashed, "skipped": s.scan.skipped, "complete": s.scan.complete,
                  "hits": sorted({h.rule for h in s.hits}),
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def candidate_size(rng: random.Random) -> int:
    """Scripts and small tools, libraries and programs, a few installers and archives."""
    r = rng.random()
    if r < 0.70:
        return int(2 ** rng.uniform(10, 15))  # 1-32 KB
    if r < 0.97:
        return int(2 ** rng.uniform(15, 20))  # 32 KB - 1 MB
    return int(2 ** rng.uniform(20, 25))  # 1-32 MB


def other_size(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.70:
        return int(2 ** rng.uniform(7, 12))
    if r < 0.95:
        return int(2 ** rng.uniform(12, 16))
    return int(2 ** rng.uniform(16, 22))


def write_real(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            n = min(left, len(BLOCK))
            fh.write(BLOCK[:n])
            left -= n
        fh.write(path.name.encode())  # distinct contents


def generate(base: Path, n_files: int, seed: int = 1) -> dict:
    rng = random.Random(seed)
    cand_bytes = 0
    created = 0
    for area, depth, share in AREAS:
        count = int(n_files * share)
        root = base / area
        root.mkdir(parents=True, exist_ok=True)
        n_dirs = max(1, count // 40)
        dirs = []
        for d in range(n_dirs):
            parts = [f"d{d % 7}", f"s{d % 53}", f"p{d}"][: rng.randint(0, depth)]
            folder = root.joinpath(*parts) if parts else root
            folder.mkdir(parents=True, exist_ok=True)
            dirs.append(folder)
        for i in range(count):
            folder = dirs[i % n_dirs]
            if rng.random() < CANDIDATE_SHARE:
                path = folder / f"f{created}.{rng.choice(CAND_EXT)}"
                size = candidate_size(rng)
                write_real(path, size)
                cand_bytes += size + len(path.name)
            else:
                path = folder / f"f{created}.{rng.choice(OTHER_EXT)}"
                with open(path, "wb") as fh:
                    fh.truncate(other_size(rng))
            created += 1
    planted = plant(base)
    return {"files": created + len(planted), "candidate_bytes": cand_bytes, "planted": planted}


def plant(base: Path) -> list[str]:
    """A few artefacts the triage must find."""
    out = []

    def put(rel: str, data: bytes, mode: int = 0o644) -> Path:
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        p.chmod(mode)
        out.append(rel)
        return p

    put(f"{HOME}/Downloads/d1/FR_2026_log/Passwords.txt", b"")
    put(f"{HOME}/Downloads/d1/FR_2026_log/Wallets/x.txt", b"")
    put("tmp/.ICE-unix/.kworker", b"\x7fELF" + BLOCK[:4096], 0o755)
    put(f"{HOME}/Desktop/Office_2024_crack.zip", BLOCK[:2048])
    sample = put("tmp/d2/update.sh", b"#!/bin/sh\n# planted sample\n" + BLOCK[:10000], 0o755)
    put(f"{HOME}/.bash_history", b"ls\necho Y3VybCBldmls | base64 -d | sh\n")
    # The planted sample is on the refreshed indicator list.
    digest = hashlib.sha256(sample.read_bytes()).hexdigest()
    iocs = base / "cgdata" / "iocs"
    iocs.mkdir(parents=True, exist_ok=True)
    (iocs / "sha256.txt").write_text(f"# bench\n{digest}\n")
    return out


def find_cmd(base: Path) -> str:
    names = " -o ".join(f"-iname '*.{e}'" for e in sorted(CANDIDATE_EXT))
    cap_kb = HASH_SIZE_CAP // 1024
    parts = []
    for area, depth, _share in AREAS + [("dev/shm", 1, 0)]:
        root = base / area
        if root.exists():
            parts.append(
                f"find '{root}' -maxdepth {depth + 1} -type f \\( {names} -o -perm -u+x \\) "
                f"-size -{cap_kb + 1}k -print0"
            )
    return "{ " + "; ".join(parts) + "; } | xargs -0 -r -P1 sha256sum"


def run_triage(base: Path) -> dict:
    env = dict(os.environ, CLINICGUARD_DATA_DIR=str(base / "cgdata"))
    res = subprocess.run(
        [sys.executable, "-c", CHILD, str(base), str(ROOT)], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(res.stdout)


def run_find(base: Path) -> dict:
    t0 = time.perf_counter()
    res = subprocess.run(["bash", "-c", find_cmd(base)], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    lines = res.stdout.splitlines()
    return {"wall": wall, "hashed": len(lines)}


def count_files(base: Path) -> int:
    res = subprocess.run(
        ["bash", "-c", f"find '{base / HOME}' '{base / 'tmp'}' '{base / 'var/tmp'}' -type f | wc -l"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(res.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", metavar="DIR", help="build the trees in DIR and keep them")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cg-bench-"))
    try:
        big, small = work / "big", work / "small"
        print(
            f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  tree: {work}  "
            f"load average: {os.getloadavg()[0]:.1f}"
        )
        for tree, n in ((big, args.files), (small, max(1, args.files // 10))):
            if not tree.exists():
                t0 = time.perf_counter()
                info = generate(tree, n)
                print(
                    f"generated {tree.name}: {info['files']} files, {info['candidate_bytes'] / 1e6:.0f} MB in "
                    f"candidates, in {time.perf_counter() - t0:.1f} s"
                )
        run_triage(big)
        run_find(big)  # warm the page cache for both tools
        triage, finds = [], []
        for i in range(args.runs):
            pair = [("t", run_triage), ("f", run_find)]
            for tag, fn in pair if i % 2 == 0 else pair[::-1]:
                (triage if tag == "t" else finds).append(fn(big))
        small_rss = max(run_triage(small)["maxrss_kb"] for _ in range(2))
        t = triage[-1]
        tw = statistics.median(r["wall"] for r in triage)
        fw = statistics.median(r["wall"] for r in finds)
        mb = t["bytes"] / 1e6
        print(
            f"\ntree: {t['files']} files walked in {t['dirs']} folders, {t['hashed']} candidates hashed "
            f"({mb:.0f} MB); find+sha256sum hashed {finds[-1]['hashed']} files"
        )
        print(f"planted artefacts found: {', '.join(t['hits'])}; complete={t['complete']}; skipped={t['skipped']}")
        print(f"\n{'median of ' + str(args.runs):<22}{'wall s':>8}{'files/s':>12}{'MB hashed/s':>14}")
        print(f"{'clinicguard triage':<22}{tw:>8.2f}{t['files'] / tw:>12,.0f}{mb / tw:>14,.0f}")
        print(f"{'find + sha256sum':<22}{fw:>8.2f}{t['files'] / fw:>12,.0f}{mb / fw:>14,.0f}")
        print(f"hashing throughput ratio (triage / sha256sum): {fw / tw:.2f}x")
        print("triage runs (s): " + ", ".join(f"{r['wall']:.2f}" for r in triage))
        print("find+sha256sum runs (s): " + ", ".join(f"{r['wall']:.2f}" for r in finds))
        big_rss = max(r["maxrss_kb"] for r in triage)
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (other programs share the cores)")
        print(
            f"peak RSS of the triage process: {big_rss / 1024:.0f} MB on {args.files} files, "
            f"{small_rss / 1024:.0f} MB on {args.files // 10} files"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
