"""Field checks of the cluster records (integers in range, strings, label maps, integer text);
each raises InvalidInstance naming the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from schedkit.errors import InvalidInstance

_DECIMAL = re.compile(r"[+-]?[0-9]+")  # Go's strconv.ParseInt(s, 10, 64): no spaces, `_` or other digits


def check_int(where: str, value: Any, low: int, high: int) -> int:
    """`value` as an int when it is an integer (not a bool) within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidInstance(f"{where} must be an integer, got {value!r}")
    if not low <= int(value) <= high:
        raise InvalidInstance(f"{where} = {value} is outside [{low}, {high}]")
    return int(value)


def check_str(where: str, value: Any, empty: bool = False) -> str:
    """`value` when it is a string (non-empty unless `empty`)."""
    if not isinstance(value, str) or (not empty and not value):
        raise InvalidInstance(f"{where} must be a{'' if empty else ' non-empty'} string, got {value!r}")
    return value


def check_labels(where: str, labels: Any) -> Mapping[str, str]:
    """A read-only copy of a string-to-string label map (None: empty)."""
    if labels is None:
        return MappingProxyType({})
    if not isinstance(labels, Mapping):
        raise InvalidInstance(f"{where} must be an object of string labels, got {labels!r}")
    for key, value in labels.items():
        check_str(f"{where} key", key)
        check_str(f"{where}[{key!r}]", value, empty=True)
    return MappingProxyType(dict(labels))


def int64(text: str) -> int | None:
    """`text` as Kubernetes reads affinity's Gt and Lt (strconv.ParseInt base 10, int64), else None."""
    if _DECIMAL.fullmatch(text) is None:
        return None
    digits = text.lstrip("+-").lstrip("0") or "0"  # int() refuses more than 4,300 digits
    number = int(digits[:20]) * (-1 if text[0] == "-" else 1)
    return number if len(digits) <= 19 and -(2**63) <= number < 2**63 else None
