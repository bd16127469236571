"""Safe file writing: temporary file, then rename; owner-only permissions."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from clinicguard.core.errors import ClinicGuardError, DataFileError
from clinicguard.core.jsontext import dumps

T = TypeVar("T")


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
        raise ClinicGuardError(f"{target}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return target


def read_capped(path: str | os.PathLike[str], limit: int) -> bytes:
    """A file a person gives us (answers to import, a settings file): regular, at most ``limit`` bytes.

    Never follows a final link, never waits on a FIFO and never reads a device or
    a huge file into memory; every refusal is a DataFileError naming the file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    too_big = f"larger than {limit // 1024} KiB: not a file clinicguard reads"
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise DataFileError(str(path), exc.strerror or str(exc)) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataFileError(str(path), "not a regular file")
        if info.st_size > limit:
            raise DataFileError(str(path), too_big)
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)  # the file may grow while it is read
    except OSError as exc:
        raise DataFileError(str(path), exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise DataFileError(str(path), too_big)
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
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        raise DataFileError(str(path), exc.strerror or str(exc)) from exc
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != fmt:
            raise ValueError(f"not a clinicguard {what} file")
        if int(data.get("version", 0)) > version:
            raise ValueError(f"written by a newer clinicguard (version {data.get('version')})")
        return parse(data), ""
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        kept = keep_aside(path, "unreadable")
        return None, f"{path}: {exc}; kept aside as {kept.name}, starting with no saved {what}"


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
