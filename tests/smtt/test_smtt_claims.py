"""Exact SMTT methods never claim what is false: on tiny adversarial instances (ties, zero
weights, due dates 0, negative or far beyond Σp, extreme magnitudes) every `optimal` is the
brute-force optimum, every bound is at most it, and every sequence passes the checker."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.errors import UnsupportedInstance
from tests import verdicts
from tests.conftest import brute_force_optimum

FAR = 10**15  # the model's largest |due date|
EXACT = [("dp", {}), ("bnb", {}), ("bdp", {}), ("bdp", {"bound": "simple"}), ("cpsat", {}),
         ("mip", {}), ("mip", {"solver": "cbc"}), ("auto", {})]
HEURISTICS = ["edd", "spt", "wspt", "psk", "eddc", "mdd", "mddc", "mdd-aug", "mddc-aug", "atc",
              "api", "insertion", "dynasearch"]


def subset_optimum(p: list[int], d: list[int], w: list[int]) -> int:
    """The optimum by dynamic programming over subsets (jobs of a subset first, the last one
    chosen best): the brute force for instances too large to permute quickly."""
    n = len(p)
    best = [0] * (1 << n)
    for mask in range(1, 1 << n):
        done = sum(p[j] for j in range(n) if mask >> j & 1)
        best[mask] = min(best[mask ^ (1 << j)] + w[j] * max(0, done - d[j])
                         for j in range(n) if mask >> j & 1)
    return best[-1]


@st.composite
def adversarial(draw: st.DrawFn, max_jobs: int = 6, big: bool = False) -> schedkit.SMTTInstance:
    """Up to `max_jobs` jobs; p with ties (or up to 10^9 with `big`), due dates among 0, a job's
    own p, Σp, far (±), and random; weights none, all equal, with zeros, or up to 10^6."""
    n = draw(st.integers(1, max_jobs))
    top = 10**9 if big else draw(st.sampled_from([1, 3, 8]))
    p = draw(st.lists(st.integers(1, top), min_size=n, max_size=n))
    total = sum(p)
    due = st.one_of(st.sampled_from([0, total, FAR, -(4 * 10**12) if big else -3]),
                    st.integers(-2, total + 2), st.sampled_from(p))
    d = draw(st.lists(due, min_size=n, max_size=n))
    kind = draw(st.sampled_from(["none", "equal", "zeros", "random"]))
    high = 10**6 if big else 4
    if kind == "none":
        w = None
    elif kind == "equal":
        w = [draw(st.integers(0, high))] * n
    elif kind == "zeros":
        w = draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n))
    else:
        w = draw(st.lists(st.integers(0, high), min_size=n, max_size=n))
    try:
        return schedkit.SMTTInstance(p=p, d=d, w=w, name="adversarial")
    except schedkit.InvalidInstance:  # the objective could overflow: the model refuses it
        return schedkit.SMTTInstance(p=p, d=[min(max(v, 0), total) for v in d], w=w)


def assert_claims(instance: schedkit.SMTTInstance, result: schedkit.Result, optimum: int) -> None:
    """Every SMTT method returns a sequence; then the claims of `verdicts.assert_claims`."""
    assert result.solution is not None
    verdicts.assert_claims(instance, result, optimum)


def solve_or_skip(instance: schedkit.SMTTInstance, method: str, workers: int = 1,
                  **options: object) -> schedkit.Result | None:
    """The method's result, None when it refuses the instance (bnb: unequal weights)."""
    try:
        return schedkit.solve(instance, method, workers=workers, **options)  # type: ignore[arg-type]
    except UnsupportedInstance:
        return None


@pytest.mark.parametrize(("method", "options"), EXACT, ids=lambda v: str(v))
@settings(max_examples=12, deadline=None)
@given(instance=adversarial())
def test_exact_methods_prove_the_brute_force_optimum(method, options, instance):
    """Without a time limit every exact method proves the brute-force optimum (so at any speed)."""
    optimum = brute_force_optimum(instance)
    result = solve_or_skip(instance, method, **options)
    if result is not None:
        assert_claims(instance, result, optimum)
        assert result.status == "optimal"


@settings(max_examples=10, deadline=None)
@given(instance=adversarial(big=True))
def test_extreme_magnitudes_keep_every_claim(instance):
    """p up to 10^9, weights up to 10^6, due dates -4·10^12 and 10^15: every exact method
    answers (or refuses the size) with true claims; none crashes (cpsat also with two
    workers: its positional model beside the pair model)."""
    optimum = brute_force_optimum(instance)
    for method, options in [*EXACT, ("cpsat", {"workers": 2})]:
        try:
            result = solve_or_skip(instance, method, **options)
        except schedkit.ProblemTooLarge:
            continue
        if result is not None:
            assert_claims(instance, result, optimum)


def test_mip_takes_due_dates_of_1e15():
    """Regression: due dates of ±10^15 reached HiGHS as matrix coefficients, which it refuses
    (values from 1e15 on), and PuLP crashed reading the missing solution (IndexError). The
    model now sees them clipped to [p_j, Σp]; job 1 alone is late, by its completion."""
    instance = schedkit.SMTTInstance(p=[942058877, 369050505], d=[0, FAR], w=[10**6, 10**6])
    for solver in ("highs", "cbc"):
        result = schedkit.solve(instance, "mip", solver=solver, workers=1)
        assert_claims(instance, result, 942058877 * 10**6)
        assert result.status == "optimal"


@settings(max_examples=20, deadline=None)
@given(instance=adversarial(max_jobs=10), choice=st.sampled_from(EXACT),
       limit=st.sampled_from([0.01, 0.05, 0.2]), workers=st.sampled_from([1, 2]))
def test_time_limited_claims_hold(instance, choice, limit, workers):
    """Under short time limits, whatever a run reaches at this machine's speed, what it claims
    is true: a checked sequence, a bound at most the optimum, `optimal` only at it."""
    method, options = choice
    result = solve_or_skip(instance, method, workers=workers, time_limit=limit, **options)
    if result is not None:
        assert_claims(instance, result, subset_optimum(
            instance.p.tolist(), instance.d.tolist(), instance.w.tolist()))


@pytest.mark.parametrize("workers", [1, 2])
def test_cpsat_near_the_64_bit_range(workers):
    """Regression: with equal weights of 10^6 and a due date of -4·10^12 (objective about 4·10^18,
    inside the model's limit) the positional model's objective could reach three times that:
    CP-SAT called it MODEL_INVALID and cpsat raised "a bug in schedkit" (two workers); and a
    proof by the pair model came back `feasible`, its float bound rounded 4·10^12 below the
    objective (one worker). Now the positional model is left out when it could overflow and
    an OPTIMAL model's bound is its exact objective."""
    instance = schedkit.SMTTInstance(p=[1, 1, 1], d=[-4 * 10**12, FAR, FAR], w=[10**6] * 3)
    result = schedkit.solve(instance, "cpsat", workers=workers)
    assert_claims(instance, result, 10**6 * (4 * 10**12 + 1))
    assert result.status == "optimal"


@pytest.mark.parametrize("method", HEURISTICS)
@settings(max_examples=8, deadline=None)
@given(instance=adversarial())
def test_heuristics_plans_check_and_claim_only_zero(method, instance):
    """A heuristic's sequence checks, and it says `optimal` only at objective 0 (bound 0)."""
    optimum = brute_force_optimum(instance)
    result = schedkit.solve(instance, method, workers=1)
    assert_claims(instance, result, optimum)
    assert result.status != "optimal" or result.objective == 0
