"""The compiled activity-list genetic algorithm `ga` (heuristics/ga.py, ga_kernels.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.common.rng import seed_state
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.heuristics import ga_kernels
from schedkit.rcpsp.heuristics.ga import evolve
from schedkit.rcpsp.heuristics.grid import new_grid
from schedkit.rcpsp.heuristics.methods import arrays, priorities
from tests.rcpsp.conftest import agrees_with, optimum, psplib, tiny
from tests.rcpsp.strategies import projects


def _precedence_feasible(instance, order):
    position = np.empty(instance.n, dtype=np.int64)
    position[order] = np.arange(instance.n)
    return all(position[i] < position[j] for i, row in enumerate(instance.successors)
               for j in row.tolist())


@pytest.mark.parametrize("name", ["j301_1", "j3013_1", "j3029_9", "j6013_2"])
def test_ga_schedules_pass_the_checker(name):
    """A few generations give a checked schedule, never below the optimum (j6013_2 is open:
    its PSPLIB lower bound 103 stands in)."""
    x = psplib(name)
    result = schedkit.solve(x, "ga", seed=1, generations=5, workers=1)
    best = optimum(name) if name.startswith("j30") else 103
    agrees_with(x, result, best)
    assert result.stats["generations"] <= 5 and result.stats["schedules"] > 0


def test_ga_reproducible_with_generations_and_schedules():
    """The same seed and budget give the same schedule; a schedule budget is never exceeded."""
    x = psplib("j3037_7")
    for budget in ({"generations": 4}, {"schedules": 700}):
        first = schedkit.solve(x, "ga", seed=5, **budget)
        again = schedkit.solve(x, "ga", seed=5, **budget)
        assert first.solution == again.solution
        for key in ("generations", "schedules"):
            assert first.stats[key] == again.stats[key]
    assert schedkit.solve(x, "ga", seed=5, schedules=700, workers=1).stats["schedules"] <= 700
    assert schedkit.solve(x, "ga", seed=5, schedules=700, workers=2).stats["schedules"] <= 1400


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 2**20))
def test_ga_runs_one_population_per_worker(seed):
    """With two workers walk 0 is what one worker makes (seed s), walk 1 runs seed s + 1, and the
    better schedule comes back (ties to walk 0); under a generation count, at any speed."""
    x = psplib("j3037_7")
    one = [schedkit.solve(x, "ga", seed=seed + i, generations=3, workers=1) for i in (0, 1)]
    both = schedkit.solve(x, "ga", seed=seed, generations=3, workers=2)
    assert both.stats["walk_spans"] == [r.objective for r in one]
    best = 0 if one[0].objective <= one[1].objective else 1
    assert both.stats["best_walk"] == best and both.stats["workers"] == 2
    assert both.solution == one[best].solution
    agrees_with(x, both, optimum("j3037_7"))
    assert both.stats["generations"] == one[0].stats["generations"] + one[1].stats["generations"]


def test_ga_finds_the_j30_optimum_with_a_budget():
    """j301_1 (PSPLIB optimum 43, critical path 38): 5,000 schedules reach the optimum."""
    x = psplib("j301_1")
    result = schedkit.solve(x, "ga", seed=0, schedules=5000)
    agrees_with(x, result, optimum("j301_1"))
    assert result.objective == optimum("j301_1")


def test_ga_under_a_time_limit_and_with_a_seed_schedule():
    """Under a time limit alone the GA runs and returns a checked schedule; a given start joins
    the first population, so the result is never worse than it."""
    x = psplib("j3029_9")
    result = schedkit.solve(x, "ga", time_limit=0.5, workers=1)
    assert schedkit.check(x, result).feasible
    seed_start = np.asarray(schedkit.solve(x, "sgs-parallel", rule="spt").solution.start)
    seed_span = int(np.max(seed_start + x.durations))
    found = evolve(x, float("inf"), 1, 0, lower_bound(x), start=seed_start)
    assert found.span <= seed_span


def test_lists_decode_to_their_schedules():
    """Lamarckian invariant: after improvement a child's list is precedence-feasible and
    decodes to exactly its (justified) schedule, which is never longer than the plain decode."""
    x = psplib("j3045_5")
    d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c = arrays(x)
    n = x.n
    times = np.zeros(2 * n + 2, dtype=np.int64)
    usage = np.zeros((2 * n + 2, c.size), dtype=np.int64)
    free = new_grid(d, c)
    assert free.shape[0] > 0  # PSPLIB horizons are short: the grid is used
    state = seed_state(4)
    for _ in range(5):
        order = np.empty(n, dtype=np.int64)
        state = np.uint64(ga_kernels.random_list(priorities(x, "lft"), 1.0, pred_ptr, succ_ptr,
                                                 succ_idx, order, state))
        plain = np.empty(n, dtype=np.int64)
        plain_span = ga_kernels.decode(order, d, pred_ptr, pred_idx, q, c, times, usage, free,
                                       plain)
        profiled = np.empty(n, dtype=np.int64)  # the step profile decodes the same schedule
        assert ga_kernels.decode(order, d, pred_ptr, pred_idx, q, c, times, usage, free[:0],
                                 profiled) == plain_span
        assert np.array_equal(profiled, plain)
        start = np.empty(n, dtype=np.int64)
        span, used = ga_kernels.evaluate(order, start, d, pred_ptr, pred_idx, succ_ptr, succ_idx,
                                         q, c, times, usage, free, np.empty(n, dtype=np.int64),
                                         np.empty(n, dtype=np.int64), 50)
        assert span <= plain_span and used >= 1
        assert _precedence_feasible(x, order)
        again = np.empty(n, dtype=np.int64)
        assert ga_kernels.decode(order, d, pred_ptr, pred_idx, q, c, times, usage, free,
                                 again) == span
        assert np.array_equal(again, start)


def test_ga_long_durations_use_the_step_profile():
    """A duration of 10^7 makes the time grid too long: the GA decodes on the step profile and
    still finds tiny's optimum shape (activity 1 alone is the critical path, then 2)."""
    x = tiny().replace(durations=[0, 10**7, 2, 2, 0])
    result = schedkit.solve(x, "ga", generations=2, workers=1)
    assert schedkit.check(x, result).feasible
    assert result.objective == 10**7 + 2


def test_ga_bad_options():
    """A non-positive or non-integer budget is a clear error."""
    with pytest.raises(schedkit.SchedkitError, match="schedules must be a positive integer"):
        schedkit.solve(tiny(), "ga", schedules=0)
    with pytest.raises(schedkit.SchedkitError, match="generations"):
        schedkit.solve(tiny(), "ga", generations=True)


@settings(max_examples=10, deadline=None)
@given(projects(max_activities=12, max_resources=3))
def test_ga_feasible_on_random_projects(project):
    """On random projects (zero durations, idle activities, no resources) the GA's schedule
    passes the checker and is never below the lower bound."""
    result = schedkit.solve(project, "ga", seed=3, generations=3)
    report = schedkit.check(project, result)
    assert report.feasible, report.violations
    assert result.objective >= lower_bound(project)
