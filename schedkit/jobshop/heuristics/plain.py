"""Job shop schedules built in plain Python, for the exact methods' warm start while the
dispatching kernels are not compiled yet (a cold numba cache and a short limit).

Without a warm start, `cpsat` on a large shop could spend its whole limit finding no schedule at
all (ta74, 2,000 operations, 3 s: `unknown`); with one of these it starts from a schedule, fast:
about a millisecond for 2,000 operations, against 2 s for one rule run through the kernel's
Python twin.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from schedkit.deadline import offer
from schedkit.jobshop.heuristics import compiled
from schedkit.jobshop.heuristics.blocking import BlockingSchedule, best_blocking_rule, leave_times
from schedkit.jobshop.heuristics.blocking import objective as blocking_objective
from schedkit.jobshop.heuristics.blocking_kernels import simulate_blocking
from schedkit.jobshop.heuristics.early import (
    EARLY_OPERATIONS,
    compile_later_if_cold,
    early_blocking,
    early_schedule,
    offer_early,
)
from schedkit.jobshop.heuristics.methods import schedule_result
from schedkit.jobshop.heuristics.rules import Schedule, objective, warm_start
from schedkit.jobshop.model import JobShopInstance
from schedkit.registry import SolveOptions
from schedkit.result import Result

PLAIN_RULE = "round-robin (plain Python)"
PLAIN_BLOCKING_RULE = "job after job (plain Python)"
PLAIN_NOTE = ("the dispatching kernels were still compiling: the warm start was a plain-Python "
              "schedule; run `schedkit warmup` once for the full search")


def round_robin(instance: JobShopInstance) -> Schedule:
    """Every job's first operation, then every job's second one, ...: each as early as its job
    and machine allow, on the alternative that ends first (a semi-active schedule)."""
    job_ptr, op_ptr = instance.job_ptr.tolist(), instance.op_ptr.tolist()
    machine, duration = instance.alt_machine.tolist(), instance.alt_duration.tolist()
    job_free = instance.release_or_zero().tolist()
    machine_free = [0] * instance.m
    start, alt = [0] * instance.operations, [0] * instance.operations
    longest = max(job_ptr[j + 1] - job_ptr[j] for j in range(instance.n))
    for k in range(longest):
        for j in range(instance.n):
            o = job_ptr[j] + k
            if o >= job_ptr[j + 1]:
                continue
            chosen = min(range(op_ptr[o], op_ptr[o + 1]),
                         key=lambda a: max(job_free[j], machine_free[machine[a]]) + duration[a])
            start[o], alt[o] = max(job_free[j], machine_free[machine[chosen]]), chosen
            job_free[j] = machine_free[machine[chosen]] = start[o] + duration[chosen]
    begin, choice = np.array(start, dtype=np.int64), np.array(alt, dtype=np.int64)
    return Schedule(begin, choice, objective(instance, begin, choice), PLAIN_RULE)


def job_after_job_blocking(instance: JobShopInstance) -> BlockingSchedule:
    """A blocking schedule that appends each job in turn behind what the machines already hold:
    an operation starts once its machine is free for good, and holds it until the job's next
    operation starts. No two jobs ever wait for each other, so it cannot deadlock."""
    job_ptr = instance.job_ptr.tolist()
    machine, duration = instance.alt_machine.tolist(), instance.alt_duration.tolist()
    release = instance.release_or_zero().tolist()
    machine_free = [0] * instance.m
    start = [0] * instance.operations
    for j in range(instance.n):
        first, last = job_ptr[j], job_ptr[j + 1]
        at = max(release[j], machine_free[machine[first]]) if last > first else 0
        for o in range(first, last):
            start[o] = at
            done = at + duration[o]
            if o + 1 < last:
                at = max(done, machine_free[machine[o + 1]])
                machine_free[machine[o]] = at  # held until the next operation starts
            else:
                machine_free[machine[o]] = done
    begin = np.array(start, dtype=np.int64)
    return BlockingSchedule(begin, leave_times(instance, begin), blocking_objective(instance, begin),
                            PLAIN_BLOCKING_RULE)


def plain_schedule(instance: JobShopInstance) -> Schedule:
    """`round_robin`, or on a shop of EARLY_OPERATIONS or more the early plan (the same schedule
    from its kernel, or the vectorised serial one while that compiles): Python takes seconds there."""
    if instance.operations < EARLY_OPERATIONS:
        return round_robin(instance)
    found = early_schedule(instance)
    compile_later_if_cold()
    return found


def plain_blocking(instance: JobShopInstance) -> BlockingSchedule:
    """`job_after_job_blocking`, or on a shop of EARLY_OPERATIONS or more the early plan."""
    if instance.operations < EARLY_OPERATIONS:
        return job_after_job_blocking(instance)
    found = early_blocking(instance)
    compile_later_if_cold()
    return found


def warm_start_or_plain(instance: JobShopInstance, options: SolveOptions, clock: compiled.CompileClock,
                        stats: dict[str, Any], on_better: Callable[[Schedule], None] | None = None
                        ) -> Schedule:
    """The best rule (`rules.warm_start`, each new best to `on_better`) or, when its kernel could
    not compile in the budget, `round_robin`, saying so in `stats` (`compiling`, `note`)."""
    found = warm_start(instance, options, clock, on_better)
    if found is not None:
        return found
    stats.update(compiling=True, note=PLAIN_NOTE)
    return plain_schedule(instance)


def blocking_start_or_plain(instance: JobShopInstance, options: SolveOptions,
                            clock: compiled.CompileClock, stats: dict[str, Any],
                            on_better: Callable[[BlockingSchedule], None] | None = None) -> BlockingSchedule:
    """The best blocking rule (each new best to `on_better`) or, when its simulation could not
    compile in the budget, `job_after_job_blocking`, saying so in `stats` (`compiling`, `note`)."""
    if compiled.affordable(simulate_blocking, compiled.BLOCKING_SECONDS, options.remaining()):
        return clock.run(simulate_blocking, lambda: best_blocking_rule(  # type: ignore[no-any-return]
            instance, options.deadline, options.seed, on_better=on_better))
    stats.update(compiling=True, note=PLAIN_NOTE)
    return plain_blocking(instance)


def offer_plain(instance: JobShopInstance, options: SolveOptions, backend: str) -> None:
    """Hand the guard the plain schedule before the import of `backend` (a module name: OR-Tools,
    PuLP), so that a limit shorter than a fresh process's import still answers with a schedule.
    Nothing once `backend` is loaded (the import is then free), nor with operations pinned
    (the plain schedule does not keep them). A large shop gets the early plan (`early`) instead,
    whatever is loaded: its warm start's first rule can outlast the limit, and the plain-Python
    schedule takes seconds there."""
    if options.time_limit is None or options.get("pinned"):
        return
    if instance.operations >= EARLY_OPERATIONS:
        offer_early(instance, options, "the warm start")
        return
    if backend in sys.modules:
        return
    stats = {"workers": 1, "offered": "the plain-Python schedule, before the solver's imports"}
    if instance.blocking:
        found = job_after_job_blocking(instance)
        offer(Result("feasible", found.objective, None, found.solution(instance), stats))
    else:
        offer(schedule_result(instance, round_robin(instance), **stats))
