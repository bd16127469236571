"""Stable machine identity for the fleet: a hash of the operating system's machine id.

The raw id (``/etc/machine-id``, the Windows ``MachineGuid``, the Mac's
``IOPlatformUUID``) is never stored nor shown: only a salted SHA-256 of it,
so a fleet folder left on a USB key does not carry identifiers usable
elsewhere. The same machine always gives the same identity, whatever its
host name or the user running clinicguard.
"""

from __future__ import annotations

import hashlib
import re

from clinicguard.host import FileMissing, Host, HostError

SALT = "clinicguard-fleet-machine:"
LINUX_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")
WINDOWS_KEY = r"HKLM\SOFTWARE\Microsoft\Cryptography"
MAC_COMMAND = ["ioreg", "-rd1", "-c", "IOPlatformExpertDevice"]
_MAC_UUID = re.compile(r'"IOPlatformUUID"\s*=\s*"([0-9A-Fa-f-]{36})"')
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class NoMachineId(Exception):
    """The operating system's machine id could not be read; carries the reason."""


def hash_machine_id(raw: str) -> str:
    """The fleet identity of a raw machine id (lowercase, without separators, hashed)."""
    norm = raw.strip().lower().replace("-", "").strip("{}")
    return hashlib.sha256((SALT + norm).encode("ascii")).hexdigest()


def parse_linux_machine_id(text: str) -> str | None:
    value = text.strip().lower()
    # systemd writes "uninitialized" during first boot; an all-zero id is a cloned template.
    return value if _HEX32.match(value) and set(value) != {"0"} else None


def parse_mac_uuid(ioreg_output: str) -> str | None:
    match = _MAC_UUID.search(ioreg_output)
    return match.group(1).lower() if match else None


def parse_windows_guid(value: object) -> str | None:
    text = value.strip().lower().strip("{}") if isinstance(value, str) else ""
    return text if _GUID.match(text) else None


def raw_machine_id(host: Host) -> str:
    """The OS machine id of ``host``; raises NoMachineId with the reason when it cannot be read."""
    try:
        if host.platform == "linux":
            for path in LINUX_FILES:
                try:
                    found = parse_linux_machine_id(host.read_text(path, limit=256))
                except FileMissing:
                    continue
                if found:
                    return found
            raise NoMachineId("no valid /etc/machine-id")
        if host.platform == "windows":
            values = {k.lower(): v for k, v in host.registry_values(WINDOWS_KEY).items()}
            found = parse_windows_guid(values.get("machineguid"))
            if found:
                return found
            raise NoMachineId(f"no valid MachineGuid in {WINDOWS_KEY}")
        if host.platform == "macos":
            result = host.run(MAC_COMMAND, timeout=10)
            found = parse_mac_uuid(result.stdout)
            if found:
                return found
            raise NoMachineId("no IOPlatformUUID in ioreg output")
    except HostError as exc:
        raise NoMachineId(f"{type(exc).__name__}: {exc}") from exc
    raise NoMachineId(f"unsupported platform {host.platform!r}")


def machine_identity(host: Host) -> str:
    """The hashed, stable identity of ``host`` (64 hex digits)."""
    return hash_machine_id(raw_machine_id(host))
