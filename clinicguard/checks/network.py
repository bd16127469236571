"""Checks of the "firewall and remote access" theme."""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.facts import ExposedServices, FirewallStatus
from clinicguard.model import Evidence, Reason, Status

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
    for reason, detail in fw.why_unknown.values():
        try:
            return Reason(reason), detail
        except ValueError:
            continue
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
