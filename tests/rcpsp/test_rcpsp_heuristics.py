"""RCPSP schedule generation schemes, sampling and forward-backward improvement."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import schedkit
from schedkit.rcpsp.bounds import critical_path, lower_bound, resource_bound
from schedkit.rcpsp.heuristics.methods import RULES
from tests.rcpsp.conftest import agrees_with, optimum, psplib, tiny
from tests.rcpsp.strategies import projects

SAMPLE = ["j301_1", "j3013_1", "j3029_9", "j3045_5", "j3037_7"]
HEURISTICS = [("sgs-serial", {"rule": r}) for r in RULES] + \
    [("sgs-parallel", {"rule": r}) for r in RULES] + \
    [("sampling", {}), ("sampling", {"scheme": "serial"}), ("fbi", {})]


def test_lower_bounds_by_hand():
    """tiny: critical path 3 (activity 1), resource bound ceil((6 + 4 + 2) / 3) = 4."""
    x = tiny()
    assert (critical_path(x), resource_bound(x), lower_bound(x)) == (3, 4, 4)


def test_lower_bounds_of_j301_1():
    """j301_1: the critical path is PSPLIB's MPM time 38; both bounds are at most the optimum 43."""
    x = psplib("j301_1")
    assert critical_path(x) == x.meta["mpm_time"] == 38
    assert resource_bound(x) <= 43


@pytest.mark.parametrize(("method", "options"), HEURISTICS)
@pytest.mark.parametrize("name", SAMPLE)
def test_heuristics_feasible_and_not_below_optimum(name, method, options):
    """Every rule and scheme gives a checked schedule with makespan >= the PSPLIB optimum and a
    bound <= it (a heuristic that meets its bound is proven optimal)."""
    x = psplib(name)
    result = schedkit.solve(x, method, workers=1, **options)
    agrees_with(x, result, optimum(name))
    assert result.bound == lower_bound(x)


def test_tiny_heuristics_reach_five():
    """On tiny every method finds makespan 5 but cannot prove it (bound 4): status feasible."""
    for method, options in HEURISTICS:
        result = schedkit.solve(tiny(), method, **options)
        assert (result.objective, result.bound, result.status) == (5, 4, "feasible")


def test_sampling_and_fbi_are_reproducible_and_improve():
    """Same seed, same schedule within the schedule budget; sampling and fbi never lose to the
    deterministic serial LFT pass they start from."""
    x = psplib("j3013_1")
    for method in ("sampling", "fbi"):
        first = schedkit.solve(x, method, seed=3, schedules=300)
        again = schedkit.solve(x, method, seed=3, schedules=300)
        assert first.solution == again.solution
        assert first.stats["schedules"] <= 300
    single = schedkit.solve(x, "sgs-serial").objective
    assert schedkit.solve(x, "sampling", scheme="serial").objective <= single
    assert schedkit.solve(x, "fbi").objective <= single


def test_time_limit_stops_sampling():
    """With a time limit and no schedule count, sampling runs until the limit, then returns."""
    x = psplib("j3013_1")
    result = schedkit.solve(x, "fbi", time_limit=0.3)
    assert result.stats["schedules"] > 1
    assert schedkit.check(x, result).feasible


def test_bad_options():
    """An unknown rule or scheme, or a non-positive schedule count, is a clear error."""
    x = tiny()
    with pytest.raises(schedkit.SchedkitError, match="unknown priority rule 'fifo'"):
        schedkit.solve(x, "sgs-serial", rule="fifo")
    with pytest.raises(schedkit.SchedkitError, match="scheme must be serial or parallel"):
        schedkit.solve(x, "sampling", scheme="both")
    with pytest.raises(schedkit.SchedkitError, match="schedules must be a positive integer"):
        schedkit.solve(x, "fbi", schedules=0)


@settings(max_examples=60, deadline=None)
@given(projects(max_activities=10, max_resources=3))
def test_sgs_feasible_on_random_projects(project):
    """Serial and parallel SGS, every rule, and fbi give checker-approved schedules whose
    makespan is at least the lower bound."""
    bound = lower_bound(project)
    for method, options in HEURISTICS[::2] + [("fbi", {"schedules": 20})]:
        result = schedkit.solve(project, method, **options)
        report = schedkit.check(project, result)
        assert report.feasible, (method, options, report.violations)
        assert result.objective >= bound


def test_long_durations_cost_nothing():
    """A duration of 10^7 (issue 16): the SGS keep a step profile, so both schemes return the
    exact schedule (activity 1 alone is the critical path) and the checker agrees."""
    x = tiny().replace(durations=[0, 10**7, 2, 2, 0])
    for method in ("sgs-serial", "sgs-parallel", "fbi"):
        result = schedkit.solve(x, method, time_limit=2, workers=1)
        assert schedkit.check(x, result).feasible
        assert result.objective == 10**7 + 2  # 1 beside 3, then 2 (1 and 2 cannot overlap)
        assert "compile_seconds" in result.stats


def test_ga_reproducible_and_checked():
    """ga with a generation budget is reproducible for a seed; its schedule passes the checker
    and is never below the optimum."""
    x = psplib("j3013_1")
    first = schedkit.solve(x, "ga", seed=2, generations=3)
    again = schedkit.solve(x, "ga", seed=2, generations=3)
    assert first.solution == again.solution and first.stats["generations"] <= 3 * first.stats["workers"]
    agrees_with(x, first, optimum("j3013_1"))
