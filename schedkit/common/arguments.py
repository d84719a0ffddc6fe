"""Checks of arguments and record fields (the generators', a record's flags) before anything is
drawn or allocated: a boolean is no number, NaN and text are refused, every count has its ceiling
(InvalidInstance naming it)."""

from __future__ import annotations

import math
import numbers
from typing import Any

from schedkit.common.numbers import is_whole
from schedkit.errors import InvalidInstance


def whole(name: str, value: Any, low: int, high: int) -> int:
    """`value` as an int when it is a whole number in low..high, else InvalidInstance."""
    if not is_whole(value, low, high):
        raise InvalidInstance(f"{name} must be a whole number from {low:,} to {high:,}, got {value!r}")
    return int(value)


def number(name: str, value: Any, low: float, high: float, *, open_low: bool = False,
           open_high: bool = False) -> float:
    """`value` as a float when it is a real number (not a boolean, not NaN) in the interval from
    `low` to `high` (each end open when told), else InvalidInstance."""
    real = isinstance(value, numbers.Real) and not isinstance(value, bool) and not math.isnan(value)
    if not (real and (low < value if open_low else low <= value)
            and (value < high if open_high else value <= high)):
        interval = f"{'(' if open_low else '['}{low:g}, {high:g}{')' if open_high else ']'}"
        raise InvalidInstance(f"{name} must be a number in {interval}, got {value!r}")
    return float(value)


def flag(name: str, value: Any) -> bool:
    """`value` when it is True or False, else InvalidInstance."""
    if not isinstance(value, bool):
        raise InvalidInstance(f"{name} must be true or false, got {value!r}")
    return value
