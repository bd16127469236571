"""LocalHost faults (hang, missing binary, huge or undecodable output) and recordings."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

import pytest

from clinicguard.host import AccessDenied, CommandTimeout, FileMissing, HostError, ToolMissing
from clinicguard.host.base import MAX_OUTPUT_BYTES
from clinicguard.host.capture import RecordingHost
from clinicguard.host.local import LocalHost
from clinicguard.host.replay import RecordedHost
from tests.conftest import recorded

PY = sys.executable


def test_missing_binary():
    with pytest.raises(ToolMissing):
        LocalHost().run(["clinicguard-no-such-tool-xyz"])


def test_hang_is_killed_at_timeout():
    started = time.monotonic()
    with pytest.raises(CommandTimeout):
        LocalHost().run([PY, "-c", "import time; time.sleep(30)"], timeout=0.3)
    assert time.monotonic() - started < 3


def test_child_that_forks_a_grandchild_holding_the_pipe_still_times_out():
    code = (
        "import subprocess,sys,time; "
        "subprocess.Popen([sys.executable,'-c','import time;time.sleep(30)']); time.sleep(30)"
    )
    started = time.monotonic()
    with pytest.raises(CommandTimeout):
        LocalHost().run([PY, "-c", code], timeout=0.3)
    assert time.monotonic() - started < 5


def test_huge_output_is_capped():
    res = LocalHost().run([PY, "-c", f"import sys; sys.stdout.write('x' * {MAX_OUTPUT_BYTES + 100000})"], timeout=20)
    assert res.truncated
    assert len(res.stdout) == MAX_OUTPUT_BYTES


def test_non_utf8_output_is_tolerated():
    res = LocalHost().run([PY, "-c", "import sys; sys.stdout.buffer.write(b'caf\\xe9 ok')"])
    assert res.stdout.startswith("caf") and res.stdout.endswith(" ok")


def test_posix_commands_run_in_c_locale():
    if sys.platform.startswith("win"):
        pytest.skip("POSIX only")
    res = LocalHost().run([PY, "-c", "import os; print(os.environ['LC_ALL'])"])
    assert res.stdout.strip() == "C"


def test_files_missing_and_directory(tmp_path):
    host = LocalHost(root=tmp_path)
    with pytest.raises(FileMissing):
        host.read_text("/etc/nothing")
    (tmp_path / "etc").mkdir()
    with pytest.raises(HostError):
        host.read_text("/etc")
    assert host.listdir("/etc") == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("x")
    secret.chmod(0)
    with pytest.raises(AccessDenied):
        LocalHost().read_text(str(secret))


def test_sqlite_count_read_only_and_corrupt(tmp_path):
    db = tmp_path / "Login Data"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE logins (blacklisted_by_user INTEGER, password_value BLOB)")
    con.executemany("INSERT INTO logins VALUES (?, ?)", [(0, b"s1"), (0, b"s2"), (1, b"")])
    con.commit()
    con.close()
    before = sorted(os.listdir(tmp_path))
    host = LocalHost(root=tmp_path)
    assert host.sqlite_scalar("/Login Data", "SELECT COUNT(*) FROM logins WHERE blacklisted_by_user = 0") == 2
    assert sorted(os.listdir(tmp_path)) == before  # no journal or copy left behind
    (tmp_path / "bad").write_bytes(b"not a database at all" * 100)
    with pytest.raises(HostError):
        host.sqlite_scalar("/bad", "SELECT COUNT(*) FROM logins")


def test_recording_round_trip(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").write_text('ID=debian\nVERSION_ID="12"\n')
    rec = RecordingHost(LocalHost(root=tmp_path))
    assert "debian" in rec.read_text("/etc/os-release")
    with pytest.raises(FileMissing):
        rec.read_text("/etc/shadow-not-here")
    res = rec.run([PY, "-c", "print('hello')"])
    with pytest.raises(ToolMissing):
        rec.run(["clinicguard-no-such-tool-xyz"])
    data = json.loads(json.dumps(rec.to_dict()))
    replay = RecordedHost(data)
    assert replay.read_text("/etc/os-release") == rec.read_text("/etc/os-release")
    with pytest.raises(FileMissing):
        replay.read_text("/etc/shadow-not-here")
    assert replay.run([PY, "-c", "print('hello')"]).stdout == res.stdout
    with pytest.raises(ToolMissing):
        replay.run(["clinicguard-no-such-tool-xyz"])
    assert replay.listdir("/etc") == ["os-release"]


def test_recorded_errors_and_registry():
    host = recorded(
        platform="windows",
        files={"/secret": {"error": "denied"}, "/slow": {"error": "timeout"}},
        commands=[{"argv": ["net", "accounts"], "error": "timeout"}],
        registry={"HKLM\\Software\\X": {"values": {"Bin": {"__bytes__": "AAE="}, "N": 1}, "subkeys": ["A"]}},
        listeners={"error": "denied"},
    )
    with pytest.raises(AccessDenied):
        host.read_text("/secret")
    with pytest.raises(CommandTimeout):
        host.run(["net", "accounts"])
    assert host.registry_values("hklm\\software\\x") == {"Bin": b"\x00\x01", "N": 1}
    assert host.registry_subkeys("HKLM\\Software\\X") == ["A"]
    with pytest.raises(FileMissing):
        host.registry_values("HKLM\\Software\\Nothing")
    with pytest.raises(AccessDenied):
        host.listeners()


def test_recording_must_declare_its_format():
    with pytest.raises(ValueError, match="format"):
        RecordedHost({"platform": "linux"})


def test_scanned_file_contents_never_enter_a_recording(tmp_path):
    """collect walks and hashes the real disk directly; only small settings files are kept."""
    from clinicguard.cli.collect import collect
    from clinicguard.host import UserInfo

    class Home(LocalHost):
        def user(self):
            return UserInfo(name="alice", uid=1000, home="/home/alice")

    marker = "PATIENT-RECORD-CONTENT-7731"
    downloads = tmp_path / "home" / "alice" / "Downloads"
    downloads.mkdir(parents=True)
    (downloads / "facture.exe").write_text(marker * 1000)
    (downloads / "notes.zip").write_text(marker)
    data = collect(Home(root=tmp_path))
    assert marker not in json.dumps(data)
