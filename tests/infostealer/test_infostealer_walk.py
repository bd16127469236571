"""Bad input for the scan engine: skipped and counted, never a crash, never a false green."""

from __future__ import annotations

import os
import threading

import pytest

from clinicguard.checks.infostealer import infostealer
from clinicguard.core.model import Reason, Status
from clinicguard.infostealer import hashing, walk
from clinicguard.infostealer.walk import Root, ScanStats, Walker
from tests.conftest import recorded
from tests.support.infostealer_fixtures import TreeHost, put, rules_hit, scan

HOME = "/home/alice"
DL = f"{HOME}/Downloads"


def _ctx():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from clinicguard.checks import CheckContext
    from clinicguard.host import UserInfo

    return CheckContext(platform="linux", now=datetime.now(UTC), user=UserInfo(name="alice"))


def real(tmp_path, path: str):  # type: ignore[no-untyped-def]
    return tmp_path / path.lstrip("/")


def test_invalid_encoding_is_counted_and_still_examined(tmp_path):
    folder = real(tmp_path, DL)
    folder.mkdir(parents=True)
    with open(os.path.join(os.fsencode(folder), b"facture\xff.sh"), "wb") as fh:
        fh.write(b"#!/bin/sh\n")
    put(tmp_path, f"{DL}/Passwords.txt")
    os.mkdir(os.path.join(os.fsencode(folder), b"Wallets\xfe"))
    signs = scan(TreeHost(tmp_path, "linux"))
    assert signs.scan.skipped["invalid_encoding"] == 2
    assert signs.scan.hashed == 1  # the badly named script was fingerprinted anyway
    assert signs.scan.complete


def test_vanished_files_are_counted(tmp_path, monkeypatch):
    put(tmp_path, f"{DL}/gone.exe")
    put(tmp_path, f"{DL}/kept.exe")
    original = os.scandir

    class Vanishing:
        def __init__(self, path):  # type: ignore[no-untyped-def]
            self._it = original(path)

        def __iter__(self):  # type: ignore[no-untyped-def]
            return self

        def __next__(self):  # type: ignore[no-untyped-def]
            entry = next(self._it)
            if entry.name == "gone.exe":
                os.unlink(entry.path)  # deleted between listing and reading
            return entry

        def close(self) -> None:
            self._it.close()

    monkeypatch.setattr(walk.os, "scandir", Vanishing)
    signs = scan(TreeHost(tmp_path, "linux"))
    assert signs.scan.skipped["vanished"] == 1
    assert signs.scan.hashed == 1


def test_file_vanishing_before_hashing(tmp_path, monkeypatch):
    put(tmp_path, f"{DL}/a.exe")

    def gone(real, cap):  # type: ignore[no-untyped-def]
        raise FileNotFoundError(real)

    monkeypatch.setattr(hashing, "sha256_file", gone)
    signs = scan(TreeHost(tmp_path, "linux"))
    assert signs.scan.skipped == {"vanished": 1}


def test_permission_denied_folder_and_file(tmp_path, monkeypatch):
    put(tmp_path, f"{DL}/private/a.exe")
    put(tmp_path, f"{DL}/b.exe")
    locked = str(real(tmp_path, f"{DL}/private"))
    original = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return original(path)

    def denied(real_path, cap):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", real_path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    monkeypatch.setattr(hashing, "sha256_file", denied)
    signs = scan(TreeHost(tmp_path, "linux"))
    assert signs.scan.skipped == {"unreadable": 2}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_real_permission_denied(tmp_path):
    put(tmp_path, f"{DL}/locked/a.exe")
    real(tmp_path, f"{DL}/locked").chmod(0)
    try:
        signs = scan(TreeHost(tmp_path, "linux"))
    finally:
        real(tmp_path, f"{DL}/locked").chmod(0o755)
    assert signs.scan.skipped["unreadable"] == 1


def test_huge_file_is_not_hashed(tmp_path):
    big = put(tmp_path, f"{DL}/big.iso")
    with open(big, "r+b") as fh:
        fh.truncate(50_000)
    put(tmp_path, f"{DL}/small.exe", b"MZ")
    signs = scan(TreeHost(tmp_path, "linux"), hash_cap=10_000)
    assert signs.scan.skipped == {"too_big": 1}
    assert signs.scan.hashed == 1


def test_file_growing_past_the_cap(tmp_path):
    path = put(tmp_path, "f.bin", b"x" * 100)
    with pytest.raises(OverflowError):
        hashing.sha256_file(str(path), cap=10)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_and_symlink_cycle(tmp_path):
    folder = real(tmp_path, DL)
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.exe")  # opening it would block forever
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("../..", target_is_directory=True)
    (folder / "zero.exe").symlink_to("/dev/zero")
    signs = scan(TreeHost(tmp_path, "linux"))
    assert signs.scan.skipped == {"special": 1, "symlinks": 3}
    assert signs.scan.complete


def test_network_mount_is_skipped(tmp_path):
    put(tmp_path, f"{DL}/nas/share/a.exe")
    nas = str(real(tmp_path, f"{DL}/nas"))
    signs = scan(TreeHost(tmp_path, "linux"), skip_mounts=frozenset({nas}))
    assert signs.scan.skipped == {"network_skipped": 1}
    assert signs.scan.hashed == 0


def test_recorded_denied_folder():
    host = recorded("linux", files={f"{DL}/x": {"error": "denied"}, f"{DL}/y.sh": {"text": "echo"}})
    signs = scan(host)
    assert signs.scan.skipped.get("unreadable") == 1
    assert signs.scan.hashed == 1


def test_cancellation_mid_scan_is_never_green(tmp_path, monkeypatch):
    for i in range(50):
        put(tmp_path, f"{DL}/d{i % 5}/f{i}.exe")
    monkeypatch.setattr(walk, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(walk, "CHECK_EVERY", 10)
    cancel = threading.Event()
    seen = []

    def progress(p):  # type: ignore[no-untyped-def]
        seen.append(p)
        cancel.set()

    signs = scan(TreeHost(tmp_path, "linux"), cancel=cancel, on_progress=progress)
    assert seen and seen[0].files <= 10
    assert not signs.scan.complete
    assert signs.scan.files < 50
    assert ("files", "scan_cancelled") in signs.not_looked_at
    result = infostealer(_ctx(), signs)
    assert result.status is Status.UNKNOWN


def test_out_of_time_is_grey(tmp_path):
    for i in range(300):
        put(tmp_path, f"{DL}/f{i}.txt")
    signs = scan(TreeHost(tmp_path, "linux"), time_budget=0.0)
    assert not signs.scan.complete
    assert ("files", "timed_out") in signs.not_looked_at
    result = infostealer(_ctx(), signs)
    assert result.status is Status.UNKNOWN
    assert result.reason is Reason.TIMED_OUT


def test_hits_survive_cancellation(tmp_path):
    put(tmp_path, f"{HOME}/.npl")
    cancel = threading.Event()
    cancel.set()
    signs = scan(TreeHost(tmp_path, "linux"), cancel=cancel)
    assert "dev_backdoor_paths" in rules_hit(signs)
    assert infostealer(_ctx(), signs).status is Status.WARN


def test_walker_memory_is_bounded_by_depth(tmp_path):
    """Only one listing per level is open: a deep tree beyond the depth limit is not entered."""
    deep = real(tmp_path, "root")
    path = deep
    for i in range(30):
        path = path / f"d{i}"
    path.mkdir(parents=True)
    (path / "x.exe").write_bytes(b"x")
    stats = ScanStats()
    host = TreeHost(tmp_path, "linux")
    items = list(Walker(host, stats, skip_mounts=frozenset()).walk(Root("/root", "downloads", 3)))
    assert items == [] and stats.dirs == 4


def test_refreshed_hash_list_is_read(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "iocs").mkdir(parents=True)
    digest = "a" * 64
    (data / "iocs" / "sha256.txt").write_text(f"# refreshed\n{digest}\nnot-a-hash\n{'B' * 64}\n")
    (data / "iocs" / "meta.json").write_text('{"fetched_at": "2026-11-27T08:00:00Z", "count": 2}')
    monkeypatch.setenv("CLINICGUARD_DATA_DIR", str(data))
    hl = hashing.load_hash_list()
    assert digest in hl.digests and "b" * 64 in hl.digests
    assert hl.refreshed == 2 and hl.bundled >= 10
    assert hl.refreshed_at.startswith("2026-11-27")


def test_missing_refreshed_list_falls_back_to_bundled():
    hl = hashing.load_hash_list()
    assert hl.refreshed == 0 and len(hl.digests) == hl.bundled >= 10


def test_cloud_placeholders_are_skipped(tmp_path, monkeypatch):
    """OneDrive files on demand: never read, so never downloaded."""
    put(tmp_path, f"{DL}/cloud.exe")
    put(tmp_path, f"{DL}/cloudfolder/x.exe")
    put(tmp_path, f"{DL}/local.exe")
    original = os.scandir

    class Entry:
        def __init__(self, entry):  # type: ignore[no-untyped-def]
            self._e, self.name, self.path = entry, entry.name, entry.path

        def is_symlink(self) -> bool:
            return self._e.is_symlink()

        def stat(self, follow_symlinks=True):  # type: ignore[no-untyped-def]
            st = self._e.stat(follow_symlinks=follow_symlinks)
            attrs = walk.FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS if self.name.startswith("cloud") else 0
            if self.name == "cloudfolder":
                attrs = walk.FILE_ATTRIBUTE_RECALL_ON_OPEN | walk.FILE_ATTRIBUTE_REPARSE_POINT
            return type(
                "St",
                (),
                {"st_mode": st.st_mode, "st_size": st.st_size, "st_mtime": st.st_mtime, "st_file_attributes": attrs},
            )()

    class Listing:
        def __init__(self, path):  # type: ignore[no-untyped-def]
            self._it = original(path)

        def __iter__(self):  # type: ignore[no-untyped-def]
            return self

        def __next__(self):  # type: ignore[no-untyped-def]
            return Entry(next(self._it))

        def close(self) -> None:
            self._it.close()

    monkeypatch.setattr(walk.os, "scandir", Listing)
    signs = scan(TreeHost(tmp_path, "linux"))
    assert signs.scan.skipped == {"placeholders": 2}
    assert signs.scan.hashed == 1
