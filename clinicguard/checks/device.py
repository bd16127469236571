"""Device protections: media AutoRun and Secure Boot."""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.facts import AutorunPolicy, SecureBoot, SystemFacts
from clinicguard.model import Evidence, Reason, Status

# NoDriveTypeAutoRun bit mask: 0xFF turns AutoRun off for every kind of drive.
AUTORUN_ALL_OFF = 0xFF
WINDOWS_11_FIRST_BUILD = 22000


def _src(facts) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(facts.sources)


def _yesno(value: bool | None, missing: str = "unknown") -> str:
    return missing if value is None else ("yes" if value else "no")


@check("data.autorun", facts=("autorun",), optional=("system",))
def autorun(ctx: CheckContext, a: AutorunPolicy, system: SystemFacts | None = None) -> Verdict:
    ev: list[Evidence] = []
    if ctx.platform != "windows" and system is not None and system.has_desktop is False:
        # Without a graphical desktop nothing offers to open inserted media.
        return verdict(Status.NOT_APPLICABLE, "no_desktop", [Evidence("desktop", "none")])
    if ctx.platform == "windows":
        mask = a.no_drive_type_autorun
        ev.append(Evidence("no_drive_type_autorun", "not_set" if mask is None else f"0x{mask:02X}", _src(a)))
        ev.append(Evidence("no_autorun", _yesno(a.no_autorun, "not_set"), _src(a)))
        ev.append(Evidence("autoplay_disabled", _yesno(a.autoplay_disabled, "not_set"), _src(a)))
        if mask == 0:
            return verdict(Status.FAIL, "all_on", ev)
        if a.no_autorun or (mask is not None and mask & AUTORUN_ALL_OFF == AUTORUN_ALL_OFF):
            return verdict(Status.PASS, "off", ev)
        if mask is None:
            return verdict(Status.WARN, "defaults", ev)
        return verdict(Status.WARN, "partial", ev, mask=f"0x{mask:02X}")
    if a.autorun_never is None:
        return unknown(Reason.NOT_READABLE, "autorun_unknown", evidence=ev)
    ev.append(Evidence("autorun_never", _yesno(a.autorun_never), _src(a)))
    if a.autorun_never:
        return verdict(Status.PASS, "never", ev)
    return verdict(Status.WARN, "prompt", ev)


@check("data.secure_boot", facts=("secure_boot",), optional=("system",))
def secure_boot(ctx: CheckContext, s: SecureBoot, system: SystemFacts | None = None) -> Verdict:
    ev = [
        Evidence("uefi", _yesno(s.uefi), _src(s)),
        Evidence("secure_boot", _yesno(s.enabled), _src(s)),
        Evidence("virtual_machine", _yesno(s.virtual_machine)),
    ]
    ev += [Evidence("technical_note", n) for n in s.notes]
    if s.enabled:
        return verdict(Status.PASS, "on", ev)
    if s.uefi is None or s.enabled is None:
        return unknown(Reason.NOT_READABLE, "unknown", evidence=ev)
    if not s.uefi:
        if s.virtual_machine:
            return verdict(Status.NOT_APPLICABLE, "legacy_vm", ev)
        return verdict(Status.WARN, "legacy", ev)
    windows11 = (ctx.platform == "windows" and system is not None and system.build is not None
                 and system.build >= WINDOWS_11_FIRST_BUILD)
    if windows11 and not s.virtual_machine:
        return verdict(Status.FAIL, "off_windows11", ev)
    return verdict(Status.WARN, "off", ev)
