"""Host firewall on Linux: ufw, firewalld, and nftables / iptables rules.

As an ordinary user the rules themselves cannot be listed (CAP_NET_ADMIN),
so the front-ends' own state is read: ``/etc/ufw/ufw.conf`` (ENABLED) and
``/etc/default/ufw`` (default policy) are world-readable, ``firewall-cmd
--state`` answers anyone. ``ufw status``, ``nft list ruleset`` and
``iptables -S`` are only run as root. When nothing says anything and the
rules cannot be read, ``rules_readable`` is False and the check is grey.
"""

from __future__ import annotations

import re

from clinicguard.core.facts import FirewallStatus, Unknown
from clinicguard.core.model import Reason
from clinicguard.host import Host, HostError, ToolMissing
from clinicguard.i18n import note
from clinicguard.probes import probe
from clinicguard.probes.common import parse_key_values, read_optional
from clinicguard.probes.gathered import Gathered

TIMEOUT_S = 5.0
# Zones that let almost every inbound connection through (os-checks.md section 5).
PERMISSIVE_ZONES = {"trusted", "fedoraworkstation"}
WIDE_PORT_RANGE = 1000  # a zone opening this many ports at once is permissive
NFT_UNITS = (
    "/etc/systemd/system/sysinit.target.wants/nftables.service",
    "/etc/systemd/system/multi-user.target.wants/nftables.service",
)


def parse_ufw_status(text: str) -> tuple[bool | None, bool | None]:
    """``ufw status verbose`` -> (active, incoming blocked by default)."""
    active = None
    incoming = None
    for raw in text.splitlines():
        line = raw.strip()
        low = line.lower()
        if low.startswith("status:"):
            value = low.split(":", 1)[1].strip()
            active = value == "active" if value in ("active", "inactive") else None
        elif low.startswith("default:"):
            m = re.search(r"(\w+)\s*\(incoming\)", low)
            if m:
                incoming = m.group(1) in ("deny", "reject")
    return active, incoming


_CATCH_ALL = re.compile(r"^(?:counter(?: packets \d+ bytes \d+)?\s+)?(?:drop|reject(?:\s+with\s+.*)?)$")


def parse_nft_ruleset(text: str) -> tuple[bool, bool]:
    """``nft list ruleset`` -> (an input chain exists, it blocks by default).

    Blocks = an input-hook chain whose policy is drop, or which ends with a
    bare drop / reject rule (firewalld, ufw over iptables-nft).
    """
    has_input = False
    blocks = False
    body: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if body is None:
            if re.match(r"^chain\s+\S+\s*\{", line):
                body = []
            continue
        if line == "}":
            joined = "\n".join(body)
            if re.search(r"type\s+filter\s+hook\s+input\b", joined):
                has_input = True
                if re.search(r"\bpolicy\s+(drop|reject)\b", joined):
                    blocks = True
                rules = [ln for ln in body if ln and not ln.startswith(("type ", "#"))]
                if rules and _CATCH_ALL.match(rules[-1]):
                    blocks = True
            body = None
            continue
        body.append(line)
    return has_input, blocks


def parse_iptables_rules(text: str) -> tuple[bool, bool]:
    """``iptables -S`` -> (INPUT chain seen, it blocks by default)."""
    seen = False
    blocks = False
    for raw in text.splitlines():
        parts = raw.split()
        if parts[:2] == ["-P", "INPUT"]:
            seen = True
            if len(parts) > 2 and parts[2] in ("DROP", "REJECT"):
                blocks = True
        elif parts[:2] == ["-A", "INPUT"]:
            seen = True
            if parts[2:4] == ["-j", "DROP"] or parts[2:4] == ["-j", "REJECT"]:
                blocks = True
    return seen, blocks


def zone_is_permissive(host: Host, zone: str) -> tuple[bool | None, str]:
    """Whether a firewalld zone lets almost everything in, and the file read."""
    for folder in ("/etc/firewalld/zones", "/usr/lib/firewalld/zones"):
        path = f"{folder}/{zone}.xml"
        try:
            text = read_optional(host, path)
        except HostError:
            text = None
        if text is None:
            continue
        m = re.search(r"<zone\b[^>]*\btarget=\"([^\"]+)\"", text)
        if m and m.group(1).upper() == "ACCEPT":
            return True, path
        for lo, hi in re.findall(r"<port\b[^>]*\bport=\"(\d+)-(\d+)\"", text):
            if int(hi) - int(lo) >= WIDE_PORT_RANGE:
                return True, path
        return False, path
    if zone.lower() in PERMISSIVE_ZONES:
        return True, ""
    return None, ""


@probe("firewall", "linux")
def linux_firewall(host: Host) -> FirewallStatus:
    enabled: dict[str, bool | None] = {}
    g = Gathered()
    sources, notes = g.sources, g.notes
    backend = ""
    default_block: bool | None = None
    permissive: bool | None = None
    is_root = host.user().is_admin

    # ufw: configuration files are world-readable; `ufw status` needs root.
    conf = read_optional(host, "/etc/ufw/ufw.conf")
    if conf is not None:
        sources.append("/etc/ufw/ufw.conf")
        value = parse_key_values(conf).get("ENABLED", "").lower()
        ufw_on: bool | None = value == "yes" if value in ("yes", "no") else None
        policy = parse_key_values(read_optional(host, "/etc/default/ufw") or "").get("DEFAULT_INPUT_POLICY", "")
        ufw_block = policy.upper() in ("DROP", "REJECT") if policy else None
        if policy:
            sources.append("/etc/default/ufw")
        if is_root:
            try:
                res = host.run(["ufw", "status", "verbose"], timeout=TIMEOUT_S)
                active, incoming = parse_ufw_status(res.stdout)
                if res.returncode == 0 and active is not None:
                    sources.append("ufw status verbose")
                    ufw_on = active
                    ufw_block = incoming if incoming is not None else ufw_block
            except HostError as exc:
                notes.append(f"ufw status: {exc}")
        enabled["ufw"] = ufw_on
        notes.append(f"ufw ENABLED={value or '?'} DEFAULT_INPUT_POLICY={policy or '?'}")
        if ufw_on:
            backend, default_block = "ufw", ufw_block

    # firewalld: `firewall-cmd --state` answers ordinary users.
    try:
        res = host.run(["firewall-cmd", "--state"], timeout=TIMEOUT_S)
        text = (res.stdout.strip() or res.stderr.strip()).lower()
        sources.append("firewall-cmd --state")
        if res.returncode == 0 and text.startswith("running"):
            enabled["firewalld"] = True
        elif "not running" in text or res.returncode == 252:
            enabled["firewalld"] = False
        else:
            enabled["firewalld"] = None
            g.unknown(
                "firewalld", Unknown(Reason.UNEXPECTED_OUTPUT, f"firewall-cmd --state: {text[:120] or res.returncode}")
            )
        if enabled["firewalld"]:
            fconf = parse_key_values(read_optional(host, "/etc/firewalld/firewalld.conf") or "")
            zone = fconf.get("DefaultZone") or "public"
            permissive, zone_file = zone_is_permissive(host, zone)
            sources += ["/etc/firewalld/firewalld.conf"] + ([zone_file] if zone_file else [])
            notes.append(f"firewalld default zone {zone}" + (" (permissive)" if permissive else ""))
            if not backend:
                backend, default_block = "firewalld", (None if permissive is None else not permissive)
    except ToolMissing:
        pass
    except HostError as exc:
        enabled["firewalld"] = None
        g.unknown("firewalld", exc)

    # Rules: only root may list them.
    rules_readable = False
    if is_root:
        failed = False
        for argv, parser, name in (
            (["nft", "list", "ruleset"], parse_nft_ruleset, "nftables"),
            (["iptables", "-S"], parse_iptables_rules, "iptables"),
        ):
            try:
                res = host.run(argv, timeout=TIMEOUT_S)
            except ToolMissing:
                continue
            except HostError as exc:
                failed = True
                notes.append(f"{' '.join(argv)}: {exc}")
                continue
            if res.returncode != 0:
                failed = True
                notes.append(f"{' '.join(argv)}: {(res.stderr or res.stdout).strip()[:120]}")
                continue
            rules_readable = True
            sources.append(" ".join(argv))
            seen, blocks = parser(res.stdout)
            if blocks:
                enabled.setdefault(name, True)
                if not backend:
                    backend, default_block = name, True
            elif seen and not any(enabled.values()):
                enabled.setdefault(name, False)
            break
        if not rules_readable and not failed:
            # Neither nft nor iptables is installed: no rule can have been loaded.
            rules_readable = True
            notes.append(note("linux.no_nft_nor_iptables"))
    else:
        notes.append(note("linux.rules_need_admin"))
        # nftables.service loads /etc/nftables.conf (world-readable) at boot.
        if any(host.exists(p) for p in NFT_UNITS):
            conf = read_optional(host, "/etc/nftables.conf")
            if conf is not None:
                sources.append("/etc/nftables.conf")
                _, blocks = parse_nft_ruleset(conf)
                enabled["nftables"] = blocks
                if blocks and not backend:
                    backend, default_block = "nftables", True
    return FirewallStatus(
        enabled=enabled,
        backend=backend,
        default_inbound_block=default_block,
        permissive_zone=permissive,
        rules_readable=rules_readable,
        **g.fields(),
    )
