"""updates.reboot for real: restart flags, newer kernel, programs still using deleted libraries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinicguard.checks import CheckContext
from clinicguard.checks.updates import reboot
from clinicguard.core.facts import RestartNeeded, StaleProgram, UpdateStatus
from clinicguard.core.model import Reason, Status
from clinicguard.host import UserInfo
from clinicguard.host.local import LocalHost
from clinicguard.probes.linux.restart import deleted_system_files, linux_restart_needed, stale_programs
from clinicguard.probes.windows.restart import FLAG_KEYS, SESSION_MANAGER, windows_restart_needed
from tests.conftest import FIXTURES, recorded

REAL_MAPS = (FIXTURES / "linux" / "restart" / "maps-deleted-lib.txt").read_text()
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CTX = CheckContext(platform="linux", now=NOW, user=UserInfo(name="alice"))


def upd(**kw):
    return UpdateStatus(manager="apt", pending=0, pending_security=0, **kw)


# -- parsing /proc/<pid>/maps --------------------------------------------------------------


def test_real_maps_with_a_deleted_library():
    assert deleted_system_files(REAL_MAPS) == {"/usr/local/lib/libcgtest.so.1"}


def test_maps_without_deleted_files():
    clean = "\n".join(line for line in REAL_MAPS.splitlines() if "(deleted)" not in line)
    assert deleted_system_files(clean) == set()


def test_deleted_files_outside_system_folders_are_ignored():
    # Hand-written lines in the kernel's format: temporary files, shared memory and a home folder.
    maps = textwrap.dedent("""\
        7f00a000-7f00b000 rw-s 00000000 00:01 1234                       /memfd:wayland-cursor (deleted)
        7f00b000-7f00c000 rw-s 00000000 00:19 99                         /dev/shm/pulse-shm-1 (deleted)
        7f00c000-7f00d000 r--p 00000000 fe:00 55                         /tmp/.glXXXXXX (deleted)
        7f00d000-7f00e000 r-xp 00000000 fe:00 56                         /home/alice/.cache/x.so (deleted)
        7f00e000-7f00f000 r-xp 00000000 fe:00 57                   /usr/lib/x86_64-linux-gnu/lib ssl.so.3 (deleted)
        7f00f000-7f010000 r-xp 00000000 fe:00 58                         /usr/sbin/sshd (deleted)
        """)
    assert deleted_system_files(maps) == {"/usr/lib/x86_64-linux-gnu/lib ssl.so.3", "/usr/sbin/sshd"}


def _proc(**pids):
    files = {"/proc": {"dir": [str(p) for p in pids] + ["self", "cpuinfo"]}}
    for pid, (comm, maps) in pids.items():
        pid = pid.lstrip("p")
        if comm is not None:
            files[f"/proc/{pid}/comm"] = {"text": comm + "\n"}
        files[f"/proc/{pid}/maps"] = maps
    return files


def test_stale_programs_grouped_by_name_and_unreadable_counted():
    files = _proc(
        p1=("systemd", {"error": "denied"}),
        p2=("kthreadd", {"text": ""}),
        p812=("sshd", {"text": REAL_MAPS.replace("/usr/local/lib/libcgtest.so.1", "/usr/lib/libcrypto.so.3")}),
        p813=("sshd", {"text": REAL_MAPS.replace("/usr/local/lib/libcgtest.so.1", "/usr/lib/libssl.so.3")}),
        p900=("bash", {"text": "\n".join(ln for ln in REAL_MAPS.splitlines() if "deleted" not in ln)}),
        p901=("gone", {"error": "missing"}),
    )
    programs, examined, unreadable = stale_programs(recorded(files=files))
    assert programs == (
        StaleProgram(name="sshd", pids=(812, 813), files=("/usr/lib/libcrypto.so.3", "/usr/lib/libssl.so.3")),
    )
    assert (examined, unreadable) == (4, 1)


def test_probe_flag_file_and_programs():
    files = _proc(p812=("sshd", {"text": REAL_MAPS}))
    files["/run/reboot-required"] = {"text": "*** System restart required ***\n"}
    fact = linux_restart_needed(recorded(files=files))
    assert fact.flags == ("/run/reboot-required",)
    assert [p.name for p in fact.stale_programs] == ["sshd"]


def test_probe_newer_kernel_installed():
    files = _proc()
    files["/proc/sys/kernel/osrelease"] = {"text": "6.1.0-25-amd64\n"}
    files["/boot"] = {"dir": ["vmlinuz-6.1.0-25-amd64", "vmlinuz-6.1.0-28-amd64"]}
    fact = linux_restart_needed(recorded(files=files))
    assert fact.flags == ("kernel",)
    assert any("6.1.0-28-amd64 installed" in n for n in fact.notes)


def test_probe_newest_kernel_running_and_no_flag():
    files = _proc()
    files["/proc/sys/kernel/osrelease"] = {"text": "6.1.0-28-amd64\n"}
    files["/boot"] = {"dir": ["vmlinuz-6.1.0-25-amd64", "vmlinuz-6.1.0-28-amd64"]}
    assert linux_restart_needed(recorded(files=files)).flags == ()


def test_probe_proc_unreadable_is_not_a_clean_answer():
    fact = linux_restart_needed(recorded(files={"/proc": {"error": "denied"}}))
    assert fact.stale_programs is None and fact.flags is None
    assert "stale_programs" in fact.why_unknown


@pytest.mark.skipif(
    sys.platform != "linux" or os.geteuid() != 0, reason="needs root to place a library under /usr/local/lib"
)
def test_real_process_using_a_deleted_library_is_found(tmp_path):
    """A real process maps a library, the library is deleted (as an upgrade does): it is found."""
    import ctypes.util

    lib = ctypes.util.find_library("z")
    src = next(
        (
            p
            for p in (
                f"/usr/lib/x86_64-linux-gnu/{lib}",
                f"/lib/x86_64-linux-gnu/{lib}",
                f"/usr/lib64/{lib}",
                f"/usr/lib/{lib}",
            )
            if lib and os.path.exists(p)
        ),
        None,
    )
    if src is None:
        pytest.skip("no libz to copy")
    target = Path(f"/usr/local/lib/libclinicguard-test-{os.getpid()}.so")
    shutil.copy(src, target)
    ready = tmp_path / "ready"
    code = (
        f"import ctypes, os, time; ctypes.CDLL({str(target)!r}); os.unlink({str(target)!r}); "
        f"open({str(ready)!r}, 'w').close(); time.sleep(30)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(100):
            if ready.exists():
                break
            time.sleep(0.05)
        programs, examined, _unreadable = stale_programs(LocalHost())
        mine = [p for p in programs if proc.pid in p.pids]
        assert mine and str(target) in mine[0].files
        assert examined >= 1
    finally:
        proc.kill()
        proc.wait()
        target.unlink(missing_ok=True)


# -- Windows registry flags ---------------------------------------------------------------


def _win(registry):
    return recorded("windows", registry=registry, user={"name": "marie", "is_admin": False})


def test_windows_no_flag_when_keys_absent():
    fact = windows_restart_needed(_win({SESSION_MANAGER: {"values": {"BootExecute": ["autocheck autochk *"]}}}))
    assert fact.flags == ()


def test_windows_flags_raised():
    cbs = dict(FLAG_KEYS)["CBS RebootPending"]
    reg = {
        cbs: {"values": {}, "subkeys": ["Package_for_KB5044284"]},
        SESSION_MANAGER: {"values": {"PendingFileRenameOperations": ["\\??\\C:\\Windows\\temp\\x.dll", ""]}},
        r"HKLM\SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName": {"values": {"ComputerName": "PC-01"}},
        r"HKLM\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName": {"values": {"ComputerName": "ACCUEIL-01"}},
        r"HKLM\SOFTWARE\Microsoft\Updates": {"values": {"UpdateExeVolatile": 0}},
    }
    fact = windows_restart_needed(_win(reg))
    assert fact.flags == ("CBS RebootPending", "PendingFileRenameOperations", "ComputerName change")


def test_windows_empty_rename_list_is_no_flag():
    fact = windows_restart_needed(_win({SESSION_MANAGER: {"values": {"PendingFileRenameOperations": []}}}))
    assert fact.flags == ()


def test_windows_one_denied_key_keeps_the_others():
    cbs = dict(FLAG_KEYS)["CBS RebootPending"]
    wu = dict(FLAG_KEYS)["WindowsUpdate RebootRequired"]
    fact = windows_restart_needed(_win({cbs: {"error": "denied"}, wu: {"values": {}}}))
    assert fact.flags == ("WindowsUpdate RebootRequired",)
    assert any("CBS RebootPending" in n for n in fact.notes)


def test_windows_nothing_readable_is_unknown():
    reg = {key: {"error": "denied"} for _name, key in FLAG_KEYS}
    reg.update(
        {
            k: {"error": "denied"}
            for k in (
                SESSION_MANAGER,
                r"HKLM\SOFTWARE\Microsoft\Updates",
                r"HKLM\SYSTEM\CurrentControlSet\Services\Netlogon",
                r"HKLM\SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName",
            )
        }
    )
    fact = windows_restart_needed(_win(reg))
    assert fact.flags is None
    v = reboot(CTX, None, fact)
    assert v.status is Status.UNKNOWN and v.reason is Reason.NOT_READABLE


# -- the check -----------------------------------------------------------------------------


def test_flag_alone_means_restart_even_when_updates_are_unknown():
    v = reboot(CTX, None, RestartNeeded(flags=("CBS RebootPending",)))
    assert (v.status, v.key) == (Status.WARN, "reboot_needed")
    assert [e.value for e in v.evidence if e.label == "reboot_flag"] == ["CBS RebootPending"]


def test_flag_with_date_from_updates_goes_red_after_two_weeks():
    u = upd(reboot_required=True, reboot_required_since=datetime(2026, 11, 1, tzinfo=UTC))
    v = reboot(CTX, u, RestartNeeded(flags=("/run/reboot-required",)))
    assert (v.status, v.key) == (Status.FAIL, "reboot_overdue")


def test_programs_using_deleted_libraries_are_amber():
    stale = (
        StaleProgram(name="sshd", pids=(812,), files=("/usr/lib/libssl.so.3",)),
        StaleProgram(name="cupsd", pids=(700,), files=("/usr/lib/libcups.so.2",)),
    )
    v = reboot(CTX, upd(reboot_required=False), RestartNeeded(flags=(), stale_programs=stale, processes_examined=90))
    assert (v.status, v.key, v.params) == (Status.WARN, "programs_restart", {"count": 2, "names": "sshd, cupsd"})
    assert ("stale_program", "sshd (pid 812)", "/usr/lib/libssl.so.3") in [
        (e.label, e.value, e.source) for e in v.evidence
    ]


def test_clean_but_other_accounts_not_examined_is_grey_not_green():
    # What could not be read never turns the item green: those programs may still run deleted libraries.
    v = reboot(CTX, upd(reboot_required=False), RestartNeeded(flags=(), stale_programs=(), processes_unreadable=140))
    assert (v.status, v.key, v.params) == (Status.UNKNOWN, "no_reboot_partial", {"count": 140})
    assert v.reason is Reason.NEEDS_ADMIN


def test_clean_everything_examined():
    v = reboot(CTX, upd(reboot_required=False), RestartNeeded(flags=(), stale_programs=(), processes_examined=200))
    assert (v.status, v.key) == (Status.PASS, "no_reboot")


def test_nothing_known_is_grey():
    v = reboot(CTX, None, None)
    assert v.status is Status.UNKNOWN
