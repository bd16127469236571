"""The macOS application firewall (socketfilterfw)."""

from __future__ import annotations

import json
import re
from typing import Any

from clinicguard.core.errors import ParseError, ProbeError
from clinicguard.core.facts import FirewallStatus
from clinicguard.core.model import Reason
from clinicguard.host import Host, HostError
from clinicguard.probes import probe
from clinicguard.probes.macos.plists import SOCKETFILTERFW, SYSTEM_PROFILER

STATE_RE = re.compile(r"\(State = (\d+)\)")
ON_WORDS = ("is on", "enabled")
OFF_WORDS = ("is off", "disabled")


def parse_global_state(text: str) -> int:
    """`--getglobalstate`: 0 off, 1 on, 2 on (with stealth mode or "essential services only",
    depending on the release; whether everything is blocked is --getblockall's answer)."""
    match = STATE_RE.search(text)
    if match and match.group(1) in ("0", "1", "2"):
        return int(match.group(1))
    raise ParseError(f"socketfilterfw --getglobalstate: {text.strip()[:80]!r}")


def parse_toggle(text: str) -> bool | None:
    """'Firewall stealth mode is on', 'Stealth mode enabled', 'Firewall has block all state
    set to disabled.' -> True / False; None for anything else."""
    low = text.strip().lower()
    if not low:
        return None
    if any(w in low for w in OFF_WORDS):
        return False
    if any(w in low for w in ON_WORDS):
        return True
    return None


# system_profiler SPFirewallDataType values, used only when socketfilterfw cannot answer.
PROFILER_STATES = {
    "spfirewall_globalstate_allow_all": 0,
    "spfirewall_globalstate_limit_connections": 1,
    "spfirewall_globalstate_block_all": 2,
}


def parse_profiler(text: str) -> tuple[int, bool | None]:
    try:
        data: Any = json.loads(text)
        entry = data["SPFirewallDataType"][0]
        state = PROFILER_STATES[entry["spfirewall_globalstate"]]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise ParseError(f"system_profiler SPFirewallDataType: unexpected content ({exc})") from exc
    stealth = {"yes": True, "no": False}.get(str(entry.get("spfirewall_stealthenabled", "")).lower())
    return state, stealth


def _socketfilterfw(host: Host, flag: str) -> str:
    res = host.run([SOCKETFILTERFW, flag], timeout=5)
    text = (res.stdout + "\n" + res.stderr).strip()
    if "must be root" in text.lower() or "not permitted" in text.lower():
        raise ProbeError(Reason.NEEDS_ADMIN, f"socketfilterfw {flag}: {text[:120]}")
    return text


@probe("firewall", "macos")
def macos_firewall(host: Host) -> FirewallStatus:
    notes: list[str] = []
    try:
        state = parse_global_state(_socketfilterfw(host, "--getglobalstate"))
        stealth = parse_toggle(_socketfilterfw(host, "--getstealthmode"))
        try:
            block_all = parse_toggle(_socketfilterfw(host, "--getblockall"))
        except (HostError, ProbeError):
            block_all = None
        source = "socketfilterfw --getglobalstate --getstealthmode --getblockall"
    except (HostError, ProbeError) as first:
        try:
            res = host.run([SYSTEM_PROFILER, "SPFirewallDataType", "-json"], timeout=15)
            state, stealth = parse_profiler(res.stdout)
        except (HostError, ProbeError):
            raise first from None
        block_all = None
        source = "system_profiler SPFirewallDataType"
    if stealth is not None:
        notes.append("macos_stealth_on" if stealth else "macos_stealth_off")
    # State 2 is "on" with stealth mode on some releases and "blocking all
    # non-essential connections" in the words of others: only --getblockall
    # tells whether every incoming connection is really blocked.
    blocks = True if block_all else None
    if block_all:
        notes.append("macos_block_all")
    elif block_all is False:
        notes.append("macos_block_all_off")
    return FirewallStatus(
        enabled={"alf": state in (1, 2)},
        backend="alf",
        default_inbound_block=blocks,
        sources=(source,),
        notes=tuple(notes),
    )
