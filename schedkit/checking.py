"""`check`: an independent verdict on a solution, recomputed from scratch.

The checkers share no code with any solver: they read the instance and the solution
(in plain Python, or numpy where plans grow to millions of operations: the job shop's) and list
every rule the solution breaks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit import family as families
from schedkit.errors import SchedkitError
from schedkit.result import Result, above


@dataclass(frozen=True)
class CheckReport:
    """`feasible` when nothing is violated; `objective` recomputed from the solution alone."""

    feasible: bool
    objective: int | float | None
    violations: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.feasible

    def summary(self) -> str:
        """One line: feasible with its objective, or the first violations."""
        if self.feasible:
            return f"feasible, objective {self.objective}"
        shown = "; ".join(self.violations[:3])
        more = f" (+{len(self.violations) - 3} more)" if len(self.violations) > 3 else ""
        return f"infeasible: {shown}{more}"


def check(instance: Any, solution: Any, objective: float | None = None) -> CheckReport:
    """Check `solution` (a Solution, its JSON dict, or a Result) against `instance`.

    When a claimed objective is known (passed, or taken from a Result or a dict with
    `objective`), a mismatch with the recomputed value is a violation.
    """
    claims: Mapping[str, Any] = {}
    if isinstance(solution, Result):
        objective = solution.objective if objective is None else objective
        solution = solution.solution
    elif isinstance(solution, Mapping) and "solution" in solution:
        objective = solution.get("objective") if objective is None else objective
        claims = solution
        solution = solution["solution"]
    if solution is None:
        return CheckReport(False, None, ["there is no solution to check"])
    # a Solution's to_dict is plain already; a dict written in Python may hold numpy values
    data = solution.to_dict() if hasattr(solution, "to_dict") else _plain(solution)
    family = getattr(instance, "family", None)
    if not isinstance(family, str):
        raise SchedkitError(f"{type(instance).__name__} is not a schedkit instance")
    recomputed, violations = families.get(family).check(instance, data)
    if objective is not None and recomputed is not None and (
            isinstance(objective, bool | np.bool_) or objective != recomputed):  # True == 1
        violations.append(f"claimed objective {objective} but the solution gives {recomputed}")
    if recomputed is not None:
        violations.extend(_claim_errors(claims, recomputed))
    return CheckReport(not violations, recomputed, violations)


def _claim_errors(claims: Mapping[str, Any], recomputed: float) -> list[str]:
    """What a result's JSON claims beyond its plan, against the recomputed objective: a lower
    bound above it, or `optimal` without bound == objective (a Result refuses both itself)."""
    bound, errors = claims.get("bound"), []
    if isinstance(bound, int | float) and not isinstance(bound, bool) and above(bound, recomputed):
        errors.append(f"claimed bound {bound} is above the solution's objective {recomputed}: "
                      "no lower bound can be")
    claimed = claims.get("objective")
    if claims.get("status") == "optimal" and bound != claimed:
        errors.append(f"claimed optimal, but its bound {bound} is not its objective {claimed}")
    return errors


_JSON_SCALARS = {int, float, str, bool, type(None)}


def _plain(value: Any, depth: int = 64) -> Any:
    """A solution dict built in Python with numpy values read as the JSON values they stand for
    (an array as a list, np.int64(3) as 3, np.bool_ as a boolean): the checkers judge JSON shapes,
    and called `{"sequence": list(np.argsort(d))}` infeasible ("np.int64(0) is not a job index")."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    if depth <= 0:
        return value
    if isinstance(value, Mapping):
        return {key: _plain(item, depth - 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        if set(map(type, value)) <= _JSON_SCALARS:  # a plan's row: nothing to convert (one C pass)
            return value
        return type(value)(_plain(item, depth - 1) for item in value)
    return value
