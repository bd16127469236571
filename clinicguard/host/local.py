"""The real machine."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

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
from clinicguard.host.safeopen import NotRegularFile, open_regular, read_regular

CHUNK = 64 * 1024


def current_platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def _drain(stream, keep: bytearray, limit: int, flags: dict[str, bool]) -> None:
    """Read a pipe to the end, keeping at most ``limit`` bytes."""
    try:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            room = limit - len(keep)
            if room > 0:
                keep.extend(chunk[:room])
            if len(chunk) > max(room, 0):
                flags["truncated"] = True
    except (OSError, ValueError):
        pass


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """Decode command or file output without ever failing on bad bytes."""
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


class LocalHost:
    """Runs commands and reads files on this computer.

    ``root`` re-roots every file path (not commands) under another folder, so
    tests can build a fake tree in a temporary directory.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.platform = current_platform()
        self._root = Path(root) if root is not None else None
        self._user: UserInfo | None = None

    # -- paths ---------------------------------------------------------
    def _p(self, path: str) -> Path:
        if self._root is None:
            return Path(path)
        return self._root / path.lstrip("/\\").replace(":", "")

    def local_path(self, path: str) -> str | None:
        """The real path on this computer, for fast walks with os.scandir."""
        if self._root is None:
            return path
        return str(self._p(path.replace("\\", "/")))

    # -- commands ------------------------------------------------------
    def run(
        self,
        argv: list[str],
        timeout: float = DEFAULT_TIMEOUT_S,
        env: dict[str, str] | None = None,
        encoding: str = "utf-8",
    ) -> CommandResult:
        child_env = dict(os.environ)
        if self.platform != "windows":
            # Stable, language-neutral output from POSIX tools.
            child_env.update({"LC_ALL": "C", "LANG": "C", "LANGUAGE": "C"})
        if env:
            child_env.update(env)
        kwargs: dict = {}
        if self.platform == "windows":
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        else:
            kwargs["start_new_session"] = True
        try:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=child_env,
                **kwargs,
            )
        except FileNotFoundError as exc:
            raise ToolMissing(f"{argv[0]}: not installed", note=note("host.tool_missing", tool=argv[0])) from exc
        except PermissionError as exc:
            raise AccessDenied(f"{argv[0]}: permission denied", note=note("host.run_denied", tool=argv[0])) from exc
        except OSError as exc:
            raise HostError(f"{argv[0]}: {exc.strerror or exc}") from exc
        out, err = bytearray(), bytearray()
        flags = {"truncated": False}
        readers = [
            threading.Thread(target=_drain, args=(proc.stdout, out, MAX_OUTPUT_BYTES, flags), daemon=True),
            threading.Thread(target=_drain, args=(proc.stderr, err, 256 * 1024, {}), daemon=True),
        ]
        for t in readers:
            t.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            self._kill(proc)
            raise CommandTimeout(
                f"{argv[0]}: no answer after {timeout:g} s",
                note=note("host.timed_out", tool=argv[0], seconds=f"{timeout:g}"),
            ) from exc
        for t in readers:
            t.join(timeout=2)
        return CommandResult(
            argv=tuple(argv),
            returncode=proc.returncode,
            stdout=decode(bytes(out), encoding),
            stderr=decode(bytes(err), encoding),
            truncated=flags["truncated"],
        )

    @staticmethod
    def _kill(proc: subprocess.Popen) -> None:
        with contextlib.suppress(OSError):
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, 9)
            else:
                proc.kill()
        with contextlib.suppress(Exception):
            proc.wait(timeout=2)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()

    # -- files ---------------------------------------------------------
    def read_bytes(self, path: str, limit: int = MAX_OUTPUT_BYTES) -> bytes:
        # Never blocks on a FIFO nor reads a device: another account may have swapped the file.
        try:
            return read_regular(self._p(path), limit)
        except NotRegularFile as exc:
            raise SpecialFile(f"{path}: not a regular file") from exc
        except FileNotFoundError as exc:
            raise FileMissing(path) from exc
        except PermissionError as exc:
            raise AccessDenied(path) from exc
        except OSError as exc:
            raise HostError(f"{path}: {exc.strerror or exc}") from exc

    def read_text(self, path: str, limit: int = MAX_OUTPUT_BYTES) -> str:
        return decode(self.read_bytes(path, limit))

    def exists(self, path: str) -> bool:
        try:
            return self._p(path).exists()
        except OSError:
            return False

    def is_dir(self, path: str) -> bool:
        try:
            return self._p(path).is_dir()
        except OSError:
            return False

    def listdir(self, path: str) -> list[str]:
        try:
            return sorted(os.listdir(self._p(path)))
        except FileNotFoundError as exc:
            raise FileMissing(path) from exc
        except PermissionError as exc:
            raise AccessDenied(path) from exc
        except OSError as exc:
            raise HostError(f"{path}: {exc.strerror or exc}") from exc

    def mtime(self, path: str) -> float:
        try:
            return self._p(path).stat().st_mtime
        except FileNotFoundError as exc:
            raise FileMissing(path) from exc
        except PermissionError as exc:
            raise AccessDenied(path) from exc
        except OSError as exc:
            raise HostError(f"{path}: {exc.strerror or exc}") from exc

    def sqlite_scalar(self, path: str, sql: str) -> int | None:
        """Run one read-only aggregate query on a SQLite file.

        The database is opened immutable and read-only: nothing is copied and
        nothing is written, even when the owning program holds it open.
        """
        real = self._p(path)
        try:
            os.close(open_regular(real)[0])  # a FIFO swapped in would make SQLite wait forever
        except NotRegularFile as exc:
            raise SpecialFile(f"{path}: not a regular file") from exc
        except FileNotFoundError as exc:
            raise FileMissing(path) from exc
        except PermissionError as exc:
            raise AccessDenied(path) from exc
        except OSError as exc:
            raise HostError(f"{path}: {exc.strerror or exc}") from exc
        uri = real.resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            con = sqlite3.connect(uri, uri=True, timeout=1)
            try:
                row = con.execute(sql).fetchone()
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            raise HostError(f"{path}: unreadable database ({exc})") from exc
        if row is None or row[0] is None:
            return None
        return int(row[0])

    # -- identity ------------------------------------------------------
    def env(self, name: str) -> str | None:
        return os.environ.get(name)

    def hostname(self) -> str:
        return socket.gethostname()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def user(self) -> UserInfo:
        if self._user is None:
            self._user = _posix_user() if self.platform != "windows" else _windows_user()
        return self._user

    # -- live state ----------------------------------------------------
    def listeners(self) -> list[Listener]:
        import psutil

        try:
            conns = psutil.net_connections(kind="inet")
        except psutil.AccessDenied as exc:
            raise AccessDenied("listening sockets", note=note("host.sockets_denied")) from exc
        names: dict[int, str] = {}
        found: set[Listener] = set()
        for c in conns:
            if not c.laddr:
                continue
            if c.type == socket.SOCK_STREAM and c.status != psutil.CONN_LISTEN:
                continue
            if c.type == socket.SOCK_DGRAM and c.raddr:
                continue
            name = ""
            if c.pid:
                if c.pid not in names:
                    try:
                        names[c.pid] = psutil.Process(c.pid).name()
                    except (psutil.Error, OSError):
                        names[c.pid] = ""
                name = names[c.pid]
            proto = "tcp" if c.type == socket.SOCK_STREAM else "udp"
            found.add(Listener(ip=c.laddr.ip, port=c.laddr.port, proto=proto, process=name))
        return sorted(found, key=lambda x: (x.proto, x.port, x.ip))

    def processes(self) -> list[ProcessInfo]:
        import psutil

        out = []
        for p in psutil.process_iter(["pid", "name", "exe", "cmdline"]):
            info = p.info
            out.append(
                ProcessInfo(
                    pid=info["pid"],
                    name=info.get("name") or "",
                    exe=info.get("exe") or "",
                    cmdline=tuple(info.get("cmdline") or ()),
                )
            )
        return out

    # -- Windows registry ----------------------------------------------
    def registry_values(self, key: str) -> dict[str, object]:
        from clinicguard.host import winreg_access

        return winreg_access.values(key)

    def registry_subkeys(self, key: str) -> list[str]:
        from clinicguard.host import winreg_access

        return winreg_access.subkeys(key)


def _posix_user() -> UserInfo:
    import grp
    import pwd

    euid = os.geteuid()
    name = os.environ.get("SUDO_USER") if euid == 0 else None
    if euid == 0 and not name and os.environ.get("PKEXEC_UID", "").isdigit():
        # Started through pkexec (clinicguard --elevate on a desktop): the person is the one who asked.
        try:
            name = pwd.getpwuid(int(os.environ["PKEXEC_UID"])).pw_name
        except KeyError:
            name = None
    try:
        entry = pwd.getpwnam(name) if name else pwd.getpwuid(os.getuid())
    except KeyError:
        return UserInfo(name=name or str(os.getuid()), uid=os.getuid(), is_admin=euid == 0)
    try:
        gids = os.getgrouplist(entry.pw_name, entry.pw_gid)
    except OSError:
        gids = [entry.pw_gid]
    groups = []
    for gid in gids:
        try:
            groups.append(grp.getgrgid(gid).gr_name)
        except KeyError:
            groups.append(str(gid))
    return UserInfo(
        name=entry.pw_name,
        uid=entry.pw_uid,
        groups=tuple(groups),
        home=entry.pw_dir,
        is_admin=euid == 0,
    )


def _windows_user() -> UserInfo:
    admin = False
    try:
        import ctypes

        admin = bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        admin = False
    return UserInfo(
        name=os.environ.get("USERNAME", ""),
        home=os.environ.get("USERPROFILE", ""),
        is_admin=admin,
    )
