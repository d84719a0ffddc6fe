"""Iterated greedy's joint job reinsertion (`ig_slide`): exact, deadlock-free, and `ig` with it
stays feasible and reproducible."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.jobshop.heuristics import ig
from schedkit.jobshop.heuristics.blocking import best_blocking_rule, evaluate_orders, machine_orders
from schedkit.jobshop.heuristics.ig_graph import longest
from schedkit.jobshop.heuristics.ig_slide import slide_job
from tests.jobshop.conftest import CLASSIC, checked
from tests.jobshop.kernel_inputs import job_out, kernel_arrays
from tests.jobshop.strategies import jobshops


@settings(max_examples=30, deadline=None)
@given(jobshops(max_jobs=5, max_machines=3, max_ops=4, flexible=False, extras=False), st.data())
def test_slide_puts_the_job_back_without_deadlock_at_its_exact_makespan(instance, data) -> None:
    """From a feasible schedule with one job taken out, the slide always finds a deadlock-free
    place (the job after all others is a candidate), keeps every machine's operations, and
    returns the makespan of the orders it writes, no worse than the job appended last."""
    instance = instance.replace(buffers="blocking")
    schedule = best_blocking_rule(instance)
    seq, mach_ptr = machine_orders(instance, schedule.start)
    n = instance.operations
    job_ptr, job_of, machine, p, release = kernel_arrays(instance)
    j = data.draw(st.integers(0, instance.n - 1))
    present, head, tail, work = job_out(instance, j)
    out = seq.copy()
    value = slide_job(j, job_ptr, job_of, machine, p, release, seq, mach_ptr, present, head, tail, work,
                      seq.copy(), out)
    assert present.all()
    for k in range(instance.m):
        lo, hi = mach_ptr[k], mach_ptr[k + 1]
        assert sorted(out[lo:hi].tolist()) == sorted(seq[lo:hi].tolist())
    heads = evaluate_orders(instance, out, mach_ptr)
    assert heads is not None
    last = job_ptr[1:] - 1
    assert value == int((heads + p)[last].max())
    appended = seq.copy()  # job j last on each of its machines, the others in seq's order
    for k in range(instance.m):
        lo, hi = mach_ptr[k], mach_ptr[k + 1]
        segment = seq[lo:hi]
        appended[lo:hi] = np.concatenate((segment[job_of[segment] != j], segment[job_of[segment] == j]))
    assert value <= longest(job_ptr, job_of, p, release, appended, mach_ptr, np.ones(n, np.bool_),
                            head, tail, False, work)


@pytest.mark.parametrize("share", ["SLIDE_SHARE", "INSERT_SHARE"])
def test_ig_with_job_reinsertions_is_reproducible_and_checked(monkeypatch, share: str) -> None:
    """`ig` with every one-job destruction put back by a slide (`ig_slide`) or by exact
    insertion (`ig_insert`): the same seed gives the same plan, it passes the checker and is
    no worse than its start."""
    monkeypatch.setattr(ig, share, 1.0)
    monkeypatch.setattr(ig, "JOB_SHARE", 0.6)
    instance = schedkit.load(CLASSIC / "la06", blocking=True)
    runs = [schedkit.solve(instance, "ig", seed=3, iterations=300) for _ in range(2)]
    assert runs[0].objective == runs[1].objective
    assert runs[0].solution.start == runs[1].solution.start
    assert checked(instance, runs[0]) <= best_blocking_rule(instance, seed=3).objective
