"""What both exact VMR methods do around their model: the warm start, turning counts into an
ordered plan, and the Result with a bound that is honest about ordering."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from schedkit.registry import SolveOptions
from schedkit.result import Result
from schedkit.vmr.bounds import migration_bound
from schedkit.vmr.heuristics.arrays import VMRArrays
from schedkit.vmr.heuristics.methods import greedy_plan, lns_work, plan_result
from schedkit.vmr.heuristics.search import Plan, lns, realise
from schedkit.vmr.model import VMRInstance
from schedkit.vmr.solvers.aggregate import Aggregate, target_from_counts

WARM_START_SHARE = 0.1  # of the budget spent on LNS before the model runs
REFERENCE_VMS = 2_500  # the 300-machine benchmark clusters hold 2,500-2,800 VMs
MIN_MODEL_FLOOR = 0.2  # seconds: the least time left for which a model is worth building
WARM_START_MAX = 5.0  # seconds: the budget of the lns method


def warm_start(instance: VMRInstance, a: VMRArrays, options: SolveOptions,
               polish: Callable[[Plan, float], Plan | None] | None = None,
               deterministic: bool = False) -> Plan:
    """Greedy, then `polish(plan, deadline)` if given (the MIP's restricted model; its plan,
    when better, is the warm start), else LNS; all within 10 % of the budget, at most 5 s
    (nothing more once the migration bound is met). `deterministic`: LNS runs a fixed number
    of iterations for that budget (the clock only caps it)."""
    remaining = options.time_limit if deterministic else options.remaining()  # never the clock's reading
    budget = WARM_START_MAX if remaining is None else min(WARM_START_MAX, WARM_START_SHARE * remaining)
    deadline = time.perf_counter() + budget
    if deterministic:
        deadline = options.deadline
    start = greedy_plan(a, deadline)
    bound = migration_bound(instance)
    if polish is not None and start.objective > bound:
        polished = polish(start, deadline)
        if polished is not None and polished.objective < start.objective:
            return polished
    plan, _ = lns(a, start, deadline, options.seed, stop_at=bound,
                  iterations=lns_work(budget) if deterministic else None)
    return plan if plan.objective <= start.objective else start


def proven_start(instance: VMRInstance, a: VMRArrays, start: Plan, stats: dict[str, Any]) -> Result | None:
    """The warm start as an optimal Result when it meets the migration bound (no model needed)."""
    if start.objective > migration_bound(instance):
        return None
    stats["proved_by"] = "migration bound"
    return plan_result(instance, a, start, None, **stats)


def plan_from_counts(a: VMRArrays, agg: Aggregate, out: dict[tuple[int, int], int],
                     inflow: dict[tuple[int, int], int]) -> tuple[Plan, bool]:
    """The model's final state as an ordered plan (see `realise`), and whether it was reached."""
    target = target_from_counts(a, agg, out, inflow)
    return realise(a, target)


def exact_result(instance: VMRInstance, a: VMRArrays, start: Plan, found: Plan | None, reached: bool,
                 bound: int | None, stats: dict[str, Any]) -> Result:
    """The better of the warm start and the model's plan; `bound` is the final-state model's
    proven bound (a bound for ordered plans too). Optimal only when the plan meets it."""
    plan = start
    if found is not None and found.objective < start.objective:
        plan = found
    stats["warm_start"] = start.objective
    stats["model_plan_reached"] = reached
    if bound is not None and bound > plan.objective:
        stats["discarded_bound"] = bound  # cannot be: a bound above a feasible plan
        bound = None
    if bound is not None:
        bound = max(0, bound)
    return plan_result(instance, a, plan, bound, **stats)


def per_class(variables: dict[tuple[int, int], Any]) -> dict[int, list[Any]]:
    """The (node, class) variables of a model grouped by class: a class's flow row sums them."""
    grouped: dict[int, list[Any]] = {}
    for (_, t), x in variables.items():
        grouped.setdefault(t, []).append(x)
    return grouped


def cpu_capacity(instance: VMRInstance) -> tuple[np.ndarray, np.ndarray]:
    """(CPU, memory) capacity per node as int64 arrays."""
    return instance.node_cpu.astype(np.int64), instance.node_mem.astype(np.int64)


def min_model_seconds(a: VMRArrays, seconds: float) -> float:
    """The least time left for a model to be worth building: `seconds` (sized on the 300-machine
    clusters) scaled down with the VM count, so a small cluster gets its model at a 1 s limit."""
    return max(MIN_MODEL_FLOOR, seconds * min(1.0, a.vm_cpu.size / REFERENCE_VMS))
