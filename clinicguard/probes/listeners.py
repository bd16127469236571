"""Services that accept connections from the network (every OS)."""

from __future__ import annotations

import ipaddress
from functools import cache

from clinicguard.datafiles import load_toml, package_file
from clinicguard.facts import ExposedServices
from clinicguard.host import Host, Listener
from clinicguard.probes import probe

# Windows opens these dynamic RPC ports on every machine.
WINDOWS_DYNAMIC_RPC = range(49664, 49700)


@cache
def port_levels() -> dict[int, tuple[str, str]]:
    """port -> (level, name) from clinicguard/data/ports.toml."""
    data = load_toml(package_file("data", "ports.toml"), "clinicguard/data/ports.toml")
    out: dict[int, tuple[str, str]] = {}
    for entry in data.get("port", []):
        for port in entry["ports"]:
            out[int(port)] = (entry["level"], entry["name"])
    return out


def is_network_facing(ip: str) -> bool:
    """False for loopback (and unparsable scoped addresses of loopback)."""
    try:
        return not ipaddress.ip_address(ip.split("%", 1)[0]).is_loopback
    except ValueError:
        return True


def external(listeners: list[Listener]) -> list[Listener]:
    return [item for item in listeners if is_network_facing(item.ip)]


@probe("exposed_services", "linux", "macos", "windows")
def exposed_services(host: Host) -> ExposedServices:
    found = external(host.listeners())
    ssh = any(x.port == 22 and x.proto == "tcp" for x in found) or any("sshd" in x.process for x in found)
    return ExposedServices(
        listeners=tuple((x.ip, x.port, x.proto, x.process) for x in found),
        ssh_server=ssh,
        sources=("psutil.net_connections",),
    )
