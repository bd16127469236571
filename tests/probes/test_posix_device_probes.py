"""Remote tools, Secure Boot and autorun probes of Linux and macOS."""

from __future__ import annotations

import base64

import pytest

from clinicguard.core.errors import ProbeError
from clinicguard.probes import provider
from tests.conftest import files, recorded

SB = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"


def gather(fact: str, platform: str, h):  # type: ignore[no-untyped-def]
    fn = provider(fact, platform)
    assert fn is not None
    return fn(h)


def test_linux_remote_tools():
    h = recorded(
        files={
            "/opt/teamviewer/tv_bin/teamviewerd": {"text": ""},
            "/etc/systemd/system/multi-user.target.wants": {"dir": ["teamviewerd.service", "ssh.service"]},
            "/usr/bin/anydesk": {"text": ""},
            "/usr/bin": {"dir": ["anydesk"]},
        },
        processes=[{"pid": 7, "name": "rustdesk"}],
    )
    tools = {t.name: t for t in gather("remote_tools", "linux", h).tools}
    assert tools["TeamViewer"].autostart is True
    assert tools["AnyDesk"].autostart is False
    assert tools["RustDesk"].installed is False and tools["RustDesk"].running is True


def test_linux_no_remote_tools():
    assert gather("remote_tools", "linux", recorded(files={"/usr/bin": {"dir": ["ls"]}})).tools == ()
    with pytest.raises(ProbeError):  # nothing visible: not "nothing installed"
        gather("remote_tools", "linux", recorded())


def test_macos_remote_tools():
    h = recorded(
        "macos",
        files={
            "/Applications": {"dir": ["Safari.app", "AnyDesk.app", "TeamViewer.app"]},
            "/Library/LaunchDaemons": {"dir": ["com.teamviewer.teamviewer_service.plist"]},
        },
    )
    tools = {t.name: t for t in gather("remote_tools", "macos", h).tools}
    assert set(tools) == {"AnyDesk", "TeamViewer"} and tools["TeamViewer"].autostart is True


def _efivar(value: int) -> dict[str, str]:
    return {"base64": base64.b64encode(bytes([6, 0, 0, 0, value])).decode()}


@pytest.mark.parametrize(("value", "enabled"), [(1, True), (0, False)])
def test_linux_secure_boot_efivar(value, enabled):
    h = recorded(
        files={
            "/sys/firmware/efi": {"dir": ["efivars"]},
            SB: _efivar(value),
            **files(**{"/sys/class/dmi/id/sys_vendor": "LENOVO\n"}),
        }
    )
    s = gather("secure_boot", "linux", h)
    assert (s.uefi, s.enabled, s.virtual_machine) == (True, enabled, False)


def test_linux_legacy_boot_in_a_vm():
    h = recorded(files=files(**{"/sys/class/dmi/id/sys_vendor": "QEMU\n"}))
    s = gather("secure_boot", "linux", h)
    assert (s.uefi, s.enabled, s.virtual_machine) == (False, False, True)


def test_linux_secure_boot_short_variable():
    h = recorded(files={"/sys/firmware/efi": {"dir": []}, SB: {"base64": base64.b64encode(b"\x06").decode()}})
    with pytest.raises(ProbeError):
        gather("secure_boot", "linux", h)


def test_gnome_autorun():
    argv = ["gsettings", "get", "org.gnome.desktop.media-handling", "autorun-never"]
    h = recorded(commands=[{"argv": argv, "returncode": 0, "stdout": "false\n"}])
    assert gather("autorun", "linux", h).autorun_never is False
    bad = recorded(commands=[{"argv": argv, "returncode": 1, "stdout": "", "stderr": "No such schema"}])
    with pytest.raises(ProbeError):
        gather("autorun", "linux", bad)
