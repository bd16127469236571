"""Property-based tests: random bytes and strings fed to the recording loader and the file parsers.

No exception escapes, and no planted marker survives what a recording keeps.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinicguard.collect.secrets import KEEPERS, SecretSource, derive
from clinicguard.host import HostError
from clinicguard.host.recording import RecordingError, check_shape
from clinicguard.host.replay import RecordedHost
from clinicguard.infostealer import sources
from clinicguard.infostealer.exposure import ssh_key_encrypted
from tests.conftest import recorded
from tests.support.hostile_support import MARKER

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
PARTS = ("files", "commands", "sqlite", "registry", "user", "env", "listeners", "processes", "now", "hostname")


@FAST
@given(st.binary(max_size=2000))
def test_loader_on_random_bytes_gives_a_recording_or_a_message(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rec.json"
        path.write_bytes(raw)
        try:
            RecordedHost.load(path)
        except RecordingError as exc:
            assert "rec.json" in str(exc)


@FAST
@given(st.dictionaries(st.sampled_from(PARTS), json_values, max_size=5))
def test_loader_on_random_documents_gives_a_recording_or_a_message(parts):
    doc = {"format": "clinicguard-host", "platform": "linux", **parts}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rec.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        try:
            host = RecordedHost.load(path)
        except RecordingError as exc:
            assert "rec.json" in str(exc)
            return
    # A document that passed the shape check replays without an unexpected exception.
    for call in (
        lambda: host.read_text("/etc/os-release"),
        lambda: host.listdir("/home"),
        host.user,
        host.now,
        host.listeners,
        host.processes,
        lambda: host.run(["uname", "-r"]),
    ):
        try:
            call()
        except HostError:
            pass


@FAST
@given(st.binary(max_size=300))
def test_ssh_header_parser_never_raises(head):
    assert ssh_key_encrypted(head) in (True, False, None)


secret_text = st.builds(lambda a, b: f"{a}{MARKER}{b}", st.text(max_size=200), st.text(max_size=200))


@FAST
@given(st.sampled_from(sorted(KEEPERS)), secret_text, st.sampled_from(["linux", "windows", "macos"]))
def test_what_a_recording_keeps_never_holds_the_secret(keep, text, platform):
    src = SecretSource(id="x", keep=keep, rules=("shell_history", "ps_history", "autostart"), tool_line="{words}")
    if keep == "shadow_markers":  # the account name is kept (the anonymiser masks it); the hash never
        text = "alice:" + "".join(text.replace(":", "").splitlines()) + ":19000:0:99999:7:::\n"
    out = derive(src, text, platform)
    assert MARKER not in out


@FAST
@given(st.binary(max_size=3000))
def test_text_sources_on_random_file_content_never_raise(raw):
    home = "/home/alice"
    files = {
        f"{home}/{name}": {"base64": __import__("base64").b64encode(raw).decode()}
        for name in (
            ".bash_history",
            ".bashrc",
            ".config/systemd/user/a.service",
            ".config/autostart/a.desktop",
            "Library/LaunchAgents/a.plist",
        )
    }
    for platform in ("linux", "macos"):
        host = recorded(platform=platform, files=files)
        lay = sources.layout(host)
        for _sid, _rule_source, reader, _core in sources.TEXT_SOURCES[platform]:
            try:
                lines = reader(host, lay)
            except HostError:
                continue
            assert all(isinstance(line.text, str) for line in lines)


def test_shape_check_refuses_a_non_object():
    for doc in ([], "x", 3, None):
        try:
            check_shape(doc)
        except ValueError:
            continue
        raise AssertionError(doc)
