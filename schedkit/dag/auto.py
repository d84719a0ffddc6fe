"""`auto` for DAG scheduling: CP-SAT (HEFT-hinted, default budget 30 s) while the model is
small, else the best of HEFT, PEFT and CPOP (each a single fast pass; on a cold cache, where
they run as plain Python, as many as fit the limit, each offered to the guard as it ends)."""

from __future__ import annotations

import time

from schedkit.common.auto import run_method, run_plan
from schedkit.dag.model import DAGInstance
from schedkit.deadline import offer, stopped
from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

CPSAT_MAX_TASKS = 40  # CP-SAT proves random graphs of up to ~30 tasks in seconds (benchmarks)
AUTO_DEFAULT_TIME_LIMIT = 30.0
HEURISTICS = ("heft", "peft", "cpop")  # ties go to the earlier one
NEXT_PASS_MARGIN = 1.5  # the next pass runs when this many times the last one's time is left


@register(
    "dag", "auto", exact=False,
    description=f"cpsat up to {CPSAT_MAX_TASKS} tasks (default budget {AUTO_DEFAULT_TIME_LIMIT:g} s), "
    "else the best of heft, peft and cpop (those that fit the limit)",
)
def solve_auto(instance: DAGInstance, options: SolveOptions) -> Result:
    """Pick by size; `stats["chosen"]` says what ran."""
    if instance.n <= CPSAT_MAX_TASKS:
        try:
            return run_plan("dag", instance, options, ("cpsat",), AUTO_DEFAULT_TIME_LIMIT)
        except ProblemTooLarge:
            pass
    best: Result | None = None
    for name in HEURISTICS:
        began = time.perf_counter()
        result = run_method("dag", name, instance, options, options.time_limit)
        better = result.objective is not None and (
            best is None or best.objective is None or float(result.objective) < float(best.objective))
        if better or best is None:
            best = result.with_context(stats={**result.stats, "chosen": name})
        if better:
            offer(best)  # what the guard returns if a later, slower pass outlasts the limit
        if stopped():  # abandoned: nobody reads the answer
            break
        left = options.remaining()
        if left is not None and left < NEXT_PASS_MARGIN * (time.perf_counter() - began):
            break  # the passes run as plain Python (a cold cache): the next would not end in time
    assert best is not None
    return best
