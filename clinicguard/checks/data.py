"""Checks of the "protect data on the computer" theme."""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.core.facts import AutorunPolicy, DiskEncryption, SecureBoot, SystemFacts
from clinicguard.core.model import Evidence, Reason, Status

# BitLocker states where the key is in the clear or protection is going away.
UNSAFE_STATES = ("suspended", "decrypting", "waiting")


@check("data.disk_encryption", facts=("disk_encryption",), optional=("system",))
def disk_encryption(ctx: CheckContext, d: DiskEncryption, system: SystemFacts | None = None) -> Verdict:
    src = ", ".join(d.sources)
    ev = [
        Evidence(
            "system_encrypted",
            "unknown" if d.system_encrypted is None else ("yes" if d.system_encrypted else "no"),
            src,
        )
    ]
    if d.method:
        ev.append(Evidence("method", d.method, src))
    if d.state:
        ev.append(Evidence("state", d.state, src))
    laptop = system.is_laptop if system is not None else None
    ev.append(Evidence("laptop", "unknown" if laptop is None else ("yes" if laptop else "no")))
    if d.other_volumes_unencrypted:
        ev.append(Evidence("unencrypted_volumes", ", ".join(d.other_volumes_unencrypted), src))
    ev += [Evidence("technical_note", n) for n in d.notes]
    if d.state in UNSAFE_STATES:
        return verdict(Status.FAIL, f"state_{d.state}", ev)
    if d.system_encrypted is None:
        return unknown(Reason.NOT_READABLE, "unknown", evidence=ev)
    if d.system_encrypted:
        if d.state == "encrypting":
            return verdict(Status.WARN, "encrypting", ev)
        if d.other_volumes_unencrypted:
            return verdict(Status.WARN, "partial", ev, volumes=", ".join(d.other_volumes_unencrypted))
        return verdict(Status.PASS, "on", ev)
    if laptop:
        return verdict(Status.FAIL, "off_laptop", ev)
    return verdict(Status.WARN, "off_desktop", ev)


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
    windows11 = (
        ctx.platform == "windows"
        and system is not None
        and system.build is not None
        and system.build >= WINDOWS_11_FIRST_BUILD
    )
    if windows11 and not s.virtual_machine:
        return verdict(Status.FAIL, "off_windows11", ev)
    return verdict(Status.WARN, "off", ev)
