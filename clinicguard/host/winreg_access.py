"""Registry reads for the local Windows host (imports cleanly elsewhere)."""

from __future__ import annotations

from clinicguard.host.base import AccessDenied, FileMissing, HostError

_HIVES = {
    "HKLM": "HKEY_LOCAL_MACHINE",
    "HKEY_LOCAL_MACHINE": "HKEY_LOCAL_MACHINE",
    "HKCU": "HKEY_CURRENT_USER",
    "HKEY_CURRENT_USER": "HKEY_CURRENT_USER",
    "HKU": "HKEY_USERS",
    "HKEY_USERS": "HKEY_USERS",
}


def _open(key: str):
    try:
        import winreg
    except ImportError as exc:
        raise HostError("the registry exists only on Windows") from exc
    hive_name, _, sub = key.partition("\\")
    hive = getattr(winreg, _HIVES.get(hive_name.upper(), ""), None)
    if hive is None:
        raise HostError(f"unknown registry hive in {key}")
    try:
        # Always read the 64-bit view so a 32-bit Python sees the real keys.
        # (winreg's types exist only for Windows: the checker sees this file from every OS)
        return winreg, winreg.OpenKey(hive, sub, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY)  # type: ignore[attr-defined]
    except FileNotFoundError as exc:
        raise FileMissing(key) from exc
    except PermissionError as exc:
        raise AccessDenied(key) from exc
    except OSError as exc:
        raise HostError(f"{key}: {exc}") from exc


def values(key: str) -> dict[str, object]:
    winreg, handle = _open(key)
    out: dict[str, object] = {}
    with handle:
        i = 0
        while True:
            try:
                name, data, _kind = winreg.EnumValue(handle, i)
            except OSError:
                break
            out[name] = data
            i += 1
    return out


def subkeys(key: str) -> list[str]:
    winreg, handle = _open(key)
    out: list[str] = []
    with handle:
        i = 0
        while True:
            try:
                out.append(winreg.EnumKey(handle, i))
            except OSError:
                break
            i += 1
    return out
