"""Hostile recordings: they cannot read files outside their folder, hang, or crash the replay."""

from __future__ import annotations

import json
import os

import pytest

from clinicguard.cli import main
from tests.support.hostile_support import MARKER, fifo, within

BASE = {
    "format": "clinicguard-host",
    "version": 1,
    "platform": "linux",
    "hostname": "pc",
    "now": "2026-11-28T09:00:00+00:00",
    "user": {"name": "alice", "uid": 1000, "home": "/home/alice"},
}


def write(folder, doc) -> str:  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rec.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)


def replay(path: str, capsys, *extra: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = within(20, lambda: main(["check", "--replay", path, "--format", "json", *extra]))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("name", ["../outside.txt", "{outside}", "sub/../../outside.txt", "link.txt"])
def test_text_file_outside_the_recording_folder_is_not_read(tmp_path, capsys, name):
    outside = tmp_path / "outside.txt"
    outside.write_text(f'PRETTY_NAME="{MARKER}"\nID=debian\nVERSION_ID="12"\n', encoding="utf-8")
    folder = tmp_path / "rec"
    folder.mkdir()
    os.symlink(outside, folder / "link.txt")
    doc = dict(
        BASE,
        files={"/etc/os-release": {"text_file": name.format(outside=outside)}},
        commands=[{"argv": ["uname", "-r"], "stdout_file": name.format(outside=outside)}],
    )
    code, said = replay(write(folder, doc), capsys)
    assert code in (0, 1)
    assert MARKER not in said


def test_text_file_inside_the_folder_is_read(tmp_path, capsys):
    folder = tmp_path / "rec"
    folder.mkdir()
    (folder / "os-release").write_text('PRETTY_NAME="Debian 12"\nID=debian\nVERSION_ID="12"\n', encoding="utf-8")
    from clinicguard.host.replay import RecordedHost

    host = RecordedHost.load(write(folder, dict(BASE, files={"/etc/os-release": {"text_file": "os-release"}})))
    assert "Debian 12" in host.read_text("/etc/os-release")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
def test_fifo_or_device_as_referenced_file_is_refused(tmp_path, capsys):
    folder = tmp_path / "rec"
    pipe = fifo(folder / "out.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    doc = dict(BASE, files={"/etc/os-release": {"text_file": "out.txt"}, "/etc/login.defs": {"text_file": "zero.txt"}})
    path = write(folder, doc)
    code = within(20, lambda: main(["check", "--replay", path, "--format", "json"]), pipe)
    assert code in (0, 1)


def test_collect_replay_does_not_copy_a_file_from_outside(tmp_path, capsys):
    outside = tmp_path / "shadow"
    outside.write_text(f"root:{MARKER}:19000:0:99999:7:::\n", encoding="utf-8")
    doc = dict(BASE, files={"/etc/shadow": {"text_file": str(outside)}, "/etc/passwd": {"text_file": "../shadow"}})
    out = tmp_path / "again.json"
    assert main(["collect", "--replay", write(tmp_path / "rec", doc), "--output", str(out)]) == 0
    assert MARKER not in out.read_text(encoding="utf-8")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_replay_of_dev_zero_is_refused_at_once(capsys):
    code, said = replay("/dev/zero", capsys)
    assert code == 2 and "/dev/zero" in said and "internal error" not in said


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
def test_replay_of_a_fifo_is_refused_at_once(tmp_path, capsys):
    pipe = fifo(tmp_path / "rec.json")
    code = within(10, lambda: main(["check", "--replay", str(pipe), "--format", "json"]), pipe)
    said = capsys.readouterr().err
    assert code == 2 and "rec.json" in said


def test_oversized_recording_is_refused(tmp_path, capsys, monkeypatch):
    from clinicguard.host import replay as replay_module

    monkeypatch.setattr(replay_module, "MAX_RECORDING_BYTES", 1000)
    path = write(tmp_path, dict(BASE, env={"X": "y" * 2000}))
    code, said = replay(path, capsys)
    assert code == 2 and "rec.json" in said


@pytest.mark.parametrize(
    "doc",
    [
        "[" * 200_000 + "]" * 200_000,
        '{"format": "clinicguard-host", "commands": [{"argv": ["x"], "returncode": ' + "9" * 5000 + "}]}",
        '{"format": "clinicguard-host", "commands": [{"argv": ["uname", "-r"], "returncode": ' + "9" * 40 + "}]}",
        '{"format": "clinicguard-host", "files": {"/etc/os-release": {"mtime": NaN}}}',
        "\xff\xfe not json",
        '"just a string"',
        '{"format": "clinicguard-host", "files": []}',
        '{"format": "clinicguard-host", "files": {"/etc/os-release": "text"}}',
        '{"format": "clinicguard-host", "files": {"/etc/os-release": {"text": 12}}}',
        '{"format": "clinicguard-host", "commands": [{"argv": "uname -r"}]}',
        '{"format": "clinicguard-host", "commands": [{"argv": [1, 2]}]}',
        '{"format": "clinicguard-host", "commands": "uname"}',
        '{"format": "clinicguard-host", "user": {"name": ["a"]}}',
        '{"format": "clinicguard-host", "user": []}',
        '{"format": "clinicguard-host", "listeners": [{"ip": "0.0.0.0", "port": "22"}]}',
        '{"format": "clinicguard-host", "processes": [{"name": "x"}]}',
        '{"format": "clinicguard-host", "env": {"HOME": 3}}',
        '{"format": "clinicguard-host", "now": "yesterday"}',
        '{"format": "clinicguard-host", "registry": {"HKLM\\\\X": {"values": []}}}',
        '{"format": "clinicguard-host", "sqlite": [{"path": "/x", "sql": "s", "value": "three"}]}',
    ],
    ids=lambda d: d[:40],
)
def test_malformed_recording_gives_a_message_naming_the_file(tmp_path, capsys, doc):
    path = tmp_path / "rec.json"
    path.write_bytes(doc.encode("utf-8", "surrogateescape") if isinstance(doc, str) else doc)
    code, said = replay(str(path), capsys)
    assert code == 2, said
    assert "rec.json" in said and "internal error" not in said
