"""Listening network services: psutil needs root on macOS, so netstat stands in."""

from __future__ import annotations

from clinicguard.core.errors import ParseError
from clinicguard.core.facts import ExposedServices
from clinicguard.host import AccessDenied, Host, HostError, Listener
from clinicguard.probes import probe
from clinicguard.probes.common import run_ok
from clinicguard.probes.listeners import external
from clinicguard.probes.macos.plists import NETSTAT

NETSTAT_ARGV = [NETSTAT, "-an", "-p", "tcp"]


def _split_address(field: str, proto: str) -> tuple[str, int] | None:
    """'*.22' / '127.0.0.1.631' / 'fe80::1%lo0.631' -> (ip, port); the port follows the last dot."""
    host, _, port = field.rpartition(".")
    if not port.isdigit():
        return None
    if host == "*":
        host = "0.0.0.0" if proto == "tcp4" else "::"
    return host, int(port)


def parse_netstat(text: str) -> list[Listener]:
    """LISTEN lines of `netstat -an -p tcp` (tcp4, tcp6 and dual-stack tcp46)."""
    found: set[Listener] = set()
    seen_header = False
    for line in text.splitlines():
        parts = line.split()
        if parts[:1] == ["Proto"]:
            seen_header = True
            continue
        if len(parts) < 6 or not parts[0].startswith("tcp") or parts[-1] != "LISTEN":
            continue
        address = _split_address(parts[3], parts[0])
        if address is not None:
            found.add(Listener(ip=address[0], port=address[1], proto="tcp"))
    if not seen_header:
        raise ParseError(f"netstat: no table in {text.strip()[:80]!r}")
    return sorted(found, key=lambda x: (x.port, x.ip))


@probe("exposed_services", "macos", override=True)
def macos_exposed_services(host: Host) -> ExposedServices:
    try:
        listeners = host.listeners()
        source = "psutil.net_connections"
    except AccessDenied as denied:
        try:
            listeners = parse_netstat(run_ok(host, NETSTAT_ARGV, timeout=5).stdout)
        except HostError:
            # Without netstat, running as administrator is what would give the answer.
            raise denied from None
        source = "netstat -an -p tcp"
    found = external(listeners)
    return ExposedServices(
        listeners=tuple((x.ip, x.port, x.proto, x.process) for x in found),
        ssh_server=any(x.port == 22 for x in found),
        sources=(source,),
    )
