"""Win32 calls through ctypes (language-neutral); imports cleanly elsewhere.

Used only when assessing this very machine on Windows; recordings replay the
`net accounts` fallback instead.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from clinicguard.host import Host

TIMEQ_FOREVER = 0xFFFFFFFF


@dataclass(frozen=True)
class ModalsInfo:
    min_length: int
    max_age_days: int | None  # None = never expires
    lockout_threshold: int


def is_native(host: Host) -> bool:
    """True when ``host`` is this Windows machine (possibly behind a recorder)."""
    from clinicguard.host.local import LocalHost

    inner = host
    while hasattr(inner, "inner"):
        inner = inner.inner  # type: ignore[attr-defined]
    return isinstance(inner, LocalHost) and sys.platform == "win32"


def net_user_modals() -> ModalsInfo:
    """NetUserModalsGet levels 0 and 3; OSError when the call fails."""
    import ctypes
    from ctypes import wintypes

    class USER_MODALS_INFO_0(ctypes.Structure):  # noqa: N801 - Win32 name
        _fields_ = [
            ("min_passwd_len", wintypes.DWORD),
            ("max_passwd_age", wintypes.DWORD),
            ("min_passwd_age", wintypes.DWORD),
            ("force_logoff", wintypes.DWORD),
            ("password_hist_len", wintypes.DWORD),
        ]

    class USER_MODALS_INFO_3(ctypes.Structure):  # noqa: N801
        _fields_ = [
            ("lockout_duration", wintypes.DWORD),
            ("lockout_observation_window", wintypes.DWORD),
            ("lockout_threshold", wintypes.DWORD),
        ]

    netapi = ctypes.WinDLL("netapi32")  # type: ignore[attr-defined]
    netapi.NetUserModalsGet.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, ctypes.POINTER(ctypes.c_void_p)]
    netapi.NetUserModalsGet.restype = wintypes.DWORD
    netapi.NetApiBufferFree.argtypes = [ctypes.c_void_p]

    def get(level: int, struct: type[ctypes.Structure]) -> ctypes.Structure:
        buf = ctypes.c_void_p()
        status = netapi.NetUserModalsGet(None, level, ctypes.byref(buf))
        if status != 0 or not buf.value:
            raise OSError(f"NetUserModalsGet level {level} failed with status {status}")
        try:
            return struct.from_buffer_copy(ctypes.string_at(buf.value, ctypes.sizeof(struct)))
        finally:
            netapi.NetApiBufferFree(buf)

    info0 = get(0, USER_MODALS_INFO_0)
    info3 = get(3, USER_MODALS_INFO_3)
    max_age = None if info0.max_passwd_age == TIMEQ_FOREVER else info0.max_passwd_age // 86400
    return ModalsInfo(info0.min_passwd_len, max_age, info3.lockout_threshold)
