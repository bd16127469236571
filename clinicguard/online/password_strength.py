"""Local password strength estimate against the CNIL 2022 thresholds.

CNIL deliberation 2022-100 measures strength as entropy: length x log2 of
the size of the character set used. A password alone must reach 80 bits
(case 1); 50 bits are enough only when access is restricted after failed
attempts, for example a lock after 10 failures at most (case 2). Like the
CNIL tables this is an upper bound; in runs such as "1234" each following
character counts as half a character and a repeated one as none, so
obvious patterns do not look strong. Bits are rounded before comparison,
as the CNIL's own example (12 characters from 99 symbols: 79.6) is
presented as reaching 80.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

CNIL_ALONE_BITS = 80  # CNIL 2022, case 1: password only
CNIL_RESTRICTED_BITS = 50  # CNIL 2022, case 2: with lockout or growing delay
CNIL_SPECIALS = 37  # size of the special-character set the CNIL examples assume


@dataclass(frozen=True)
class Strength:
    bits: float
    level: str  # "strong" (case 1), "medium" (case 2 only) or "weak"
    length: int
    classes: int


def pool_size(password: str) -> tuple[int, int]:
    """(character set size, number of character kinds used)."""
    kinds = [
        (any(c in string.ascii_lowercase for c in password), 26),
        (any(c in string.ascii_uppercase for c in password), 26),
        (any(c in string.digits for c in password), 10),
        (any(not (c.isascii() and c.isalnum()) for c in password), CNIL_SPECIALS),
    ]
    return sum(size for used, size in kinds if used), sum(1 for used, _ in kinds if used)


def effective_length(password: str) -> float:
    length = 0.0
    previous: str | None = None
    for c in password:
        if previous is None or abs(ord(c) - ord(previous)) > 1:
            length += 1.0
        elif c != previous:
            length += 0.5  # "abc", "321": half a character
        # a repeated character ("aaaa") adds nothing
        previous = c
    return length


def estimate(password: str) -> Strength:
    pool, classes = pool_size(password)
    bits = effective_length(password) * math.log2(pool) if pool > 1 else 0.0
    if round(bits) >= CNIL_ALONE_BITS:
        level = "strong"
    elif round(bits) >= CNIL_RESTRICTED_BITS:
        level = "medium"
    else:
        level = "weak"
    return Strength(round(bits, 1), level, len(password), classes)
