"""Untrusted text made safe to show.

Everything read from the machine (file names, command output, host names,
notes, accept reasons, recordings) may hold terminal escape sequences, fake
line breaks, right-to-left overrides or undecodable bytes. Data is carried
losslessly; only its display goes through :func:`safe_text`, which shows each
such character visibly as a Python-style escape (``\\x1b``, ``\\u202e``) so
the reader sees exactly what is there and the terminal obeys none of it.
Format-specific escaping (Markdown, HTML, CSV, Rich markup) starts from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# C0 and C1 controls and DEL, line/paragraph separators, bidirectional
# embeddings, overrides, isolates and marks, lone surrogates (undecodable
# bytes carried with "surrogateescape").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEP_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# Longest text shown for one field; the rest is summarised, never silently dropped.
MAX_SHOWN = 4000


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by "surrogateescape": show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def safe_text(value: object, *, multiline: bool = False, limit: int | None = MAX_SHOWN) -> str:
    """``value`` as text that a terminal or a document shows as-is.

    Single-line by default (a newline is shown as ``\\n`` so it cannot fake a
    new line); ``multiline=True`` keeps plain line feeds. Text longer than
    ``limit`` characters is cut with a note of how much was left out.
    """
    text = value if isinstance(value, str) else str(value)
    if limit is not None and len(text) > limit:
        text = f"{text[:limit]}… (+{len(text) - limit})"
    pattern = _UNSAFE_KEEP_NEWLINE if multiline else _UNSAFE
    return pattern.sub(_visible, text) if pattern.search(text) else text


def safe_line(value: object) -> str:
    """One field shown on one line."""
    return safe_text(value)


def safe_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Text parameters of a message made single-line and safe; numbers and dates kept for formatting."""
    return {k: safe_line(v) if isinstance(v, str) else v for k, v in params.items()}


def has_unsafe(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a character that :func:`safe_text` would escape (for tests and checks)."""
    return bool((_UNSAFE_KEEP_NEWLINE if multiline else _UNSAFE).search(text))


# Markdown: characters that open markup anywhere in a line; HTML's three go in as entities so that
# "<img src=x onerror=...>" stays text in every renderer, CommonMark or not.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# What makes a heading, a list, a quote or a rule at the start of a line.
_MD_LINE_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")


def markdown_text(value: object) -> str:
    """One untrusted field as Markdown that renders literally, on one line."""
    text = _MD_INLINE.sub(r"\\\1", safe_line(value).strip())
    if any(c in text for c in "&<>"):
        text = "".join(_MD_ENTITIES.get(c, c) for c in text)
    return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell that a spreadsheet shows as text, never runs: a leading quote disarms a formula."""
    if not isinstance(value, str):
        return value
    text = safe_text(value, multiline=True, limit=None)
    return "'" + text if value.startswith(_FORMULA_START) else text
