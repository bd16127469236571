"""Checks of the "firewall and remote access" theme."""

from __future__ import annotations

from collections.abc import Mapping

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.core.facts import ExposedServices, FirewallStatus, RemoteTools, SystemFacts
from clinicguard.core.model import Evidence, Reason, Status
from clinicguard.references.tables import WINDOWS_DYNAMIC_RPC

# ---------------------------------------------------------------- network.firewall
# os-checks.md section 5.
WINDOWS_PROFILES = ("domain", "private", "public")
# UDP ports every desktop opens as a client (DHCP, DHCPv6, mDNS): not services offered to others.
CLIENT_UDP_PORTS = {68, 546, 5353}
FW_LABELS = {
    "domain": "firewall_domain",
    "private": "firewall_private",
    "public": "firewall_public",
    "ufw": "firewall_ufw",
    "firewalld": "firewall_firewalld",
    "nftables": "firewall_nftables",
    "iptables": "firewall_iptables",
    "alf": "firewall_macos",
}


def exposed_ports(services: ExposedServices | None) -> list[str] | None:
    """Non-loopback listening ports ("22/tcp"), None when not known."""
    if services is None:
        return None
    ports = set()
    for item in services.listeners:
        try:
            ip, port, proto = item[0], int(item[1]), str(item[2]).lower()
        except (IndexError, TypeError, ValueError):
            continue
        if ip.startswith("127.") or ip in ("::1", "localhost"):
            continue
        if proto.startswith("udp") and port in CLIENT_UDP_PORTS:
            continue
        ports.add((port, proto[:3]))
    return [f"{p}/{proto}" for p, proto in sorted(ports)]


def _fw_evidence(fw: FirewallStatus) -> list[Evidence]:
    src = ", ".join(fw.sources)
    ev: list[Evidence] = []
    for key, value in fw.enabled.items():
        state = "unknown" if value is None else ("on" if value else "off")
        ev.append(Evidence(FW_LABELS.get(key.lower(), key), state, "" if ev else src))
    if fw.default_inbound_block is not None:
        ev.append(Evidence("inbound_blocked", "yes" if fw.default_inbound_block else "no", "" if ev else src))
    if fw.permissive_zone:
        ev.append(Evidence("permissive_zone", "yes"))
    ev += [Evidence("technical_note", n) for n in fw.notes]
    return ev


def _why(fw: FirewallStatus) -> tuple[Reason, str]:
    for why in fw.why_unknown.values():
        return why.reason, why.detail
    return Reason.NOT_READABLE, "; ".join(fw.notes)


def _off(ev: list[Evidence], services: ExposedServices | None) -> Verdict:
    ports = exposed_ports(services)
    if ports is None:
        return verdict(Status.WARN, "off_exposure_unknown", ev)
    ev.append(
        Evidence(
            "listening_ports", ", ".join(ports) if ports else "none", ", ".join(services.sources) if services else ""
        )
    )
    if ports:
        return verdict(Status.FAIL, "off_exposed", ev, count=len(ports), ports=", ".join(ports[:6]))
    return verdict(Status.WARN, "off_quiet", ev)


@check("network.firewall", facts=("firewall",), optional=("exposed_services",))
def firewall(ctx: CheckContext, fw: FirewallStatus, exposed_services: ExposedServices | None = None) -> Verdict:
    ev = _fw_evidence(fw)
    enabled = {k.lower(): v for k, v in fw.enabled.items()}
    if ctx.platform == "windows":
        third_party = [k for k, v in fw.enabled.items() if k.lower() not in WINDOWS_PROFILES and v]
        off = [p for p in ("private", "public") if enabled.get(p) is False]
        if off:
            if third_party:
                return verdict(Status.PASS, "third_party", ev, product=third_party[0])
            key = "profile_off_both" if len(off) == 2 else f"profile_off_{off[0]}"
            return verdict(Status.FAIL, key, ev)
        if enabled.get("private") is None or enabled.get("public") is None:
            if third_party:
                return verdict(Status.PASS, "third_party", ev, product=third_party[0])
            reason, detail = _why(fw)
            return unknown(reason, "state_unknown", detail=detail, evidence=ev)
        if fw.default_inbound_block is False:
            return verdict(Status.FAIL, "inbound_allowed", ev)
        if fw.default_inbound_block is None:
            return verdict(Status.WARN, "inbound_unknown", ev)
        return verdict(Status.PASS, "windows_on", ev)

    on = [k for k, v in fw.enabled.items() if v]
    if on:
        name = fw.backend or on[0]
        if fw.permissive_zone:
            # os-checks.md section 5: FedoraWorkstation / trusted-like zones are amber.
            return verdict(Status.WARN, "permissive_zone", ev, firewall=name)
        if fw.default_inbound_block is False:
            return verdict(Status.FAIL, "inbound_allowed", ev)
        return verdict(Status.PASS, "on", ev, firewall=name)
    if any(v is None for v in fw.enabled.values()):
        reason, detail = _why(fw)
        return unknown(reason, "state_unknown", detail=detail, evidence=ev)
    if ctx.platform == "linux" and not fw.enabled and not fw.rules_readable:
        # No front-end installed and the rules need root: cannot tell.
        return unknown(Reason.NEEDS_ADMIN, "rules_unreadable", detail="nft/iptables need root", evidence=ev)
    if ctx.platform == "macos" and not fw.enabled:
        reason, detail = _why(fw)
        return unknown(reason, "state_unknown", detail=detail, evidence=ev)
    return _off(ev, exposed_services)


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
        return verdict(Status.WARN, "medium", ev, services=", ".join(groups["medium"]), count=len(groups["medium"]))
    if groups["other"]:
        return verdict(Status.WARN, "other", ev, count=len(groups["other"]))
    return verdict(Status.PASS, "none", ev)


# Windows Home editions (EditionID Core, CoreN, CoreSingleLanguage...) cannot host RDP.
HOME_EDITION_PREFIX = "core"


def _onoff(value: bool | None) -> str:
    return "unknown" if value is None else ("on" if value else "off")


def _src(facts, *words: str) -> str:  # type: ignore[no-untyped-def]
    """Sources of ``facts``, only those naming one of ``words`` when given."""
    chosen = [s for s in facts.sources if not words or any(w.lower() in s.lower() for w in words)]
    return ", ".join(chosen)


@check("network.remote_desktop", facts=("exposed_services",), optional=("system",))
def remote_desktop(ctx: CheckContext, e: ExposedServices, system: SystemFacts | None = None) -> Verdict:
    src = _src(e, "terminal server")
    ev = [Evidence("rdp_enabled", _onoff(e.rdp_enabled), src), Evidence("rdp_nla", _onoff(e.rdp_nla), src)]
    if system is not None and system.edition:
        ev.append(Evidence("edition", system.edition))
        if system.edition.lower().startswith(HOME_EDITION_PREFIX):
            return verdict(Status.NOT_APPLICABLE, "home_edition", ev)
    if e.rdp_enabled is None:
        return unknown(Reason.NOT_READABLE, "rdp_unknown", evidence=ev)
    if not e.rdp_enabled:
        return verdict(Status.PASS, "off", ev)
    if e.rdp_nla is None:
        return unknown(Reason.NOT_READABLE, "on_nla_unknown", evidence=ev)
    if e.rdp_nla:
        return verdict(Status.WARN, "on_nla", ev)
    return verdict(Status.FAIL, "on_no_nla", ev)


@check("network.smb1", facts=("exposed_services",))
def smb1(ctx: CheckContext, e: ExposedServices) -> Verdict:
    ev = [Evidence("smb1", _onoff(e.smb1_enabled), _src(e, "smb", "lanman"))]
    if e.smb1_enabled is None:
        return unknown(Reason.NOT_READABLE, "smb1_unknown", evidence=ev)
    if e.smb1_enabled:
        return verdict(Status.FAIL, "enabled", ev)
    return verdict(Status.PASS, "disabled", ev)


@check("network.remote_tools", facts=("remote_tools",))
def remote_tools(ctx: CheckContext, r: RemoteTools) -> Verdict:
    ev: list[Evidence] = []
    for tool in r.tools:
        if tool.autostart:
            label = "remote_tool_autostart"
        elif tool.running:
            label = "remote_tool_running"
        else:
            label = "remote_tool_installed"
        ev.append(Evidence(label, tool.name))
    ev += [Evidence("technical_note", n) for n in r.notes]
    if not r.tools:
        ev.append(Evidence("searched", ", ".join(r.searched)))
        return verdict(Status.PASS, "none", ev)
    names = ", ".join(t.name for t in r.tools)
    # Vendors often need one for support: advice, not an alarm.
    if any(t.autostart or t.running for t in r.tools):
        return verdict(Status.WARN, "unattended", ev, tools=names)
    return verdict(Status.WARN, "installed", ev, tools=names)
