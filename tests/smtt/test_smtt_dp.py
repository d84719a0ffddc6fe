"""Subset DP for SMTT: reproduces the published optima, refuses what it cannot hold, stops on time."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings

import schedkit
from schedkit import ProblemTooLarge, SMTTInstance
from schedkit.smtt.bounds import lower_bound
from tests.conftest import CLASS_IDS_N20, brute_force_optimum
from tests.smtt.strategies import smtt_instances

# Two instances of each of the 20 (TF, RDD) classes: the first and the 21st of the class.
TWO_PER_CLASS = CLASS_IDS_N20 + [ident + 20 for ident in CLASS_IDS_N20]


def _checked(instance: SMTTInstance, result: schedkit.Result) -> int:
    """Run the independent checker and return the objective it recomputes."""
    report = schedkit.check(instance, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective
    return report.objective


def test_registered_as_exact():
    """`dp` is listed as an exact smtt method."""
    rows = {row.name: row for row in schedkit.methods("smtt")}
    assert rows["dp"].kind == "exact"


def test_hand_example():
    """p = (3, 1), d = (1, 1): the short job first gives 0 + 3 = 3, the other order 2 + 3 = 5."""
    instance = SMTTInstance(p=[3, 1], d=[1, 1])
    result = schedkit.solve(instance, "dp")
    assert result.status == "optimal" and result.objective == result.bound == 3
    assert result.solution.sequence == (1, 0)
    assert _checked(instance, result) == 3


def test_single_job():
    """One job: its tardiness max(0, p − d) times its weight (2·(5 − 2) = 6)."""
    instance = SMTTInstance(p=[5], d=[2], w=[2])
    result = schedkit.solve(instance, "dp")
    assert result.status == "optimal" and result.objective == 6
    assert _checked(instance, result) == 6


@pytest.mark.parametrize("ident", TWO_PER_CLASS)
def test_reproduces_published_optimum(ident, smtt_n20):
    """Every (TF, RDD) class of smtt_n20: the DP optimum equals the file's proven `opt`."""
    instance = smtt_n20[ident]
    result = schedkit.solve(instance, "dp")
    assert result.status == "optimal"
    assert result.objective == result.bound == instance.meta["opt"]
    assert _checked(instance, result) == instance.meta["opt"]
    assert result.stats["states"] == 2**20


@settings(max_examples=60, deadline=None)
@given(smtt_instances(max_jobs=8, weighted=True))
def test_weighted_matches_brute_force(instance):
    """Weighted instances with ties, zero weights and odd due dates: DP == enumeration."""
    result = schedkit.solve(instance, "dp")
    assert result.status == "optimal"
    assert _checked(instance, result) == brute_force_optimum(instance)


def test_weighted_n12_matches_brute_force_of_a_neighbourhood():
    """A weighted n=12 instance: no pairwise swap of the DP sequence improves it (seeded)."""
    rng = np.random.default_rng(7)
    instance = SMTTInstance(
        p=rng.integers(1, 30, 12), d=rng.integers(-5, 150, 12), w=rng.integers(0, 9, 12)
    )
    result = schedkit.solve(instance, "dp")
    best = _checked(instance, result)
    sequence = list(result.solution.sequence)
    for a in range(12):
        for b in range(a + 1, 12):
            swapped = sequence.copy()
            swapped[a], swapped[b] = swapped[b], swapped[a]
            assert schedkit.check(instance, schedkit.SMTTSolution(swapped)).objective >= best


def test_large_objective_uses_wide_table():
    """Objectives beyond 2^31 (int32) still come out exact: weights 10^6, p near 10^5."""
    instance = SMTTInstance(p=[100_000] * 6, d=[0] * 6, w=[1_000_000] * 6)
    result = schedkit.solve(instance, "dp")
    expected = 1_000_000 * 100_000 * (1 + 2 + 3 + 4 + 5 + 6)
    assert result.objective == expected > 2**31
    assert result.stats["memory_bytes"] == 8 * 2**6
    assert _checked(instance, result) == expected


def test_refuses_26_jobs_without_allocating():
    """n = 26 raises ProblemTooLarge at once, naming the memory it would need."""
    instance = SMTTInstance(p=[1] * 26, d=[0] * 26)
    with pytest.raises(ProblemTooLarge, match=r"at most 25 jobs.*MiB"):
        schedkit.solve(instance, "dp")  # 2^26 states would need GiB: refused before allocating


@pytest.mark.parametrize(("n", "mib"), [(26, "256 MiB"), (60, f"{2**42:,} MiB"), (5000, "2^4982 MiB")])
def test_refusal_names_the_memory_at_any_size(n: int, mib: str) -> None:
    """The refusal's MiB figure is integer arithmetic: 2^5000 once overflowed a float (exit 3)."""
    instance = SMTTInstance(p=[1] * n, d=[0] * n)
    with pytest.raises(ProblemTooLarge, match=re.escape(f"least {mib}")):
        schedkit.solve(instance, "dp")


def test_time_limit_on_25_jobs():
    """A 0.05 s budget on n = 25 (about a second of work) stops early, feasible, no proof, with
    the cheap lower bound (it answered with no bound before)."""
    rng = np.random.default_rng(3)
    instance = SMTTInstance(p=rng.integers(1, 100, 25), d=rng.integers(0, 1200, 25))
    schedkit.solve(SMTTInstance(p=[1, 2], d=[0, 0]), "dp")  # compile outside the clock
    result = schedkit.solve(instance, "dp", time_limit=0.05)
    assert result.status == "feasible" and result.bound == lower_bound(instance) > 0
    assert result.stats["states_done"] < result.stats["states"] == 2**25
    _checked(instance, result)


@pytest.mark.parametrize("limit", [0.01, 0.1, 10.0])
def test_refuses_26_jobs_whatever_the_time_limit(limit):
    """The size refusal comes before the kernels' compile budget: never an EDD fallback for a
    size dp never serves."""
    instance = SMTTInstance(p=[1] * 26, d=[0] * 26)
    with pytest.raises(ProblemTooLarge, match=r"at most 25 jobs"):
        schedkit.solve(instance, "dp", time_limit=limit)


@pytest.mark.parametrize(("weights", "named"), [(1, "'bnb'"), (2, "'bdp'")])
def test_dp_beyond_its_size_names_the_exact_method_for_the_instance(weights: int, named: str) -> None:
    """A weighted instance is pointed to bdp (it named cpsat and mip only), an unweighted one to bnb."""
    x = SMTTInstance(p=[1] * 26, d=[0] * 26, w=[1] * 25 + [weights], name="big")
    with pytest.raises(ProblemTooLarge, match=named):
        schedkit.solve(x, "dp")

