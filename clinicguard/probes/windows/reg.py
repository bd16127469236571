"""Registry helpers for Windows probes: missing keys and odd value types."""

from __future__ import annotations

from clinicguard.host import FileMissing, Host

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
WINLOGON = CURRENT_VERSION + r"\Winlogon"
POLICIES_SYSTEM = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System"
UNINSTALL_KEYS = (
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall",
    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall",
)
CODE_PAGE = r"HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage"


def values(host: Host, key: str) -> dict[str, object] | None:
    """Values of ``key`` (names compared case-insensitively), None if absent.

    Access denied and other errors propagate: "could not read" is not "absent".
    """
    try:
        raw = host.registry_values(key)
    except FileMissing:
        return None
    return {k.lower(): v for k, v in raw.items()}


def key_exists(host: Host, key: str) -> bool:
    try:
        host.registry_subkeys(key)
    except FileMissing:
        try:
            host.registry_values(key)
        except FileMissing:
            return False
    return True


def as_int(value: object) -> int | None:
    """DWORD or a string holding a number (REG_SZ "1", " 600")."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text, 16) if text.lower().startswith("0x") else int(text)
        except ValueError:
            return None
    if isinstance(value, bytes | bytearray) and 1 <= len(value) <= 8:
        return int.from_bytes(value, "little")
    return None


def get_int(vals: dict[str, object] | None, name: str) -> int | None:
    if vals is None:
        return None
    return as_int(vals.get(name.lower()))


def get_str(vals: dict[str, object] | None, name: str) -> str:
    if vals is None:
        return ""
    value = vals.get(name.lower())
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def installed_programs(host: Host) -> list[tuple[str, str]]:
    """(display name, uninstall key) for every program of the Uninstall keys."""
    out: list[tuple[str, str]] = []
    for root in UNINSTALL_KEYS:
        try:
            subkeys = host.registry_subkeys(root)
        except FileMissing:
            continue
        for sub in subkeys:
            try:
                vals = values(host, f"{root}\\{sub}")
            except Exception:  # noqa: BLE001 - one unreadable entry must not hide the others
                continue
            name = get_str(vals, "DisplayName")
            if name:
                out.append((name, f"{root}\\{sub}"))
    return out


def oem_encoding(host: Host) -> str:
    """Console (OEM) code page of the machine, e.g. cp850 on French Windows."""
    try:
        vals = values(host, CODE_PAGE)
    except Exception:  # noqa: BLE001
        vals = None
    cp = get_str(vals, "OEMCP")
    return f"cp{cp}" if cp.isdigit() else "cp437"
