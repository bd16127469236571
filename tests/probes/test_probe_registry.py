"""The probe registry: one probe per fact and platform, OS overrides said out loud."""

from __future__ import annotations

import pytest

from clinicguard import probes
from clinicguard.probes import DuplicateProbe, probe, provider


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(probes, "_PROBES", {})
    monkeypatch.setattr(probes, "_OVERRIDES", {})
    monkeypatch.setattr(probes, "_LOADED", {"linux", "macos", "windows"})


def _shared(host):  # type: ignore[no-untyped-def]
    return "shared"


def _mac(host):  # type: ignore[no-untyped-def]
    return "mac"


def _other(host):  # type: ignore[no-untyped-def]
    return "other"


def test_a_second_probe_for_the_same_fact_and_platform_is_refused(clean_registry):
    probe("demo", "linux", "macos")(_shared)
    with pytest.raises(DuplicateProbe, match="demo on macos"):
        probe("demo", "macos")(_mac)


def test_the_same_function_registered_again_is_a_reload_not_a_duplicate(clean_registry):
    probe("demo", "linux")(_shared)
    probe("demo", "linux")(_shared)
    assert provider("demo", "linux") is _shared


@pytest.mark.parametrize("shared_first", [True, False])
def test_an_explicit_os_override_wins_whatever_the_import_order(clean_registry, shared_first):
    steps = [lambda: probe("demo", "linux", "macos")(_shared), lambda: probe("demo", "macos", override=True)(_mac)]
    for step in steps if shared_first else reversed(steps):
        step()
    assert provider("demo", "macos") is _mac
    assert provider("demo", "linux") is _shared


def test_two_overrides_for_the_same_fact_and_platform_are_refused(clean_registry):
    probe("demo", "macos", override=True)(_mac)
    with pytest.raises(DuplicateProbe):
        probe("demo", "macos", override=True)(_other)


@pytest.mark.parametrize("platform", ["linux", "macos", "windows"])
def test_every_platform_loads_without_a_duplicate(platform):
    probes.load_platform(platform)
    assert "exposed_services" in probes.registered_facts(platform)
