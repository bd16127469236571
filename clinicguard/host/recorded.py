"""Replay and capture of host answers.

A recording is one JSON document::

    {"format": "clinicguard-host", "version": 1, "platform": "linux",
     "hostname": "pc-accueil", "now": "2026-11-28T09:00:00+00:00",
     "user": {"name": "alice", "uid": 1000, "groups": ["alice", "sudo"], "is_admin": false},
     "env": {"XDG_CURRENT_DESKTOP": "GNOME"},
     "commands": [{"argv": ["lsblk", "-J"], "returncode": 0, "stdout": "...", "stderr": ""},
                  {"argv": ["ufw", "status"], "error": "missing"}],
     "files": {"/etc/login.defs": {"text": "..."}, "/etc/shadow": {"error": "denied"},
               "/var/lib/apt/lists": {"dir": ["a_InRelease"]}},
     "sqlite": [{"path": "...", "sql": "...", "value": 3}],
     "listeners": [{"ip": "0.0.0.0", "port": 22, "proto": "tcp", "process": "sshd"}],
     "processes": [...],
     "registry": {"HKLM\\SOFTWARE\\...": {"values": {"X": 1}, "subkeys": []}}}

A command entry with ``"match": "prefix"`` answers any command line that
starts with its ``argv`` (used for long generated scripts, such as the
batched PowerShell of the Windows probes, whose text changes between
versions). Anything not recorded behaves as absent on the replayed machine (missing
program, missing file). ``"error"`` may be ``missing``, ``denied``,
``timeout``, ``special`` (a FIFO or device, never read) or any other text (a generic failure).

``text_file``/``stdout_file``/``stderr_file`` name a file beside the recording; it is read only when it
resolves inside the recording's folder and is a regular file under ``MAX_EXTERNAL_BYTES``. A file entry
with ``"redacted": "<source id>"`` holds a stand-in derived from a secret-bearing file, not its content
(``clinicguard/data/secret_files.toml``).
"""

from __future__ import annotations

import base64
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clinicguard.host.base import (
    DEFAULT_TIMEOUT_S,
    MAX_OUTPUT_BYTES,
    AccessDenied,
    CommandResult,
    CommandTimeout,
    FileMissing,
    Host,
    HostError,
    Listener,
    ProcessInfo,
    SpecialFile,
    ToolMissing,
    UserInfo,
)
from clinicguard.host.local import decode
from clinicguard.host.safeopen import NotRegularFile, read_regular

FORMAT = "clinicguard-host"
VERSION = 1
MAX_RECORDING_BYTES = 32 * 1024 * 1024
MAX_EXTERNAL_BYTES = 16 * 1024 * 1024  # a command output or file kept beside the recording


class RecordingError(ValueError):
    """A file given as a recording is not one (the message names the file)."""


# Expected JSON type of each top-level part of a recording.
_PARTS: dict[str, type | tuple[type, ...]] = {
    "hostname": str, "now": str, "user": dict, "env": dict, "commands": list, "files": dict,
    "sqlite": list, "listeners": (list, dict), "processes": (list, dict), "registry": dict,
}
_ENTRY_TYPES: dict[str, type | tuple[type, ...]] = {
    "argv": list, "returncode": int, "stdout": str, "stderr": str, "stdout_file": str, "stderr_file": str,
    "stdout_b64": str, "error": str, "match": str, "text": str, "text_file": str, "base64": str, "dir": list,
    "mtime": (int, float), "path": str, "sql": str, "value": (int, type(None)), "values": dict, "subkeys": list,
}


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a machine answers")


def _where(part: str, key: object) -> str:
    return f"'{part}' entry {str(key)[:80]!r}"


def _check_entry(entry: object, where: str) -> None:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected an object")
    for name, expected in _ENTRY_TYPES.items():
        value = entry.get(name)
        if name in entry and (not isinstance(value, expected) or isinstance(value, bool)):
            raise ValueError(f"{where}: '{name}' has the wrong type")
    for name in ("argv", "dir", "subkeys"):
        if name in entry and not all(isinstance(x, str) for x in entry[name]):
            raise ValueError(f"{where}: '{name}' must hold text only")
    if isinstance(entry.get("returncode"), int) and not -(2**31) <= entry["returncode"] < 2**32:
        raise ValueError(f"{where}: 'returncode' out of range")


def check_shape(data: object) -> None:
    """ValueError unless ``data`` has the shape of a recording (types only, so replay cannot crash)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a clinicguard host recording (missing 'format')")
    for part, expected in _PARTS.items():
        if part in data and not isinstance(data[part], expected):
            raise ValueError(f"'{part}' has the wrong type")
    if "now" in data:
        try:
            datetime.fromisoformat(data["now"])
        except ValueError as exc:
            raise ValueError("'now' is not an ISO 8601 date") from exc
    for i, entry in enumerate(data.get("commands", [])):
        _check_entry(entry, _where("commands", i))
        if not entry.get("argv"):
            raise ValueError(f"{_where('commands', i)}: 'argv' missing")
    for key, entry in data.get("files", {}).items():
        _check_entry(entry, _where("files", key))
    for i, entry in enumerate(data.get("sqlite", [])):
        _check_entry(entry, _where("sqlite", i))
    for key, entry in data.get("registry", {}).items():
        _check_entry(entry, _where("registry", key))
    for part in ("listeners", "processes"):
        items = data.get(part, [])
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                raise ValueError(f"{_where(part, i)}: expected an object")
    for i, item in enumerate(data.get("listeners", []) if isinstance(data.get("listeners"), list) else []):
        if not isinstance(item.get("ip"), str) or not isinstance(item.get("port"), int) or set(item) - {
                "ip", "port", "proto", "process"}:
            raise ValueError(f"{_where('listeners', i)}: expected ip, port, proto and process")
    for i, item in enumerate(data.get("processes", []) if isinstance(data.get("processes"), list) else []):
        if not isinstance(item.get("pid"), int) or not isinstance(item.get("cmdline", []), list):
            raise ValueError(f"{_where('processes', i)}: expected a pid and a command line list")
    user = data.get("user", {})
    for name in ("name", "home", "sid"):
        if name in user and not isinstance(user[name], str):
            raise ValueError(f"'user.{name}' has the wrong type")
    if "groups" in user and not (isinstance(user["groups"], list) and all(isinstance(g, str) for g in user["groups"])):
        raise ValueError("'user.groups' must be a list of names")
    if "uid" in user and user["uid"] is not None and not isinstance(user["uid"], int):
        raise ValueError("'user.uid' has the wrong type")
    if not all(isinstance(v, str) for v in data.get("env", {}).values()):
        raise ValueError("'env' values must be text")
REPLAYABLE_PLATFORMS = ("windows", "linux", "macos")


def _raise(error: str, what: str) -> None:
    if error == "missing":
        raise (ToolMissing if what.startswith("cmd:") else FileMissing)(what.removeprefix("cmd:"))
    if error == "denied":
        raise AccessDenied(what.removeprefix("cmd:"))
    if error == "timeout":
        raise CommandTimeout(what.removeprefix("cmd:"))
    if error == "special":
        raise SpecialFile(what.removeprefix("cmd:"))
    raise HostError(f"{what.removeprefix('cmd:')}: {error}")


def _norm(path: str) -> str:
    p = path.replace("\\", "/")
    return p.rstrip("/") if len(p) > 1 else p


def _decode_reg(value: Any) -> object:
    if isinstance(value, dict) and "__bytes__" in value:
        return base64.b64decode(value["__bytes__"])
    return value


def _encode_reg(value: object) -> Any:
    if isinstance(value, bytes | bytearray):
        return {"__bytes__": base64.b64encode(bytes(value)).decode()}
    return value


class RecordedHost:
    """Answers from a recording instead of the real machine."""

    def __init__(self, data: dict[str, Any], base_dir: Path | None = None) -> None:
        check_shape(data)
        self.data = data
        self.platform = data.get("platform", "linux")
        self._base = base_dir.resolve() if base_dir is not None else None
        self._files = {_norm(k): v for k, v in data.get("files", {}).items()}
        self._registry = {k.lower(): v for k, v in data.get("registry", {}).items()}

    @classmethod
    def load(cls, path: str | Path) -> RecordedHost:
        """Read a recording; RecordingError (naming the file) when it is not one."""
        path = Path(path)
        try:
            raw = read_regular(path, MAX_RECORDING_BYTES + 1)
        except NotRegularFile as exc:
            raise RecordingError(f"{path}: not a regular file") from exc
        except OSError as exc:
            raise RecordingError(f"{path}: {exc.strerror or exc}") from exc
        if len(raw) > MAX_RECORDING_BYTES:
            raise RecordingError(f"{path}: larger than {MAX_RECORDING_BYTES // (1024 * 1024)} MB, not a recording")
        try:
            data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise RecordingError(f"{path}: not valid JSON ({str(exc)[:120]})") from exc
        try:
            host = cls(data, base_dir=path.parent)
        except ValueError as exc:
            raise RecordingError(f"{path}: {exc}") from exc
        # No probe runs on a platform nobody wrote probes for: the score would come from the answers alone.
        if host.platform not in REPLAYABLE_PLATFORMS:
            raise RecordingError(f"{path}: unknown platform {str(host.platform)[:40]!r} "
                                 f"(known: {', '.join(REPLAYABLE_PLATFORMS)})")
        return host

    def _external(self, entry: dict[str, Any], key: str) -> str | None:
        """Text kept in a file beside the recording; only inside the recording's folder."""
        name = entry.get(key + "_file")
        if not name:
            return entry.get(key)
        if self._base is None:
            raise HostError(f"{name}: no folder to read it from")
        if not isinstance(name, str):
            raise HostError(f"{key}_file: not a file name")
        target = (self._base / name).resolve()
        if not target.is_relative_to(self._base):
            raise HostError(f"{name}: outside the recording's folder")
        try:
            data = read_regular(target, MAX_EXTERNAL_BYTES + 1)
        except NotRegularFile as exc:
            raise HostError(f"{name}: not a regular file") from exc
        except OSError as exc:
            raise HostError(f"{name}: {exc.strerror or exc}") from exc
        if len(data) > MAX_EXTERNAL_BYTES:
            raise HostError(f"{name}: larger than {MAX_EXTERNAL_BYTES // (1024 * 1024)} MB")
        return data.decode("utf-8", errors="replace")

    # -- commands ------------------------------------------------------
    def run(
        self,
        argv: list[str],
        timeout: float = DEFAULT_TIMEOUT_S,
        env: dict[str, str] | None = None,
        encoding: str = "utf-8",
    ) -> CommandResult:
        for entry in self.data.get("commands", []):
            expected = list(entry.get("argv", []))
            if expected == list(argv) or (entry.get("match") == "prefix" and list(argv)[: len(expected)] == expected):
                if entry.get("error"):
                    _raise(entry["error"], "cmd:" + argv[0])
                stdout = self._external(entry, "stdout") or ""
                if "stdout_b64" in entry:
                    stdout = decode(base64.b64decode(entry["stdout_b64"]), encoding)
                truncated = len(stdout.encode("utf-8", "replace")) > MAX_OUTPUT_BYTES
                if truncated:
                    stdout = stdout[:MAX_OUTPUT_BYTES]
                return CommandResult(
                    argv=tuple(argv),
                    returncode=int(entry.get("returncode", 0)),
                    stdout=stdout,
                    stderr=self._external(entry, "stderr") or "",
                    truncated=truncated,
                )
        raise ToolMissing(f"{argv[0]}: not installed")

    # -- files ---------------------------------------------------------
    def _entry(self, path: str) -> dict[str, Any] | None:
        return self._files.get(_norm(path))

    def read_bytes(self, path: str, limit: int = MAX_OUTPUT_BYTES) -> bytes:
        entry = self._entry(path)
        if entry is None:
            raise FileMissing(path)
        if entry.get("error"):
            _raise(entry["error"], path)
        if "dir" in entry:
            raise HostError(f"{path}: is a directory")
        if "base64" in entry:
            return base64.b64decode(entry["base64"])[:limit]
        text = self._external(entry, "text") or ""
        return text.encode("utf-8")[:limit]

    def read_text(self, path: str, limit: int = MAX_OUTPUT_BYTES) -> str:
        return decode(self.read_bytes(path, limit))

    def local_path(self, path: str) -> str | None:
        """None: a recording has no real files, walks use listdir instead."""
        return None

    def _children(self, path: str) -> set[str]:
        prefix = _norm(path).rstrip("/") + "/"
        return {
            k[len(prefix) :].split("/", 1)[0]
            for k, v in self._files.items()
            if k.startswith(prefix) and v.get("error") != "missing"
        }

    def exists(self, path: str) -> bool:
        entry = self._entry(path)
        if entry is not None:
            return entry.get("error") not in ("missing",)
        return bool(self._children(path))

    def is_dir(self, path: str) -> bool:
        entry = self._entry(path)
        if entry is not None and "dir" in entry:
            return True
        return bool(self._children(path))

    def listdir(self, path: str) -> list[str]:
        entry = self._entry(path)
        if entry is not None and entry.get("error"):
            _raise(entry["error"], path)
        names = set(entry.get("dir", [])) if entry else set()
        names |= self._children(path)
        if entry is None and not names:
            raise FileMissing(path)
        return sorted(names)

    def mtime(self, path: str) -> float:
        entry = self._entry(path)
        if entry is None:
            if self._children(path):
                raise HostError(f"{path}: no time recorded")
            raise FileMissing(path)
        if entry.get("error"):
            _raise(entry["error"], path)
        if "mtime" not in entry:
            raise HostError(f"{path}: no time recorded")
        return float(entry["mtime"])

    def sqlite_scalar(self, path: str, sql: str) -> int | None:
        for entry in self.data.get("sqlite", []):
            if _norm(entry.get("path", "")) == _norm(path) and entry.get("sql") == sql:
                if entry.get("error"):
                    _raise(entry["error"], path)
                value = entry.get("value")
                return None if value is None else int(value)
        raise FileMissing(path)

    # -- identity ------------------------------------------------------
    def env(self, name: str) -> str | None:
        return self.data.get("env", {}).get(name)

    def hostname(self) -> str:
        return self.data.get("hostname", "recorded-host")

    def now(self) -> datetime:
        raw = self.data.get("now")
        if not raw:
            return datetime.now(UTC)
        value = datetime.fromisoformat(raw)
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def user(self) -> UserInfo:
        u = self.data.get("user", {})
        return UserInfo(
            name=u.get("name", "user"),
            uid=u.get("uid"),
            groups=tuple(u.get("groups", ())),
            home=u.get("home", ""),
            is_admin=bool(u.get("is_admin", False)),
            sid=u.get("sid", ""),
        )

    # -- live state ----------------------------------------------------
    def listeners(self) -> list[Listener]:
        raw = self.data.get("listeners", [])
        if isinstance(raw, dict):
            _raise(raw.get("error", "failed"), "listening sockets")
        return [Listener(**item) for item in raw]

    def processes(self) -> list[ProcessInfo]:
        raw = self.data.get("processes", [])
        if isinstance(raw, dict):
            _raise(raw.get("error", "failed"), "processes")
        return [
            ProcessInfo(pid=p["pid"], name=p.get("name", ""), exe=p.get("exe", ""), cmdline=tuple(p.get("cmdline", ())))
            for p in raw
        ]

    def registry_values(self, key: str) -> dict[str, object]:
        entry = self._registry.get(key.lower())
        if entry is None:
            raise FileMissing(key)
        if entry.get("error"):
            _raise(entry["error"], key)
        return {k: _decode_reg(v) for k, v in entry.get("values", {}).items()}

    def registry_subkeys(self, key: str) -> list[str]:
        entry = self._registry.get(key.lower())
        if entry is None:
            raise FileMissing(key)
        if entry.get("error"):
            _raise(entry["error"], key)
        return list(entry.get("subkeys", []))


def _error_name(exc: HostError) -> str:
    if isinstance(exc, ToolMissing | FileMissing):
        return "missing"
    if isinstance(exc, AccessDenied):
        return "denied"
    if isinstance(exc, CommandTimeout):
        return "timeout"
    if isinstance(exc, SpecialFile):
        return "special"
    return str(exc) or "failed"


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
                self._commands.append({"argv": list(argv), "error": _error_name(exc)})
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
                self._file(path)["error"] = _error_name(exc)
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
                self._file(path)["error"] = _error_name(exc)
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
                self._file(path).setdefault("error", _error_name(exc))
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
                self._sqlite.append({"path": path, "sql": sql, "error": _error_name(exc)})
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
            self._listeners = {"error": _error_name(exc)}
            raise
        self._listeners = [vars(x) if hasattr(x, "__dict__") else _asdict(x) for x in found]
        return found

    def processes(self) -> list[ProcessInfo]:
        try:
            found = self.inner.processes()
        except HostError as exc:
            self._processes = {"error": _error_name(exc)}
            raise
        self._processes = [_asdict(p) for p in found]
        return found

    def registry_values(self, key: str) -> dict[str, object]:
        try:
            vals = self.inner.registry_values(key)
        except HostError as exc:
            with self._lock:
                self._registry.setdefault(key, {})["error"] = _error_name(exc)
            raise
        with self._lock:
            self._registry.setdefault(key, {})["values"] = {k: _encode_reg(v) for k, v in vals.items()}
        return vals

    def registry_subkeys(self, key: str) -> list[str]:
        try:
            keys = self.inner.registry_subkeys(key)
        except HostError as exc:
            with self._lock:
                self._registry.setdefault(key, {})["error"] = _error_name(exc)
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
