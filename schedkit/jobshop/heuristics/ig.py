"""Method `ig`: iterated greedy for the blocking job shop's makespan within the time limit,
from the best blocking rule (see `ig_kernels`). Blocking instances only.

A walk that finds no new best for STALL_SHARE of the time limit starts again from another rule's
schedule (then from random runs): the best rule's schedule can be a trap (la37: every walk from
it stays at 2593; from the SPT or LPT schedule walks reach about 2000 within 8 s)."""

from __future__ import annotations

import threading
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
    run_blocking_rule,
)
from schedkit.jobshop.heuristics.blocking_walks import Walk, solve_by_walk
from schedkit.jobshop.heuristics.dispatch import RULES
from schedkit.jobshop.heuristics.ig_kernels import iterated_greedy
from schedkit.jobshop.model import JobShopInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

CHUNK_SECONDS = 0.1  # about the time between two looks at the clock
MAX_CHUNK = 4_096
DEFAULT_ITERATIONS = 2_000  # without a time limit
TEMPERATURE = 6.0  # T = 6 · Σp / (n · m · 10), 0.6 of a mean duration (Ruiz–Stützle use 0.4: too cold here)
JOB_SHARE = 0.3  # destructions that take out whole jobs (the others: 2..d_max operations)
MOST_JOBS = 1  # such a destruction takes out 1..MOST_JOBS random jobs
SLIDE_SHARE = 0.0  # of the one-job destructions: the job goes back as a block (`ig_slide`); `cpsat`
# passes its own share
INSERT_SHARE = 0.0  # of the one-job destructions: exact job insertion (`ig_insert`); `cpsat` passes its own
RESTART = 2_000  # iterations without a new best, then the walk goes back to the best
D_MAX = 8  # a destruction takes out 2..D_MAX operations
STALL_SHARE = 0.05  # of the time limit without a new best: the walk restarts from a fresh start
ELITE_EVERY = 0  # every that many restarts go back to the best orders (0: never)
IG_SECONDS = 30.0  # cold-compile estimate of the kernel: 22 s measured at load 5 before it took in
# ig_insert, which adds about 13 % (14.2 -> 16.1 s at load 1.1, 2026-12-05)


def improve(instance: JobShopInstance, schedule: BlockingSchedule, deadline: float, seed: int,
            iterations: int | None, lower_bound: int = 0, patience: float | None = None,
            starts: Callable[[], BlockingSchedule] | None = None, job_share: float = JOB_SHARE,
            slide_share: float | None = None, insert_share: float | None = None,
            elite_every: int | None = None, incumbents: Incumbents | None = None
            ) -> tuple[BlockingSchedule, int]:
    """The best schedule iterated greedy finds from `schedule` by `deadline` (perf_counter) or
    after `iterations`, and the iterations run. After `patience` seconds without a new best of
    the walk it stops, or, with `starts`, walks on from the next start `starts()` gives;
    `job_share` of the destructions take out a whole job, `slide_share` of those put it back
    as a block (None: SLIDE_SHARE), `insert_share` by exact job insertion (None: INSERT_SHARE).
    Every `elite_every`-th restart (None: ELITE_EVERY; 0: none) goes back to the best orders found
    in this call instead of a fresh start. Each new best goes to `incumbents` (progress)."""
    slide = SLIDE_SHARE if slide_share is None else slide_share
    insert = INSERT_SHARE if insert_share is None else insert_share
    elite = ELITE_EVERY if elite_every is None else elite_every
    seq, mach_ptr = machine_orders(instance, schedule.start)
    if evaluate_orders(instance, seq, mach_ptr) is None:  # cannot happen for a simulated schedule
        return schedule, 0
    p = instance.alt_duration.copy()  # writable copies: the kernel's one compiled signature
    job_ptr, machine = instance.job_ptr.copy(), instance.alt_machine.copy()
    job_of = instance.job_of()
    release = instance.release_or_zero().copy()
    temperature = max(1e-9, TEMPERATURE * float(p.sum()) / (instance.n * instance.m * 10))
    d_max = max(3, min(D_MAX, instance.operations // 10))
    state = seed_state(seed)
    walk_seq = seq.copy()  # the walk's best orders
    walk = current = schedule.objective
    best, best_seq = walk, seq.copy()  # over every walk
    done = since = restarts = 0  # iterations, and iterations since the walk's best improved
    bettered = time.perf_counter()
    chunk = 1  # grows while a chunk takes under CHUNK_SECONDS
    while time.perf_counter() < deadline and (iterations is None or done < iterations) and best > lower_bound:
        if iterations is not None:
            chunk = min(chunk, iterations - done)
        began = time.perf_counter()
        before = walk
        walk, current, ran, state = iterated_greedy(
            job_ptr, job_of, machine, p, release, seq, mach_ptr, current, chunk,
            d_max, temperature, state, walk_seq, walk, lower_bound, job_share, MOST_JOBS, slide, insert)
        state = np.uint64(state)  # numba hands a uint64 back as a Python int
        done += ran
        since = 0 if walk < before else since + ran
        if walk < best:
            best, best_seq = walk, walk_seq.copy()
            if incumbents is not None:
                incumbents.improved(best, partial(orders_result, instance, best_seq, mach_ptr, "ig"))
        elif incumbents is not None:
            incumbents.poll()
        if walk < before:
            bettered = time.perf_counter()
        elif patience is not None and time.perf_counter() - bettered > patience:
            if starts is None:
                break
            restarts += 1
            if elite and restarts % elite == 0:  # a new walk from the best so far (an elite restart)
                seq[:] = best_seq
                walk = current = best
            else:
                fresh = starts()  # a new walk from a fresh start
                seq[:] = machine_orders(instance, fresh.start)[0]
                walk = current = fresh.objective
            walk_seq[:] = seq
            since, bettered = 0, time.perf_counter()
            continue
        if since >= RESTART and current > walk:  # back to the walk's best orders
            seq[:] = walk_seq
            current, since = walk, 0
        if ran < chunk:
            break
        if time.perf_counter() - began < CHUNK_SECONDS / 2:
            chunk = min(2 * chunk, MAX_CHUNK)
    if best >= schedule.objective:
        return schedule, done
    head = evaluate_orders(instance, best_seq, mach_ptr)
    assert head is not None
    return BlockingSchedule(head, leave_times(instance, head), objective(instance, head), "ig"), done


class Starts:
    """Fresh starts for restarted walks, shared by threads: each deterministic rule but the one
    of the first start, then seeded random runs of the blocking simulation."""

    def __init__(self, instance: JobShopInstance, seed: int, skip: str = "") -> None:
        self.instance, self.seed = instance, seed
        self.plan = [name for name in RULES if name not in ("random", skip)]
        self.taken = 0
        self.lock = threading.Lock()

    def __call__(self) -> BlockingSchedule:
        with self.lock:
            k = self.taken
            self.taken += 1
        if k < len(self.plan):
            return run_blocking_rule(self.instance, self.plan[k], self.seed)
        return run_blocking_rule(self.instance, "random", self.seed + 1_000 + k)


def warm_up() -> None:
    """Load (or compile) the kernel with one step on a one-operation shop."""
    one = np.ones(1, np.int64)
    zero = np.zeros(1, np.int64)
    iterated_greedy(np.array([0, 1], np.int64), zero.copy(), zero.copy(), one, zero.copy(), zero.copy(),
                    np.array([0, 1], np.int64), 1, 1, 3, 1.0, seed_state(0), zero.copy(), 1, 0, 0.5, 1, 0.5,
                    0.5)


WALK = Walk("ig", iterated_greedy, IG_SECONDS, warm_up, improve, Starts, DEFAULT_ITERATIONS, STALL_SHARE)


@register("jobshop", "ig", exact=False,
          description="iterated greedy over the alternative graph (Pranzo & Pacciarelli 2016), "
          "blocking job shops, makespan; one walk per worker",
          options={"iterations": None})
def solve_ig(instance: JobShopInstance, options: SolveOptions) -> Result:
    """Best blocking rule, then iterated greedy until the time limit (or `iterations`)."""
    return solve_by_walk(WALK, instance, options)
