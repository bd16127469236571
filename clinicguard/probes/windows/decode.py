"""Language-neutral decoding: SIDs, Security Center productState, BitLocker."""

from __future__ import annotations

import re
from dataclasses import dataclass

ADMINISTRATORS_SID = "S-1-5-32-544"
_RID_RE = re.compile(r"^S-1-5-21-\d+-\d+-\d+-(\d+)$")

# Well-known relative ids of local accounts.
RID_ADMINISTRATOR = 500
RID_GUEST = 501
RID_DEFAULT_ACCOUNT = 503
RID_WDAG = 504


def rid(sid: str) -> int | None:
    """Relative id of a local/domain account SID (-500 is not -1500)."""
    m = _RID_RE.match(sid.strip())
    return int(m.group(1)) if m else None


def is_rid(sid: str, wanted: int) -> bool:
    return rid(sid) == wanted


def machine_part(sid: str) -> str | None:
    """'S-1-5-21-a-b-c' of an account SID, the part identifying the machine."""
    m = re.match(r"^(S-1-5-21-\d+-\d+-\d+)-\d+$", sid.strip())
    return m.group(1) if m else None


@dataclass(frozen=True)
class ProductState:
    enabled: bool | None  # real-time engine on
    state: str  # on, off, snoozed, expired, unknown
    up_to_date: bool | None


_ENGINE = {0x0: "off", 0x1: "on", 0x2: "snoozed", 0x3: "expired"}


def decode_product_state(value: int) -> ProductState:
    """Security Center productState (undocumented; community-consistent).

    Bits 12-15: 0 off, 1 on, 2 snoozed, 3 expired; bits 4-7: 0 signatures up
    to date, 1 out of date. Anything else is unknown, never assumed fine.
    """
    engine = _ENGINE.get((value >> 12) & 0xF, "unknown")
    sig = (value >> 4) & 0xF
    up_to_date = True if sig == 0 else False if sig == 1 else None
    enabled = None if engine == "unknown" else engine == "on"
    return ProductState(enabled=enabled, state=engine, up_to_date=up_to_date)


# System.Volume.BitLockerProtection -> (state, protected)
BITLOCKER_PROTECTION: dict[int, tuple[str, bool | None]] = {
    1: ("on", True),
    2: ("off", False),
    3: ("encrypting", True),  # under way: the check makes it amber
    4: ("decrypting", False),
    5: ("suspended", False),
    6: ("on", True),  # on and locked
    7: ("not_encryptable", False),
    8: ("waiting", False),  # device encryption waiting for activation: key in clear
}


def decode_bitlocker(value: object) -> tuple[str, bool | None]:
    """(state, protected) of a volume; ('unknown', None) for null or odd values."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return "unknown", None
    try:
        number = int(value)
    except ValueError:
        return "unknown", None
    return BITLOCKER_PROTECTION.get(number, ("unknown", None))


# Get-BitLockerVolume VolumeStatus / ProtectionStatus (enum names, not localised).
def decode_bitlocker_admin(volume_status: str, protection: str) -> tuple[str, bool | None]:
    vs, prot = volume_status.lower(), protection.lower()
    if vs == "fullydecrypted":
        return "off", False
    if vs == "encryptioninprogress":
        return "encrypting", True
    if vs == "decryptioninprogress":
        return "decrypting", False
    if vs in ("fullyencrypted", "encryptionpaused"):
        if prot == "on":
            return "on", True
        if prot == "off":
            return "suspended", False
    return "unknown", None
