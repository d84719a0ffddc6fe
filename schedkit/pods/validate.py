"""Field checks of the cluster records (integers in range, strings, label maps, integer text);
each raises InvalidInstance naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from schedkit.errors import InvalidInstance


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


def is_int(text: str) -> bool:
    """Does `text` parse as an integer (the values of affinity's Gt and Lt)?"""
    try:
        int(text)
    except ValueError:
        return False
    return True
