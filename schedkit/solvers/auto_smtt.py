"""`auto` for SMTT: the subset DP while it is instant, CP-SAT (warm-started) to 100 jobs,
iterated dynasearch beyond (and wherever the CP-SAT model would be too large)."""

from __future__ import annotations

from schedkit.errors import ProblemTooLarge
from schedkit.model.smtt import SMTTInstance
from schedkit.registry import SolveOptions, lookup, register
from schedkit.result import Result

DP_MAX_JOBS = 20  # 2^20 states: well under a second and 8 MiB
AUTO_DEFAULT_TIME_LIMIT = 30.0
CPSAT_MAX_JOBS = 100  # beyond, building the CP-SAT model alone can outlast a short budget


@register(
    "smtt", "auto", exact=True,
    description=f"dp up to {DP_MAX_JOBS} jobs, cpsat up to {CPSAT_MAX_JOBS} (default budget "
    f"{AUTO_DEFAULT_TIME_LIMIT:g} s), dynasearch beyond",
)
def solve_auto(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Pick by size; the choice is recorded in `stats["chosen"]`."""
    if instance.n <= DP_MAX_JOBS:
        chosen, budget = "dp", options
    elif instance.n > CPSAT_MAX_JOBS:
        chosen, budget = "dynasearch", options
    else:
        chosen = "cpsat"
        limit = options.time_limit if options.time_limit is not None else AUTO_DEFAULT_TIME_LIMIT
        budget = SolveOptions(limit, options.seed, options.workers, {}, options.started)
    method = lookup("smtt", chosen)
    budget = SolveOptions(budget.time_limit, budget.seed, budget.workers, dict(method.options),
                          budget.started)
    try:
        result = method.function(instance, budget)
    except ProblemTooLarge:  # beyond what the exact model can hold: the best heuristic instead
        chosen = "dynasearch"
        method = lookup("smtt", chosen)
        budget = SolveOptions(budget.time_limit, budget.seed, budget.workers,
                              dict(method.options), budget.started)
        result = method.function(instance, budget)
    return result.with_context(stats={**result.stats, "chosen": chosen})
