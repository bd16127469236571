"""Helpers for the infostealer tests: temporary trees seen as a given OS."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from clinicguard.host import FileMissing, ProcessInfo, ToolMissing, UserInfo
from clinicguard.host.local import LocalHost
from clinicguard.infostealer.hashing import HashList
from clinicguard.infostealer.signs import collect_signs

WIN_ENV = {
    "USERPROFILE": "C:\\Users\\alice",
    "APPDATA": "C:\\Users\\alice\\AppData\\Roaming",
    "LOCALAPPDATA": "C:\\Users\\alice\\AppData\\Local",
    "TEMP": "C:\\Users\\alice\\AppData\\Local\\Temp",
    "ProgramData": "C:\\ProgramData",
    "PUBLIC": "C:\\Users\\Public",
}
HOMES = {"windows": "C:/Users/alice", "linux": "/home/alice", "macos": "/Users/alice"}


class TreeHost(LocalHost):
    """A temporary folder seen as a machine of ``platform``; no commands, no registry."""

    def __init__(
        self,
        root: Path,
        platform: str,
        processes: tuple[ProcessInfo, ...] = (),
        registry: dict[str, dict[str, object]] | None = None,
    ) -> None:
        super().__init__(root=root)
        self.platform = platform
        self._user = UserInfo(name="alice", uid=1000, home=HOMES[platform])
        self._procs = processes
        self._reg = {k.lower(): v for k, v in (registry or {}).items()}

    def env(self, name: str) -> str | None:
        return WIN_ENV.get(name) if self.platform == "windows" else None

    def processes(self) -> list[ProcessInfo]:
        return list(self._procs)

    def run(self, argv, timeout=10.0, env=None, encoding="utf-8"):  # type: ignore[no-untyped-def]
        raise ToolMissing(argv[0])

    def registry_values(self, key: str) -> dict[str, object]:
        if key.lower() in self._reg:
            return dict(self._reg[key.lower()])
        raise FileMissing(key)

    def registry_subkeys(self, key: str) -> list[str]:
        raise FileMissing(key)


def put(root: Path, path: str, data: bytes | str = b"x", mode: int | None = None) -> Path:
    """Create ``path`` (an OS path such as C:/ProgramData/a.dll) under ``root``."""
    real = root / path.replace(":", "").lstrip("/")
    real.parent.mkdir(parents=True, exist_ok=True)
    real.write_bytes(data.encode() if isinstance(data, str) else data)
    if mode is not None:
        real.chmod(mode)
    return real


def zip_bytes(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, "x")
    return buf.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def no_hashes() -> HashList:
    return HashList(frozenset(), 0, 0)


def scan(host, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("hash_list", no_hashes())
    kw.setdefault("skip_mounts", frozenset())
    return collect_signs(host, **kw)


def rules_hit(signs) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.rule for h in signs.hits}
