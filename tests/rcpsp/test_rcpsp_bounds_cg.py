"""The feasible-subset LP bound (bounds_cg.py) and its windows and pricing: valid on random
projects against CP-SAT's optimum, exact pricing against enumeration, strength on j30."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit import ProblemTooLarge
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.bounds_cg import destructive_bound, refute
from schedkit.rcpsp.bounds_pricing import heaviest_set
from schedkit.rcpsp.bounds_windows import network, windows
from schedkit.rcpsp.model import RCPSPInstance
from tests.rcpsp.conftest import psplib
from tests.rcpsp.strategies import projects


def _optimal(instance):
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=1)
    assert result.status == "optimal"
    return int(result.objective), np.asarray(result.solution.start)


@settings(max_examples=40, deadline=None)
@given(projects(max_activities=9, max_resources=2), st.integers(0, 2))
def test_bound_never_exceeds_the_optimum(instance, shaving):
    """The optimum is never refuted, the bound is at most the optimum, and an optimal schedule
    starts every activity inside the propagated windows of its own makespan."""
    optimum, starts = _optimal(instance)
    net = network(instance)
    assert refute(instance, net, optimum, shaving=shaving) is False
    assert destructive_bound(instance, 0, optimum + 5, shaving=shaving) <= optimum
    found = windows(net, optimum, shaving=shaving)
    assert found is not None
    busy = instance.durations > 0
    assert np.all(found[0][busy] <= starts[busy]) and np.all(starts[busy] <= found[1][busy])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 9), st.integers(0, 2), st.integers(0, 2**32 - 1))
def test_pricing_finds_the_heaviest_set(m, kinds, seed):
    """The branch and bound's set is allowed and as heavy as the heaviest by enumeration."""
    rng = np.random.default_rng(seed)
    weights, demands = rng.random(m), rng.integers(0, 5, (m, kinds))
    capacities = rng.integers(0, 8, kinds)
    related = rng.random((m, m)) < 0.3
    related |= related.T
    np.fill_diagonal(related, False)
    best = 0.0
    for size in range(m + 1):
        for chosen in itertools.combinations(range(m), size):
            members = list(chosen)
            if not related[np.ix_(members, members)].any() and np.all(demands[members].sum(0) <= capacities):
                best = max(best, float(weights[members].sum()))
    weight, members, upper = heaviest_set(weights, demands, capacities, related)
    assert abs(weight - best) < 1e-9 and upper == weight
    assert not related[np.ix_(members, members)].any()
    assert np.all(demands[members].sum(0) <= capacities)
    assert abs(float(weights[members].sum()) - weight) < 1e-9


def test_reaches_the_j30_optimum_with_shaving():
    """j3021_1 (optimum 84, LB0 60): the LP alone proves 77, with shaving the optimum."""
    instance = psplib("j3021_1")
    assert lower_bound(instance) == 60
    assert destructive_bound(instance, 60, 84) == 77
    assert destructive_bound(instance, 60, 84, shaving=5) == 84


def test_out_of_time_is_no_claim():
    """A deadline already past gives None (or a refutation by the first propagation)."""
    instance = psplib("j3021_1")
    assert refute(instance, network(instance), 83, until=0.0, shaving=5) is None
    assert destructive_bound(instance, 60, 84, until=0.0) == 60


def test_time_lags_and_huge_sums_are_refused():
    """RCPSP/max projects (their distances are not durations) and work sums that could pass
    int64 raise ProblemTooLarge instead of a wrong bound."""
    lagged = RCPSPInstance([1, 1], [[1], []], [1], [[1], [1]], lags=[[-1], []])
    with pytest.raises(ProblemTooLarge):
        network(lagged)
    huge = RCPSPInstance([10**7] * 500, [[] for _ in range(500)], [10**9], [[1]] * 500)
    with pytest.raises(ProblemTooLarge):
        network(huge)
