"""VMR heuristic methods `greedy` and `lns` as registered in schedkit.

Result.objective is the integer Σ_n (free CPU_n mod F) after the plan; `stats` carries the
fragment rates (`fragment_rate`, `initial_fragment_rate`), the initial objective and the
number of migrations.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np

from schedkit.common.finish import finish
from schedkit.common.incumbents import Incumbents
from schedkit.deadline import offer
from schedkit.errors import InvalidOption
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.vmr.bounds import migration_bound, round_to_residue
from schedkit.vmr.heuristics import kernels
from schedkit.vmr.heuristics.arrays import VMRArrays, build_arrays
from schedkit.vmr.heuristics.compiled import ensure_compiled
from schedkit.vmr.heuristics.search import (
    Plan,
    initial_objective,
    initial_state,
    lns,
    new_rng,
    static_tuple,
    to_solution,
)
from schedkit.vmr.model import VMRInstance

LNS_DEFAULT_TIME_LIMIT = 5.0
GREEDY_CHUNK = 8
DETERMINISTIC_LNS_RATE = 100  # LNS iterations per second of budget with deterministic=True (a
# 300-machine cluster runs 150-400 a second on the 2-core benchmark machine, so the work fits)
POST_RESERVE = 0.15  # seconds kept at the end of a budget for turning a plan into a Result


def plan_stats(instance: VMRInstance, a: VMRArrays, plan: Plan) -> dict[str, Any]:
    """Fragment rates before and after, objective before, migrations used."""
    start = instance.initial_objective
    return {
        "fragment_rate": round(instance.fragment_rate(plan.objective), 6),
        "initial_fragment_rate": round(instance.fragment_rate(start), 6),
        "initial_objective": start,
        "migrations": plan.length,
        "migration_limit": instance.migration_limit,
    }


def plan_result(instance: VMRInstance, a: VMRArrays, plan: Plan, bound: int | None = None,
                **stats: Any) -> Result:
    """A Result for `plan` through the one finish rule; `bound` (a proven one, or None) is
    raised to the residue class of the total free CPU and to the migration bound, so the plan
    is optimal when it meets it."""
    simple = migration_bound(instance)
    if bound is not None:
        bound = round_to_residue(bound, instance.total_free_cpu, instance.fragment_size)
    bound = simple if bound is None else max(bound, simple)
    stats["bound_fragment_rate"] = round(instance.fragment_rate(bound), 6)
    return finish(plan.objective, bound, False, to_solution(instance, a, plan),
                  {**plan_stats(instance, a, plan), **stats})


def greedy_plan(a: VMRArrays, deadline: float) -> Plan:
    """The greedy plan, GREEDY_CHUNK migrations per kernel call so that the deadline is
    checked between calls (a multi-migration set-up then has at most that many)."""
    limit = a.limit
    free_cpu, free_mem, gcount, cur, moved = initial_state(a)
    st = static_tuple(a)
    plan_vm = np.zeros(max(limit, 1), dtype=np.int64)
    plan_dst = np.zeros(max(limit, 1), dtype=np.int64)
    length, total = 0, 0
    rng = new_rng(0)  # greedy draws nothing (no blinks); the kernels take a state all the same
    while length < limit and time.perf_counter() < deadline:
        step = min(limit, length + GREEDY_CHUNK)
        grown, delta = kernels.greedy_fill(plan_vm, plan_dst, length, step, st, a.fragment,
                                           free_cpu, free_mem, gcount, cur, moved, 0.0, True, rng)
        if grown == length:
            break
        length, total = grown, total + int(delta)
    return Plan(plan_vm[:length].copy(), plan_dst[:length].copy(), initial_objective(a) + total)


def deterministic_flag(options: SolveOptions) -> bool:
    """The `deterministic` option (the registry has checked it is True or False)."""
    return bool(options.get("deterministic", False))


def lns_work(seconds: float) -> int:
    """The fixed number of LNS iterations that stands for `seconds` with deterministic=True."""
    return max(1, int(DETERMINISTIC_LNS_RATE * seconds))


def compile_within(options: SolveOptions) -> tuple[bool, dict[str, Any]]:
    """Compile the kernels inside the budget (see `compiled`): (ready, stats)."""
    ready, seconds = ensure_compiled(options.deadline - POST_RESERVE)
    stats: dict[str, Any] = {"compile_seconds": seconds}
    if not ready:
        stats.update(kernels_compiled=False, compiling=True,
                     note="the numba kernels were still compiling: the plan without migrations")
    return ready, stats


def arrays_then_compile(instance: VMRInstance, options: SolveOptions
                        ) -> tuple[VMRArrays, bool, dict[str, Any]]:
    """(arrays, ready, stats): the arrays built and the plan without migrations offered before the
    kernels' compile wait, so that a run cut by the deadline answers that plan, not unknown."""
    a = build_arrays(instance)
    if options.time_limit is not None:
        offer(unmoved_result(instance, a, {"offered": "the plan without migrations"}))
    ready, stats = compile_within(options)
    return a, ready, stats


def unmoved_result(instance: VMRInstance, a: VMRArrays, stats: dict[str, Any]) -> Result:
    """The plan without migrations (always feasible): what a method returns when its kernels
    are still compiling at the deadline."""
    empty = np.zeros(0, dtype=np.int64)
    return plan_result(instance, a, Plan(empty, empty.copy(), instance.initial_objective), **stats)


@register("vmr", "greedy", exact=False,
          description="K times the migration that lowers Σ (free CPU mod F) most (numba, O(1) deltas); "
                      "multi-migration set-ups when none does")
def solve_greedy(instance: VMRInstance, options: SolveOptions) -> Result:
    """Greedy best-improvement migrations; when no single one improves, the best evacuation of
    a node (several migrations, the last one pays) or two-migration chain; stops early when
    nothing improves."""
    a, ready, stats = arrays_then_compile(instance, options)
    if not ready:
        return unmoved_result(instance, a, stats)
    plan = greedy_plan(a, options.deadline)
    return plan_result(instance, a, plan, workers=1, **stats)


@register("vmr", "lns", exact=False, options={"max_remove": 3, "iterations": None, "deterministic": False},
          description=f"greedy, then ruin-and-recreate with annealing (default budget "
                      f"{LNS_DEFAULT_TIME_LIMIT:g} s)")
def solve_lns(instance: VMRInstance, options: SolveOptions) -> Result:
    """Greedy start, then drop a few migrations, replay, refill greedily (with random blinks)
    and accept by annealing, until the time limit (default 5 s), or for `iterations` steps
    (reproducible for a seed). `deterministic=True`: a fixed number of iterations
    (DETERMINISTIC_LNS_RATE per second of budget unless `iterations` says) instead of the clock."""
    max_remove = options.get("max_remove", 3)
    iterations = options.get("iterations")
    deterministic = deterministic_flag(options)
    if iterations is not None and iterations < 0:  # kinds: checked by the registry
        raise InvalidOption(f"lns: iterations must be a non-negative integer or None, got {iterations!r}")
    if max_remove < 1:
        raise InvalidOption(f"lns: max_remove must be a positive integer, got {max_remove!r}")
    limit = LNS_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    if deterministic and iterations is None:
        iterations = lns_work(limit)
    deadline = options.started + limit
    if deterministic and options.time_limit is None:
        deadline = float("inf")  # no clock at all: the iterations are the whole budget
    a, ready, stats = arrays_then_compile(instance, options if deterministic and options.time_limit is None
                                          else replace(options, time_limit=limit))
    if not ready:
        return unmoved_result(instance, a, stats)
    start = greedy_plan(a, deadline)
    bound = migration_bound(instance)
    incumbents = Incumbents()
    as_result = partial(plan_result, instance, a, workers=1, offered="lns")
    incumbents.improved(start.objective, partial(as_result, start))
    plan, counters = lns(a, start, deadline, options.seed, max_remove=max_remove,
                         stop_at=bound, iterations=iterations, incumbents=incumbents, as_result=as_result)
    if plan.objective > start.objective:  # never worse than its start
        plan = start
    if deterministic:
        stats["deterministic"] = True
        stats["cut_by_time"] = counters["iterations"] < (iterations or 0) and plan.objective > bound
    return plan_result(instance, a, plan, workers=1, greedy_objective=start.objective, **counters, **stats)
