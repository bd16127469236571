"""Shared fixtures: recorded hosts, a frozen clock, isolated user folders."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from clinicguard.host.recording import FORMAT
from clinicguard.host.replay import RecordedHost
from tests.support.paths import FIXTURES

FROZEN_NOW = "2026-11-28T09:00:00+00:00"


def recorded(platform: str = "linux", **parts: Any) -> RecordedHost:
    """A RecordedHost built inline: recorded(files={...}, commands=[...])."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": 1,
        "platform": platform,
        "hostname": "poste-test",
        "now": FROZEN_NOW,
        "user": {"name": "alice", "uid": 1000, "groups": ["alice"], "home": "/home/alice", "is_admin": False},
    }
    data.update(parts)
    return RecordedHost(data)


def files(**named: str) -> dict[str, dict[str, str]]:
    return {path: {"text": text} for path, text in named.items()}


def load_host(name: str) -> RecordedHost:
    return RecordedHost.load(FIXTURES / "hosts" / f"{name}.json")


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def pinned_time_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    """Local time in ``zone`` for one test (undone by :func:`_local_time_zone_restored`)."""
    monkeypatch.setenv("TZ", zone)
    if hasattr(time, "tzset"):
        time.tzset()


@pytest.fixture(autouse=True)
def _local_time_zone_restored():
    """A test that pins TZ must not leave its time zone to the next ones."""
    before = os.environ.get("TZ")
    yield
    if os.environ.get("TZ") != before:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
    if hasattr(time, "tzset"):
        time.tzset()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the developer's real settings, history or logs."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("CLINICGUARD_CONFIG", str(base / "config.toml"))
    monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("CLINICGUARD_LOG", str(base / "clinicguard.log"))
    monkeypatch.setenv("CLINICGUARD_CACHE_DIR", str(base / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("CLINICGUARD_LANG", raising=False)
    yield base


# A real PostgreSQL server for the fleet store tests (started once, on demand).
from tests.support.pg_server import fleet_db, postgres_server  # noqa: E402, F401
