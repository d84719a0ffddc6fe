"""`auto` for SMTT. Equal weights (1||ΣTj): the branch and bound `bnb` at any size. Weighted:
the subset DP while it is instant, the bounded DP `bdp` to 64 jobs, CP-SAT (warm-started) to
100, iterated dynasearch beyond (and wherever an exact model would be too large)."""

from __future__ import annotations

from dataclasses import replace

from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions, lookup, register
from schedkit.result import Result
from schedkit.smtt.model import SMTTInstance

DP_MAX_JOBS = 20  # 2^20 states: well under a second and 8 MiB
BDP_MAX_JOBS = 64  # one bit per job; proves every wt40 instance in under half a second
AUTO_DEFAULT_TIME_LIMIT = 30.0
CPSAT_MAX_JOBS = 100  # beyond, building the CP-SAT model alone can outlast a short budget
BNB_DEFAULT_TIME_LIMIT = 60.0  # proves every benchmarked 500-job instance (benchmarks/reports/bnb.md)


@register(
    "smtt", "auto", exact=True,
    description=f"unweighted: bnb (default budget {BNB_DEFAULT_TIME_LIMIT:g} s); weighted: dp up to "
    f"{DP_MAX_JOBS} jobs, bdp up to {BDP_MAX_JOBS}, cpsat up to {CPSAT_MAX_JOBS} (default budget "
    f"{AUTO_DEFAULT_TIME_LIMIT:g} s), dynasearch beyond",
)
def solve_auto(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Pick by size; the choice is recorded in `stats["chosen"]`."""
    limit = options.time_limit
    if len(set(instance.w.tolist())) <= 1:
        chosen = "bnb"
        limit = BNB_DEFAULT_TIME_LIMIT if limit is None else limit
    elif instance.n <= DP_MAX_JOBS:
        chosen = "dp"
    elif instance.n <= BDP_MAX_JOBS:
        chosen = "bdp"
        limit = AUTO_DEFAULT_TIME_LIMIT if limit is None else limit
    elif instance.n > CPSAT_MAX_JOBS:
        chosen = "dynasearch"
    else:
        chosen = "cpsat"
        limit = AUTO_DEFAULT_TIME_LIMIT if limit is None else limit
    try:
        result = _run(instance, options, chosen, limit)
    except ProblemTooLarge:  # beyond what the exact model can hold: the best heuristic instead
        chosen = "dynasearch"
        result = _run(instance, options, chosen, limit)
    return result.with_context(stats={**result.stats, "chosen": chosen})


def _run(instance: SMTTInstance, options: SolveOptions, name: str, limit: float | None) -> Result:
    """Method `name` with its default options, under `limit` from the same start time."""
    method = lookup("smtt", name)
    return method.function(instance, replace(options, time_limit=limit, extra=dict(method.options)))
