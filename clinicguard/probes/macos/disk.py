"""FileVault: is the startup disk encrypted with the user's password?"""

from __future__ import annotations

import re

from clinicguard.core.errors import ParseError
from clinicguard.core.facts import DiskEncryption
from clinicguard.host import Host
from clinicguard.probes import probe
from clinicguard.probes.common import run_ok
from clinicguard.probes.macos.plists import FDESETUP

PERCENT_RE = re.compile(r"Percent completed = ([\d.]+)")


def parse_fdesetup(text: str) -> tuple[bool, str, list[str]]:
    """`fdesetup status` -> (encrypted, state, notes).

    "FileVault is On." / "FileVault is Off." with optional second lines:
    "Encryption in progress: Percent completed = 45.3", "Decryption in progress: ...",
    "Deferred enablement appears to be active for user 'alice'."
    """
    notes: list[str] = []
    if "FileVault is On" in text:
        encrypted, state = True, "on"
    elif "FileVault is Off" in text:
        encrypted, state = False, "off"
    else:
        raise ParseError(f"fdesetup status: {text.strip()[:80]!r}")
    percent = PERCENT_RE.search(text)
    if "Encryption in progress" in text:
        encrypted, state = True, "encrypting"
    elif "Decryption in progress" in text:
        encrypted, state = True, "decrypting"
    if percent:
        notes.append(f"fdesetup percent={percent.group(1)}")
    if "Deferred enablement" in text:
        notes.append("macos_filevault_deferred")
    return encrypted, state, notes


def filevault_state(host: Host) -> tuple[bool, str, list[str]]:
    return parse_fdesetup(run_ok(host, [FDESETUP, "status"], timeout=5).stdout)


@probe("disk_encryption", "macos")
def macos_disk_encryption(host: Host) -> DiskEncryption:
    encrypted, state, notes = filevault_state(host)
    return DiskEncryption(
        system_encrypted=encrypted,
        method="filevault",
        state=state,
        sources=("fdesetup status",),
        notes=tuple(notes),
    )
