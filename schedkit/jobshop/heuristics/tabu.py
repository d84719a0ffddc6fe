"""Tabu search on a job shop's makespan from a schedule, within a deadline (the warm start
`cpsat` gives CP-SAT); see `jobshop_tabu_kernels` for the search itself.

A flexible instance is searched with its machine assignment frozen: the schedule's chosen
alternatives make it a classic job shop, whose sequences the search improves (the LNS that
follows in `cpsat` is what moves operations between machines)."""

from __future__ import annotations

import time
from functools import partial

import numpy as np

from schedkit.common.incumbents import Incumbents
from schedkit.jobshop.heuristics.rules import Schedule, objective
from schedkit.jobshop.heuristics.tabu_kernels import heads_tails, tabu_search
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.result import Result

MAX_OPERATIONS = 3_000  # the tabu matrix is operations² int64: 72 MB at this size
CHUNK = 2_000  # iterations between two looks at the clock
STALL = 3_000  # iterations without a new best before a restart from the best


def applies(instance: JobShopInstance) -> bool:
    """Makespan, positive durations (a zero-length operation could let an N5 swap close a
    cycle), and small enough for the tabu matrix."""
    return (instance.objective == "makespan" and instance.operations <= MAX_OPERATIONS
            and int(instance.alt_duration.min()) > 0)


def kernel_state(seed: int) -> np.uint64:
    """The search's first random state for `seed` (the mixing tabu search has always used, so a
    seed replays the same search as before the shared RNG of schedkit.common.rng)."""
    return np.uint64((int(seed) * 2654435761 + 7) % 2**64)


def _assigned(instance: JobShopInstance, schedule: Schedule) -> tuple[JobShopInstance, Schedule]:
    """The classic job shop of the schedule's machine choices, and the schedule in it."""
    ops = np.arange(instance.operations, dtype=np.int64)
    classic = JobShopInstance(
        machines=instance.m, job_ptr=instance.job_ptr, op_ptr=np.arange(instance.operations + 1),
        alt_machine=instance.alt_machine[schedule.alt], alt_duration=instance.alt_duration[schedule.alt],
        release=instance.release, name=instance.name)
    return classic, Schedule(schedule.start, ops, schedule.objective, schedule.rule)


def _arrays(instance: JobShopInstance) -> tuple[np.ndarray, ...]:
    n_ops = instance.operations
    job_prev = np.arange(-1, n_ops - 1, dtype=np.int64)
    job_next = np.arange(1, n_ops + 1, dtype=np.int64)
    first, last = instance.job_ptr[:-1], instance.job_ptr[1:] - 1
    job_prev[first] = -1
    job_next[last] = -1
    release = np.zeros(n_ops, dtype=np.int64)
    release[first] = instance.release_or_zero()
    machine = instance.alt_machine[instance.op_ptr[:-1]]
    p = instance.alt_duration[instance.op_ptr[:-1]]
    mach_ptr = np.concatenate(([0], np.cumsum(np.bincount(machine, minlength=instance.m)))).astype(np.int64)
    return job_prev, job_next, release, machine, p, mach_ptr


def sequences(instance: JobShopInstance, schedule: Schedule) -> np.ndarray:
    """The machine orders of a schedule, machine after machine (CSR by machine)."""
    machine = instance.alt_machine[instance.op_ptr[:-1]]
    return np.lexsort((np.arange(instance.operations), schedule.start, machine)).astype(np.int64)


def improve(instance: JobShopInstance, schedule: Schedule, deadline: float, seed: int = 0,
            lower_bound: int = 0, incumbents: Incumbents | None = None) -> tuple[Schedule, int]:
    """The best schedule tabu search finds from `schedule` by `deadline` (perf_counter), and
    the iterations it ran. Stops early at `lower_bound` or on an empty neighbourhood. Each new
    best of a classic shop goes to `incumbents` (progress)."""
    if instance.flexible:
        classic, start = _assigned(instance, schedule)
        found, iterations = improve(classic, start, deadline, seed, lower_bound)
        if found.objective >= schedule.objective:
            return schedule, iterations
        value = objective(instance, found.start, schedule.alt)
        return Schedule(found.start, schedule.alt, value, "tabu"), iterations
    arrays = _arrays(instance)
    job_prev, job_next, release, machine, p, mach_ptr = arrays
    seq = sequences(instance, schedule)
    best_seq = seq.copy()
    tabu = np.zeros((instance.operations, instance.operations), dtype=np.int64)
    best = schedule.objective
    best_order = seq.copy()
    iteration = 0
    while time.perf_counter() < deadline:
        value, done, _ = tabu_search(seq, mach_ptr, job_prev, job_next, p, machine, release, tabu, CHUNK,
                                     iteration, kernel_state(seed + iteration), STALL, lower_bound, best_seq)
        iteration += done
        if value < best:
            best, best_order = value, best_seq.copy()
            if incumbents is not None:
                incumbents.improved(best, partial(_offered, instance, best_order, arrays))
        elif incumbents is not None:
            incumbents.poll()
        if done < CHUNK or best <= lower_bound:
            break
    if best >= schedule.objective:
        return schedule, iteration
    return _schedule(instance, best_order, arrays), iteration


def _schedule(instance: JobShopInstance, order: np.ndarray, arrays: tuple[np.ndarray, ...]) -> Schedule:
    """The semi-active schedule of machine orders `order` (a classic shop's)."""
    job_prev, job_next, release, _, p, mach_ptr = arrays
    head = np.empty_like(p)
    heads_tails(order, mach_ptr, job_prev, job_next, p, release, np.empty_like(p), np.empty_like(p),
                head, np.empty_like(p), np.empty_like(p))
    alt = instance.op_ptr[:-1].copy()
    return Schedule(head, alt, objective(instance, head, alt), "tabu")


def _offered(instance: JobShopInstance, order: np.ndarray, arrays: tuple[np.ndarray, ...]) -> Result:
    """What tabu search offers for progress: the schedule of its best orders, no bound."""
    schedule = _schedule(instance, order, arrays)
    solution = JobShopSolution.from_flat(instance, schedule.start, schedule.machine(instance))
    return Result("feasible", schedule.objective, None, solution, {"workers": 1, "offered": "tabu search"})


def warm_up() -> None:
    """Load (or compile) the search kernels with one step on a one-operation shop, so the
    load time can be measured apart from the search."""
    ones = np.ones(1, np.int64)
    none = np.full(1, -1, np.int64)
    zero = np.zeros(1, np.int64)
    tabu_search(zero.copy(), np.array([0, 1], np.int64), none, none.copy(), ones, zero.copy(), zero.copy(),
                np.zeros((1, 1), np.int64), 1, 0, kernel_state(0), 1, 0, zero.copy())
    heads_tails(zero.copy(), np.array([0, 1], np.int64), none, none.copy(), ones, zero.copy(), zero.copy(),
                zero.copy(), zero.copy(), zero.copy(), zero.copy())
