"""Iterated greedy's exact job insertion (`ig_insert`): its makespans are the exact ones of
the orders it writes (against `ig_graph.longest` over every position and the checker), its
descent ends at a best position (`ig` with it: test_jobshop_ig_slide.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.jobshop.heuristics.blocking import (
    BlockingSchedule,
    best_blocking_rule,
    evaluate_orders,
    leave_times,
    machine_orders,
    objective,
)
from schedkit.jobshop.heuristics.ig_graph import longest, new_work
from schedkit.jobshop.heuristics.ig_insert import best_position, insert_job
from tests.jobshop.kernel_inputs import job_out, kernel_arrays
from tests.jobshop.strategies import jobshops

_INF = np.iinfo(np.int64).max


def _moved(seq, lo, hi, x, at):
    """seq with x moved to position `at` of seq[lo:hi] (counted without x)."""
    rest = [o for o in seq[lo:hi].tolist() if o != x]
    out = seq.copy()
    out[lo:hi] = rest[:at] + [x] + rest[at:]
    return out


@settings(max_examples=40, deadline=None)
@given(jobshops(max_jobs=5, max_machines=3, max_ops=4, flexible=False, extras=False), st.data())
def test_best_position_is_the_least_exact_makespan_over_every_position(instance, data) -> None:
    """With one operation out (others as a rule schedule orders them), `best_position` returns
    the least makespan `longest` gives over all positions of its machine (or _INF when all
    deadlock), and the orders it writes have that makespan."""
    instance = instance.replace(buffers="blocking")
    job_ptr, job_of, machine, p, release = kernel_arrays(instance)
    n = instance.operations
    seq, mach_ptr = machine_orders(instance, best_blocking_rule(instance).start)
    x = data.draw(st.integers(0, n - 1))
    lo, hi = mach_ptr[machine[x]], mach_ptr[machine[x] + 1]
    present = np.ones(n, np.bool_)
    head, tail, work = np.empty(n, np.int64), np.empty(n, np.int64), new_work(n)
    values = [longest(job_ptr, job_of, p, release, _moved(seq, lo, hi, x, at), mach_ptr, present, head,
                      tail, False, work) for at in range(hi - lo)]
    feasible = [v for v in values if v >= 0]
    present[x] = False
    out = seq.copy()
    value = best_position(x, lo, hi, job_ptr, job_of, p, release, out, mach_ptr, present, head, tail, work,
                          np.empty(n, np.int64))
    assert present.all()
    assert sorted(out[lo:hi].tolist()) == sorted(seq[lo:hi].tolist())
    assert value == (min(feasible) if feasible else _INF)  # the current position is feasible
    assert value == longest(job_ptr, job_of, p, release, out, mach_ptr, present, head, tail, False, work)


@settings(max_examples=40, deadline=None)
@given(jobshops(max_jobs=5, max_machines=3, max_ops=4, flexible=False, extras=False), st.data())
def test_insert_job_writes_feasible_orders_of_its_makespan_with_no_better_single_move(instance, data) -> None:
    """A job taken out of a rule schedule's orders and put back by `insert_job`: every machine
    keeps its operations, the orders are deadlock-free with the returned makespan (the checker
    agrees), and the job's last operation, the descent's last move, has no better position."""
    instance = instance.replace(buffers="blocking")
    job_ptr, job_of, machine, p, release = kernel_arrays(instance)
    n = instance.operations
    seq, mach_ptr = machine_orders(instance, best_blocking_rule(instance).start)
    j = data.draw(st.integers(0, instance.n - 1))
    present, head, tail, work = job_out(instance, j)
    out = seq.copy()
    value = insert_job(j, job_ptr, job_of, machine, p, release, out, mach_ptr, present, head, tail, work,
                       np.empty(n, np.int64))
    assert present.all()
    for k in range(instance.m):
        lo, hi = mach_ptr[k], mach_ptr[k + 1]
        assert sorted(out[lo:hi].tolist()) == sorted(seq[lo:hi].tolist())
    if value == _INF:
        return
    start = evaluate_orders(instance, out, mach_ptr)
    assert start is not None
    assert value == objective(instance, start)
    schedule = BlockingSchedule(start, leave_times(instance, start), value, "insert")
    report = schedkit.check(instance, schedule.solution(instance))
    assert report.feasible, report.violations
    assert report.objective == value
    o = job_ptr[j + 1] - 1
    lo, hi = mach_ptr[machine[o]], mach_ptr[machine[o] + 1]
    for at in range(hi - lo):
        other = longest(job_ptr, job_of, p, release, _moved(out, lo, hi, o, at), mach_ptr, present, head,
                        tail, False, work)
        assert other < 0 or other >= value
