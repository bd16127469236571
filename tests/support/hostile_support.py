"""Helpers of the hostile-input tests: fake homes with planted markers, FIFOs, swapped files."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Planted in every secret a fake home holds; it must never come out of clinicguard.
MARKER = "ZQXMARKER7731"


def fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def within(seconds: float, fn: Callable[[], T], *fifos: Path) -> T:
    """``fn()``, failing the test (not hanging it) when it takes longer than ``seconds``.

    A reader left blocked on one of ``fifos`` is released by opening it for writing.
    """
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        for path in fifos:
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        raise AssertionError(f"still running after {seconds} s (blocked on a FIFO?)")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def unreadable(path: Path) -> Path:
    """A directory entry no one can read, even root: a symbolic link that loops on itself."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(path.name, path)
    return path
