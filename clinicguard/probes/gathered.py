"""What one probe read, noted and could not establish, collected in one place and handed to its fact."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clinicguard.core.errors import unknown_of
from clinicguard.core.facts import Unknown


@dataclass
class Gathered:
    """Sources read, notes and the reason each field stayed unknown; ``Fact(..., **gathered.fields())``."""

    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    why: dict[str, Unknown] = field(default_factory=dict)

    def unknown(self, name: str, why: BaseException | Unknown) -> None:
        """Field ``name`` stays None: for the error met (see errors.reason_of) or an explicit reason."""
        self.why[name] = why if isinstance(why, Unknown) else unknown_of(why)

    def fields(self) -> dict[str, Any]:
        """The ``sources`` (each once, in order), ``notes`` and ``why_unknown`` of the fact."""
        sources = tuple(dict.fromkeys(self.sources))
        return {"sources": sources, "notes": tuple(self.notes), "why_unknown": dict(self.why)}
