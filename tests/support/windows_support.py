"""Helpers for the Windows tests: recorded hosts built from tests/fixtures/windows_hosts.py."""

from __future__ import annotations

import json
from typing import Any

from clinicguard.host.replay import RecordedHost
from tests.fixtures import windows_hosts as wh


class CountingHost(RecordedHost):
    """A RecordedHost that counts the commands it is asked to run."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.calls: list[list[str]] = []

    def run(self, argv, timeout=10.0, env=None, encoding="utf-8"):  # type: ignore[no-untyped-def]
        self.calls.append(list(argv))
        return super().run(argv, timeout=timeout, env=env, encoding=encoding)

    @property
    def powershell_starts(self) -> int:
        return sum(1 for c in self.calls if c and c[0].lower().endswith("powershell.exe"))


def host(case=wh.windows11_fr_user, **changes: Any) -> CountingHost:
    """A recorded Windows host; ``ps_*`` keyword arguments replace PowerShell sections."""
    data = wh.build(case)
    sections = {k[3:]: v for k, v in changes.items() if k.startswith("ps_")}
    if sections:
        wh.set_ps(data, **sections)
    for key, value in changes.items():
        if key.startswith("reg_"):
            continue
        if not key.startswith("ps_"):
            data[key] = value
    return CountingHost(data)


def with_registry(data_host: CountingHost, key: str, entry: dict[str, Any] | None) -> CountingHost:
    data = json.loads(json.dumps(data_host.data))
    registry = data.setdefault("registry", {})
    for existing in [k for k in registry if k.lower() == key.lower()]:
        del registry[existing]
    if entry is not None:
        registry[key] = entry
    return CountingHost(data)


def with_ps_output(data_host: CountingHost, **entry: Any) -> CountingHost:
    data = json.loads(json.dumps(data_host.data))
    ps = next(c for c in data["commands"] if c.get("match") == "prefix")
    for k in ("stdout", "returncode", "error", "stderr"):
        ps.pop(k, None)
    ps.update(entry)
    return CountingHost(data)
