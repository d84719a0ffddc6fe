"""Every registered job shop method on a tiny fixture with a known optimum, through the checker."""

from __future__ import annotations

import itertools

import pytest

import schedkit
from schedkit.errors import ProblemTooLarge, UnsupportedInstance
from schedkit.jobshop.model import JobShopInstance
from tests.jobshop.conftest import checked

# 3 jobs x 3 machines, (machine, duration) per operation in job order.
JOBS = [[(0, 3), (1, 2), (2, 2)], [(0, 2), (2, 1), (1, 4)], [(1, 4), (2, 3), (0, 1)]]


def _brute_force_makespan(jobs: list[list[tuple[int, int]]], machines: int) -> int:
    """The optimum over every processing order on every machine (6^3 = 216 semi-active
    schedules; an order that deadlocks against the job order is skipped)."""
    ops = {(j, k): op for j, job in enumerate(jobs) for k, op in enumerate(job)}
    on = [[key for key, (m, _) in ops.items() if m == machine] for machine in range(machines)]
    best = None
    for orders in itertools.product(*(itertools.permutations(ops_m) for ops_m in on)):
        end: dict[tuple[int, int], int] = {}
        position = [0] * machines
        machine_ready = [0] * machines
        progress = True
        while progress:
            progress = False
            for machine, order in enumerate(orders):
                if position[machine] == len(order):
                    continue
                j, k = order[position[machine]]
                if k > 0 and (j, k - 1) not in end:
                    continue
                start = max(machine_ready[machine], end.get((j, k - 1), 0))
                end[j, k] = machine_ready[machine] = start + ops[j, k][1]
                position[machine] += 1
                progress = True
        if len(end) == len(ops):
            makespan = max(end.values())
            best = makespan if best is None else min(best, makespan)
    assert best is not None
    return best


CLASSIC = JobShopInstance.from_jobs(JOBS, name="matrix3x3")
CLASSIC_OPTIMUM = _brute_force_makespan(JOBS, 3)


def test_brute_force_optimum_is_what_the_fixture_says() -> None:
    """Guards the fixture itself: the optimum (11, found by enumeration) exceeds the trivial bound."""
    assert CLASSIC_OPTIMUM == 11


@pytest.mark.parametrize("method", [m.name for m in schedkit.methods("jobshop")])
def test_every_method_on_the_classic_fixture(method: str) -> None:
    """A feasible, checked plan; bound <= objective; an optimal claim equals the optimum."""
    try:
        result = schedkit.solve(CLASSIC, method=method, time_limit=3, workers=1, seed=0)
    except UnsupportedInstance as error:
        assert "blocking" in str(error)  # only blocking-only methods may refuse a classic shop
        return
    value = checked(CLASSIC, result)
    assert value >= CLASSIC_OPTIMUM
    if result.bound is not None:
        assert result.bound <= CLASSIC_OPTIMUM
    if result.status == "optimal":
        assert value == CLASSIC_OPTIMUM


BLOCKING = CLASSIC.replace(buffers="blocking", name="matrix3x3-blocking")
BLOCKING_OPTIMUM = 12  # brute force over all machine orders (tests/jobshop/blocking_fixtures.py)


def test_blocking_brute_force_optimum() -> None:
    """Guards the fixture: without buffers the same shop needs 12 (11 with them)."""
    from tests.jobshop.blocking_fixtures import brute_force_makespan

    assert brute_force_makespan(JOBS, 3) == BLOCKING_OPTIMUM


@pytest.mark.parametrize("method", [m.name for m in schedkit.methods("jobshop")])
def test_every_method_on_the_blocking_fixture(method: str) -> None:
    """Serves the blocking shop with a checked plan (leave times included), or refuses it
    with UnsupportedInstance naming the methods that can."""
    try:
        result = schedkit.solve(BLOCKING, method=method, time_limit=3, workers=1, seed=0)
    except UnsupportedInstance as error:
        assert "cpsat" in str(error) and "ig" in str(error)
        return
    except ProblemTooLarge as error:  # a cold numba cache cannot compile within 3 s: refused up front
        assert "compiled" in str(error)
        return
    assert result.solution.leave is not None
    value = checked(BLOCKING, result)
    assert value >= BLOCKING_OPTIMUM
    if result.bound is not None:
        assert result.bound <= BLOCKING_OPTIMUM
    if result.status == "optimal":
        assert value == BLOCKING_OPTIMUM
