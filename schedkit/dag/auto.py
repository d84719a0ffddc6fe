"""`auto` for DAG scheduling: CP-SAT (HEFT-hinted, default budget 30 s) while the model is
small, else the best of HEFT, PEFT and CPOP (each a single fast pass)."""

from __future__ import annotations

from schedkit.common.auto import run_method, run_plan
from schedkit.dag.model import DAGInstance
from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions, register
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
    """Pick by size; `stats["chosen"]` says what ran."""
    if instance.n <= CPSAT_MAX_TASKS:
        try:
            return run_plan("dag", instance, options, ("cpsat",), AUTO_DEFAULT_TIME_LIMIT)
        except ProblemTooLarge:
            pass
    best, chosen = None, ""
    for name in HEURISTICS:
        result = run_method("dag", name, instance, options, options.time_limit)
        if best is None or float(result.objective or 0) < float(best.objective or 0):
            best, chosen = result, name
    assert best is not None
    return best.with_context(stats={**best.stats, "chosen": chosen})
