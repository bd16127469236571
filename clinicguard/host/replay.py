"""Replay of a recording: :class:`RecordedHost` answers as the recorded machine did (see :mod:`.recording`)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clinicguard.core.notes import note
from clinicguard.host.base import (
    DEFAULT_TIMEOUT_S,
    MAX_OUTPUT_BYTES,
    AccessDenied,
    CommandResult,
    CommandTimeout,
    FileMissing,
    HostError,
    Listener,
    ProcessInfo,
    SpecialFile,
    ToolMissing,
    UserInfo,
)
from clinicguard.host.local import decode
from clinicguard.host.recording import (
    REPLAYABLE_PLATFORMS,
    RecordingError,
    _no_constant,
    check_shape,
    decode_reg_value,
    norm_path,
)
from clinicguard.host.safeopen import NotRegularFile, read_regular

MAX_RECORDING_BYTES = 32 * 1024 * 1024


MAX_EXTERNAL_BYTES = 16 * 1024 * 1024  # a command output or file kept beside the recording


def _raise(error: str, what: str) -> None:
    name = what.removeprefix("cmd:")
    if error == "missing":
        if what.startswith("cmd:"):
            raise ToolMissing(name, note=note("host.tool_missing", tool=name))
        raise FileMissing(name)
    if error == "denied":
        raise AccessDenied(
            name, note=note("host.sockets_denied") if name == "listening sockets" else note("host.denied", what=name)
        )
    if error == "timeout":
        raise CommandTimeout(name, note=note("host.no_answer", tool=name))
    if error == "special":
        raise SpecialFile(what.removeprefix("cmd:"))
    raise HostError(f"{what.removeprefix('cmd:')}: {error}")


class RecordedHost:
    """Answers from a recording instead of the real machine."""

    def __init__(self, data: dict[str, Any], base_dir: Path | None = None) -> None:
        check_shape(data)
        self.data = data
        self.platform = data.get("platform", "linux")
        self._base = base_dir.resolve() if base_dir is not None else None
        self._files = {norm_path(k): v for k, v in data.get("files", {}).items()}
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
            raise RecordingError(
                f"{path}: unknown platform {str(host.platform)[:40]!r} (known: {', '.join(REPLAYABLE_PLATFORMS)})"
            )
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
        raise ToolMissing(f"{argv[0]}: not installed", note=note("host.tool_missing", tool=argv[0]))

    # -- files ---------------------------------------------------------
    def _entry(self, path: str) -> dict[str, Any] | None:
        return self._files.get(norm_path(path))

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
        prefix = norm_path(path).rstrip("/") + "/"
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
            if norm_path(entry.get("path", "")) == norm_path(path) and entry.get("sql") == sql:
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
        return {k: decode_reg_value(v) for k, v in entry.get("values", {}).items()}

    def registry_subkeys(self, key: str) -> list[str]:
        entry = self._registry.get(key.lower())
        if entry is None:
            raise FileMissing(key)
        if entry.get("error"):
            _raise(entry["error"], key)
        return list(entry.get("subkeys", []))
