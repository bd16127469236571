"""Anonymising a recording never changes a verdict: replay(record(x)) == replay(anonymise(record(x)))."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from clinicguard.collect.masking import anonymize
from clinicguard.engine.runner import run_assessment
from clinicguard.host.replay import RecordedHost
from tests.support import linux_hosts
from tests.support.paths import FIXTURES

HOSTS = FIXTURES / "hosts"
GETTY = "/etc/systemd/system/getty@tty1.service.d"


def _linux(builder) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return copy.deepcopy(linux_hosts.host(builder()).data)


def console_autologin() -> dict[str, Any]:
    """Debian with console autologin set by a getty drop-in (hand-written, the usual `systemctl edit` result)."""
    data = _linux(linux_hosts.debian12)
    data.setdefault("files", {})[GETTY] = {"dir": ["autologin.conf"]}
    data["files"][f"{GETTY}/autologin.conf"] = {
        "text": "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin alice --noclear %I $TERM\n"
    }
    return data


def every_recorded_host() -> dict[str, dict[str, Any]]:
    hosts = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(HOSTS.glob("*.json"))}
    hosts |= {
        "debian12": _linux(linux_hosts.debian12),
        "ubuntu2404": _linux(linux_hosts.ubuntu2404),
        "fedora40": _linux(linux_hosts.fedora40),
        "console-autologin": console_autologin(),
    }
    return hosts


HOST_DATA = every_recorded_host()


def verdicts(data: dict[str, Any]) -> dict[str, tuple[str, str, str | None]]:
    a = run_assessment(RecordedHost(copy.deepcopy(data)), check_timeout=60)
    return {r.check_id: (r.status.value, r.summary_key, r.reason.value if r.reason else None) for r in a.results}


@pytest.mark.parametrize("name", sorted(HOST_DATA))
def test_anonymising_a_recording_changes_no_verdict(name):
    data = HOST_DATA[name]
    assert verdicts(anonymize(data)) == verdicts(data)


def test_console_autologin_stays_red_after_anonymising():
    data = console_autologin()
    assert verdicts(data)["access.autologin"][0] == "FAIL"
    masked = anonymize(data)
    assert GETTY in masked["files"] and verdicts(masked)["access.autologin"][0] == "FAIL"


def renamed(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The recording with the account ``old`` called ``new`` everywhere (its home folder too)."""
    pattern = re.compile(r"(?<![A-Za-z0-9_])" + re.escape(old) + r"(?![A-Za-z0-9_])")
    return json.loads(pattern.sub(new, json.dumps(data)))


# Account and computer names people really use that are also words the probes look for.
COLLIDING = ["ubuntu", "debian", "fedora", "linux", "admin", "sudo", "wheel", "user"]
LINUX_HOSTS = ["debian12", "ubuntu2404", "fedora40", "console-autologin"]


@pytest.mark.parametrize("host", LINUX_HOSTS)
@pytest.mark.parametrize("name", COLLIDING)
def test_a_user_name_that_is_a_probe_word_changes_no_verdict(host, name):
    data = renamed(HOST_DATA[host], "alice", name)
    assert data["user"]["name"] == name
    assert verdicts(anonymize(data)) == verdicts(data)


@pytest.mark.parametrize("host", ["debian12", "ubuntu2404"])
@pytest.mark.parametrize("name", ["ubuntu", "debian", "linux"])
def test_a_computer_name_that_is_a_probe_word_changes_no_verdict(host, name):
    data = copy.deepcopy(HOST_DATA[host])
    data["hostname"] = name
    masked = anonymize(data)
    assert masked["hostname"] == "POSTE-ANONYME"
    assert verdicts(masked) == verdicts(data)


def test_a_windows_account_called_like_a_probe_word_changes_no_verdict():
    windows = [k for k, v in HOST_DATA.items() if v.get("platform") == "windows" and v.get("user", {}).get("name")]
    assert windows
    for key in windows[:3]:
        data = HOST_DATA[key]
        for name in ("admin", "windows", "martin"):
            changed = renamed(data, data["user"]["name"], name)
            assert verdicts(anonymize(changed)) == verdicts(changed), (key, name)


def test_ordinary_names_are_still_masked_everywhere_as_whole_words():
    data = renamed(HOST_DATA["debian12"], "alice", "mdupont")
    data["files"]["/home/mdupont/notes-mdupont.txt"] = {"text": "mdupont mdupontx xmdupont"}
    text = json.dumps(anonymize(data))
    assert "/home/user1/notes-user1.txt" in text
    assert "mdupontx" in text and "xmdupont" in text  # part of a longer word: not the name
    assert not re.search(r"(?<![A-Za-z0-9_])mdupont(?![A-Za-z0-9_])", text)
