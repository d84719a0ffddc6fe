"""Kubernetes resource quantities (`250m`, `1.5`, `2Gi`, `500M`, `1e3`, `100Ki`) in exact arithmetic.

The grammar is the API's: an optional sign, a decimal number (`1`, `1.5`, `.5`, `5.`), then
either a binary suffix (Ki Mi Gi Ti Pi Ei), a decimal suffix (n u m k M G T P E, or none) or
a decimal exponent (`e3`, `E-2`). Values are exact fractions; `cpu_millicores` and
`memory_bytes` round up to whole units as the API's `MilliValue()` / `Value()` do, and refuse
negative values, empty strings, stray characters and suffixes of the wrong case.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

from schedkit.errors import InvalidInstance

# ASCII digits only ([0-9]: Python's \d took `٣Gi` for 3 GiB), as the API's parser
_PATTERN = re.compile(r"([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)"
                      r"(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?")
MAX_DIGITS = 100  # a quantity's number and exponent (Python's int() refuses more than 4,300 digits)
_BINARY: dict[str, int] = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL: dict[str, Fraction | int] = {
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 1000),
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
}
MAX_EXPONENT = 30  # beyond 10^30 no resource amount makes sense (and 10^10^9 would hang)


def parse_quantity(value: Any, where: str = "quantity") -> Fraction:
    """The exact value of a quantity string (or a JSON integer); InvalidInstance naming `where`."""
    if isinstance(value, bool) or value is None:
        raise InvalidInstance(f"{where}: expected a quantity such as '250m' or '2Gi', got {value!r}")
    if isinstance(value, int):
        text = str(value) if abs(value) < 10**MAX_DIGITS else "9" * (MAX_DIGITS + 5)  # refused below
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInstance(f"{where}: {value!r} is not a finite quantity")
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise InvalidInstance(f"{where}: expected a quantity string, got {type(value).__name__}")
    if len(text) > MAX_DIGITS + 4:
        raise InvalidInstance(f"{where}: {text[:20]!r}... has more than {MAX_DIGITS} digits")
    match = _PATTERN.fullmatch(text)
    if match is None:
        raise InvalidInstance(
            f"{where}: {value!r} is not a Kubernetes quantity (a number with an optional suffix "
            "Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or an exponent like e3)"
        )
    sign, number, exponent, suffix = match.groups()
    amount = Fraction(number if not number.endswith(".") else number[:-1])
    if exponent is not None:
        power = int(exponent[1:])
        if abs(power) > MAX_EXPONENT:
            raise InvalidInstance(f"{where}: exponent in {value!r} is beyond ±{MAX_EXPONENT}")
        amount *= Fraction(10) ** power
    elif suffix is not None:
        amount *= _BINARY[suffix] if suffix in _BINARY else _DECIMAL[suffix]
    return -amount if sign == "-" else amount


def _whole(value: Any, scale: int, where: str, unit: str) -> int:
    amount = parse_quantity(value, where)
    if amount < 0:
        raise InvalidInstance(f"{where}: {value!r} is negative; a resource amount must be >= 0")
    return math.ceil(amount * scale)


def cpu_millicores(value: Any, where: str = "cpu") -> int:
    """CPU in millicores, rounded up (`250m` -> 250, `1.5` -> 1500, `1e3` -> 1000000)."""
    return _whole(value, 1000, where, "millicores")


def memory_bytes(value: Any, where: str = "memory") -> int:
    """Memory in bytes, rounded up (`2Gi` -> 2147483648, `500M` -> 500000000)."""
    return _whole(value, 1, where, "bytes")


def count(value: Any, where: str = "pods") -> int:
    """A whole count such as allocatable `pods` (`110`); fractions are refused."""
    amount = parse_quantity(value, where)
    if amount < 0 or amount.denominator != 1:
        raise InvalidInstance(f"{where}: {value!r} is not a whole non-negative count")
    return int(amount)


def format_cpu(millicores: int) -> str:
    """Millicores as kubectl writes them: `2` for 2000, `250m` otherwise."""
    return str(millicores // 1000) if millicores % 1000 == 0 else f"{millicores}m"


def format_memory(amount: int) -> str:
    """Bytes as the largest exact binary suffix (`2Gi`), else plain bytes."""
    for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
        unit = _BINARY[suffix]
        if amount and amount % unit == 0:
            return f"{amount // unit}{suffix}"
    return str(amount)
