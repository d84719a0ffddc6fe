"""RCPSP objectives stay below 2^53: the makespan and CP-SAT's horizon (the warm start's
makespan) are at most Σ durations plus the lags along one path, 10^5 · (10^7 + 10^9) ≈ 10^14
at the model's limits, and capacities and demands (≤ 10^9) enter only integer constraints.
Durations near 10^7 and amounts near 10^9 still prove the brute-force optimum, scaled."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

import schedkit
from schedkit.rcpsp.bounds import resource_bound, work
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.rcpsp.solvers import lns
from tests.rcpsp.test_rcpsp_claims import brute_force, projects
from tests.verdicts import assert_claims

TIME = 3 * 10**6  # durations 0..3 become 0..9·10^6 (the model's limit: 10^7)
AMOUNT = 2 * 10**8  # capacities 0..3 and demands 0..5 become up to 10^9 (the limit)


@settings(max_examples=8, deadline=None)
@given(instance=projects())
def test_largest_durations_and_amounts_keep_every_claim(instance):
    """Scaling time scales the optimum; scaling capacities and demands alike changes nothing
    (the mip included: HiGHS sees demands of 10^9 as coefficients)."""
    scaled = instance.replace(durations=instance.durations * TIME, capacities=instance.capacities * AMOUNT,
                              demands=instance.demands * AMOUNT)
    best = TIME * brute_force(instance)
    for method in ("cpsat", "cpsat-lns", "mip"):
        try:
            result = schedkit.solve(scaled, method, workers=1, time_limit=60.0)
        except schedkit.ProblemTooLarge:  # the mip's pulse variables over a long horizon
            assert method == "mip"
            continue
        assert_claims(scaled, result, best)


def test_demands_one_over_a_capacity_of_1e9_never_overlap():
    """5·10^8 + (5·10^8 + 1) exceeds 10^9 by 1 part in 10^9, which a scaled row could pass
    within HiGHS's feasibility tolerance (10^-7): the mip still runs them one after the other."""
    instance = RCPSPInstance([3, 3], [[], []], [10**9], [[5 * 10**8], [5 * 10**8 + 1]])
    for solver in ("highs", "cbc"):
        assert_claims(instance, schedkit.solve(instance, "mip", workers=1, solver=solver, time_limit=60.0), 6)


def test_work_beyond_int64_is_summed_exactly():
    """Regression: Σ d·q per resource reaches 10^21 at the model's limits; `d @ q` in int64
    wrapped round: 1,000 activities of 10^7 each using a whole capacity of 10^9 gave the
    resource bound 6·10^9 (of the other resource) instead of 10^10, and a negative load that
    made cpsat-lns's resource neighbourhood raise ValueError ("probabilities are not
    non-negative") from inside the solve. Now exact; the bound is the optimum."""
    n = 1000
    instance = RCPSPInstance([10**7] * n, [[] for _ in range(n)], [10**9, 10**9],
                             [[10**9, 6 * 10**8]] * n)
    assert work(instance) == [10**19, 6 * 10**18]
    assert resource_bound(instance) == 10**10
    start = np.arange(n, dtype=np.int64) * 10**7
    free = lns._resource(start, 10, np.random.default_rng(0), instance)
    assert free.size == 10
    result = schedkit.solve(instance, "cpsat-lns", workers=1, time_limit=60.0)
    assert_claims(instance, result, 10**10)
    assert result.status == "optimal"
