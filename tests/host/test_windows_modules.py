"""Windows-only modules import cleanly on any OS; the recorded hosts are current."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys

import clinicguard.probes.windows as windows_pkg
from clinicguard.host.capture import RecordingHost
from clinicguard.host.local import LocalHost
from clinicguard.host.replay import RecordedHost
from clinicguard.probes.windows import native
from tests.fixtures import windows_hosts as wh


def test_every_windows_module_imports():
    names = [m.name for m in pkgutil.iter_modules(windows_pkg.__path__)]
    assert {"ps", "native", "accounts", "exposure"} <= set(names)
    for name in names:
        importlib.import_module(f"clinicguard.probes.windows.{name}")
    importlib.import_module("clinicguard.host.winreg_access")


def test_native_calls_only_on_this_windows_machine():
    assert native.is_native(LocalHost()) is (sys.platform == "win32")
    assert native.is_native(RecordingHost(LocalHost())) is (sys.platform == "win32")
    assert not native.is_native(RecordedHost(wh.build(wh.windows11_fr_user)))


def test_recorded_windows_hosts_are_up_to_date():
    for case in wh.CASES:
        path = wh.HOSTS / f"{case()['_name']}.json"
        assert json.loads(path.read_text(encoding="utf-8")) == wh.build(case), (
            f"{path.name} is stale: run python -m tests.fixtures.windows_hosts"
        )
