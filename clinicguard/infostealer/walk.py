"""Streaming walk of the few folders where stealers drop files.

The walk never follows symbolic links or junctions (so it cannot loop),
skips cloud placeholders and network mounts, and counts every path it could
not look at instead of failing. It holds one directory listing per level of
depth at most, so memory stays flat whatever the size of the tree.

On a real file system (``host.local_path`` gives a real path) it uses
``os.scandir``; on a recording it falls back to ``host.listdir``.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from clinicguard.host import AccessDenied, FileMissing, Host, HostError

# Windows file attributes of files whose content lives in the cloud
# (OneDrive "files on demand"): reading them would download them.
FILE_ATTRIBUTE_OFFLINE = 0x1000
FILE_ATTRIBUTE_RECALL_ON_OPEN = 0x40000
FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS = 0x400000
FILE_ATTRIBUTE_REPARSE_POINT = 0x400
CLOUD_ATTRIBUTES = FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_RECALL_ON_OPEN | FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS

NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "afpfs",
        "webdav",
        "davfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "fuse.rclone",
        "ncpfs",
        "afs",
        "glusterfs",
        "ceph",
    }
)
PROGRESS_EVERY = 2048  # entries between two progress reports
CHECK_EVERY = 256  # entries between two looks at the cancel flag and the clock


@dataclass(frozen=True)
class Root:
    """One folder to walk. ``depth`` 0 means its own entries only."""

    path: str
    kind: str
    depth: int
    exclude: tuple[str, ...] = ()  # sub-folders walked through another root


class FileEntry(NamedTuple):
    """A regular file met by the walk (size, mtime and mode None when not needed or unknown)."""

    path: str  # host path, "/" separated
    name: str
    root: Root
    depth: int  # 0 = directly in the root
    size: int | None
    mtime: float | None
    executable: bool | None  # POSIX execute bit; None when unknown
    real: str | None  # real path for os-level reads, None on a recording


@dataclass(frozen=True, slots=True)
class DirMarkers:
    """Names of interest found directly in one folder (folders end in '/')."""

    path: str
    root: Root
    depth: int
    found: frozenset[str]


@dataclass
class ScanStats:
    """What the walk looked at and what it had to leave aside."""

    files: int = 0
    dirs: int = 0
    hashed: int = 0
    bytes_hashed: int = 0
    unreadable: int = 0  # permission denied or other read errors
    vanished: int = 0  # deleted between listing and reading
    invalid_encoding: int = 0  # names that are not valid UTF-8 (still examined)
    special: int = 0  # devices, FIFOs, sockets: never opened
    symlinks: int = 0  # links and junctions: never followed
    placeholders: int = 0  # cloud files not downloaded
    network_skipped: int = 0  # network mounts not walked
    too_big: int = 0  # candidates over the hashing cap
    roots_missing: int = 0
    cancelled: bool = False
    elapsed_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, name: str, n: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + n)

    def skipped(self) -> dict[str, int]:
        keys = (
            "unreadable",
            "vanished",
            "invalid_encoding",
            "special",
            "symlinks",
            "placeholders",
            "network_skipped",
            "too_big",
        )
        return {k: getattr(self, k) for k in keys if getattr(self, k)}


@dataclass(frozen=True)
class ScanProgress:
    files: int
    dirs: int
    hashed: int
    root: str


def network_mounts() -> frozenset[str]:
    """Mount points of network file systems on this Linux computer."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="surrogateescape") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return frozenset()
    out = set()
    for line in lines:
        parts = line.split()
        if len(parts) >= 3 and parts[2] in NETWORK_FS:
            out.add(parts[1].replace("\\040", " "))
    return frozenset(out)


def _valid_name(name: str) -> bool:
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # surrogate-escaped bytes from a non-UTF-8 name
        return False
    return True


class Walker:
    """Walks roots and yields files and folder markers, honouring cancellation."""

    def __init__(
        self,
        host: Host,
        stats: ScanStats,
        *,
        cancel: threading.Event | None = None,
        on_progress: Callable[[ScanProgress], None] | None = None,
        markers: frozenset[str] = frozenset(),
        skip_mounts: frozenset[str] | None = None,
        deadline: float | None = None,
        wants_stat: Callable[[str, str], bool] | None = None,
    ) -> None:
        self.host = host
        self.stats = stats
        self.cancel = cancel or threading.Event()
        self.on_progress = on_progress
        self.markers = markers
        local = getattr(host, "local_path", None)
        self._local: Callable[[str], str | None] = local if callable(local) else (lambda _p: None)
        if skip_mounts is None:
            skip_mounts = network_mounts() if self._local("/") == "/" and os.name != "nt" else frozenset()
        self.skip_mounts = skip_mounts
        self.deadline = deadline
        # (lowercase name, root kind) -> whether size and mode are needed; others skip a stat on POSIX.
        self.wants_stat = wants_stat or (lambda _name, _kind: True)
        self.out_of_time = False
        self._seen = 0

    def _report(self, root: Root) -> None:
        """Report progress every PROGRESS_EVERY entries."""
        if self.on_progress is not None and self._seen % PROGRESS_EVERY == 0:
            s = self.stats
            try:
                self.on_progress(ScanProgress(s.files, s.dirs, s.hashed, root.path))
            except Exception:  # noqa: BLE001 - a broken listener must not stop the scan
                pass

    def _check_progress(self, root: Root) -> bool:
        """Report progress now and then, and say whether to stop."""
        self._report(root)
        return self.stopped()

    def stopped(self) -> bool:
        """True once cancelled or past the deadline (checked every 256 entries)."""
        if self.cancel.is_set() or self.out_of_time:
            return True
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.out_of_time = True
        return self.out_of_time

    def walk(self, root: Root) -> Iterator[FileEntry | DirMarkers]:
        real = self._local(root.path)
        if real is not None:
            if _is_network_path(real):
                self.stats.add("network_skipped")
                return
            yield from self._walk_real(root, real)
        else:
            yield from self._walk_host(root)

    # -- real file system ---------------------------------------------
    def _walk_real(self, root: Root, real_root: str) -> Iterator[FileEntry | DirMarkers]:
        try:
            if os.path.islink(real_root):
                # A Desktop that is itself a link (to / for instance) is not followed either.
                self.stats.add("symlinks")
                return
            it = os.scandir(real_root)
        except FileNotFoundError:
            self.stats.add("roots_missing")
            return
        except NotADirectoryError:
            return
        except PermissionError:
            self.stats.add("unreadable")
            return
        except OSError:
            self.stats.add("unreadable")
            return
        excluded = {e.rstrip("/").lower() for e in root.exclude}
        stats = self.stats
        markers = self.markers
        wants_stat = self.wants_stat
        posix = os.name != "nt"
        # Stack of (iterator, host path, depth): one open listing per level.
        stack = [(it, root.path.rstrip("/"), 0)]
        stats.dirs += 1
        found: list[set[str]] = [set()]
        while stack:
            self._seen += 1
            if self._seen % CHECK_EVERY == 0 and self._check_progress(root):
                for entry_it, _p, _d in stack:
                    entry_it.close()
                stats.cancelled = True
                return
            it, base, depth = stack[-1]
            try:
                entry = next(it, None)
            except OSError:
                stats.add("unreadable")
                entry = None
            if entry is None:
                it.close()
                stack.pop()
                marks = found.pop()
                if marks:
                    yield DirMarkers(base, root, depth, frozenset(marks))
                continue
            name = entry.name
            if not name.isascii() and not _valid_name(name):
                stats.add("invalid_encoding")
            low = name.lower()
            size = mtime = execb = None
            try:
                if entry.is_symlink():
                    stats.add("symlinks")
                    continue
                if posix and not wants_stat(low, root.kind):
                    # The file type comes with the listing: no stat for files that are never read.
                    is_dir = entry.is_dir(follow_symlinks=False)
                    is_reg = not is_dir and entry.is_file(follow_symlinks=False)
                else:
                    st = entry.stat(follow_symlinks=False)
                    attrs = getattr(st, "st_file_attributes", 0)
                    if attrs & CLOUD_ATTRIBUTES:
                        # Reading or listing it would download it from the cloud.
                        stats.add("placeholders")
                        continue
                    if attrs & FILE_ATTRIBUTE_REPARSE_POINT:
                        stats.add("symlinks")
                        continue
                    mode = st.st_mode
                    is_dir = stat.S_ISDIR(mode)
                    is_reg = stat.S_ISREG(mode)
                    size, mtime, execb = st.st_size, st.st_mtime, bool(mode & 0o111)
            except FileNotFoundError:
                stats.add("vanished")
                continue
            except OSError:
                stats.add("unreadable")
                continue
            path = f"{base}/{name}"
            if is_dir:
                if markers and low + "/" in markers:
                    found[-1].add(low + "/")
                if depth >= root.depth or path.lower() in excluded:
                    continue
                if entry.path in self.skip_mounts:
                    stats.add("network_skipped")
                    continue
                try:
                    sub = os.scandir(entry.path)
                except FileNotFoundError:
                    stats.add("vanished")
                    continue
                except OSError:
                    stats.add("unreadable")
                    continue
                stats.dirs += 1
                stack.append((sub, path, depth + 1))
                found.append(set())
                continue
            if not is_reg:
                stats.add("special")
                continue
            stats.files += 1
            if markers and low in markers:
                found[-1].add(low)
            yield FileEntry(path, name, root, depth, size, mtime, execb, entry.path)

    # -- recordings ----------------------------------------------------
    def _walk_host(self, root: Root) -> Iterator[FileEntry | DirMarkers]:
        excluded = {e.rstrip("/").lower() for e in root.exclude}

        def listing(path: str) -> list[str] | None:
            try:
                return self.host.listdir(path)
            except FileMissing:
                return None
            except (AccessDenied, HostError):
                self.stats.add("unreadable")
                return None

        names = listing(root.path)
        if names is None:
            if not self.host.exists(root.path):
                self.stats.add("roots_missing")
            return
        self.stats.add("dirs")
        stack = [(iter(names), root.path.rstrip("/"), 0)]
        found: list[set[str]] = [set()]
        while stack:
            if self.stopped():
                self.stats.cancelled = True
                return
            it, base, depth = stack[-1]
            name = next(it, None)
            if name is None:
                stack.pop()
                marks = found.pop()
                if marks:
                    yield DirMarkers(base, root, depth, frozenset(marks))
                continue
            path = f"{base}/{name}"
            low = name.lower()
            self._tick(root)
            if self.host.is_dir(path):
                if self.markers and low + "/" in self.markers:
                    found[-1].add(low + "/")
                if depth >= root.depth or path.lower() in excluded:
                    continue
                sub = listing(path)
                if sub is None:
                    continue
                self.stats.add("dirs")
                stack.append((iter(sub), path, depth + 1))
                found.append(set())
                continue
            try:
                mtime: float | None = self.host.mtime(path)
            except FileMissing:
                self.stats.add("vanished")
                continue
            except AccessDenied:
                self.stats.add("unreadable")
                continue
            except HostError:
                mtime = None
            self.stats.add("files")
            if self.markers and low in self.markers:
                found[-1].add(low)
            yield FileEntry(path, name, root, depth, None, mtime, None, None)

    def _tick(self, root: Root) -> None:
        self._seen += 1
        self._report(root)


def _is_network_path(real: str) -> bool:
    """UNC paths and mapped network drives on Windows."""
    if real.startswith(("\\\\", "//")):
        return True
    if os.name == "nt" and len(real) >= 2 and real[1] == ":":
        try:
            import ctypes

            return ctypes.windll.kernel32.GetDriveTypeW(real[:2] + "\\") == 4  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return False
    return False


def elapsed_since(t0: float) -> float:
    return round(time.monotonic() - t0, 3)
