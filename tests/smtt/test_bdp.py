"""`bdp`: the successive sublimation DP (stages 1-3) and the layered DP of bound="simple".
Exact against `dp` and enumeration, the published wt40 optima, valid bounds on every stop."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit import ProblemTooLarge, SMTTInstance, deadline
from schedkit.registry import SolveOptions
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.solvers.bdp import ssdp
from schedkit.smtt.solvers.bdp.method import improve
from schedkit.smtt.solvers.bdp.search import Search
from schedkit.smtt.solvers.dominance import precedences
from tests.conftest import SMTT as ROOT_SMTT
from tests.conftest import WT40_OPT, agrees_with, wt40
from tests.smtt.strategies import smtt_instances

# Instances the heuristic already solves (#1, #20, #125), where stage 3 must find the optimum
# (#3: dynasearch gives 573, optimum 537), where stage 2 closes the gap (#58), optimum 0 (#51).
WT40_SPREAD = [1, 3, 20, 51, 58, 125]
BOUNDS = ("lagrangian", "simple")


@st.composite
def tied_instances(draw: st.DrawFn) -> SMTTInstance:
    """n <= 8 with p in 1..3, due dates on a short grid, w in 0..2: ties everywhere."""
    n = draw(st.integers(1, 8))
    p = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    d = draw(st.lists(st.integers(-2, sum(p) + 2), min_size=n, max_size=n))
    w = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return SMTTInstance(p=p, d=d, w=w, name="tied")


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


def test_registered_as_exact():
    """`bdp` is listed as an exact smtt method and says what its stages are."""
    rows = {row.name: row for row in schedkit.methods("smtt")}
    assert rows["bdp"].kind == "exact"
    assert "stage 3" in rows["bdp"].description


@settings(max_examples=25, deadline=None)
@given(st.one_of(smtt_instances(max_jobs=12), tied_instances()), st.sampled_from(BOUNDS))
def test_matches_dp(instance, bound):
    """Ties, zero weights, negative, zero and far due dates, up to 12 jobs: bdp == dp."""
    result = schedkit.solve(instance, "bdp", bound=bound)
    agrees_with(instance, result, schedkit.solve(instance, "dp").objective, proven=True)
    assert result.stats["workers"] == 1


@settings(max_examples=25, deadline=None)
@given(st.one_of(smtt_instances(max_jobs=12), tied_instances()), st.sampled_from(BOUNDS),
       st.randoms(use_true_random=False))
def test_finds_the_optimum_from_a_poor_start(instance, bound, rng):
    """From a random sequence as upper bound the stages themselves must find the optimum."""
    start = np.array(rng.sample(range(instance.n), instance.n), dtype=np.int64)
    result = improve(instance, start, SolveOptions(extra={"bound": bound}))
    agrees_with(instance, result, schedkit.solve(instance, "dp").objective, proven=True)


def test_seeded_random_starts():
    """40 seeded instances (n <= 11, three styles) from random sequences: the `dp` optimum."""
    rng = np.random.default_rng(2024)
    for trial in range(40):
        instance = _random_instance(rng, int(rng.integers(2, 12)), trial % 3)
        result = improve(instance, rng.permutation(instance.n), SolveOptions())
        agrees_with(instance, result, schedkit.solve(instance, "dp").objective, proven=True)


def test_start_one_above_the_optimum():
    """From a sequence worth exactly optimum + 1 every elimination works at its limit: a bound
    one too high, or an arc or state dropped at UB − 1, would lose the optimum."""
    rng = np.random.default_rng(99)
    tested = 0
    while tested < 20:
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
        result = improve(instance, start, SolveOptions())
        agrees_with(instance, result, optimum, proven=True)


@pytest.mark.parametrize("k", WT40_SPREAD)
def test_proves_wt40(k):
    """The published optimum, proven (no time limit: nothing here depends on speed)."""
    instance = wt40(k)
    result = schedkit.solve(instance, "bdp", workers=1)
    agrees_with(instance, result, WT40_OPT[k - 1], proven=True)
    assert result.stats["peak_memory_mb"] >= 0


def test_stopped_by_time_keeps_a_valid_bound():
    """wt40 #10 at 0.05 s: whatever stage it stops in, the plan is checked and the bound is at
    most the optimum."""
    instance = wt40(10)
    result = schedkit.solve(instance, "bdp", time_limit=0.05, workers=1)
    agrees_with(instance, result, WT40_OPT[9])
    assert result.bound is not None


def test_stopped_by_memory_keeps_a_valid_bound():
    """wt40 #87 needs stage 3; 8 MiB do not hold its state and arc arrays: stopped by memory,
    with a stage-2 or stage-3 bound that is positive and at most the optimum."""
    instance = wt40(87)
    result = schedkit.solve(instance, "bdp", workers=1, memory_mb=8)
    assert result.stats["stopped"] == "memory"
    agrees_with(instance, result, WT40_OPT[86])
    assert 0 < result.bound <= WT40_OPT[86]


def test_simple_bound_memory_limit():
    """bound="simple" (the layered DP): 1 MiB of states is not enough for wt40 #20."""
    instance = wt40(20)
    result = schedkit.solve(instance, "bdp", workers=1, bound="simple", memory_mb=1)
    assert result.status == "feasible"
    assert result.stats["stopped"] == "memory"
    agrees_with(instance, result, WT40_OPT[19])


def test_tables_beyond_memory_are_refused():
    """The time-indexed tables of 300 jobs do not fit in 1 MiB: ProblemTooLarge up front."""
    instance = schedkit.generate.smtt(300, 0.6, 0.2, seed=1, weighted=True)
    with pytest.raises(ProblemTooLarge, match="memory_mb"):
        schedkit.solve(instance, "bdp", memory_mb=1)


def test_simple_bound_refuses_65_jobs():
    """The layered DP keeps one bit per job: 65 jobs are refused with bound="simple"."""
    with pytest.raises(ProblemTooLarge, match=r"at most 64 jobs"):
        schedkit.solve(SMTTInstance(p=[1] * 65, d=[0] * 65), "bdp", bound="simple")


def test_refuses_objectives_beyond_exact_range():
    """Weights 10^6 and due dates -10^12 (objectives up to 3·10^18, within the model's 2^62)
    could overflow the scaled bounds: ProblemTooLarge."""
    instance = SMTTInstance(p=[10**9] * 3, d=[-(10**12)] * 3, w=[10**6] * 3)
    with pytest.raises(ProblemTooLarge, match="2\\^52"):
        schedkit.solve(instance, "bdp")


def test_rejects_unknown_bound():
    """The `bound` option names one of the two bounds."""
    with pytest.raises(ValueError, match="lagrangian"):
        schedkit.solve(SMTTInstance(p=[2, 1], d=[0, 0]), "bdp", bound="none")


def test_wt100_short_budget_bound_is_valid():
    """wt100 #1 (bundled sample) at 1 s: a checked plan and a bound at most the optimum 5988."""
    instance = schedkit.load(f"{ROOT_SMTT / 'orlib_weighted100_sample.jsonl'}#1")
    result = schedkit.solve(instance, "bdp", time_limit=1, workers=1)
    agrees_with(instance, result, instance.meta["opt"])
    assert result.bound is not None


def test_first_relaxation_already_bounds():
    """One stage-1 step, then one stage-2 step, on wt100 #1: each proves a positive bound at
    most the optimum, so a stop at any later moment returns at least that, never 0."""
    instance = schedkit.load(f"{ROOT_SMTT / 'orlib_weighted100_sample.jsonl'}#1")
    p, d, w = instance.p, instance.d, instance.w
    optimum = instance.meta["opt"]
    search = Search(p, d, w, precedences(p, d, w), optimum + 500, 64, float("inf"), 2**30)
    ssdp.subgradient(search, False, 1)
    first = search.bound
    assert 0 < first <= optimum
    ssdp.subgradient(search, True, 1)
    assert first <= search.bound <= optimum


@pytest.mark.parametrize("k", [3, 58])
def test_the_stages_offer_their_sequence_and_bound_as_they_go(k):
    """wt40 #3 and #58 are closed by the stages, not the heuristic: while they run they offer
    (for progress lines and the hard-deadline guard) a checked sequence with a proven bound."""
    instance = wt40(k)
    since = time.perf_counter()
    result = schedkit.solve(instance, "bdp")
    offered = deadline.latest_offer(since)
    assert offered is not None and offered.stats["offered"] == "the successive sublimation DP"
    report = schedkit.check(instance, offered)
    assert report.feasible and report.objective == offered.objective
    assert offered.bound is not None and offered.bound <= WT40_OPT[k - 1] <= offered.objective
    agrees_with(instance, result, WT40_OPT[k - 1])
