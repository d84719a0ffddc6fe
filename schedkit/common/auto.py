"""The one `auto` skeleton: a family's plan picks a method by instance, runs it under the caller's
budget, falls back when the model is too large, and records what ran in `stats["chosen"]`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions, lookup
from schedkit.result import Result

Plan = Callable[[Any], tuple[Sequence[str], float | None]]


def run_method(family: str, name: str, instance: Any, options: SolveOptions,
               time_limit: float | None, **extra: Any) -> Result:
    """Method `name` with its default options (plus `extra`), under `time_limit` counted from
    the same start as the caller's (so auto's own work is inside the budget)."""
    method = lookup(family, name)
    return method.function(instance, replace(options, time_limit=time_limit,
                                             extra={**method.options, **extra}))


def run_plan(family: str, instance: Any, options: SolveOptions, candidates: Sequence[str],
             default_limit: float | None) -> Result:
    """Run the first candidate; on ProblemTooLarge the next one. The caller's time limit wins
    over `default_limit`; `stats["chosen"]` names the method that produced the result."""
    limit = options.time_limit if options.time_limit is not None else default_limit
    last: ProblemTooLarge | None = None
    for name in candidates:
        try:
            result = run_method(family, name, instance, options, limit)
        except ProblemTooLarge as error:
            last = error
            continue
        return result.with_context(stats={**result.stats, "chosen": name})
    assert last is not None, "a plan names at least one method"
    raise last
