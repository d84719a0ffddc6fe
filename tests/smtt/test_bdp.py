"""Bounded DP over precedence ideals (`bdp`): exact on small and wt40 instances, stops on time
and on memory with a valid bound, refuses more than 64 jobs."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit import ProblemTooLarge, SMTTInstance
from schedkit.registry import SolveOptions
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.solvers.bdp.method import improve
from tests.conftest import WT40_OPT, agrees_with, brute_force_optimum, wt40
from tests.smtt.strategies import smtt_instances

# Easy and hard ones: #3 and #58 (dynasearch misses the optimum, the DP finds it), #9, #10,
# #32 (the most states), #51 (optimum 0), #64 and #113 (the largest root gaps), #20 and #125.
WT40_SPREAD = [3, 9, 10, 20, 32, 51, 58, 64, 113, 125]
BOUNDS = ("lagrangian", "simple")


@st.composite
def tied_instances(draw: st.DrawFn) -> SMTTInstance:
    """n <= 8 with p in 1..3, due dates on a short grid, w in 0..2: ties everywhere."""
    n = draw(st.integers(1, 8))
    p = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    d = draw(st.lists(st.integers(-2, sum(p) + 2), min_size=n, max_size=n))
    w = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return SMTTInstance(p=p, d=d, w=w, name="tied")


@pytest.fixture(scope="module", autouse=True)
def _compiled():
    """Compile (or load) every kernel once, outside the timed tests; the memory stop on wt40
    #20 reaches the kernel that bounds an unfinished layer."""
    for bound in BOUNDS:
        schedkit.solve(SMTTInstance(p=[3, 2, 4], d=[1, 2, 3], w=[1, 2, 1]), "bdp", bound=bound)
    schedkit.solve(wt40(20), "bdp", bound="simple", memory_mb=1)


def test_registered_as_exact():
    """`bdp` is listed as an exact smtt method."""
    rows = {row.name: row for row in schedkit.methods("smtt")}
    assert rows["bdp"].kind == "exact"


@settings(max_examples=150, deadline=None)
@given(st.one_of(smtt_instances(max_jobs=8), tied_instances()), st.sampled_from(BOUNDS))
def test_matches_brute_force(instance, bound):
    """Ties, zero weights, negative, zero and far due dates: bdp proves the enumerated optimum."""
    result = schedkit.solve(instance, "bdp", bound=bound)
    agrees_with(instance, result, brute_force_optimum(instance))
    assert result.status == "optimal"
    assert result.stats["workers"] == 1


@settings(max_examples=150, deadline=None)
@given(st.one_of(smtt_instances(max_jobs=12), tied_instances()), st.sampled_from(BOUNDS),
       st.randoms(use_true_random=False))
def test_finds_the_optimum_from_a_poor_start(instance, bound, rng):
    """From a random sequence as upper bound the layers themselves must find the optimum
    (the `dp` method's value), not just confirm a good heuristic."""
    start = np.array(rng.sample(range(instance.n), instance.n), dtype=np.int64)
    result = improve(instance, start, SolveOptions(extra={"bound": bound}))
    agrees_with(instance, result, schedkit.solve(instance, "dp").objective)
    assert result.status == "optimal"


def _random_instance(rng: np.random.Generator, n: int, style: int) -> SMTTInstance:
    """Short jobs with ties (style 0), odd due dates and zero weights (1), wt-like (2)."""
    if style == 0:
        p = rng.integers(1, 4, n)
        return SMTTInstance(p=p, d=rng.integers(-2, p.sum() + 3, n), w=rng.integers(0, 3, n))
    if style == 1:
        p = rng.integers(1, 21, n)
        d = np.where(rng.random(n) < 0.2, rng.choice([0, p.sum()], n), rng.integers(-10, p.sum() + 10, n))
        return SMTTInstance(p=p, d=d, w=rng.integers(0, 6, n))
    p = rng.integers(1, 100, n)
    return SMTTInstance(p=p, d=rng.integers(0, int(0.8 * p.sum()) + 1, n), w=rng.integers(1, 11, n))


@pytest.mark.parametrize("bound", BOUNDS)
def test_seeded_random_starts(bound):
    """300 seeded instances (n <= 11, three styles) from random sequences: always the `dp`
    optimum. Catches rarer faults than the hypothesis runs (e.g. both orders of a tie cut)."""
    rng = np.random.default_rng(2024)
    for trial in range(300):
        instance = _random_instance(rng, int(rng.integers(2, 12)), trial % 3)
        result = improve(instance, rng.permutation(instance.n), SolveOptions(extra={"bound": bound}))
        agrees_with(instance, result, schedkit.solve(instance, "dp").objective)
        assert result.status == "optimal"


@pytest.mark.parametrize("bound", BOUNDS)
def test_start_one_above_the_optimum(bound):
    """From a sequence worth exactly optimum + 1 (found by enumeration), every cut works at
    its limit: a bound one too high, or an arc deleted at UB − 1, would lose the optimum."""
    rng = np.random.default_rng(99)
    tested = 0
    while tested < 60:
        instance = _random_instance(rng, int(rng.integers(4, 8)), int(rng.integers(0, 3)))
        values = {}
        for order in itertools.permutations(range(instance.n)):
            values.setdefault(int(weighted_tardiness(np.array(order), instance.p, instance.d,
                                                     instance.w)), order)
        optimum = min(values)
        if optimum + 1 not in values:
            continue
        tested += 1
        start = np.array(values[optimum + 1], dtype=np.int64)
        result = improve(instance, start, SolveOptions(extra={"bound": bound}))
        agrees_with(instance, result, optimum)
        assert result.status == "optimal"


def test_near_optimal_start_n16():
    """n = 16 from the optimum with one adjacent pair swapped (an upper bound just above the
    optimum, so the relaxation deletes arcs against a tight limit): the optimum comes back."""
    rng = np.random.default_rng(11)
    for _ in range(5):
        p = rng.integers(1, 100, 16)
        d = rng.integers(int(0.2 * p.sum()), int(0.8 * p.sum()), 16)
        instance = SMTTInstance(p=p, d=d, w=rng.integers(1, 11, 16))
        exact = schedkit.solve(instance, "dp")
        start = np.array(exact.solution.sequence)
        start[7], start[8] = start[8], start[7]
        for bound in BOUNDS:
            result = improve(instance, start, SolveOptions(extra={"bound": bound}))
            agrees_with(instance, result, exact.objective)
            assert result.status == "optimal"


@pytest.mark.parametrize("k", WT40_SPREAD)
def test_proves_wt40(k):
    """Ten wt40 instances, each in well under a second: the published optimum, proven."""
    instance = wt40(k)
    result = schedkit.solve(instance, "bdp", time_limit=60, workers=1)
    agrees_with(instance, result, WT40_OPT[k - 1])
    assert result.status == "optimal"
    assert result.stats["memory_bytes"] < 256 * 2**20
    assert result.stats["peak_states"] <= result.stats["states"]


def test_time_limit_in_the_relaxation():
    """A 0.02 s budget on wt40 #10 (about half a second of work): feasible, bound <= optimum."""
    instance = wt40(10)
    result = schedkit.solve(instance, "bdp", time_limit=0.02, workers=1)
    assert result.status == "feasible"
    assert result.wall_time < 0.5
    agrees_with(instance, result, WT40_OPT[9])


def test_time_limit_in_the_layers():
    """The weak bound on wt40 #20 needs far more than 0.5 s of layers: it stops between chunks
    and reports the least bound over the last complete layer (positive, below the optimum)."""
    instance = wt40(20)
    result = schedkit.solve(instance, "bdp", time_limit=0.5, workers=1, bound="simple")
    assert result.status == "feasible"
    assert result.stats["stopped"] == "deadline"
    assert result.wall_time < 1.0
    assert result.bound is not None and 0 < result.bound <= WT40_OPT[19]
    agrees_with(instance, result, WT40_OPT[19])


def test_memory_limit():
    """1 MiB of states is not enough for wt40 #20 with the weak bound: it stops, feasible."""
    instance = wt40(20)
    result = schedkit.solve(instance, "bdp", time_limit=60, workers=1, bound="simple", memory_mb=1)
    assert result.status == "feasible"
    assert result.stats["stopped"] == "memory"
    assert result.stats["memory_bytes"] <= 2**20
    agrees_with(instance, result, WT40_OPT[19])


def test_64_jobs():
    """64 jobs use every bit of the mask: a tight-window instance is proven optimal, and the
    objective is no worse than dynasearch's."""
    rng = np.random.default_rng(5)
    p = rng.integers(1, 101, 64)
    d = rng.integers(0, int(0.4 * p.sum()), 64)
    instance = SMTTInstance(p=p, d=d, w=rng.integers(1, 11, 64))
    result = schedkit.solve(instance, "bdp", time_limit=60, workers=1)
    report = schedkit.check(instance, result)
    assert report.feasible and report.objective == result.objective
    assert result.status == "optimal"
    assert result.objective <= schedkit.solve(instance, "dynasearch").objective


def test_refuses_65_jobs_at_once():
    """n = 65 does not fit a 64-bit mask: ProblemTooLarge, before any work."""
    instance = SMTTInstance(p=[1] * 65, d=[0] * 65)
    started = time.perf_counter()
    with pytest.raises(ProblemTooLarge, match=r"at most 64 jobs"):
        schedkit.solve(instance, "bdp")
    assert time.perf_counter() - started < 1.0


def test_refuses_objectives_beyond_exact_range():
    """Weights 10^6 and due dates -10^15 could overflow the scaled bounds: ProblemTooLarge."""
    instance = SMTTInstance(p=[10**9] * 3, d=[-(10**15)] * 3, w=[10**6] * 3)
    with pytest.raises(ProblemTooLarge, match="2\\^52"):
        schedkit.solve(instance, "bdp")


def test_rejects_unknown_bound():
    """The `bound` option names one of the two bounds."""
    with pytest.raises(ValueError, match="lagrangian"):
        schedkit.solve(SMTTInstance(p=[2, 1], d=[0, 0]), "bdp", bound="none")
