"""The cheap lower bounds exact methods answer with when their search ran out of time (`dp` had
none): valid against the optimum, exact in their arithmetic at any magnitude."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.registry import SolveOptions
from schedkit.result import Result
from schedkit.smtt import bounds
from schedkit.smtt.model import SMTTSolution
from schedkit.smtt.solvers.dp import solve_dp
from schedkit.smtt.sorting import sorting_result
from tests.conftest import brute_force_optimum
from tests.smtt.strategies import smtt_instances


@settings(max_examples=300, deadline=None)
@given(instance=smtt_instances(max_jobs=7))
def test_every_bound_is_below_the_optimum(instance: schedkit.SMTTInstance) -> None:
    """WSPT, pairing, assignment and their best never exceed the brute-force optimum."""
    optimum = brute_force_optimum(instance)
    for bound in (bounds.wspt_bound, bounds.pairing_bound, bounds.assignment_bound, bounds.lower_bound):
        assert 0 <= bound(instance) <= optimum


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 6), data=st.data())
def test_the_hungarian_method_finds_the_least_assignment(n: int, data: st.DataObject) -> None:
    """Against enumeration, on matrices with negative entries and ties."""
    costs = [data.draw(st.lists(st.integers(-50, 50), min_size=n, max_size=n)) for _ in range(n)]
    least = min(sum(costs[k][order[k]] for k in range(n)) for order in itertools.permutations(range(n)))
    assert bounds.least_assignment(costs) == least


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 6), data=st.data())
def test_huge_numbers_are_summed_exactly(n: int, data: st.DataObject) -> None:
    """Weights 10^6, times 10^9 and due dates ±10^15 (sums past 2^63): still below the optimum,
    and the WSPT bound is Σ w·(C − min(d, Σp)) in exact integers."""
    p = data.draw(st.lists(st.integers(1, 10**9), min_size=n, max_size=n))
    total = sum(p)
    d = data.draw(st.lists(st.integers(-10**6, 10**15), min_size=n, max_size=n))
    w = data.draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n))
    instance = schedkit.SMTTInstance(p=p, d=d, w=w)
    assert bounds.lower_bound(instance) <= brute_force_optimum(instance)
    order = sorted(range(n), key=lambda j: (p[j] / w[j] if w[j] else float("inf"), j))
    completion = list(itertools.accumulate(p[j] for j in order))
    exact = sum(w[j] * (c - min(d[j], total)) for j, c in zip(order, completion, strict=True))
    assert bounds.wspt_bound(instance) == max(0, exact)


@settings(max_examples=60, deadline=None)
@given(instance=smtt_instances(max_jobs=8))
def test_dp_out_of_time_answers_with_a_valid_bound(instance: schedkit.SMTTInstance) -> None:
    """`dp` whose budget is spent before its first block: the best sorting rule, checked, with
    the cheap bound, at most the optimum (it gave no bound before); the compile fallback too."""
    optimum = brute_force_optimum(instance)
    result = solve_dp.__wrapped__(instance, SolveOptions(time_limit=0.0))  # type: ignore[attr-defined]
    assert result.stats["states_done"] == 1
    assert schedkit.check(instance, result).feasible
    assert result.bound is not None and result.bound <= min(optimum, result.objective)
    assert result.status == ("optimal" if result.bound == result.objective else "feasible")
    fallback = sorting_result(instance, True, {})
    assert fallback.objective == result.objective and fallback.bound == result.bound


def test_dp_out_of_time_is_no_worse_than_before() -> None:
    """On 25 jobs the bound is the assignment bound, well above 0, and the sequence the best of
    EDD, SPT and WSPT (EDD alone before)."""
    rng = np.random.default_rng(7)
    instance = schedkit.SMTTInstance(p=rng.integers(1, 100, 25), d=rng.integers(0, 900, 25),
                                     w=rng.integers(1, 10, 25))
    result = solve_dp.__wrapped__(instance, SolveOptions(time_limit=0.0))  # type: ignore[attr-defined]
    edd = np.argsort(instance.d, kind="stable")
    edd_value = int(np.sum(instance.w[edd] * np.maximum(0, np.cumsum(instance.p[edd]) - instance.d[edd])))
    assert result.objective <= edd_value
    assert result.bound == bounds.assignment_bound(instance) > 0


@settings(max_examples=60, deadline=None)
@given(instance=smtt_instances(max_jobs=7))
def test_strengthen_gives_a_feasible_answer_the_cheap_bound(instance: schedkit.SMTTInstance) -> None:
    """No bound, or 0: the cheap bound instead (optimal when it meets the objective); a bound as
    strong is left alone."""
    edd = np.argsort(instance.d, kind="stable")
    objective = int(np.sum(instance.w[edd] * np.maximum(0, np.cumsum(instance.p[edd]) - instance.d[edd])))
    assume(objective > 0)  # a 0 answer needs no bound from here
    cheap = bounds.cheap_bound(instance)
    for bound in (None, 0):
        result = bounds.strengthen(instance, Result("feasible", objective, bound, SMTTSolution(edd)))
        assert result.bound == max(cheap, bound or 0) <= brute_force_optimum(instance)
        assert result.status == ("optimal" if result.bound == objective else "feasible")
    if objective > cheap:
        as_strong = Result("feasible", objective, cheap, SMTTSolution(edd))
        assert bounds.strengthen(instance, as_strong) is as_strong


def _weighted(n: int, seed: int) -> schedkit.SMTTInstance:
    rng = np.random.default_rng(seed)
    p = rng.integers(1, 100, n)
    return schedkit.SMTTInstance(p=p, d=rng.integers(0, int(0.7 * p.sum()), n), w=rng.integers(1, 10, n))


@pytest.mark.parametrize(("method", "n"), [("dp", 25), ("bdp", 300), ("cpsat", 100), ("mip", 100),
                                           ("auto", 300)])
def test_exact_methods_at_short_limits_bound_at_least_the_cheap_bound(method: str, n: int) -> None:
    """Whatever a short limit lets them prove, the bound is there and at least the cheap one
    (cpsat and mip answered 0 or no bound at 0.5-2 s on 100 jobs, dp no bound)."""
    x = _weighted(n, 5)
    result = schedkit.solve(x, method, time_limit=0.3)
    assert schedkit.check(x, result).feasible
    assert result.bound is not None and bounds.cheap_bound(x) <= result.bound <= result.objective


def test_auto_beyond_bdp_bounds_its_heuristic_answer() -> None:
    """Weighted 3000 jobs are beyond bdp's tables: auto runs dynasearch, whose answer had no
    bound; now the cheap one."""
    x = _weighted(3000, 6)
    result = schedkit.solve(x, "auto", time_limit=1.0)
    assert result.stats["chosen"] == "dynasearch"
    assert result.bound == bounds.cheap_bound(x) > 0
