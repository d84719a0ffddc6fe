"""Glue between job shop instances and the dispatching kernel: run a rule, score a schedule,
pick the best rule (the warm start of the exact methods)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from schedkit.deadline import stop_flag
from schedkit.jobshop.heuristics import compiled
from schedkit.jobshop.heuristics.dispatch import (
    RANDOM,
    RULES,
    dispatch,
    dispatch_classic,
    kernel_state,
    work_left,
)
from schedkit.jobshop.model import JobShopInstance
from schedkit.registry import SolveOptions

RANDOM_RUNS_IN_WARM_START = 20


@dataclass(frozen=True)
class Schedule:
    """Per operation id: start time, chosen alternative id, and the schedule's objective."""

    start: np.ndarray
    alt: np.ndarray
    objective: int
    rule: str

    def machine(self, instance: JobShopInstance) -> np.ndarray:
        """The machine of every operation id."""
        return instance.alt_machine[self.alt]


def kernel_arrays(instance: JobShopInstance) -> tuple[np.ndarray, ...]:
    """(job_ptr, op_ptr, alt_machine, alt_duration, release, due, work) for the dispatching kernels.

    Without due dates, EDD uses release + the job's total work (its earliest possible end)."""
    work = work_left(instance.job_ptr, instance.op_ptr, instance.alt_duration)
    release = np.ascontiguousarray(instance.release_or_zero())
    due = instance.due if instance.due is not None else release + work[instance.job_ptr[:-1]]
    return (instance.job_ptr, instance.op_ptr, instance.alt_machine, instance.alt_duration,
            release, np.ascontiguousarray(due), work)


def objective(instance: JobShopInstance, start: np.ndarray, alt: np.ndarray) -> int:
    """The instance's objective for a schedule given per operation id."""
    end = start + instance.alt_duration[alt]
    completion = end[instance.job_ptr[1:] - 1]
    if instance.objective == "makespan":
        return int(completion.max())
    weight = instance.weight_or_one()
    if instance.objective == "weighted_tardiness":
        return int(np.sum(weight * np.maximum(0, completion - instance.due)))
    return int(np.sum(weight * (completion - instance.release_or_zero())))


def dispatch_kernel(instance: JobShopInstance) -> Any:
    """The dispatching kernel of the shop's kind: `dispatch_classic` (the same schedules without a
    pass over every job at each step) for a classic shop, `dispatch` for a flexible one."""
    return dispatch if instance.flexible else dispatch_classic


def run_rule(instance: JobShopInstance, name: str, seed: int = 0,
             arrays: tuple[np.ndarray, ...] | None = None, kernel: Any = None) -> Schedule:
    """Rule `name` (`spt`, ..., `random`, with `-nd` for non-delay) on `instance`; `kernel` is
    `dispatch_kernel(instance)` (the default) or its Python twin (a cold cache)."""
    kernel = dispatch_kernel(instance) if kernel is None else kernel
    base, nondelay = (name[:-3], True) if name.endswith("-nd") else (name, False)
    arrays = kernel_arrays(instance) if arrays is None else arrays
    job_ptr, op_ptr, machine, duration, release, due, work = arrays
    start, alt = kernel(job_ptr, op_ptr, machine, duration, release, due, work, instance.m,
                        RULES[base], nondelay, kernel_state(seed), stop_flag())
    return Schedule(start, alt, objective(instance, start, alt), name)


def rule_names() -> list[str]:
    """Every rule method name: the active ones, then the non-delay ones."""
    return list(RULES) + [f"{rule}-nd" for rule in RULES]


def best_rule(instance: JobShopInstance, deadline: float = float("inf"), seed: int = 0,
              random_runs: int = RANDOM_RUNS_IN_WARM_START,
              on_better: Callable[[Schedule], None] | None = None) -> Schedule:
    """The best schedule of every deterministic rule (active and non-delay) and `random_runs`
    seeded random ones; once one exists, stops before a run that would end past `deadline`
    (`best_of`: 1 s a run at 100,000 operations); each new best goes to `on_better`."""
    arrays = kernel_arrays(instance)
    names = [n for n in rule_names() if not n.startswith("random")]
    plan = [(n, seed) for n in names] + [("random", seed + i) for i in range(random_runs)]
    return best_of(plan, lambda name, rule_seed: run_rule(instance, name, rule_seed, arrays), deadline,
                   on_better)


def best_of(plan: list[tuple[str, int]], run: Callable[[str, int], Any], deadline: float,
            on_better: Callable[[Any], None] | None = None) -> Any:
    """The lowest-objective result of `run(name, seed)` over `plan`; once one exists, stops
    before a run that would end past `deadline` (a perf_counter value), judged by the longest
    run so far. Each new best goes to `on_better` (an offer: a large shop's next run can
    outlast the limit)."""
    best = None
    longest = 0.0
    for name, rule_seed in plan:
        began = time.perf_counter()
        found = run(name, rule_seed)
        if best is None or found.objective < best.objective:
            best = found
            if on_better is not None and not stop_flag()[0]:
                on_better(found)
        now = time.perf_counter()
        longest = max(longest, now - began)
        if now + longest >= deadline:
            break
    assert best is not None
    return best


def warm_start(instance: JobShopInstance, options: SolveOptions, clock: compiled.CompileClock,
               on_better: Callable[[Schedule], None] | None = None) -> Schedule | None:
    """`best_rule` within the options' budget (each new best to `on_better`), or None when its
    kernel would have to compile in a budget too short for that (the call's load or compile
    time goes to `clock`)."""
    kernel = dispatch_kernel(instance)
    if not compiled.affordable(kernel, compiled.DISPATCH_SECONDS, options.remaining()):
        return None
    return clock.run(kernel, lambda: best_rule(  # type: ignore[no-any-return]
        instance, options.deadline, options.seed, on_better=on_better))


__all__ = ["RANDOM", "Schedule", "best_rule", "dispatch_kernel", "kernel_arrays", "objective", "rule_names",
           "run_rule", "warm_start"]
