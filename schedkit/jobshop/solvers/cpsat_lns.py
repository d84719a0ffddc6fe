"""Large-neighbourhood search around an incumbent schedule, each step a short CP-SAT solve.

A step frees a neighbourhood of operations and keeps the rest in the incumbent's order: on
every machine the kept operations are chained in their current order (start of the next >= end
of the previous) and, in the flexible case, stay on their current machine; the freed ones are
placed anew by CP-SAT among them (no-overlap still applies to all). The incumbent is the
hint, so the step never returns anything worse, and it is accepted when not worse (equal
objectives let the search drift across plateaus).

Neighbourhoods: a time window (the k operations whose starts follow a random one in time
order), or every operation of a few random machines (flexible: of random jobs). k adapts:
it grows by 10 % after a step CP-SAT closed (proved optimal within the neighbourhood) and
shrinks by 10 % after one it did not. A step minimises the objective itself: making the sum
of job completions a tie-breaker under the makespan (to leave fewer critical paths) made the
steps harder and the result worse (ta41, 60 s: 2214 against 2127 without it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from schedkit.common.cpsat import new_solver
from schedkit.jobshop.heuristics.rules import Schedule, objective
from schedkit.jobshop.model import JobShopInstance
from schedkit.jobshop.solvers import cpsat_model as jobshop_model

MIN_SIZE = 8
WINDOW_SHARE = 0.6  # of the steps: a time window
MACHINE_SHARE = 0.2  # a few machines (classic: all steps that are not windows)
STEP_SECONDS = 2.0  # wall-clock cap of one step
MIN_STEP_SECONDS = 0.2  # a step shorter than this is not worth starting


@dataclass
class LnsStats:
    """What the search did: steps, improving steps, steps CP-SAT closed, final size."""

    steps: int = 0
    improved: int = 0
    closed: int = 0
    size: int = 0
    seconds: float = 0.0


def _window(start: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """The k operations starting next in time from a random one."""
    order = np.argsort(start, kind="stable")
    first = int(rng.integers(0, max(1, order.size - k + 1)))
    return order[first:first + k]


def _machines(instance: JobShopInstance, machine: np.ndarray, k: int, rng: np.random.Generator
              ) -> np.ndarray:
    """Every operation of random machines until about k operations are free."""
    per_machine = max(1, instance.operations // instance.m)
    count = max(1, min(instance.m - 1, round(k / per_machine)))
    chosen = rng.choice(instance.m, count, replace=False)
    return np.flatnonzero(np.isin(machine, chosen))


def _jobs(instance: JobShopInstance, k: int, rng: np.random.Generator) -> np.ndarray:
    """Every operation of random jobs until about k operations are free."""
    per_job = max(1, instance.operations // instance.n)
    count = max(1, min(instance.n - 1, round(k / per_job)))
    chosen = rng.choice(instance.n, count, replace=False)
    return np.flatnonzero(np.isin(instance.job_of(), chosen))


def _fix_rest(jm: jobshop_model.JobShopModel, sub: Any, instance: JobShopInstance,
              incumbent: Schedule, free: np.ndarray) -> None:
    """Chain the kept operations of positive length on each machine in incumbent order (a
    zero-length one may sit inside another); keep their machines."""
    machine = incumbent.machine(instance)
    duration = instance.alt_duration[incumbent.alt]
    kept = np.ones(instance.operations, dtype=bool)
    kept[free] = False
    order = np.lexsort((incumbent.start, machine))
    ops = order[kept[order] & (duration[order] > 0)]
    same = machine[ops[1:]] == machine[ops[:-1]]
    starts = [sub.get_int_var_from_proto_index(s.index) for s in jm.start]
    for a, b in zip(ops[:-1][same].tolist(), ops[1:][same].tolist(), strict=True):
        sub.add(starts[b] >= starts[a] + int(duration[a]))
    if instance.flexible:
        ptr = instance.op_ptr
        for o in np.flatnonzero(kept & (np.diff(ptr) > 1)).tolist():
            literal = jm.presence[int(incumbent.alt[o])]
            sub.add_bool_and([sub.get_bool_var_from_proto_index(literal.index)])


def search(cp_model: Any, jm: jobshop_model.JobShopModel, instance: JobShopInstance, incumbent: Schedule,
           deadline: float, workers: int, seed: int, lower_bound: float = 0,
           improved: Callable[[Schedule], None] | None = None) -> tuple[Schedule, LnsStats]:
    """Improve `incumbent` until `deadline` (perf_counter) or until it meets `lower_bound`;
    `improved(schedule)` hears of each better one (the caller offers it to the guard)."""
    rng = np.random.default_rng(seed)
    stats = LnsStats()
    began = time.perf_counter()
    k = max(MIN_SIZE, min(instance.operations, 6 * instance.m, instance.operations // 2))
    while incumbent.objective > lower_bound:
        left = deadline - time.perf_counter()
        if left < MIN_STEP_SECONDS:
            break
        kind = rng.random()
        if kind < WINDOW_SHARE:
            free = _window(incumbent.start, k, rng)
        elif kind < WINDOW_SHARE + MACHINE_SHARE or not instance.flexible:
            free = _machines(instance, incumbent.machine(instance), k, rng)
        else:
            free = _jobs(instance, k, rng)
        sub = jm.model.clone()
        _fix_rest(jm, sub, instance, incumbent, free)
        jobshop_model.hint(jm, instance, incumbent, sub)
        left = deadline - time.perf_counter()  # after building the step: that counts too
        solver = new_solver(cp_model, workers, int(rng.integers(0, 2**31 - 1)), min(STEP_SECONDS, left))
        status = solver.solve(sub)
        stats.steps += 1
        if status == cp_model.OPTIMAL:
            stats.closed += 1
            k = min(instance.operations, int(k * 1.1) + 1)
        else:
            k = max(MIN_SIZE, int(k * 0.9))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            start, alt = _read_clone(jm, instance, solver, sub)
            value = objective(instance, start, alt)
            if value <= incumbent.objective:
                better = value < incumbent.objective
                stats.improved += better
                incumbent = Schedule(start, alt, value, "lns")
                if better and improved is not None:
                    improved(incumbent)
    stats.size = k
    stats.seconds = time.perf_counter() - began
    return incumbent, stats


def _read_clone(jm: jobshop_model.JobShopModel, instance: JobShopInstance, solver: Any, sub: Any
                ) -> tuple[np.ndarray, np.ndarray]:
    """(start, alternative) per operation from a solve of a clone of jm's model."""
    response = solver.response_proto
    values = response.solution
    start = np.array([values[s.index] for s in jm.start], dtype=np.int64)
    alt = instance.op_ptr[:-1].copy()
    ptr = instance.op_ptr
    for o in range(instance.operations):
        if ptr[o + 1] - ptr[o] > 1:
            for a in range(int(ptr[o]), int(ptr[o + 1])):
                if values[jm.presence[a].index]:
                    alt[o] = a
    return start, alt
