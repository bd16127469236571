"""No line break at a no-break space, on the dashboard as on paper.

French sets a no-break space inside « guillemets » and before ":" (``i18n/typography.py``), so that
"«\u00a0Accepté\u00a0»" and "Systèmes\u00a0:" never split. Rich, and Textual which wraps with Rich's
``divide_line``, cut lines at any ``\\s``, no-break spaces included. The Unicode line-breaking rules (UAX #14)
put U+00A0, U+202F, U+2007 and the word joiner U+2060 in class GL, "glue": no break on either side. This module
teaches Rich's word splitter that rule, the one place where it is decided.
"""

from __future__ import annotations

import re

import rich._wrap

GLUE = "\u00a0\u202f\u2007\u2060"
# A word: its glued parts (no-break spaces included), with the breakable spaces around it, as Rich's own
# ``\s*\S+\s*`` but where a no-break space is part of the word.
WORD = re.compile(rf"[^\S{GLUE}]*(?:[^\s]|[{GLUE}])+[^\S{GLUE}]*")


def keep_no_break_spaces() -> None:
    """Make Rich (and so Textual) wrap lines only at breakable spaces. Idempotent."""
    rich._wrap.re_word = WORD  # type: ignore[attr-defined]
