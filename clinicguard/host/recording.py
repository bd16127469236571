"""The recording format: one JSON document of what a machine answered, and the check of its shape.

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
from datetime import datetime
from typing import Any

from clinicguard.core.errors import reason_of
from clinicguard.core.model import Reason
from clinicguard.host.base import SpecialFile

FORMAT = "clinicguard-host"


VERSION = 1


# The word a recording keeps for a failed call, by the Reason the host error carries (errors.reason_of).
# A FIFO or device is "special"; any other failure keeps its message.
ERROR_WORDS: dict[Reason, str] = {
    Reason.TOOL_MISSING: "missing",
    Reason.NOT_FOUND: "missing",
    Reason.NEEDS_ADMIN: "denied",
    Reason.TIMED_OUT: "timeout",
}


def error_word(exc: BaseException) -> str:
    """The ``"error"`` value a recording keeps for ``exc``; replayed, it raises an error of the same reason."""
    if isinstance(exc, SpecialFile):
        return "special"
    reason, _ = reason_of(exc)
    return ERROR_WORDS.get(reason) or str(exc) or "failed"


class RecordingError(ValueError):
    """A file given as a recording is not one (the message names the file)."""


# Expected JSON type of each top-level part of a recording.
_PARTS: dict[str, type | tuple[type, ...]] = {
    "hostname": str,
    "now": str,
    "user": dict,
    "env": dict,
    "commands": list,
    "files": dict,
    "sqlite": list,
    "listeners": (list, dict),
    "processes": (list, dict),
    "registry": dict,
}


_ENTRY_TYPES: dict[str, type | tuple[type, ...]] = {
    "argv": list,
    "returncode": int,
    "stdout": str,
    "stderr": str,
    "stdout_file": str,
    "stderr_file": str,
    "stdout_b64": str,
    "error": str,
    "match": str,
    "text": str,
    "text_file": str,
    "base64": str,
    "dir": list,
    "mtime": (int, float),
    "path": str,
    "sql": str,
    "value": (int, type(None)),
    "values": dict,
    "subkeys": list,
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
        if (
            not isinstance(item.get("ip"), str)
            or not isinstance(item.get("port"), int)
            or set(item) - {"ip", "port", "proto", "process"}
        ):
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


def norm_path(path: str) -> str:
    p = path.replace("\\", "/")
    return p.rstrip("/") if len(p) > 1 else p


def decode_reg_value(value: Any) -> object:
    if isinstance(value, dict) and "__bytes__" in value:
        return base64.b64decode(value["__bytes__"])
    return value


def encode_reg_value(value: object) -> Any:
    if isinstance(value, bytes | bytearray):
        return {"__bytes__": base64.b64encode(bytes(value)).decode()}
    return value
