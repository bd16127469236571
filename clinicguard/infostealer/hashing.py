"""SHA-256 of candidate files against the known-stealer lists.

Hashing runs in a few threads (hashlib releases the interpreter lock on big
buffers) with a bounded number of files in flight, so memory stays flat.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from clinicguard.core.errors import DataFileError
from clinicguard.files.datafiles import package_file
from clinicguard.files.fsutil import MAX_STORE_BYTES, MissingFile, read_capped
from clinicguard.host import FileMissing, Host, HostError, SpecialFile
from clinicguard.host.safeopen import NotRegularFile, open_regular
from clinicguard.infostealer.walk import FileEntry, ScanStats

log = logging.getLogger(__name__)

# Candidates bigger than this are not hashed (counted as "too big"); stealer
# samples padded beyond it are caught by the name and size rules instead.
HASH_SIZE_CAP = 100 * 1024 * 1024
BUFFER = 1024 * 1024
MAX_HASH_LIST_BYTES = 32 * 1024 * 1024  # 200 000 digests at most (update-iocs)
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class HashList:
    digests: frozenset[str]
    bundled: int
    refreshed: int
    refreshed_at: str = ""


def parse_digests(text: str) -> set[str]:
    """One lowercase SHA-256 per line; '#' comments and anything else ignored."""
    out = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip().lower()
        if len(line) == 64 and set(line) <= _HEX:
            out.add(line)
    return out


def load_hash_list() -> HashList:
    """The bundled list plus the refreshed one written by ``update-iocs``."""
    bundled = parse_digests(package_file("data", "infostealer_sha256.txt").read_text(encoding="utf-8"))
    refreshed: set[str] = set()
    fetched = ""
    try:
        from clinicguard.files.paths import data_dir

        folder = data_dir() / "iocs"
        refreshed = parse_digests(read_capped(folder / "sha256.txt", MAX_HASH_LIST_BYTES).decode("utf-8", "replace"))
        try:
            meta = json.loads(read_capped(folder / "meta.json", MAX_STORE_BYTES).decode("utf-8"))
            fetched = str(meta.get("fetched_at", "")) if isinstance(meta, dict) else ""
        except (DataFileError, ValueError, RecursionError):
            fetched = ""
    except (MissingFile, OSError):
        pass
    except Exception as exc:  # noqa: BLE001 - a broken cache must not stop the triage
        log.warning("refreshed indicator list ignored: %s", exc)
    return HashList(frozenset(bundled | refreshed), len(bundled), len(refreshed), fetched)


def sha256_file(real: str, cap: int = HASH_SIZE_CAP) -> str:
    h = hashlib.sha256()
    buf = bytearray(BUFFER)
    view = memoryview(buf)
    read = 0
    # The walk saw a regular file, but another account may swap it for a FIFO or a link since.
    fd, _st = open_regular(real, follow=False)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        while True:
            n = fh.readinto(buf)
            if not n:
                break
            read += n
            if read > cap:
                raise OverflowError(real)
            h.update(view[:n])
    return h.hexdigest()


class Hasher:
    """Hashes candidates in the background; ``close()`` returns the matches."""

    def __init__(
        self,
        host: Host,
        stats: ScanStats,
        digests: frozenset[str],
        *,
        workers: int | None = None,
        cap: int = HASH_SIZE_CAP,
    ) -> None:
        self.host = host
        self.stats = stats
        self.digests = digests
        self.cap = cap
        workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hash")
        self._slots = threading.BoundedSemaphore(workers * 4)
        self._lock = threading.Lock()
        self.matches: list[tuple[FileEntry, str]] = []

    def submit(self, entry: FileEntry) -> None:
        if entry.size is not None and entry.size > self.cap:
            self.stats.add("too_big")
            return
        self._slots.acquire()
        try:
            self._pool.submit(self._one, entry)
        except RuntimeError:
            self._slots.release()

    def _one(self, entry: FileEntry) -> None:
        try:
            digest, size = self._digest(entry)
        except FileNotFoundError:
            self.stats.add("vanished")
            return
        except FileMissing:
            self.stats.add("vanished")
            return
        except OverflowError:
            self.stats.add("too_big")  # grew past the cap while being read
            return
        except (NotRegularFile, SpecialFile):
            self.stats.add("special")  # swapped for a FIFO, device or link after the listing
            return
        except (OSError, HostError):
            self.stats.add("unreadable")
            return
        finally:
            self._slots.release()
        with self.stats.lock:
            self.stats.hashed += 1
            self.stats.bytes_hashed += size
        if digest in self.digests:
            with self._lock:
                self.matches.append((entry, digest))

    def _digest(self, entry: FileEntry) -> tuple[str, int]:
        if entry.real is not None:
            return sha256_file(entry.real, self.cap), entry.size or 0
        data = self.host.read_bytes(entry.path, self.cap + 1)
        if len(data) > self.cap:
            raise OverflowError(entry.path)
        return hashlib.sha256(data).hexdigest(), len(data)

    def close(self, cancel: bool = False) -> list[tuple[FileEntry, str]]:
        self._pool.shutdown(wait=True, cancel_futures=cancel)
        return list(self.matches)
