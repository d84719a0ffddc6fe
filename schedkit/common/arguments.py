"""Checks of arguments and record fields (the generators', a record's flags) before anything is
drawn or allocated: a boolean is no number, NaN and text are refused, every count has its ceiling
(InvalidInstance naming it)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

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


def meta(value: Any) -> Mapping[str, Any]:
    """An instance's `meta` as a read-only copy (None: empty), else InvalidInstance: `meta=None`
    or a list raised a TypeError from deep inside the constructor."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise InvalidInstance(f"meta must be a mapping (a dict), got {type(value).__name__}")
    return MappingProxyType(dict(value))


def whole_numbers(name: str, values: Any) -> tuple[int, ...]:
    """`values` (a list, tuple, range, iterator or 1-D array) as a tuple of ints, else
    InvalidInstance naming the first entry that is no whole number: a boolean, a fraction (never
    truncated), NaN, text, None. A float of integral value (a MIP's 3.0) counts as whole."""
    if isinstance(values, np.ndarray):
        if values.ndim == 1 and values.dtype.kind in "iu":  # whole already: a million in 0.1 s, not 2.5
            return tuple(values.tolist())
        values = values.tolist()
    if (isinstance(values, str | bytes | Mapping | set | frozenset)  # a set has no order
            or not isinstance(values, Iterable)):
        raise InvalidInstance(f"{name} must be a list of whole numbers, got {type(values).__name__}")
    whole = []
    for i, value in enumerate(values):
        real = isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
        if not (real and math.isfinite(value) and value == int(value)):
            raise InvalidInstance(f"{name}[{i}] = {value!r} is not a whole number")
        whole.append(int(value))
    return tuple(whole)


def records(name: str, values: Any) -> tuple[Any, ...]:
    """A list, tuple or 1-D array of records (nodes, pods, requests...) as a tuple; None, text, a
    mapping or a single record is InvalidInstance naming the field ('NoneType' object is not
    iterable came from deep inside the constructors)."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, list | tuple):
        raise InvalidInstance(f"{name} must be a list, got {type(values).__name__}")
    return tuple(values)


def changed(fields: dict[str, Any], changes: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """`fields` updated with `changes` for an instance's `replace`; InvalidInstance naming a field
    the instance does not have (was the constructor's TypeError 'unexpected keyword argument')."""
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise InvalidInstance(f"{kind} has no field {', '.join(unknown)}; its fields: {', '.join(fields)}")
    return {**fields, **changes}


def shown(value: Any, width: int = 60) -> str:
    """`repr(value)` on one line, cut at `width` characters: a message naming a numpy array
    given where text goes spanned several lines."""
    text = " ".join(repr(value).split())
    return text if len(text) <= width else text[:width - 3] + "..."
