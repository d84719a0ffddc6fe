"""The one Result type every method of every family returns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
STATUSES: tuple[str, ...] = ("optimal", "feasible", "infeasible", "unknown")
BOUND_TOLERANCE = 1e-9  # relative: float objectives may carry rounding noise


def above(bound: float, objective: float) -> bool:
    """Whether `bound` lies above `objective` beyond float noise: no lower bound of a
    minimisation can (Result refuses it; the checker reports it of a result's JSON)."""
    return bound > objective + BOUND_TOLERANCE * max(1.0, abs(objective))


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """(objective - bound) / |objective|; 0 when both are 0, None without a bound or objective."""
    if objective is None or bound is None:
        return None
    if objective == bound:
        return 0.0
    if objective == 0:
        return math.inf
    return (objective - bound) / abs(objective)


@dataclass(frozen=True)
class Result:
    """Outcome of one solve: status, objective, proven bound, the solution and how it was found.

    Every objective is minimised. `status == "optimal"` only when the method proved it
    (bound == objective); a bound above the objective is refused as a bug. `gap` is
    derived from objective and bound. `stats` holds method specifics (nodes, iterations,
    worker count, the sub-method `auto` chose...).
    """

    status: Status
    objective: int | float | None = None
    bound: int | float | None = None
    solution: Any = None
    stats: dict[str, Any] = field(default_factory=dict)
    family: str = ""
    method: str = ""
    instance: str = ""
    wall_time: float = 0.0
    gap: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.status == "optimal" and self.bound != self.objective:
            raise ValueError(
                f"status 'optimal' needs a proof: bound {self.bound} != objective {self.objective}"
            )
        if self.bound is not None and self.objective is not None and above(self.bound, self.objective):
            raise ValueError(
                f"bound {self.bound} is above objective {self.objective}: a lower bound of a "
                "minimisation can never be (this is a bug in the method)"
            )
        object.__setattr__(self, "gap", relative_gap(self.objective, self.bound))

    def with_context(self, **changes: Any) -> Result:
        """A copy with `family`, `method`, `instance`, `wall_time` or stats filled in."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; the solution in its family's JSON shape. A number that is not
        finite (an infinite gap, a switch time that never comes) is null: JSON has no Infinity,
        and `solve --json` wrote what `check` and every other JSON reader refuse."""
        solution = self.solution.to_dict() if self.solution is not None else None
        return {
            "instance": self.instance,
            "family": self.family,
            "method": self.method,
            "status": self.status,
            "objective": _jsonable(self.objective),
            "bound": _jsonable(self.bound),
            "gap": _jsonable(self.gap),
            "wall_time": round(self.wall_time, 6),
            "solution": solution,
            "stats": _jsonable(self.stats),
        }

    def summary(self) -> str:
        """One line: method, status, objective, bound, gap and time."""
        gap = "-" if self.gap is None else f"{100 * self.gap:.2f}%"
        bound = "-" if self.bound is None else f"{self.bound:g}"
        objective = "-" if self.objective is None else f"{self.objective:g}"
        name = f"{self.instance} " if self.instance else ""
        return (
            f"{name}{self.family}/{self.method}: {self.status}, objective {objective}, "
            f"bound {bound}, gap {gap}, {self.wall_time:.3f} s"
        )


def _jsonable(value: Any) -> Any:
    """Turn numpy scalars and arrays inside stats into plain JSON values (NaN and ±inf: None)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
