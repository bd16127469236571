"""Small stores read at start (settings, answers, accepted exceptions, caches) go through one capped reader.

Another program, or a prank, can leave a FIFO or a huge file where clinicguard
keeps its files: the start never waits and never loads it, and the message
names the file.
"""

from __future__ import annotations

import os

import pytest

from clinicguard.cli import main
from clinicguard.core.errors import DataFileError
from clinicguard.files.fsutil import MissingFile, read_capped
from tests.support.hostile_support import fifo, within

HUGE = 200 * 1024 * 1024
BASE_REC = (
    '{"format": "clinicguard-host", "version": 1, "platform": "linux", "hostname": "pc",'
    ' "user": {"name": "alice", "uid": 1000, "home": "/home/alice"}}'
)


def huge(path):  # type: ignore[no-untyped-def]
    """A 200 MB file that takes no disk space (sparse)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(HUGE)
    return path


def store_path(base, name: str):  # type: ignore[no-untyped-def]
    return base / "config.toml" if name == "config.toml" else base / "data" / name


@pytest.mark.parametrize("name", ["config.toml", "answers.json", "exceptions.json"])
@pytest.mark.parametrize("kind", ["fifo", "huge"])
def test_a_fifo_or_a_huge_store_is_refused_at_once_with_its_name(name, kind, _isolated_user_dirs, tmp_path, capsys):
    path = store_path(_isolated_user_dirs, name)
    if kind == "fifo":
        fifo(path)
    else:
        huge(path)
    rec = tmp_path / "rec.json"
    rec.write_text(BASE_REC, encoding="utf-8")
    fifos = [path] if kind == "fifo" else []
    code = within(20, lambda: main(["check", "--replay", str(rec), "--lang", "en"]), *fifos)
    assert code == 2 if name == "config.toml" else code in (0, 1)  # settings are needed; answers are not
    err = capsys.readouterr().err
    assert str(path) in err
    assert ("not a regular file" if kind == "fifo" else "larger than") in err
    assert "internal error" not in err


def test_read_capped_refuses_links_fifos_devices_and_files_over_the_cap(tmp_path):
    (tmp_path / "ok").write_bytes(b"x" * 10)
    assert read_capped(tmp_path / "ok", 10) == b"x" * 10
    with pytest.raises(DataFileError, match="larger than"):
        read_capped(tmp_path / "ok", 9)
    os.symlink(tmp_path / "ok", tmp_path / "link")
    with pytest.raises(DataFileError, match="link"):
        read_capped(tmp_path / "link", 100)
    with pytest.raises(DataFileError, match="not a regular file"):
        within(5, lambda: read_capped(fifo(tmp_path / "pipe"), 100), tmp_path / "pipe")
    with pytest.raises(DataFileError, match="not a regular file"):
        read_capped("/dev/zero", 100)
    with pytest.raises(MissingFile):
        read_capped(tmp_path / "absent", 100)


def test_a_file_growing_while_read_is_still_capped(tmp_path, monkeypatch):
    """st_size said small, the read finds more: never more than the cap plus one byte is held."""
    import clinicguard.files.fsutil as fsutil

    path = tmp_path / "grows"
    path.write_bytes(b"y" * 5000)
    real = fsutil.open_regular

    def lying(p, *, follow=True):  # type: ignore[no-untyped-def]
        fd, st = real(p, follow=follow)
        return fd, os.stat_result((*st[:6], 10, *st[7:]))

    monkeypatch.setattr(fsutil, "open_regular", lying)
    with pytest.raises(DataFileError, match="larger than"):
        read_capped(path, 100)


def test_a_visit_file_that_is_a_fifo_is_skipped_not_waited_on(tmp_path):
    from clinicguard.fleet.visit import VisitError, read_visit

    pipe = fifo(tmp_path / "x.cgvisit.json")
    with pytest.raises(VisitError) as caught:
        within(5, lambda: read_visit(pipe), pipe)
    assert caught.value.reason == "unreadable"


@pytest.mark.parametrize("kind", ["fifo", "huge"])
def test_caches_in_the_data_folder_never_hang_the_start(kind, _isolated_user_dirs):
    from clinicguard.infostealer.hashing import load_hash_list
    from clinicguard.online.iocs import current_meta

    iocs = _isolated_user_dirs / "data" / "iocs"
    paths = [iocs / "sha256.txt", iocs / "meta.json"]
    for path in paths:
        fifo(path) if kind == "fifo" else huge(path)
    hashes = within(10, load_hash_list, *paths)
    assert hashes.refreshed == 0 and hashes.refreshed_at == ""
    assert within(10, current_meta, *paths) is None


@pytest.mark.parametrize("kind", ["fifo", "huge"])
def test_a_fifo_or_huge_end_of_support_cache_falls_back_to_the_bundled_table(kind, _isolated_user_dirs):
    from clinicguard.online.eol_refresh import cached_fetched_at
    from clinicguard.references.eol import bundled_table, cache_path, load_table

    path = cache_path()
    fifo(path) if kind == "fifo" else huge(path)
    assert within(10, load_table, path) == bundled_table()
    assert within(10, cached_fetched_at, path) is None
