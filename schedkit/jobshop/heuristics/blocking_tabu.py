"""Method `tabu` for blocking job shops: tabu search over critical-arc swaps with job reinsertion
(see `blocking_tabu_kernels`), from the best blocking rule, within the time limit; and `improve`,
the walk `cpsat` runs in its heuristic phases."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import numpy as np

from schedkit.common.incumbents import Incumbents
from schedkit.common.rng import seed_state
from schedkit.jobshop.heuristics.blocking import (
    BlockingSchedule,
    evaluate_orders,
    leave_times,
    machine_orders,
    objective,
    orders_result,
)
from schedkit.jobshop.heuristics.blocking_tabu_kernels import tabu_search
from schedkit.jobshop.heuristics.blocking_walks import Walk, solve_by_walk
from schedkit.jobshop.heuristics.ig import Starts
from schedkit.jobshop.model import JobShopInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

CHUNK_SECONDS = 0.1  # about the time between two looks at the clock
MAX_CHUNK = 1_024
DEFAULT_ITERATIONS = 500  # without a time limit
MAX_MOVES = 60  # moves tried per step (a random sample when there are more)
REPAIR = True  # repair deadlocking swaps by a job reinsertion (10 s from the best rule on la31: 3543
# with, 3740 without; ta03: 2061 against 2352, though 8 times fewer steps)
STALL = 300  # steps without a new best: back to the best orders and a kick
STALL_SHARE = 0.05  # of the time limit without a new best of the walk: a fresh start (method `tabu`)
MAX_OPERATIONS = 4_000  # the tabu matrix is operations² int64: 128 MB at this size
TABU_SECONDS = 30.0  # cold-compile estimate of the kernel


def tenure(instance: JobShopInstance) -> int:
    """The least tabu tenure (a move's is this plus a random 0..this): 8, more on big shops."""
    return max(8, instance.operations // 25)


def improve(instance: JobShopInstance, schedule: BlockingSchedule, deadline: float, seed: int,
            iterations: int | None, lower_bound: int = 0, patience: float | None = None,
            starts: Callable[[], BlockingSchedule] | None = None, incumbents: Incumbents | None = None
            ) -> tuple[BlockingSchedule, int]:
    """The best schedule tabu search finds from `schedule` by `deadline` (perf_counter) or after
    `iterations`, and the steps run. After `patience` seconds without a new best of the walk it
    stops, or, with `starts`, walks on from the next start `starts()` gives. Each new best goes to
    `incumbents` (progress)."""
    if instance.operations > MAX_OPERATIONS:
        return schedule, 0
    seq, mach_ptr = machine_orders(instance, schedule.start)
    if evaluate_orders(instance, seq, mach_ptr) is None:  # cannot happen for a simulated schedule
        return schedule, 0
    p = instance.alt_duration.copy()  # writable copies: the kernel's one compiled signature
    job_ptr, machine = instance.job_ptr.copy(), instance.alt_machine.copy()
    job_of = instance.job_of()
    release = instance.release_or_zero().copy()
    tabu = np.zeros((instance.operations, instance.operations), np.int64)
    state = seed_state(seed)
    walk_seq = seq.copy()
    walk = schedule.objective
    best, best_seq = walk, seq.copy()
    done = since = 0
    bettered = time.perf_counter()
    chunk, step = 1, 0.0  # step: the last chunk's seconds per step (a step may take a millisecond or more)
    while time.perf_counter() < deadline and (iterations is None or done < iterations) and best > lower_bound:
        if iterations is not None:
            chunk = min(chunk, iterations - done)
        left = deadline - time.perf_counter()
        if step > 0 and left != float("inf"):  # never start steps that would end past the deadline
            if left < step:
                break
            chunk = max(1, min(chunk, int(left / step)))
        began = time.perf_counter()
        before = walk
        walk, _, ran, since, state = tabu_search(
            job_ptr, job_of, machine, p, release, seq, mach_ptr, tabu, chunk, done, state, STALL, since,
            MAX_MOVES, tenure(instance), walk_seq, walk, lower_bound, REPAIR)
        state = np.uint64(state)  # numba hands a uint64 back as a Python int
        step = (time.perf_counter() - began) / max(1, ran)
        done += ran
        if walk < best:
            best, best_seq = walk, walk_seq.copy()
            if incumbents is not None:
                incumbents.improved(best, partial(orders_result, instance, best_seq, mach_ptr, "tabu"))
        elif incumbents is not None:
            incumbents.poll()
        if walk < before:
            bettered = time.perf_counter()
        elif patience is not None and time.perf_counter() - bettered > patience:
            if starts is None:
                break
            fresh = starts()
            seq[:] = machine_orders(instance, fresh.start)[0]
            walk_seq[:] = seq
            walk, since, bettered = fresh.objective, 0, time.perf_counter()
            tabu[:] = 0
            continue
        if ran < chunk:
            break
        if time.perf_counter() - began < CHUNK_SECONDS / 2:
            chunk = min(2 * chunk, MAX_CHUNK)
    if best >= schedule.objective:
        return schedule, done
    head = evaluate_orders(instance, best_seq, mach_ptr)
    assert head is not None
    return BlockingSchedule(head, leave_times(instance, head), objective(instance, head), "tabu"), done


def warm_up() -> None:
    """Load (or compile) the kernel with one step on a two-job shop."""
    job_ptr = np.array([0, 2, 4], np.int64)
    job_of = np.array([0, 0, 1, 1], np.int64)
    machine = np.array([0, 1, 1, 0], np.int64)
    p = np.ones(4, np.int64)
    seq = np.array([0, 3, 1, 2], np.int64)
    mach_ptr = np.array([0, 2, 4], np.int64)
    tabu_search(job_ptr, job_of, machine, p, np.zeros(2, np.int64), seq, mach_ptr, np.zeros((4, 4), np.int64),
                2, 0, seed_state(0), 10, 0, 10, 1, seq.copy(), 100, 0, False)


WALK = Walk("tabu", tabu_search, TABU_SECONDS, warm_up, improve, Starts, DEFAULT_ITERATIONS, STALL_SHARE,
            max_operations=MAX_OPERATIONS,
            too_large="(its tabu matrix is operations squared); use ig or cpsat")


@register("jobshop", "tabu", exact=False,
          description="tabu search over critical-arc swaps with job reinsertion (Gröflin & Klinkert "
          "2009), blocking job shops, makespan; one walk per worker",
          options={"iterations": None})
def solve_tabu(instance: JobShopInstance, options: SolveOptions) -> Result:
    """Best blocking rule, then tabu search until the time limit (or `iterations`)."""
    return solve_by_walk(WALK, instance, options)
