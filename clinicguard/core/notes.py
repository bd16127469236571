"""The stored form of a text clinicguard words itself in facts and evidence, shown later in the reader's language.

A note is a catalogue key with its parameters: ``note:evidence.line {"line": 4}``; ``clinicguard.i18n.note_text``
words it ("ligne 4", "line 4"), numbers and sizes by the reader's rules. Kept in the core so that probes and
the infostealer triage store notes without loading the catalogue.
"""

from __future__ import annotations

import json
from typing import Any

NOTE_PREFIX = "note:"


def note(key: str, **params: Any) -> str:
    """The stored form of the translatable note ``note.<key>`` of the catalogue."""
    return f"{NOTE_PREFIX}{key}" + (f" {json.dumps(params, ensure_ascii=False, sort_keys=True)}" if params else "")
