"""Access to the machine being assessed.

Probes never touch the system directly: they go through a :class:`Host`.
``LocalHost`` is the real machine; ``RecordedHost`` replays captured outputs
so that any operating system can be tested on Linux CI; ``RecordingHost``
wraps a host and captures what it answered.
"""

from clinicguard.host.base import (
    AccessDenied,
    CommandResult,
    CommandTimeout,
    FileMissing,
    Host,
    HostError,
    Listener,
    ProcessInfo,
    SpecialFile,
    ToolMissing,
    UserInfo,
)

__all__ = [
    "AccessDenied",
    "CommandResult",
    "CommandTimeout",
    "FileMissing",
    "Host",
    "HostError",
    "Listener",
    "ProcessInfo",
    "SpecialFile",
    "ToolMissing",
    "UserInfo",
]
