"""Remote access exposure: Remote Desktop, SMBv1, remote-control tools."""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.facts import ExposedServices, RemoteTools, SystemFacts
from clinicguard.model import Evidence, Reason, Status

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
