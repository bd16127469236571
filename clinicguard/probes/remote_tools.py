"""Names of remote-control tools, shared by the probes of every OS."""

from __future__ import annotations

import re

# Display-name pattern -> name shown (Windows Uninstall keys, macOS apps, packages).
REMOTE_TOOL_PATTERNS = {
    r"teamviewer": "TeamViewer",
    r"anydesk": "AnyDesk",
    r"rustdesk": "RustDesk",
    r"splashtop": "Splashtop",
    r"logmein": "LogMeIn",
    r"screenconnect|connectwise control": "ScreenConnect",
    r"ultravnc": "UltraVNC",
    r"tightvnc": "TightVNC",
    r"realvnc|vnc (server|connect)": "RealVNC",
    r"chrome remote desktop": "Chrome Remote Desktop",
    r"supremo": "Supremo",
    r"dwservice|dwagent": "DWService",
    r"ammyy": "Ammyy Admin",
    r"remote ?utilities": "Remote Utilities",
}
VIRTUAL_MARKERS = ("vmware", "virtualbox", "qemu", "kvm", "xen", "parallels", "virtual machine", "bochs", "hyper-v")


def tool_name(display: str) -> str | None:
    for pattern, label in REMOTE_TOOL_PATTERNS.items():
        if re.search(pattern, display, re.IGNORECASE):
            return label
    return None


def looks_virtual(*texts: str) -> bool:
    joined = " ".join(texts).lower()
    return any(m in joined for m in VIRTUAL_MARKERS)
