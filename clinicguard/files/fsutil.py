"""Safe file reading and writing.

Reading: a file another local account may have swapped is opened with
``O_NONBLOCK`` (and ``O_NOFOLLOW`` where a link must not be followed), then its
type is checked on the descriptor itself, so no swap slips in between the check
and the read (a FIFO would wait for a writer forever, ``/dev/zero`` never ends).
Writing: temporary file, then rename; owner-only permissions.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from clinicguard.core.errors import ClinicGuardError, DataFileError, message
from clinicguard.core.jsontext import dumps

T = TypeVar("T")

_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
READ_CHUNK = 1024 * 1024


class NotRegularFile(OSError):
    """A FIFO, device, socket or folder where a regular file was expected: never read."""


def open_regular(path: str | os.PathLike[str], *, follow: bool = True) -> tuple[int, os.stat_result]:
    """(descriptor, fstat) of a regular file opened for reading; raises NotRegularFile otherwise.

    ``follow=False`` refuses a symbolic link as the last component (ELOOP) instead of following it.
    """
    flags = os.O_RDONLY | _O_NONBLOCK | _O_BINARY | (0 if follow else _O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", os.fsdecode(path))
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_at_most(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes from ``fd``, read in chunks (a file may be longer than its size said)."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def atomic_write(path: str | os.PathLike[str], data: bytes | str, mode: int = 0o600) -> Path:
    """Write ``data`` to ``path`` all at once, or not at all.

    A failed write leaves no partial file behind and raises ClinicGuardError
    naming the file and the cause.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise ClinicGuardError("file_failed", path=str(target), problem=str(exc.strerror or exc)) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return target


class MissingFile(DataFileError):
    """The file does not exist (callers of :func:`read_capped` often start empty instead)."""


MAX_STORE_BYTES = 8 * 1024 * 1024  # answers, accepted exceptions, caches: a few kB in real life


def read_capped(path: str | os.PathLike[str], limit: int) -> bytes:
    """A small file clinicguard reads whole (settings, answers, a visit file): regular, at most ``limit`` bytes.

    The one reader for such files: never follows a final link, never waits on a
    FIFO, never reads a device, and never holds more than ``limit`` + 1 bytes even
    when the file grows while it is read. Every refusal is a DataFileError naming
    the file (MissingFile when it does not exist).
    """
    where = os.fsdecode(path)
    try:
        fd, info = open_regular(path, follow=False)
    except FileNotFoundError as exc:
        raise MissingFile(where, "file_not_found") from exc
    except NotRegularFile as exc:
        raise DataFileError(where, "not_regular_file") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DataFileError(where, "symlink_not_followed") from exc
        raise DataFileError(where, "cannot_be_read", problem=str(exc.strerror or exc)) from exc
    try:
        if info.st_size > limit:
            raise DataFileError(where, "too_big", limit_bytes=limit)
        data = read_at_most(fd, limit + 1)  # the file may grow while it is read
    except OSError as exc:
        raise DataFileError(where, "cannot_be_read", problem=str(exc.strerror or exc)) from exc
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
    if len(data) > limit:
        raise DataFileError(where, "too_big", limit_bytes=limit)
    return data


def make_private(path: Path) -> None:
    """Create ``path`` empty and owner-only (0600) if missing; take group/other access off an existing file.

    Used for files another program writes (SQLite, the log handler), which would
    otherwise be created with the default, often world-readable, mode. Best
    effort: whoever opens the file next reports a real problem.
    """
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    except OSError:
        pass
    with contextlib.suppress(OSError):
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077 and os.name == "posix":
            os.chmod(path, 0o600)


def load_versioned_json(
    path: Path, fmt: str, version: int, what: str, parse: Callable[[dict[str, Any]], T]
) -> tuple[T | None, str]:
    """Read a small versioned JSON store (answers, accepted exceptions).

    Returns ``(parse(document), "")``, ``(None, "")`` when the file does not
    exist, or ``(None, notice)`` when it is damaged or written by a newer
    version: that file is then renamed aside (never deleted) and the notice
    says so. A file that cannot be read at all raises DataFileError.
    """
    try:
        raw = read_capped(path, MAX_STORE_BYTES)
    except MissingFile:
        return None, ""
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != fmt:
            raise ValueError(message("not_our_file"))
        if int(data.get("version", 0)) > version:
            raise ValueError(message("newer_file", version=str(data.get("version"))))
        return parse(data), ""
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        kept = keep_aside(path, "unreadable")
        return None, message(
            f"store_damaged.{what.replace(' ', '_')}", path=str(path), problem=str(exc), kept=kept.name
        )


def keep_aside(path: Path, why: str) -> Path:
    """Rename ``path`` to ``<name>.<why>-<timestamp>`` (never overwriting) and return the new path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{why}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{why}-{stamp}-{n}")
    path.rename(target)
    return target


def save_json(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, dumps(document, indent=2) + "\n")
