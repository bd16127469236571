"""The stored form of a note people may read: a catalogue key with its parameters, translated when shown.

It lives in the core so that the lowest layers (hosts, probes) can write notes without knowing any language:
"note:linux.timeshift_unscheduled" or 'note:host.tool_missing {"tool": "dscl"}'.
"""

from __future__ import annotations

import json
from typing import Any

NOTE_PREFIX = "note:"


def note(key: str, **params: Any) -> str:
    """The stored form of a translatable note (``note.<key>`` in the catalogue)."""
    return f"{NOTE_PREFIX}{key}" + (f" {json.dumps(params, ensure_ascii=False, sort_keys=True)}" if params else "")
