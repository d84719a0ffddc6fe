"""Exact SMTT claims at objectives beyond 2^53, where doubles no longer tell integers apart.

One heavy job (p 1, weight 10^6, due −4·10^12) puts 4·10^18 under a few small jobs' tardiness.
cpsat handed a poor start (the worst order here; in use, a warm start cut short) stopped at its
first solutions: CP-SAT's gap test, in doubles, called them optimal (6 of 30 random instances,
up to 72 above the optimum). cpsat now rechecks such an OPTIMAL (common.cpsat.settle). dp and
bnb count in exact integers, bdp refuses objectives beyond 2^52, and the mip's bound keeps a
10^-6 relative slack: none claims falsely."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.smtt.solvers import cpsat as smtt_cpsat
from tests.conftest import brute_force_optimum
from tests.verdicts import assert_claims

LIMIT = 60.0  # far more than seven jobs need to be proven
HEAVY = (1, -4 * 10**12, 10**6)  # p, d, w of the job that lifts the objective to 4·10^18


def worst_order(instance: schedkit.SMTTInstance, seconds: float = 0.0) -> np.ndarray:
    """The warm start replaced: the order of largest Σ wT, by enumeration."""
    def value(order: tuple[int, ...]) -> int:
        done = total = 0
        for j in order:
            done += int(instance.p[j])
            total += int(instance.w[j]) * max(0, done - int(instance.d[j]))
        return total

    return np.array(max(itertools.permutations(range(instance.n)), key=value), dtype=np.int64)


def heavy(p: list[int], d: list[int], w: list[int]) -> schedkit.SMTTInstance:
    """The heavy job first in the list, then the small ones."""
    return schedkit.SMTTInstance(p=[HEAVY[0], *p], d=[HEAVY[1], *d], w=[HEAVY[2], *w])


@pytest.mark.parametrize(("p", "d", "w", "best"), [
    ([7, 6, 9, 5, 4, 1], [2, 24, 16, 20, 11, 5], [2, 3, 3, 3, 3, 2], 4_000_000_000_001_000_068),
    ([3, 9, 1, 7, 4, 6], [3, 6, 18, 21, 13, 18], [2, 4, 1, 4, 3, 4], 4_000_000_000_001_000_106),
])
def test_cpsat_from_a_poor_start_claims_no_false_optimum(monkeypatch, p, d, w, best):
    """Regression: claimed `optimal` at ...071 and ...178 from the worst order."""
    monkeypatch.setattr(smtt_cpsat, "warm_start", worst_order)
    instance = heavy(p, d, w)
    assert brute_force_optimum(instance) == best
    assert_claims(instance, schedkit.solve(instance, "cpsat", workers=1, time_limit=LIMIT), best)


small_jobs = st.integers(2, 6).flatmap(lambda n: st.tuples(
    st.lists(st.integers(1, 9), min_size=n, max_size=n), st.lists(st.integers(0, 25), min_size=n, max_size=n),
    st.lists(st.integers(1, 4), min_size=n, max_size=n)))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(jobs=small_jobs)
def test_cpsat_from_a_poor_start_claims_hold(monkeypatch, jobs):
    """Any few small jobs under the heavy one, from the worst order: every claim true."""
    monkeypatch.setattr(smtt_cpsat, "warm_start", worst_order)
    instance = heavy(*jobs)
    assert_claims(instance, schedkit.solve(instance, "cpsat", workers=1, time_limit=LIMIT),
                  brute_force_optimum(instance))


@settings(max_examples=6, deadline=None)
@given(jobs=small_jobs)
def test_every_exact_method_claims_hold_near_4e18(jobs):
    """dp, bdp (refuses), mip (HiGHS, CBC), cpsat with two workers: every claim true."""
    instance = heavy(*jobs)
    best = brute_force_optimum(instance)
    for method, options in [("dp", {}), ("bdp", {}), ("mip", {}), ("mip", {"solver": "cbc"}),
                            ("cpsat", {"workers": 2})]:
        try:
            result = schedkit.solve(instance, method, time_limit=LIMIT, **{"workers": 1, **options})
        except schedkit.ProblemTooLarge:
            assert method == "bdp"
            continue
        assert_claims(instance, result, best)


def test_normal_sizes_prove_without_a_recheck(monkeypatch):
    """The same small jobs without the heavy one, from the worst order: proven, CP-SAT's
    OPTIMAL trusted as is."""
    monkeypatch.setattr(smtt_cpsat, "warm_start", worst_order)
    instance = schedkit.SMTTInstance(p=[7, 6, 9, 5, 4, 1], d=[2, 24, 16, 20, 11, 5], w=[2, 3, 3, 3, 3, 2])
    result = schedkit.solve(instance, "cpsat", workers=1, time_limit=LIMIT)
    assert_claims(instance, result, brute_force_optimum(instance))
    assert "optimal_rechecks" not in result.stats
