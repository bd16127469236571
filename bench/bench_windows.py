"""Benchmark: the Windows probe set on recorded machines with simulated latencies.

There is no Windows machine in CI, so each recording is replayed with the
costs measured on real workstations added: PowerShell cold start and the
batched script (default 3.0 s, antivirus scanning included), the Windows
Update script with its offline search (default 4.0 s), each other command
(0.1 s), each registry read (2 ms). Prints, per recording, the wall time of
a full assessment and of every Windows probe at once (as `clinicguard
collect` runs them), with the number of PowerShell starts. Target: at most
two PowerShell starts, run side by side; the whole probe set within a few
seconds.

    python bench/bench_windows.py [--powershell-s 3.0] [--updates-s 4.0] [--command-s 0.1] [--registry-ms 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinicguard.engine.runner import run_assessment  # noqa: E402
from clinicguard.host.replay import RecordedHost

HOSTS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hosts"


class SlowHost(RecordedHost):
    def __init__(self, data, delays: tuple[float, float, float, float]):  # type: ignore[no-untyped-def]
        super().__init__(data)
        self.delays = delays
        self.powershell_starts = 0
        self.commands = 0

    def run(self, argv, timeout=10.0, env=None, encoding="utf-8"):  # type: ignore[no-untyped-def]
        if argv[0].lower().endswith("powershell.exe"):
            self.powershell_starts += 1
            time.sleep(self.delays[1] if "-NoLogo" in argv else self.delays[0])
        else:
            self.commands += 1
            time.sleep(self.delays[2])
        return super().run(argv, timeout=timeout, env=env, encoding=encoding)

    def registry_values(self, key):  # type: ignore[no-untyped-def]
        time.sleep(self.delays[3])
        return super().registry_values(key)

    def registry_subkeys(self, key):  # type: ignore[no-untyped-def]
        time.sleep(self.delays[3])
        return super().registry_subkeys(key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--powershell-s", type=float, default=3.0)
    parser.add_argument("--updates-s", type=float, default=4.0)
    parser.add_argument("--command-s", type=float, default=0.1)
    parser.add_argument("--registry-ms", type=float, default=2.0)
    args = parser.parse_args()
    import json

    from clinicguard.cli.collect import collect

    delays = (args.powershell_s, args.updates_s, args.command_s, args.registry_ms / 1000)
    print(
        f"simulated costs: PowerShell batch {args.powershell_s:g} s, Windows Update script {args.updates_s:g} s, "
        f"command {args.command_s:g} s, registry read {args.registry_ms:g} ms"
    )
    for path in sorted(HOSTS.glob("windows*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        host = SlowHost(data, delays)
        t0 = time.perf_counter()
        assessment = run_assessment(host)
        wall = time.perf_counter() - t0
        every = SlowHost(data, delays)
        t0 = time.perf_counter()
        collect(every)
        wall_all = time.perf_counter() - t0
        print(
            f"  {path.stem:28} assessment {wall:5.2f} s, {host.powershell_starts} PowerShell start(s), "
            f"{len(assessment.results)} checks | every probe {wall_all:5.2f} s, "
            f"{every.powershell_starts} PowerShell starts, {every.commands} other commands"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
