"""Progress of long steps inside a probe (for instance one user profile after another).

The runner reports one event per finished check; a probe that examines ten
profiles for several seconds reports its own steps here, and whoever shows
progress (the dashboard's scan process) listens. Nothing is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Listener = Callable[[dict[str, Any]], None]

_listeners: list[Listener] = []
_lock = threading.Lock()


@contextmanager
def listening(fn: Listener) -> Iterator[None]:
    with _lock:
        _listeners.append(fn)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(fn)


def report(step: str, **data: Any) -> None:
    """Tell every listener; a failing listener never stops the work."""
    with _lock:
        targets = list(_listeners)
    event = {"step": step, **data}
    for fn in targets:
        try:
            fn(event)
        except Exception:  # noqa: BLE001
            pass
