"""The one rule every exact method ends with: status, bound and gap from what the solver proved.

Objectives are minimised and integral unless said otherwise; a float dual bound is rounded up to
the integer it proves (with a relative tolerance), never past the objective.
"""

from __future__ import annotations

import math
from typing import Any

from schedkit.result import Result

TOLERANCE = 1e-6  # relative slack for a dual bound that lands a hair above an integer


def integral_bound(value: float | None) -> int | None:
    """`value` rounded up to the integer it proves; None when it proves nothing."""
    if value is None or not math.isfinite(value):
        return None
    return math.ceil(value - TOLERANCE * max(1.0, abs(value)))


def on_step(bound: int | None, step: int) -> int | None:
    """`bound` rounded up to a multiple of `step` when every objective is one (Σ w·T with
    integer times: the weights' gcd); it undoes a solver's relative slack on large weights."""
    if bound is None or step <= 1:
        return bound
    return -(-bound // step) * step


def finish(
    objective: int | float | None,
    bound: int | float | None,
    proved: bool,
    solution: Any,
    stats: dict[str, Any] | None = None,
    *,
    integral: bool = True,
) -> Result:
    """The Result of an exact method: `optimal` only when `proved` (bound set to the objective),
    `feasible` with a solution, `unknown` without. A float bound is made integral when the
    objective is; a bound above the objective is a solver bug and raises (via Result)."""
    if integral and isinstance(bound, float):
        bound = integral_bound(bound)
    if solution is None:
        return Result("unknown", None, bound, None, dict(stats or {}))
    if proved or (bound is not None and objective is not None and bound == objective):
        return Result("optimal", objective, objective, solution, dict(stats or {}))
    return Result("feasible", objective, bound, solution, dict(stats or {}))


def infeasible(stats: dict[str, Any] | None = None) -> Result:
    """The Result of a proof that no solution exists."""
    return Result("infeasible", None, None, None, dict(stats or {}))
