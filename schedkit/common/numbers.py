"""Numbers in text formats (ASCII digits only, bounded, so a token can never allocate or overflow)
and the numeric arguments every entry point checks alike (whole numbers, seconds)."""

from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal
from typing import Any

MAX_VALUE = 2**62  # every number in every input is below this in magnitude (docs/input-limits.md)
MAX_SECONDS = 1e9  # the longest time limit anywhere (31 years): a thread's timeout overflows near 1e10
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


def is_whole(value: Any, low: int, high: int) -> bool:
    """Whether `value` is an integer (not a boolean) in low..high."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and low <= int(value) <= high


def real(value: Any) -> float | None:
    """`value` as a float when it is a real number that is not a boolean and not NaN (Python's,
    numpy's, a Fraction or a Decimal; ±inf included) within float's range, else None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        return None  # numpy's booleans are no numbers.Real
    if isinstance(value, Decimal) and value.is_snan():
        return None  # float() refuses a signalling NaN
    try:
        number = float(value)
    except OverflowError:  # an int or Fraction beyond float's range is no infinity
        return None
    return None if math.isnan(number) else number


def is_seconds(value: Any, zero: bool = False) -> bool:
    """Whether `value` is a number of seconds (not a boolean, not NaN; numpy's, a Fraction or a
    Decimal too) up to MAX_SECONDS, above 0 (or from 0 with `zero`)."""
    seconds = real(value)
    if seconds is None:
        return False
    return (seconds >= 0 if zero else seconds > 0) and seconds <= MAX_SECONDS
