"""Parsing JSON from instance files safely: bounded nesting, no NaN or Infinity, bounded numbers.

Python's `json` recurses once per nesting level, so a file of 1,100 `[` would raise
RecursionError; the depth is measured first, without recursion. Numbers the standard does not
allow (NaN, Infinity), numbers beyond ±2^62 and a key given twice in one object (which json
would read as its last value, silently) are refused, a number with its place in the document.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from schedkit.common.numbers import MAX_VALUE
from schedkit.errors import ParseError

MAX_DEPTH = 64  # the deepest real instance (kubectl node affinity) nests about 12 levels
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_LONG_DIGITS = re.compile(r"[0-9]{19}")  # 10^18 <= such an integer; every shorter one is below 2^62
DEPTH_CHUNK = 1 << 16  # characters summed at once by `nesting_depth`
_OPEN = np.zeros(256, dtype=np.int8)
_OPEN[[ord("["), ord("{")]] = 1
_OPEN[[ord("]"), ord("}")]] = -1


class _Refused:
    """A number the project's JSON does not accept, left in the parsed value where it stood, so
    that the error can name its place (`_first_refused`)."""

    __slots__ = ("found", "why")

    def __init__(self, found: str, why: str = "") -> None:
        self.found = found
        self.why = why


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of `text`, brackets inside strings ignored (no recursion).
    Summed a chunk at a time: at once, it took 17 bytes per character (17 GB for a 1 GB file)."""
    bare = np.frombuffer(_STRING.sub('""', text).encode("utf-8", "replace"), dtype=np.uint8)
    depth = deepest = 0
    for start in range(0, bare.size, DEPTH_CHUNK):
        running = np.cumsum(_OPEN[bare[start : start + DEPTH_CHUNK]], dtype=np.int64) + depth
        deepest = max(deepest, int(running.max()))
        depth = int(running[-1])
    return deepest


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice is refused (json keeps the last one silently)."""
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise _Twice(f"the key {key[:40]!r} twice in one object")
        record[key] = value
    return record


class _Twice(ValueError):
    """A key given twice in one JSON object (raised inside json.loads)."""


class _Numbers:
    """The number hooks of one parse: a refused number is left in place as a `_Refused`, and
    counted, so that only a parse that refused one looks for it (`_first_refused`)."""

    def __init__(self) -> None:
        self.refused = 0

    def _refuse(self, found: str, why: str = "") -> _Refused:
        self.refused += 1
        return _Refused(found, why)

    def constant(self, name: str) -> Any:
        return self._refuse(name, " (JSON has no NaN or Infinity)")

    def float(self, text: str) -> Any:
        value = float(text)
        if not math.isfinite(value) or abs(value) >= MAX_VALUE:
            return self._refuse(f"the number {text[:30]}")
        return value

    def int(self, text: str) -> Any:
        if len(text) > 20 or abs(int(text)) >= MAX_VALUE:
            return self._refuse(f"the number {text[:30]}")
        return int(text)


def _first_refused(value: Any, place: str = "") -> tuple[str, _Refused] | None:
    """(where, what) of the first refused number in document order (depth <= MAX_DEPTH)."""
    if isinstance(value, _Refused):
        return place or "the top level", value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        step = (f".{key[:40]}" if place else key[:40]) if isinstance(key, str) else f"[{key}]"
        found = _first_refused(inner, place + step)
        if found is not None:
            return found
    return None


def parse_json(text: str, path: Path | str, line: int | None = None) -> Any:
    """The JSON value in `text`; ParseError naming `path` (and `line` for JSON lines) otherwise."""
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise ParseError(str(path), line, f"JSON nested at most {MAX_DEPTH} levels deep",
                         f"{depth} levels")
    numbers = _Numbers()
    # An integer of at most 18 digits is within ±2^62: without a longer run of digits anywhere
    # (strings included), json's own int parsing is safe, and 4x faster than the hook per number.
    ints = numbers.int if _LONG_DIGITS.search(text) else None
    try:
        value = json.loads(text, parse_constant=numbers.constant, parse_float=numbers.float,
                           parse_int=ints, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        where = line if line is not None else error.lineno
        raise ParseError(str(path), where, "a JSON document", error.msg.lower()) from None
    except _Twice as error:
        raise ParseError(str(path), line, "each key once per object", str(error)) from None
    found = _first_refused(value) if numbers.refused else None
    if found is not None:
        raise ParseError(str(path), line, "a finite JSON number within ±2^62",
                         f"{found[1].found} at {found[0]}{found[1].why}")
    return value
