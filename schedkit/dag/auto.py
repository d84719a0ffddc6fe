"""`auto` for DAG scheduling: CP-SAT (HEFT-hinted, default budget 30 s) while the model is
small, else the best of HEFT, PEFT and CPOP (each a single fast pass)."""

from __future__ import annotations

from dataclasses import replace

from schedkit.dag.model import DAGInstance
from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions, lookup, register
from schedkit.result import Result

CPSAT_MAX_TASKS = 40  # CP-SAT proves random graphs of up to ~30 tasks in seconds (benchmarks)
AUTO_DEFAULT_TIME_LIMIT = 30.0
HEURISTICS = ("heft", "peft", "cpop")  # ties go to the earlier one


@register(
    "dag", "auto", exact=False,
    description=f"cpsat up to {CPSAT_MAX_TASKS} tasks (default budget {AUTO_DEFAULT_TIME_LIMIT:g} s), "
    "else the best of heft, peft and cpop",
)
def solve_auto(instance: DAGInstance, options: SolveOptions) -> Result:
    """Pick by size; the choice is recorded in `stats["chosen"]`."""
    if instance.n <= CPSAT_MAX_TASKS:
        limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
        try:
            result = _run(instance, options, "cpsat", limit)
            return result.with_context(stats={**result.stats, "chosen": "cpsat"})
        except ProblemTooLarge:
            pass
    best, chosen = None, ""
    for name in HEURISTICS:
        result = _run(instance, options, name, options.time_limit)
        if best is None or float(result.objective or 0) < float(best.objective or 0):
            best, chosen = result, name
    assert best is not None
    return best.with_context(stats={**best.stats, "chosen": chosen})


def _run(instance: DAGInstance, options: SolveOptions, name: str, limit: float | None) -> Result:
    """Method `name` with its default options, under `limit` from the same start time."""
    method = lookup("dag", name)
    return method.function(instance, replace(options, time_limit=limit, extra=dict(method.options)))
