"""Tabu search for the blocking job shop: its moves against an independent evaluation, the
method `tabu`, and the walks of `cpsat`."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.errors import UnsupportedInstance
from schedkit.jobshop.heuristics import blocking_tabu, ig
from schedkit.jobshop.heuristics.blocking import machine_orders, run_blocking_rule
from schedkit.jobshop.heuristics.blocking_tabu_kernels import (
    MOVE_KINDS,
    critical_pairs,
    neighbour,
    new_scratch,
)
from schedkit.jobshop.heuristics.ig_graph import longest, new_work
from schedkit.jobshop.solvers import cpsat_blocking
from schedkit.result import Result
from tests.jobshop.blocking_fixtures import DEADLOCK_JOBS, blocking, blocking_makespan, brute_force_makespan
from tests.jobshop.conftest import CLASSIC, checked

SHOPS = st.lists(st.permutations([0, 1, 2]).flatmap(
    lambda order: st.tuples(*(st.tuples(st.just(m), st.integers(1, 6)) for m in order))),
    min_size=2, max_size=4)


def _orders(instance, seq: np.ndarray, mach_ptr: np.ndarray) -> tuple:
    """Machine orders as (job, position) pairs, for `blocking_makespan`."""
    job_of = instance.job_of()
    return tuple(tuple((int(job_of[o]), int(o - instance.job_ptr[job_of[o]])) for o in seq[lo:hi])
                 for lo, hi in zip(mach_ptr[:-1], mach_ptr[1:], strict=True))


@settings(max_examples=25, deadline=None)
@given(jobs=SHOPS, rule=st.sampled_from(["spt", "lpt", "fifo", "mwkr"]), repair=st.booleans())
def test_every_move_reverses_a_critical_arc_and_is_valued_exactly(jobs, rule, repair) -> None:
    """From a rule's orders, each move on a critical arc A -> B puts B before A, and its
    makespan equals an independent Bellman-Ford evaluation of the new orders (no deadlock);
    a plain swap is refused (_INF) only when it deadlocks and no repair is asked for."""
    jobs = [list(job) for job in jobs]
    instance = blocking(jobs, "moves")
    seq, mach_ptr = machine_orders(instance, run_blocking_rule(instance, rule).start)
    job_ptr, job_of, p = instance.job_ptr.copy(), instance.job_of(), instance.alt_duration.copy()
    machine, release = instance.alt_machine.copy(), instance.release_or_zero().copy()
    n = p.size
    head, tail = np.empty(n, np.int64), np.empty(n, np.int64)
    present = np.ones(n, np.bool_)
    value = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, True, new_work(n))
    assert value == blocking_makespan(jobs, _orders(instance, seq, mach_ptr))
    pairs = np.empty(n, np.int64)
    count = critical_pairs(job_ptr, job_of, p, seq, mach_ptr, head, tail, value, pairs)
    assert count > 0 or value == max(sum(d for _, d in job) for job in jobs)
    trial, spare = np.empty_like(seq), np.empty_like(seq)
    for i in pairs[:count].tolist():
        a, b = int(seq[i - 1]), int(seq[i])
        for kind in range(MOVE_KINDS):
            moved = neighbour(i * MOVE_KINDS + kind, job_ptr, job_of, machine, p, release, seq, mach_ptr,
                              trial, spare, present, new_scratch(n), repair)
            assert present.all()
            if moved == np.iinfo(np.int64).max:
                if kind == 0 and not repair:
                    swapped = seq.copy()
                    swapped[i - 1], swapped[i] = b, a
                    assert blocking_makespan(jobs, _orders(instance, swapped, mach_ptr)) is None
                continue
            assert moved == blocking_makespan(jobs, _orders(instance, trial, mach_ptr))
            on = trial[mach_ptr[machine[a]]:mach_ptr[machine[a] + 1]].tolist()
            assert on.index(b) < on.index(a)
            assert sorted(trial.tolist()) == list(range(n))


def test_tabu_is_reproducible_for_a_seed_and_never_worse_than_its_start() -> None:
    """A fixed step count gives the same checked schedule twice, no worse than the best rule."""
    instance = schedkit.load(CLASSIC / "la01", blocking=True)
    first = schedkit.solve(instance, "tabu", seed=3, iterations=60, workers=1)
    second = schedkit.solve(instance, "tabu", seed=3, iterations=60, workers=1)
    assert first.stats["iterations"] == 60
    assert checked(instance, first) == second.objective <= first.stats["warm_start"]
    assert first.solution == second.solution


def test_tabu_reaches_the_optimum_of_the_deadlock_shop() -> None:
    """On the 3 x 3 shop where a naive rule deadlocks, 100 steps reach the brute-force optimum."""
    instance = blocking(DEADLOCK_JOBS, "deadlock")
    result = schedkit.solve(instance, "tabu", seed=0, iterations=100)
    assert checked(instance, result) == brute_force_makespan(DEADLOCK_JOBS, 3)


def test_tabu_refuses_a_classic_shop() -> None:
    """tabu names where to go for a job shop with buffers."""
    with pytest.raises(UnsupportedInstance, match="blocking"):
        schedkit.solve(schedkit.load(CLASSIC / "ft06"), "tabu", time_limit=1)


def test_tabu_restarts_from_fresh_starts_and_keeps_the_best() -> None:
    """With no patience each chunk without a new best restarts the walk from the next start;
    the best over all walks passes the checker and is no worse than the first start."""
    instance = schedkit.load(CLASSIC / "la01", blocking=True)
    start = run_blocking_rule(instance, "fifo")
    starts = ig.Starts(instance, seed=0, skip="fifo")
    found, done = blocking_tabu.improve(instance, start, time.perf_counter() + 1.0, 0, None, 0, 0.0, starts)
    assert starts.taken > 0 and done > 0 and found.objective <= start.objective
    assert checked(instance, Result("feasible", found.objective, None, found.solution(instance))) \
        == found.objective


@pytest.mark.parametrize("walks", ["tabu", "mixed", "chain"])
def test_cpsat_walks_with_tabu(monkeypatch, walks) -> None:
    """cpsat's heuristic phase on a large shop (no order literals) with tabu walks (every walk,
    all but the first, or after ig in each walk) gives a checked plan."""
    monkeypatch.setattr(cpsat_blocking, "WALKS", walks)
    ig.warm_up()  # compiled here: with a cold cache cpsat would skip (or fall back from) the walks
    blocking_tabu.warm_up()
    instance = schedkit.load(CLASSIC / "la21", blocking=True)  # 15 x 10: 1050 machine pairs
    result = schedkit.solve(instance, "cpsat", time_limit=3, workers=2, seed=0)
    checked(instance, result)
    assert result.stats["order_literals"] is False
    assert result.stats["walks"] == {"tabu": "tabu,tabu", "mixed": "ig,tabu", "chain": "chain,chain"}[walks]
