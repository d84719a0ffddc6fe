"""Numbers in text formats: ASCII digits only, bounded, so a token can never allocate or overflow."""

from __future__ import annotations

import re

MAX_VALUE = 2**62  # every number in every input is below this in magnitude (docs/input-limits.md)
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")


def read_int(token: str) -> int:
    """The integer `token` spells in ASCII digits (optional sign), |value| < 2**62.

    Raises ValueError (with a short reason) for anything else: other scripts' digits (`٣`),
    underscores (`1_000`), fractions, and values too large for the solvers' int64 arithmetic.
    """
    if not _INTEGER.fullmatch(token):
        raise ValueError(f"{token[:30]!r} is not an integer")
    value = int(token)
    if abs(value) >= MAX_VALUE:
        raise ValueError(f"{token} is beyond the limit ±2^62")
    return value


def explain(token: str) -> tuple[str, str]:
    """(expected, found) for a ParseError about `token`, which `read_int` refused."""
    if _INTEGER.fullmatch(token):
        return "an integer within ±2^62", token
    return "an integer", repr(token[:30])


def is_int(token: str) -> bool:
    """True when `read_int(token)` would succeed."""
    try:
        read_int(token)
    except ValueError:
        return False
    return True
