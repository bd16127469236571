"""Another account's registry read from its NTUSER.DAT, read-only, when nobody of that account is logged in.

Windows loads an account's hive (``HKU\\<SID>``) only while it is logged in. Loading a
hive file with ``reg load`` changes the running system and can leave it loaded; the
file itself, readable with administrator rights while its account is logged off, is
parsed here instead (regipy), from a descriptor opened without following links.
Nothing is written; a hive that cannot be parsed is reported, never guessed.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from clinicguard.host import FileMissing, Host, HostError

HIVE_FILE = "NTUSER.DAT"
HIVE_LIMIT = 256 * 1024 * 1024  # user hives are a few MB; anything far bigger is not one


class HiveUnreadable(HostError):
    """The account's hive file exists but could not be parsed or opened."""

    word = "hive_unreadable"


class OfflineHive:
    """Values and sub-keys of one hive file; keys are paths below the hive root ("Software\\...")."""

    def __init__(self, path: str) -> None:
        from regipy.registry import RegistryHive

        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags)
        except FileNotFoundError as exc:
            raise FileMissing(path) from exc
        except OSError as exc:
            raise HiveUnreadable(f"{path}: {exc.strerror or exc}") from exc
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > HIVE_LIMIT:
                raise HiveUnreadable(f"{path}: not a registry hive file")
            # regipy reads the whole file from the descriptor it is given, and closes that one.
            self._hive = RegistryHive(os.dup(fd))
        except HostError:
            raise
        except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted file is "unreadable"
            raise HiveUnreadable(f"{path}: {type(exc).__name__}") from exc
        finally:
            os.close(fd)
        self.path = path

    def _key(self, subkey: str) -> Any:  # a regipy key
        from regipy.exceptions import RegistryKeyNotFoundException

        try:
            return self._hive.get_key("\\" + subkey.strip("\\"))
        except RegistryKeyNotFoundException as exc:
            raise FileMissing(subkey) from exc
        except Exception as exc:  # noqa: BLE001 - a damaged cell is a read error of that key only
            raise HiveUnreadable(f"{self.path}: {subkey}: {type(exc).__name__}") from exc

    def values(self, subkey: str) -> dict[str, object]:
        key = self._key(subkey)
        try:
            return {str(v.name): v.value for v in key.get_values()}
        except Exception as exc:  # noqa: BLE001
            raise HiveUnreadable(f"{self.path}: {subkey}: {type(exc).__name__}") from exc

    def subkeys(self, subkey: str) -> list[str]:
        key = self._key(subkey)
        try:
            return [str(k.name) for k in key.iter_subkeys()]
        except Exception as exc:  # noqa: BLE001
            raise HiveUnreadable(f"{self.path}: {subkey}: {type(exc).__name__}") from exc


def open_offline_hive(host: Host, home: str) -> OfflineHive:
    """The profile's hive file, read-only; FileMissing when absent, HiveUnreadable when not parsable.

    Only real files can be parsed: a recording has none (FileMissing).
    """
    local_path = getattr(host, "local_path", None)
    path = local_path(f"{home.rstrip('/')}/{HIVE_FILE}") if local_path is not None else None
    if path is None:
        raise FileMissing(f"{home}/{HIVE_FILE}")
    try:
        import regipy  # noqa: F401
    except ImportError as exc:
        raise HiveUnreadable("regipy is not installed") from exc
    return OfflineHive(path)
