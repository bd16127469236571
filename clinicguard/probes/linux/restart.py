"""Restart pending, read from the system itself: restart flags, a kernel newer than the
running one, and programs still running code an update deleted.

Programs are found as needrestart and Lynis do, without either tool: each
``/proc/<pid>/maps`` lists the files a process has in memory, and a library or
program replaced by an upgrade shows as ``/usr/lib/...so (deleted)``. A
standard user can read only the maps of its own processes; the others are
counted as not examined.
"""

from __future__ import annotations

from clinicguard.core.facts import RestartNeeded, StaleProgram, Unknown
from clinicguard.core.model import Reason
from clinicguard.host import AccessDenied, Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.gathered import Gathered
from clinicguard.probes.linux.apt import REBOOT_FILES
from clinicguard.probes.linux.kernel import kernel_reboot

DELETED = " (deleted)"
# Only code shipped by packages counts: a deleted file in /tmp, /dev/shm, a memfd or a
# home folder is an application's own business, not an update waiting for a restart.
SYSTEM_PREFIXES = ("/usr/", "/lib/", "/lib64/", "/lib32/", "/bin/", "/sbin/", "/opt/")
MAPS_LIMIT = 8 * 1024 * 1024
MAX_FILES_SHOWN = 3


def deleted_system_files(maps: str) -> set[str]:
    """System files a process maps although they were deleted (replaced by an upgrade)."""
    out: set[str] = set()
    for line in maps.splitlines():
        if not line.endswith(DELETED):
            continue
        parts = line.split(None, 5)
        if len(parts) < 6:
            continue
        path = parts[5][: -len(DELETED)]
        if path.startswith(SYSTEM_PREFIXES):
            out.add(path)
    return out


def stale_programs(host: Host) -> tuple[tuple[StaleProgram, ...], int, int]:
    """(programs using deleted system files, processes examined, processes not readable)."""
    pids = sorted(int(n) for n in host.listdir("/proc") if n.isdigit())
    by_name: dict[str, tuple[list[int], set[str]]] = {}
    examined = unreadable = 0
    for pid in pids:
        try:
            maps = host.read_text(f"/proc/{pid}/maps", limit=MAPS_LIMIT)
        except AccessDenied:
            unreadable += 1
            continue
        except HostError:
            continue  # the process ended meanwhile (missing file, "no such process")
        examined += 1
        if not maps:
            continue  # kernel thread
        files = deleted_system_files(maps)
        if not files:
            continue
        try:
            name = host.read_text(f"/proc/{pid}/comm", limit=256).strip()
        except HostError:
            name = ""
        pids_of, files_of = by_name.setdefault(name or f"pid {pid}", ([], set()))
        pids_of.append(pid)
        files_of.update(files)
    programs = tuple(
        StaleProgram(name=name, pids=tuple(p), files=tuple(sorted(f)[:MAX_FILES_SHOWN]))
        for name, (p, f) in sorted(by_name.items())
    )
    return programs, examined, unreadable


def restart_flags(host: Host, notes: list[str]) -> tuple[str, ...] | None:
    flags: list[str] = []
    for path in REBOOT_FILES:
        if host.exists(path):
            flags.append(path)
            break
    needed, _since, note = kernel_reboot(host)
    if note:
        notes.append(note)
    if needed:
        flags.append("kernel")
    if needed is None and not flags:
        return None  # neither the flag nor the kernels could tell
    return tuple(flags)


@probe("restart_needed", "linux")
def linux_restart_needed(host: Host) -> RestartNeeded:
    g = Gathered(sources=["/proc/*/maps", "/proc/sys/kernel/osrelease", *REBOOT_FILES[:1]])
    flags = restart_flags(host, g.notes)
    programs: tuple[StaleProgram, ...] | None
    try:
        programs, examined, unreadable = stale_programs(host)
    except HostError as exc:
        programs, examined, unreadable = None, 0, 0
        g.unknown("stale_programs", Unknown(Reason.NOT_READABLE, f"/proc: {exc}"))
    return RestartNeeded(
        flags=flags,
        stale_programs=programs,
        processes_examined=examined,
        processes_unreadable=unreadable,
        **g.fields(),
    )
