"""French typography: a space before the two-part signs (: ; ! ?) and inside « guillemets », never broken.

A line must not end on "«" nor start on ":" — the spaces around them are no-break spaces, as French printers
set them; English text is left as it is.
"""

from __future__ import annotations

NBSP = "\u00a0"  # before ":" and inside guillemets
NARROW_NBSP = "\u202f"  # before ";", "!" and "?"


def colon(lang: str) -> str:
    """The separator between a label and its value: "Systèmes : windows", "Systems: windows"."""
    return f"{NBSP}: " if lang == "fr" else ": "


def labelled(label: str, value: str, lang: str) -> str:
    return f"{label}{colon(lang)}{value}"


def french_spacing(text: str, lang: str) -> str:
    """Guillemets keep their content on the same line ("«\u00a0Accepté\u00a0»")."""
    if lang != "fr" or "«" not in text and "»" not in text:
        return text
    return text.replace("« ", f"«{NBSP}").replace(" »", f"{NBSP}»")
