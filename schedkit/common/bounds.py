"""Dual bounds from floating-point solvers, as the integers they prove (objectives are integral)."""

from __future__ import annotations

import math

TOLERANCE = 1e-6  # relative slack for a bound that lands a hair above an integer


def integral_bound(value: float | None) -> int | None:
    """`value` rounded up to the integer it proves; None when it proves nothing."""
    if value is None or not math.isfinite(value):
        return None
    return math.ceil(value - TOLERANCE * max(1.0, abs(value)))
