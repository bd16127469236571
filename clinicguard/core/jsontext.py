"""JSON text that keeps undecodable bytes and is always valid UTF-8.

File names and command output are carried with ``surrogateescape``: a byte
that is not UTF-8 (``crack_\\xff.exe``) becomes a lone surrogate (``\\udcff``)
that no UTF-8 writer accepts. :func:`dumps` writes such a character as the
JSON escape ``\\udcff``: the text stays valid UTF-8 (non-ASCII letters such as
"é" are kept as they are), and ``json.loads`` gives back the very same string,
so ``os.fsencode`` gives back the very same bytes. Display is another matter:
``present.safe`` shows the byte as ``\\xff``.

JSON output is read in terminals and editors too: DEL, C1 controls, line separators and bidirectional
marks, embeddings, overrides and isolates (a planted ``U+202E`` reorders what follows) are written as
``\\uXXXX`` escapes as well, the same characters ``present.safe`` makes visible; ``json.loads`` gives
them back unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

# json.dumps escapes C0 controls itself; these it would leave raw with ensure_ascii=False.
_ESCAPED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_surrogates(text: str) -> str:
    """Lone surrogates and display-unsafe characters of JSON text written as ``\\uXXXX`` escapes (outside
    strings JSON holds only ASCII, so every match is inside a string)."""
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps(obj: Any, **kwargs: Any) -> str:
    """``json.dumps`` (``ensure_ascii=False`` by default) whose result always encodes to UTF-8."""
    kwargs.setdefault("ensure_ascii", False)
    text = json.dumps(obj, **kwargs)
    return escape_surrogates(text) if not kwargs["ensure_ascii"] else text


def loads(data: str | bytes) -> Any:
    """The reverse of :func:`dumps`: ``\\udcff`` escapes come back as the very same lone surrogates.

    Bytes must be UTF-8 (UnicodeDecodeError otherwise, a ValueError like a JSON error).
    """
    return json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
