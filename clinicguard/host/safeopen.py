"""Opening files that another local account may have swapped: never block, never follow.

Everything read from the machine is untrusted. A file can be replaced by a FIFO
between a listing and a read (opening a FIFO for reading waits for a writer
forever), by a device (``/dev/zero`` never ends) or by a symbolic link. Files
are opened with ``O_NONBLOCK`` (and ``O_NOFOLLOW`` where a link must not be
followed), then the type is checked on the descriptor itself, so no swap can
slip in between the check and the read.
"""

from __future__ import annotations

import errno
import os
import stat

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


def read_regular(path: str | os.PathLike[str], limit: int, *, follow: bool = True) -> bytes:
    """At most ``limit`` bytes of a regular file (see :func:`open_regular`)."""
    fd, _st = open_regular(path, follow=follow)
    try:
        chunks: list[bytes] = []
        left = limit
        while left > 0:
            chunk = os.read(fd, min(left, READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
