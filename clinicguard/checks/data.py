"""Checks of the "protect data on the computer" theme."""

from __future__ import annotations

from clinicguard.checks import CheckContext, Verdict, check, unknown, verdict
from clinicguard.facts import DiskEncryption, SystemFacts
from clinicguard.model import Evidence, Reason, Status

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
