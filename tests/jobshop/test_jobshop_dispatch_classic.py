"""`dispatch_classic` (per machine its waiting jobs, the machines in a heap) gives `dispatch`'s
schedules, draw for draw, on classic shops; it stops when the flag is raised."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.jobshop.generate import jobshop
from schedkit.jobshop.heuristics.dispatch import RULES, dispatch, dispatch_classic, kernel_state, work_left
from schedkit.jobshop.heuristics.rules import dispatch_kernel, kernel_arrays
from tests.jobshop.strategies import jobshops
from tests.stopping import raised


def never() -> np.ndarray:
    return np.zeros(1, np.uint8)


@settings(max_examples=60, deadline=None)
@given(x=jobshops(max_jobs=6, max_machines=4, max_ops=5, flexible=False), seed=st.integers(0, 2**32))
def test_same_schedules_as_the_pass_over_every_job(x, seed):
    """Every rule, active and non-delay, on small classic shops (machines revisited, zero-length
    operations, release and due dates): the same starts and alternatives as `dispatch`."""
    arrays = kernel_arrays(x)
    for rule in RULES.values():
        for nondelay in (False, True):
            args = (*arrays, x.m, rule, nondelay, kernel_state(seed))
            want, got = dispatch(*args, never()), dispatch_classic(*args, never())
            assert np.array_equal(want[0], got[0]) and np.array_equal(want[1], got[1])


def test_same_schedules_on_a_wider_shop():
    """60 jobs x 15 machines, many waiting per machine: the lists and the heap stay in step."""
    x = jobshop(60, 15, seed=5)
    arrays = kernel_arrays(x)
    for rule in RULES.values():
        for nondelay in (False, True):
            args = (*arrays, x.m, rule, nondelay, kernel_state(3))
            want, got = dispatch(*args, never()), dispatch_classic(*args, never())
            assert np.array_equal(want[0], got[0]) and np.array_equal(want[1], got[1])


def test_the_kernel_follows_the_shop_kind():
    """Classic shops run `dispatch_classic`, flexible ones `dispatch`."""
    assert dispatch_kernel(jobshop(3, 2, seed=0)) is dispatch_classic
    assert dispatch_kernel(jobshop(3, 2, seed=0, flexible=1)) is dispatch


def test_a_raised_flag_schedules_nothing():
    """Every operation at 0 on its first (only) alternative."""
    x = jobshop(6, 4, seed=3)
    arrays = kernel_arrays(x)
    for rule in RULES.values():
        start, alt = dispatch_classic(*arrays, x.m, rule, False, kernel_state(0), raised())
        assert not start.any() and (alt == x.op_ptr[:-1]).all()


@settings(max_examples=40, deadline=None)
@given(x=jobshops(max_jobs=4, max_machines=3, max_ops=4))
def test_work_left_is_the_rest_of_the_job(x):
    """Per operation, the sum of the shortest alternatives from it to its job's end (plain loops)."""
    want = [sum(min(d for _, d in op) for op in job[k:]) for job in x.jobs() for k in range(len(job))]
    assert work_left(x.job_ptr, x.op_ptr, x.alt_duration).tolist() == want
