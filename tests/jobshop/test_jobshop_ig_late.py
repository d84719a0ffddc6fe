"""Iterated greedy's late acceptance (`ig.improve(late=)`): it never walks above its start, stays
feasible and reproducible, and an empty history keeps the temperature acceptance."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.common.rng import seed_state
from schedkit.jobshop.heuristics import blocking_tabu, ig
from schedkit.jobshop.heuristics.blocking import (
    BlockingSchedule,
    best_blocking_rule,
    evaluate_orders,
    machine_orders,
)
from schedkit.jobshop.heuristics.ig_kernels import iterated_greedy
from schedkit.result import Result
from tests.jobshop.conftest import CLASSIC, checked
from tests.jobshop.kernel_inputs import kernel_arrays
from tests.jobshop.strategies import jobshops


@settings(max_examples=25, deadline=None)
@given(jobshops(max_jobs=5, max_machines=3, max_ops=4, flexible=False, extras=False),
       st.integers(1, 30), st.integers(0, 2**31), st.integers(0, 5))
def test_late_acceptance_never_walks_above_its_start(instance, length, seed, first) -> None:
    """Every value the history holds is a value the walk had, all at most the start's, so the
    current orders stay at most the start's makespan (the temperature would let them rise) and
    are exactly what the kernel says; the best is never worse."""
    instance = instance.replace(buffers="blocking")
    schedule = best_blocking_rule(instance)
    seq, mach_ptr = machine_orders(instance, schedule.start)
    job_ptr, job_of, machine, p, release = kernel_arrays(instance)
    history = np.full(length, schedule.objective, np.int64)
    best_seq = seq.copy()
    best, current, done, _ = iterated_greedy(
        job_ptr, job_of, machine, p, release, seq, mach_ptr, schedule.objective, 200, 3, 1e6,
        seed_state(seed), best_seq, schedule.objective, 0, 0.5, 1, 0.25, 0.25, history, first)
    assert done == 200 or best == 0
    assert best <= current <= schedule.objective
    assert history.max() <= schedule.objective
    for orders, value in ((seq, current), (best_seq, best)):
        heads = evaluate_orders(instance, orders, mach_ptr)
        assert heads is not None
        assert int((heads + p)[job_ptr[1:] - 1].max()) == value


def test_late_ig_is_reproducible_checked_and_zero_is_the_default() -> None:
    """`late` > 0 gives the same checked schedule twice for a seed, no worse than its start; `late`
    = 0 is step for step the default walk (the same orders after the same iterations)."""
    instance = schedkit.load(CLASSIC / "la06", blocking=True)
    start = best_blocking_rule(instance)
    runs = [ig.improve(instance, start, float("inf"), 5, 300, late=50) for _ in range(2)]
    assert runs[0][0].objective == runs[1][0].objective <= start.objective
    assert (runs[0][0].start == runs[1][0].start).all()
    found = runs[0][0]
    assert checked(instance, Result("feasible", found.objective, None, found.solution(instance))) \
        == found.objective
    default = ig.improve(instance, start, float("inf"), 5, 300)[0]
    zero = ig.improve(instance, start, float("inf"), 5, 300, late=0)[0]
    assert (default.start == zero.start).all()


def test_polish_sees_each_stalled_walk_and_its_better_orders_are_kept() -> None:
    """With no patience each chunk without a new best ends a walk: `polish` gets that walk's
    best, and a better schedule it hands back becomes the result (checked)."""
    instance = schedkit.load(CLASSIC / "la01", blocking=True)
    start = best_blocking_rule(instance)
    seen: list[int] = []

    def polish(walk: BlockingSchedule) -> tuple[BlockingSchedule, int]:
        seen.append(walk.objective)
        found, steps = blocking_tabu.improve(instance, walk, float("inf"), len(seen), 30)
        return found, steps

    starts = ig.Starts(instance, seed=0, skip=start.rule)
    found, done = ig.improve(instance, start, float("inf"), 0, 400, 0, 0.0, starts, polish=polish)
    assert seen and done >= 400 and found.objective <= start.objective
    assert checked(instance, Result("feasible", found.objective, None, found.solution(instance))) \
        == found.objective
    better = best_blocking_rule(instance)  # a fake polish that always hands back a known schedule
    target = ig.improve(instance, start, float("inf"), 9, 300)[0]
    found = ig.improve(instance, better, float("inf"), 1, 50, 0, 0.0, ig.Starts(instance, 1),
                       polish=lambda walk: (target, 0))[0]
    assert found.objective <= target.objective
