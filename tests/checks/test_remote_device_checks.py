"""Remote Desktop, SMBv1, remote tools, AutoRun and Secure Boot at every boundary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinicguard.catalogue import load_catalogue, placeholders
from clinicguard.checks import CheckContext, implementations
from clinicguard.core.facts import AutorunPolicy, ExposedServices, RemoteTool, RemoteTools, SecureBoot, SystemFacts
from clinicguard.core.model import Status
from clinicguard.host import UserInfo
from clinicguard.i18n import catalog

NEW_CHECKS = ("network.remote_desktop", "network.smb1", "network.remote_tools", "data.autorun", "data.secure_boot")


def ctx(platform: str = "windows") -> CheckContext:
    return CheckContext(platform=platform, now=datetime(2026, 11, 28, 9, tzinfo=UTC), user=UserInfo(name="a"))


def run(check_id: str, *facts, platform: str = "windows", **optional):  # type: ignore[no-untyped-def]
    return implementations()[check_id].fn(ctx(platform), *facts, **optional)


def exposed(**kw) -> ExposedServices:  # type: ignore[no-untyped-def]
    return ExposedServices(listeners=(), sources=("HKLM\\...\\Terminal Server", "HKLM\\...\\mrxsmb10"), **kw)


def system(edition: str = "Professional", build: int = 26200) -> SystemFacts:
    return SystemFacts(os_id="windows", os_version="11", os_name="Windows 11", edition=edition, build=build)


@pytest.mark.parametrize(
    ("rdp", "nla", "edition", "status", "key"),
    [
        (False, True, "Professional", Status.PASS, "off"),
        (True, True, "Professional", Status.WARN, "on_nla"),
        (True, False, "Professional", Status.FAIL, "on_no_nla"),
        (True, None, "Professional", Status.UNKNOWN, "on_nla_unknown"),
        (None, None, "Professional", Status.UNKNOWN, "rdp_unknown"),
        (True, False, "Core", Status.NOT_APPLICABLE, "home_edition"),
        (True, False, "CoreSingleLanguage", Status.NOT_APPLICABLE, "home_edition"),
    ],
)
def test_remote_desktop(rdp, nla, edition, status, key):
    v = run("network.remote_desktop", exposed(rdp_enabled=rdp, rdp_nla=nla), system=system(edition))
    assert (v.status, v.key) == (status, key)


def test_remote_desktop_without_system_facts():
    v = run("network.remote_desktop", exposed(rdp_enabled=True, rdp_nla=False), system=None)
    assert v.status is Status.FAIL


@pytest.mark.parametrize(("smb1", "status"), [(True, Status.FAIL), (False, Status.PASS), (None, Status.UNKNOWN)])
def test_smb1(smb1, status):
    assert run("network.smb1", exposed(smb1_enabled=smb1)).status is status


def test_remote_tools_amber_never_red():
    none = run("network.remote_tools", RemoteTools(tools=(), searched=("Uninstall keys",)))
    assert none.status is Status.PASS
    installed = run("network.remote_tools", RemoteTools(tools=(RemoteTool(name="AnyDesk", autostart=False),)))
    assert (installed.status, installed.key, installed.params["tools"]) == (Status.WARN, "installed", "AnyDesk")
    auto = run(
        "network.remote_tools",
        RemoteTools(tools=(RemoteTool(name="TeamViewer", autostart=True), RemoteTool(name="RustDesk"))),
    )
    assert (auto.status, auto.key, auto.params["tools"]) == (Status.WARN, "unattended", "TeamViewer, RustDesk")


@pytest.mark.parametrize(
    ("mask", "no_autorun", "status", "key"),
    [
        (0xFF, None, Status.PASS, "off"),
        (0x1FF, None, Status.PASS, "off"),
        (None, True, Status.PASS, "off"),
        (0x91, True, Status.PASS, "off"),
        (None, None, Status.WARN, "defaults"),
        (None, False, Status.WARN, "defaults"),
        (0x91, None, Status.WARN, "partial"),
        (0x00, None, Status.FAIL, "all_on"),
        (0x00, True, Status.FAIL, "all_on"),
    ],
)
def test_autorun_windows(mask, no_autorun, status, key):
    v = run("data.autorun", AutorunPolicy(no_drive_type_autorun=mask, no_autorun=no_autorun))
    assert (v.status, v.key) == (status, key)


@pytest.mark.parametrize(("never", "status"), [(True, Status.PASS), (False, Status.WARN), (None, Status.UNKNOWN)])
def test_autorun_gnome(never, status):
    assert run("data.autorun", AutorunPolicy(autorun_never=never), platform="linux").status is status


@pytest.mark.parametrize(
    ("uefi", "enabled", "vm", "build", "platform", "status", "key"),
    [
        (True, True, False, 26200, "windows", Status.PASS, "on"),
        (True, False, False, 26200, "windows", Status.FAIL, "off_windows11"),
        (True, False, True, 26200, "windows", Status.WARN, "off"),
        (True, False, False, 19045, "windows", Status.WARN, "off"),
        (False, False, False, 19045, "windows", Status.WARN, "legacy"),
        (False, False, True, 19045, "windows", Status.NOT_APPLICABLE, "legacy_vm"),
        (False, False, None, None, "linux", Status.WARN, "legacy"),
        (True, False, None, None, "linux", Status.WARN, "off"),
        (None, None, None, None, "linux", Status.UNKNOWN, "unknown"),
    ],
)
def test_secure_boot(uefi, enabled, vm, build, platform, status, key):
    facts = SecureBoot(uefi=uefi, enabled=enabled, virtual_machine=vm)
    sysf = system(build=build) if build else None
    v = run("data.secure_boot", facts, platform=platform, system=sysf)
    assert (v.status, v.key) == (status, key)


@pytest.mark.parametrize("check_id", NEW_CHECKS)
def test_catalogue_texts_in_both_languages(check_id):
    spec = load_catalogue().checks[check_id]
    fr, en = spec.texts["fr"]["summary"], spec.texts["en"]["summary"]
    assert set(fr) == set(en)
    for key in fr:
        assert placeholders(fr[key]) == placeholders(en[key])
    for platform in spec.platforms:
        assert spec.fix("fr", platform) and spec.fix("en", platform)


def test_every_summary_key_returned_exists():
    keys = {
        "network.remote_desktop": {"off", "on_nla", "on_no_nla", "on_nla_unknown", "rdp_unknown", "home_edition"},
        "network.smb1": {"enabled", "disabled", "smb1_unknown"},
        "network.remote_tools": {"none", "installed", "unattended"},
        "data.autorun": {"off", "defaults", "partial", "all_on", "never", "prompt", "autorun_unknown"},
        "data.secure_boot": {"on", "off", "off_windows11", "legacy", "legacy_vm", "unknown"},
    }
    checks = load_catalogue().checks
    for check_id, wanted in keys.items():
        assert wanted <= set(checks[check_id].texts["fr"]["summary"]), check_id


def test_evidence_labels_translated():
    labels = [
        "rdp_enabled",
        "rdp_nla",
        "smb1",
        "remote_tool_autostart",
        "remote_tool_running",
        "remote_tool_installed",
        "no_drive_type_autorun",
        "no_autorun",
        "autoplay_disabled",
        "autorun_never",
        "uefi",
        "secure_boot",
        "virtual_machine",
        "edition",
        "searched",
    ]
    for lang in ("fr", "en"):
        for label in labels:
            assert f"evidence.{label}" in catalog(lang), (lang, label)
