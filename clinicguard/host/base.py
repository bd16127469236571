"""The Host interface and the typed errors its methods raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from clinicguard.core.errors import NotEstablished
from clinicguard.core.model import Reason, UserInfo  # UserInfo belongs to the results model; re-exported here

# Commands never get more than this much output kept; the rest is dropped.
MAX_OUTPUT_BYTES = 4 * 1024 * 1024
DEFAULT_TIMEOUT_S = 10.0


class HostError(NotEstablished):
    """A fact could not be obtained from the host; each kind carries its grey reason.

    The message (``str``) is the technical English line for the log; ``note``, when given, is the same thing as a
    catalogue note (core.notes) and is what screens and reports show, in the reader's language.
    """

    reason = Reason.NOT_READABLE

    def __init__(self, message: str = "", *, note: str = "") -> None:
        super().__init__(message)
        self._note = note

    @property
    def detail(self) -> str:
        return self._note or str(self)


class ToolMissing(HostError):
    """The program to run is not installed."""

    reason = Reason.TOOL_MISSING


class CommandTimeout(HostError):
    """The program did not finish within its timeout."""

    reason = Reason.TIMED_OUT


class AccessDenied(HostError):
    """The operating system refused access (needs more rights)."""

    reason = Reason.NEEDS_ADMIN


class FileMissing(HostError):
    """The file, directory or registry value does not exist."""

    reason = Reason.NOT_FOUND


class SpecialFile(HostError):
    """A FIFO, device, socket or folder where a file was expected: never read, so nothing was missed."""


@dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    truncated: bool = False

    @property
    def source(self) -> str:
        return " ".join(self.argv)


@dataclass(frozen=True)
class Listener:
    """A listening network socket."""

    ip: str
    port: int
    proto: str = "tcp"
    process: str = ""


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    name: str
    exe: str = ""
    cmdline: tuple[str, ...] = field(default_factory=tuple)


class Host(Protocol):
    """What probes may ask of a machine. Every method may raise HostError."""

    platform: str  # "linux" | "windows" | "macos"

    def run(
        self, argv: list[str], timeout: float = DEFAULT_TIMEOUT_S, env: dict[str, str] | None = None
    ) -> CommandResult: ...

    def read_bytes(self, path: str, limit: int = MAX_OUTPUT_BYTES) -> bytes: ...

    def read_text(self, path: str, limit: int = MAX_OUTPUT_BYTES) -> str: ...

    def exists(self, path: str) -> bool: ...

    def is_dir(self, path: str) -> bool: ...

    def listdir(self, path: str) -> list[str]: ...

    def mtime(self, path: str) -> float: ...

    def sqlite_scalar(self, path: str, sql: str) -> int | None: ...

    def env(self, name: str) -> str | None: ...

    def user(self) -> UserInfo: ...

    def hostname(self) -> str: ...

    def now(self) -> datetime: ...

    def listeners(self) -> list[Listener]: ...

    def processes(self) -> list[ProcessInfo]: ...

    def registry_values(self, key: str) -> dict[str, object]: ...

    def registry_subkeys(self, key: str) -> list[str]: ...
