"""Opening files that another local account may have swapped: never block, never follow.

Everything read from the machine is untrusted. A file can be replaced by a FIFO
between a listing and a read (opening a FIFO for reading waits for a writer
forever), by a device (``/dev/zero`` never ends) or by a symbolic link. Files
are opened with ``O_NONBLOCK`` (and ``O_NOFOLLOW`` where a link must not be
followed), then the type is checked on the descriptor itself, so no swap can
slip in between the check and the read.
"""

from __future__ import annotations

import os

# The primitives live in clinicguard.files.fsutil, below every layer, so that the app's own small stores
# (settings, answers, caches) are read the same way; re-exported here for the probes.
from clinicguard.files.fsutil import READ_CHUNK, NotRegularFile, open_regular, read_at_most

__all__ = ["READ_CHUNK", "NotRegularFile", "open_regular", "read_at_most", "read_regular"]


def read_regular(path: str | os.PathLike[str], limit: int, *, follow: bool = True) -> bytes:
    """At most ``limit`` bytes of a regular file (see :func:`open_regular`)."""
    fd, _st = open_regular(path, follow=follow)
    try:
        return read_at_most(fd, limit)
    finally:
        os.close(fd)
