"""Capture of a recording: :class:`RecordingHost` passes every call to a real host and keeps what it answered."""

from __future__ import annotations

import base64
import threading
from datetime import datetime
from typing import Any

from clinicguard.host.base import (
    DEFAULT_TIMEOUT_S,
    MAX_OUTPUT_BYTES,
    Host,
    HostError,
    Listener,
    ProcessInfo,
    UserInfo,
)
from clinicguard.host.local import decode
from clinicguard.host.recording import FORMAT, VERSION, encode_reg_value, error_word


class RecordingHost:
    """Passes every call to ``inner`` and keeps what it answered.

    ``to_dict()`` gives a recording that :class:`RecordedHost` replays.
    """

    def __init__(self, inner: Host) -> None:
        self.inner = inner
        self.platform = inner.platform
        self._lock = threading.Lock()
        self._commands: list[dict[str, Any]] = []
        self._files: dict[str, dict[str, Any]] = {}
        self._sqlite: list[dict[str, Any]] = []
        self._registry: dict[str, dict[str, Any]] = {}
        self._env: dict[str, str] = {}
        self._listeners: Any = []
        self._processes: Any = []

    def _file(self, path: str) -> dict[str, Any]:
        return self._files.setdefault(path, {})

    def run(self, argv, timeout=DEFAULT_TIMEOUT_S, env=None, encoding="utf-8"):  # type: ignore[no-untyped-def]
        try:
            res = self.inner.run(argv, timeout=timeout, env=env, encoding=encoding)  # type: ignore[call-arg]
        except HostError as exc:
            with self._lock:
                self._commands.append({"argv": list(argv), "error": error_word(exc)})
            raise
        with self._lock:
            self._commands.append(
                {"argv": list(argv), "returncode": res.returncode, "stdout": res.stdout, "stderr": res.stderr}
            )
        return res

    def read_bytes(self, path: str, limit: int = MAX_OUTPUT_BYTES) -> bytes:
        try:
            data = self.inner.read_bytes(path, limit)
        except HostError as exc:
            with self._lock:
                self._file(path)["error"] = error_word(exc)
            raise
        with self._lock:
            try:
                self._file(path)["text"] = data.decode("utf-8")
            except UnicodeDecodeError:
                self._file(path)["base64"] = base64.b64encode(data).decode()
        return data

    def read_text(self, path: str, limit: int = MAX_OUTPUT_BYTES) -> str:
        return decode(self.read_bytes(path, limit))

    def local_path(self, path: str) -> str | None:
        """Real path of the wrapped host, so that tree walks and file hashing read the
        disk directly and the contents of scanned files never enter a recording."""
        inner = getattr(self.inner, "local_path", None)
        return inner(path) if inner is not None else None

    def exists(self, path: str) -> bool:
        found = self.inner.exists(path)
        with self._lock:
            entry = self._file(path)
            if not found:
                entry.setdefault("error", "missing")
            elif not entry:
                entry["dir" if self.inner.is_dir(path) else "text"] = [] if self.inner.is_dir(path) else ""
        return found

    def is_dir(self, path: str) -> bool:
        found = self.inner.is_dir(path)
        if found:
            with self._lock:
                self._file(path).setdefault("dir", [])
                self._file(path).pop("text", None)
        return found

    def listdir(self, path: str) -> list[str]:
        try:
            names = self.inner.listdir(path)
        except HostError as exc:
            with self._lock:
                self._file(path)["error"] = error_word(exc)
            raise
        with self._lock:
            self._file(path)["dir"] = list(names)
            self._file(path).pop("text", None)
        return names

    def mtime(self, path: str) -> float:
        try:
            value = self.inner.mtime(path)
        except HostError as exc:
            with self._lock:
                self._file(path).setdefault("error", error_word(exc))
            raise
        with self._lock:
            entry = self._file(path)
            entry["mtime"] = value
            if "text" not in entry and "base64" not in entry and "dir" not in entry:
                entry["text"] = ""
        return value

    def sqlite_scalar(self, path: str, sql: str) -> int | None:
        try:
            value = self.inner.sqlite_scalar(path, sql)
        except HostError as exc:
            with self._lock:
                self._sqlite.append({"path": path, "sql": sql, "error": error_word(exc)})
            raise
        with self._lock:
            self._sqlite.append({"path": path, "sql": sql, "value": value})
        return value

    def env(self, name: str) -> str | None:
        value = self.inner.env(name)
        if value is not None:
            with self._lock:
                self._env[name] = value
        return value

    def user(self) -> UserInfo:
        return self.inner.user()

    def hostname(self) -> str:
        return self.inner.hostname()

    def now(self) -> datetime:
        return self.inner.now()

    def listeners(self) -> list[Listener]:
        try:
            found = self.inner.listeners()
        except HostError as exc:
            self._listeners = {"error": error_word(exc)}
            raise
        self._listeners = [vars(x) if hasattr(x, "__dict__") else _asdict(x) for x in found]
        return found

    def processes(self) -> list[ProcessInfo]:
        try:
            found = self.inner.processes()
        except HostError as exc:
            self._processes = {"error": error_word(exc)}
            raise
        self._processes = [_asdict(p) for p in found]
        return found

    def registry_values(self, key: str) -> dict[str, object]:
        try:
            vals = self.inner.registry_values(key)
        except HostError as exc:
            with self._lock:
                self._registry.setdefault(key, {})["error"] = error_word(exc)
            raise
        with self._lock:
            self._registry.setdefault(key, {})["values"] = {k: encode_reg_value(v) for k, v in vals.items()}
        return vals

    def registry_subkeys(self, key: str) -> list[str]:
        try:
            keys = self.inner.registry_subkeys(key)
        except HostError as exc:
            with self._lock:
                self._registry.setdefault(key, {})["error"] = error_word(exc)
            raise
        with self._lock:
            self._registry.setdefault(key, {})["subkeys"] = list(keys)
        return keys

    def to_dict(self) -> dict[str, Any]:
        u = self.inner.user()
        return {
            "format": FORMAT,
            "version": VERSION,
            "platform": self.platform,
            "hostname": self.inner.hostname(),
            "now": self.inner.now().isoformat(),
            "user": {
                "name": u.name,
                "uid": u.uid,
                "groups": list(u.groups),
                "home": u.home,
                "is_admin": u.is_admin,
                "sid": u.sid,
            },
            "env": dict(self._env),
            "commands": list(self._commands),
            "files": dict(self._files),
            "sqlite": list(self._sqlite),
            "listeners": self._listeners,
            "processes": self._processes,
            "registry": dict(self._registry),
        }


def _asdict(obj: Any) -> dict[str, Any]:
    from dataclasses import asdict

    d = asdict(obj)
    for k, v in d.items():
        if isinstance(v, tuple):
            d[k] = list(v)
    return d
