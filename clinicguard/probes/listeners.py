"""Services that accept connections from the network (every OS)."""

from __future__ import annotations

import ipaddress

from clinicguard.core.facts import ExposedServices
from clinicguard.host import Host, Listener
from clinicguard.probes import probe


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
