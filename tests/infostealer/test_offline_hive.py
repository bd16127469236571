"""Another account's registry read from its NTUSER.DAT when its hive is not loaded (real hive file)."""

from __future__ import annotations

import lzma
import os
from pathlib import Path

import pytest

from clinicguard.host import FileMissing
from clinicguard.infostealer import sources
from clinicguard.infostealer.hive import HiveUnreadable, OfflineHive
from clinicguard.infostealer.profiles import Profile
from clinicguard.infostealer.signs import Triage
from tests.conftest import FIXTURES
from tests.support.infostealer_fixtures import TreeHost, no_hashes, put

pytest.importorskip("regipy")

HIVE = lzma.decompress((FIXTURES / "windows" / "hives" / "NTUSER.DAT.xz").read_bytes())
RUN = r"Software\Microsoft\Windows\CurrentVersion\Run"
SID = "S-1-5-21-1004336348-1177238915-682003330-1004"
NUIT = Profile("nuit", "C:/Users/nuit", sid=SID)


def test_real_hive_values_and_missing_keys(tmp_path):
    path = tmp_path / "NTUSER.DAT"
    path.write_bytes(HIVE)
    hive = OfflineHive(str(path))
    assert hive.values(RUN) == {"Sidebar": "%ProgramFiles%\\Windows Sidebar\\Sidebar.exe /autoRun"}
    assert "Microsoft" in hive.subkeys("Software")
    with pytest.raises(FileMissing):
        hive.values(r"Software\Microsoft\Windows\CurrentVersion\Explorer\NoSuchKey")


def test_logged_off_account_run_keys_come_from_its_hive_file(tmp_path):
    put(tmp_path, "C:/Users/nuit/NTUSER.DAT", HIVE)
    host = TreeHost(tmp_path, "windows")
    lay = sources.profile_layout(host, NUIT)
    assert lay.offline is not None
    lines = sources.run_keys(host, lay)
    assert [(ln.where, ln.text) for ln in lines] == [
        (f"HKU\\{SID}\\{RUN}\\Sidebar", "%ProgramFiles%\\Windows Sidebar\\Sidebar.exe /autoRun")
    ]
    signs = Triage(host, profile=NUIT, hash_list=no_hashes()).run()
    assert {"run_keys", "runmru", "typedpaths"} <= set(signs.looked_at)
    assert signs.hits == ()


@pytest.mark.parametrize(
    "data",
    [b"", b"regf" + bytes(100), HIVE[:5000], os.urandom(4096)],
    ids=["empty", "header-only", "truncated", "random"],
)
def test_damaged_hive_is_reported_never_a_crash(tmp_path, data):
    put(tmp_path, "C:/Users/nuit/NTUSER.DAT", data)
    host = TreeHost(tmp_path, "windows")
    signs = Triage(host, profile=NUIT, hash_list=no_hashes()).run()
    assert ("run_keys", "hive_unreadable") in signs.not_looked_at
    assert "run_keys" not in signs.core_missing  # another account's registry: said, not core


def test_no_hive_file_means_not_loaded(tmp_path):
    put(tmp_path, "C:/Users/nuit/Desktop/a.txt", "")
    signs = Triage(TreeHost(tmp_path, "windows"), profile=NUIT, hash_list=no_hashes()).run()
    assert ("run_keys", "hive_not_loaded") in signs.not_looked_at


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links")
def test_hive_file_that_is_a_link_is_not_followed(tmp_path):
    target = tmp_path / "elsewhere.dat"
    target.write_bytes(HIVE)
    link = tmp_path / "C" / "Users" / "nuit" / "NTUSER.DAT"
    link.parent.mkdir(parents=True)
    link.symlink_to(target)
    with pytest.raises(HiveUnreadable):
        OfflineHive(str(link))
    signs = Triage(TreeHost(tmp_path, "windows"), profile=NUIT, hash_list=no_hashes()).run()
    assert ("run_keys", "hive_unreadable") in signs.not_looked_at
    assert Path(target).exists()


def test_exposure_of_a_logged_off_account_reads_its_hive_file(tmp_path):
    from clinicguard.infostealer.exposure import collect_exposure

    put(tmp_path, "C:/Users/nuit/NTUSER.DAT", HIVE)
    e = collect_exposure(TreeHost(tmp_path, "windows"), profile=NUIT)
    assert "winscp" in e.looked_at and not any(src == "winscp" for src, _w in e.not_looked_at)


def test_exposure_without_hive_says_so_but_stays_judged(tmp_path):
    from clinicguard.checks.infostealer import _profile_exposure_status
    from clinicguard.core.model import Status
    from clinicguard.infostealer.exposure import collect_exposure
    from clinicguard.infostealer.model import ProfileExposure

    put(tmp_path, "C:/Users/nuit/AppData/Roaming/WinSCP.ini", "[Sessions\\srv]\nPassword=A35C4\n")
    e = collect_exposure(TreeHost(tmp_path, "windows"), profile=NUIT)
    assert ("winscp", "hive_not_loaded") in e.not_looked_at
    assert [i.kind for i in e.items] == ["winscp_saved"]  # the .ini found before the registry part is kept
    clean = ProfileExposure(
        profile="nuit",
        home="C:/Users/nuit",
        state="examined",
        items=(),
        looked_at=("ssh_keys",),
        not_looked_at=(("winscp", "hive_not_loaded"),),
        saved_logins=0,
    )
    assert _profile_exposure_status(clean) is Status.PASS
