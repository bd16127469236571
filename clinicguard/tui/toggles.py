"""Checkbox and radio button whose state reads without colour (NO_COLOR, colour-blind readers).

Textual draws the same mark in a ticked and an unticked box and tells them apart by colour only; these draw
the mark only when the box is ticked.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - the name Textual reads
        return "X" if self.value else " "


class MarkedRadioButton(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - the name Textual reads
        return "●" if self.value else " "
