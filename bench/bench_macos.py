"""Benchmark: the macOS probe set on recorded Macs with simulated latencies.

There is no Mac in CI, so each recording is replayed with a cost added to
every command (default 0.05 s; 0.3 s for the slower pwpolicy, sysadminctl and
tmutil) and to every file read (default 2 ms, property lists included).
Prints, per recording, the wall time of a full assessment and the number of
commands run. Target: the whole macOS probe set within a couple of seconds.

    python bench/bench_macos.py [--command-s 0.05] [--slow-s 0.3] [--file-ms 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinicguard.engine.runner import run_assessment  # noqa: E402
from clinicguard.host.replay import RecordedHost

HOSTS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hosts"
SLOW_TOOLS = ("pwpolicy", "sysadminctl", "tmutil")


class SlowMac(RecordedHost):
    def __init__(self, data, command_s: float, slow_s: float, file_s: float):  # type: ignore[no-untyped-def]
        super().__init__(data)
        self.costs = (command_s, slow_s, file_s)
        self.commands = 0
        self._lock = threading.Lock()

    def run(self, argv, timeout=10.0, env=None, encoding="utf-8"):  # type: ignore[no-untyped-def]
        with self._lock:
            self.commands += 1
        time.sleep(self.costs[1] if argv[0].rsplit("/", 1)[-1] in SLOW_TOOLS else self.costs[0])
        return super().run(argv, timeout=timeout, env=env, encoding=encoding)

    def read_bytes(self, path, limit=4 * 1024 * 1024):  # type: ignore[no-untyped-def]
        time.sleep(self.costs[2])
        return super().read_bytes(path, limit)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--command-s", type=float, default=0.05)
    parser.add_argument("--slow-s", type=float, default=0.3)
    parser.add_argument("--file-ms", type=float, default=2.0)
    args = parser.parse_args()
    print(
        f"simulated costs: command {args.command_s:g} s, pwpolicy/sysadminctl/tmutil {args.slow_s:g} s, "
        f"file read {args.file_ms:g} ms"
    )
    worst = 0.0
    for path in sorted(HOSTS.glob("macos*.json")):
        host = SlowMac(json.loads(path.read_text(encoding="utf-8")), args.command_s, args.slow_s, args.file_ms / 1000)
        t0 = time.perf_counter()
        run_assessment(host)
        wall = time.perf_counter() - t0
        worst = max(worst, wall)
        print(f"  {path.stem:20} assessment {wall:5.2f} s, {host.commands} commands")
    print(f"slowest: {worst:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
