"""`auto` for VMR: greedy + LNS first; when that plan does not meet the migration bound,
CP-SAT (hinted with it) for the rest of the budget (default 30 s)."""

from __future__ import annotations

from dataclasses import replace

from schedkit.model.vmr import VMRInstance
from schedkit.registry import SolveOptions, lookup, register
from schedkit.result import Result

AUTO_DEFAULT_TIME_LIMIT = 30.0


@register("vmr", "auto", exact=True,
          description=f"cpsat (greedy + LNS warm start; stops at once when the migration bound proves "
                      f"it), default budget {AUTO_DEFAULT_TIME_LIMIT:g} s")
def solve_auto(instance: VMRInstance, options: SolveOptions) -> Result:
    """CP-SAT with its warm start; the choice is recorded in `stats["chosen"]`."""
    limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    method = lookup("vmr", "cpsat")
    result = method.function(instance, replace(options, time_limit=limit, extra=dict(method.options)))
    return result.with_context(stats={**result.stats, "chosen": "cpsat"})
