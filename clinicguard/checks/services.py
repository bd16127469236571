"""Services that accept connections from the network."""

from __future__ import annotations

from collections.abc import Mapping

from clinicguard.checks import CheckContext, Verdict, check, verdict
from clinicguard.facts import ExposedServices, FirewallStatus
from clinicguard.model import Evidence, Status
from clinicguard.references import WINDOWS_DYNAMIC_RPC

# Windows file sharing listens on every PC; it only matters when the Public
# firewall profile lets it through (reference os-checks.md section 9).
WINDOWS_DEFAULT_SHARING = (139, 445)


def classify(
    listeners: tuple[tuple[str, int, str, str], ...],
    platform: str,
    levels: Mapping[int, tuple[str, str]],
    public_firewall_off: bool = False,
) -> dict[str, list[str]]:
    """Split network-facing listeners into high / medium / other (``levels``: the well-known ports table)."""
    out: dict[str, list[str]] = {"high": [], "medium": [], "other": []}
    for ip, port, proto, process in listeners:
        level, name = levels.get(port, ("other", ""))
        if level == "benign":
            continue
        if platform == "windows" and port in WINDOWS_DYNAMIC_RPC:
            continue
        if platform == "windows" and port in WINDOWS_DEFAULT_SHARING and not public_firewall_off:
            continue
        if proto == "udp" and level == "other":
            continue  # UDP without a known risky service: discovery and DHCP noise
        label = f"{port}/{proto}" + (f" {name}" if name else "") + (f" ({process})" if process else "")
        label += f" @ {ip}"
        out[level].append(label)
    return out


def firewall_off(fw: FirewallStatus | None) -> bool:
    """True only when the firewall facts say every profile/front-end is off."""
    if fw is None or not fw.enabled:
        return False
    values = list(fw.enabled.values())
    return all(v is False for v in values)


@check("network.exposed_services", facts=("exposed_services",), optional=("firewall",))
def exposed_services(ctx: CheckContext, e: ExposedServices, firewall: FirewallStatus | None = None) -> Verdict:
    public_off = firewall is not None and firewall.enabled.get("public") is False
    groups = classify(e.listeners, ctx.platform, ctx.references.ports, public_off)
    ev = [Evidence("listener", item, "psutil") for level in ("high", "medium", "other") for item in groups[level]]
    if not ev:
        ev = [Evidence("listener", "none", ", ".join(e.sources))]
    if groups["high"]:
        names = ", ".join(groups["high"])
        if firewall_off(firewall):
            return verdict(Status.FAIL, "high_no_firewall", ev, services=names, count=len(groups["high"]))
        return verdict(Status.WARN, "high", ev, services=names, count=len(groups["high"]))
    if groups["medium"]:
        return verdict(Status.WARN, "medium", ev, services=", ".join(groups["medium"]),
                       count=len(groups["medium"]))
    if groups["other"]:
        return verdict(Status.WARN, "other", ev, count=len(groups["other"]))
    return verdict(Status.PASS, "none", ev)
