"""`auto` for RCPSP: CP-SAT (warm-started by sampling with forward-backward improvement, so a
heuristic schedule that meets the lower bound returns at once); beyond CP-SAT's size limit,
`fbi` alone."""

from __future__ import annotations

from dataclasses import replace

from schedkit.errors import ProblemTooLarge
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.registry import SolveOptions, lookup, register
from schedkit.result import Result

AUTO_DEFAULT_TIME_LIMIT = 60.0


@register(
    "rcpsp", "auto", exact=True,
    description=f"cpsat (default budget {AUTO_DEFAULT_TIME_LIMIT:g} s), fbi when the project is "
    "too large for it",
)
def solve_auto(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """CP-SAT within the budget; the choice is recorded in `stats["chosen"]`."""
    limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    chosen = "cpsat"
    try:
        result = _run(instance, options, chosen, limit)
    except ProblemTooLarge:
        chosen = "fbi"
        result = _run(instance, options, chosen, limit)
    return result.with_context(stats={**result.stats, "chosen": chosen})


def _run(instance: RCPSPInstance, options: SolveOptions, name: str, limit: float) -> Result:
    """Method `name` with its default options, under `limit` from the same start time."""
    method = lookup("rcpsp", name)
    return method.function(instance, replace(options, time_limit=limit, extra=dict(method.options)))
