"""Iterated greedy's graph kernels (heads, tails, deadlocks by components) against the plain
label-correcting evaluation, and `ig` / blocking `cpsat` plans through the checker."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.errors import SchedkitError
from schedkit.jobshop.heuristics import ig
from schedkit.jobshop.heuristics.blocking import best_blocking_rule, evaluate_orders, machine_orders
from schedkit.jobshop.heuristics.ig_graph import arcs, longest, new_work
from schedkit.jobshop.heuristics.ig_kernels import _INF, _insert_best
from schedkit.jobshop.model import JobShopInstance
from schedkit.jobshop.solvers import cpsat_blocking
from tests.jobshop.conftest import CLASSIC, checked
from tests.jobshop.strategies import jobshops


@st.composite
def blocking_with_orders(draw: st.DrawFn) -> tuple[JobShopInstance, np.ndarray, np.ndarray]:
    """A small blocking shop and arbitrary machine orders (often deadlocked)."""
    instance = draw(jobshops(max_jobs=4, max_machines=3, max_ops=4, flexible=False))
    instance = instance.replace(buffers="blocking")
    machine = instance.alt_machine
    counts = np.bincount(machine, minlength=instance.m)
    mach_ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    seq = np.concatenate([draw(st.permutations(np.flatnonzero(machine == k).tolist()))
                          for k in range(instance.m)] + [[]]).astype(np.int64)
    return instance, seq, mach_ptr


@settings(max_examples=30, deadline=None)
@given(blocking_with_orders())
def test_longest_agrees_with_label_correcting(case) -> None:
    """Same deadlock verdict and heads as `evaluate_orders`; the makespan is max(head + tail)."""
    instance, seq, mach_ptr = case
    n = instance.operations
    head, tail = np.empty(n, np.int64), np.empty(n, np.int64)
    value = longest(instance.job_ptr, instance.job_of(), instance.alt_duration, instance.release_or_zero(),
                    seq, mach_ptr, np.ones(n, np.bool_), head, tail, True, new_work(n))
    expected = evaluate_orders(instance, seq, mach_ptr)
    assert (value < 0) == (expected is None)
    if expected is not None:
        assert np.array_equal(head, expected)
        last = instance.job_ptr[1:] - 1
        assert value == int((head + instance.alt_duration)[last].max()) == int((head + tail).max())


@settings(max_examples=15, deadline=None)
@given(jobshops(max_jobs=5, max_machines=3, max_ops=4, flexible=False, extras=False), st.integers(0, 9))
def test_ig_plans_pass_the_checker_and_never_lose_to_the_rules(instance, seed) -> None:
    """`ig` (whole-job and single-operation destructions, estimated insertions) stays feasible."""
    instance = instance.replace(buffers="blocking")
    result = schedkit.solve(instance, "ig", seed=seed, iterations=300)
    assert checked(instance, result) <= best_blocking_rule(instance, seed=seed).objective


def test_blocking_cpsat_runs_iterated_greedy_first() -> None:
    """With a time limit, blocking `cpsat` improves its warm start by `ig` walks (one per worker)."""
    ig.warm_up()  # compiled here, so the phase is affordable within the short limit
    instance = schedkit.load(CLASSIC / "la01", blocking=True)
    result = schedkit.solve(instance, "cpsat", time_limit=3, workers=2, ig_share=0.5)
    checked(instance, result)
    assert result.stats["ig_walks"] == 2 and result.stats["ig_objective"] <= result.stats["warm_start"]
    assert result.objective <= result.stats["ig_objective"]


@pytest.mark.parametrize("share", [True, -0.1, 1.5, float("nan"), "half"])
def test_blocking_cpsat_refuses_a_bad_ig_share(share) -> None:
    """ig_share is a number from 0 to 1; anything else is a one-line schedkit error."""
    instance = schedkit.load(CLASSIC / "ft06", blocking=True)
    with pytest.raises(SchedkitError, match="ig_share"):
        schedkit.solve(instance, "cpsat", time_limit=1, ig_share=share)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(8, 40))
def test_blocking_lns_frees_whole_jobs_windows_or_machines(seed, k) -> None:
    """Each LNS neighbourhood is a time window of k operations, whole jobs or whole machines."""
    instance = schedkit.load(CLASSIC / "ft06", blocking=True)
    start = best_blocking_rule(instance)
    rng = np.random.default_rng(seed)
    job_of, machine = instance.job_of(), instance.alt_machine
    for _ in range(5):
        free = cpsat_blocking._free(instance, start, k, rng)
        assert 0 < free.size == np.unique(free).size
        whole_jobs = np.isin(job_of, job_of[free]).sum() == free.size
        whole_machines = np.isin(machine, machine[free]).sum() == free.size
        assert whole_jobs or whole_machines or free.size == min(k, instance.operations)


@pytest.mark.parametrize("most_jobs", [1, 3])
def test_ig_destroying_several_jobs_keeps_plans_feasible(most_jobs: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Destructions of 1..MOST_JOBS whole jobs (every destruction here) rebuild feasible plans."""
    monkeypatch.setattr(ig, "MOST_JOBS", most_jobs)
    instance = schedkit.load(CLASSIC / "la01", blocking=True)
    start = best_blocking_rule(instance)
    found, done = ig.improve(instance, start, float("inf"), 3, 300, job_share=1.0)
    assert done == 300 and found.objective <= start.objective
    assert schedkit.check(instance, schedkit.Result("feasible", found.objective, None,
                                                    found.solution(instance), {})).feasible


def _label_correcting_tails(instance: JobShopInstance, seq: np.ndarray, mach_ptr: np.ndarray) -> np.ndarray:
    """Tails by relaxing every arc until nothing changes (feasible orders: no positive cycle)."""
    n = instance.operations
    p, job_ptr, job_of = instance.alt_duration, instance.job_ptr, instance.job_of()
    src, dst, length = (np.empty(2 * n, np.int64) for _ in range(3))
    count = arcs(job_ptr, job_of, p, seq, mach_ptr, np.ones(n, np.bool_), src, dst, length)
    tail = np.where(np.isin(np.arange(n), job_ptr[1:] - 1), p, 0).astype(np.int64)
    changed = True
    while changed:
        changed = False
        for e in range(count):
            if tail[dst[e]] + length[e] > tail[src[e]]:
                tail[src[e]] = tail[dst[e]] + length[e]
                changed = True
    return tail


@settings(max_examples=30, deadline=None)
@given(blocking_with_orders())
def test_longest_tails_agree_with_label_correcting(case) -> None:
    """Tails (taken over the heads' components, swaps included) equal plain relaxation's."""
    instance, seq, mach_ptr = case
    n = instance.operations
    head, tail = np.empty(n, np.int64), np.empty(n, np.int64)
    value = longest(instance.job_ptr, instance.job_of(), instance.alt_duration, instance.release_or_zero(),
                    seq, mach_ptr, np.ones(n, np.bool_), head, tail, True, new_work(n))
    if value >= 0:
        assert np.array_equal(tail, _label_correcting_tails(instance, seq, mach_ptr))


@settings(max_examples=30, deadline=None)
@given(jobshops(max_jobs=5, max_machines=3, max_ops=4, flexible=False, extras=False), st.data())
def test_chained_insertions_match_fresh_ones(instance, data) -> None:
    """Re-inserting operations one after another from the last insertion's heads and tails
    (`known`) puts each where a fresh longest-path pass would, with the same makespans."""
    instance = instance.replace(buffers="blocking")
    seq, mach_ptr = machine_orders(instance, best_blocking_rule(instance).start)
    n = instance.operations
    out = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    job_ptr, job_of, p = instance.job_ptr, instance.job_of(), instance.alt_duration
    release, machine = instance.release_or_zero(), instance.alt_machine
    runs = []
    for chained in (False, True):
        trial, present, work = seq.copy(), np.ones(n, np.bool_), new_work(n)
        present[out] = False
        head, tail, rest, stack = (np.empty(n, np.int64) for _ in range(4))
        key, tie, spot = (np.empty(n + 1, np.int64) for _ in range(3))
        after, before = np.empty(n, np.bool_), np.empty(n, np.bool_)
        known, values = -1, []
        for i, x in enumerate(out):
            k = machine[x]
            value = _insert_best(x, mach_ptr[k], mach_ptr[k + 1], job_ptr, job_of, p, release, trial,
                                 mach_ptr, present, head, tail, rest, work, key, tie, spot, after, before,
                                 stack, known if chained else -1, chained and i + 1 < len(out))
            values.append(value)
            if value == _INF:
                break
            known = value
        runs.append((values, trial))
    assert runs[0][0] == runs[1][0] and np.array_equal(runs[0][1], runs[1][1])
