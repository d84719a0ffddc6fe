"""SMTT heuristics: feasible, never below the optimum, deterministic, and the paper's figures."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings

import schedkit
from schedkit import SMTTInstance
from tests.conftest import CLASS_IDS_N20, brute_force_optimum
from tests.smtt.strategies import smtt_instances

RULES = ["edd", "spt", "wspt", "mdd", "atc", "psk", "eddc", "mddc", "mdd-aug", "mddc-aug"]
SEARCHES = ["api", "insertion", "dynasearch"]
HEURISTICS = RULES + SEARCHES


def test_registered_with_their_kind():
    """Every heuristic the issue names is registered as a heuristic of smtt."""
    rows = {row.name: row for row in schedkit.methods("smtt")}
    for name in HEURISTICS:
        assert rows[name].kind == "heuristic" and rows[name].family == "smtt"


@pytest.mark.parametrize("method", HEURISTICS)
def test_feasible_and_not_below_opt_on_every_class(method, smtt_n20):
    """One n=20 instance per (TF, RDD) class: checked, objective recomputed, >= the proven opt."""
    for ident in CLASS_IDS_N20:
        instance = smtt_n20[ident]
        result = schedkit.solve(instance, method)
        report = schedkit.check(instance, result)
        assert report.feasible, report.violations
        assert report.objective == result.objective >= instance.meta["opt"]
        assert result.status == ("optimal" if result.objective == 0 else "feasible")


def test_hand_example():
    """Three jobs worked by hand (p = 2,1,2; d = 3,1,4; w = 1,1,5):
    EDD 1,0,2 -> C = 1,3,5, T = 0,0,1 -> 5·1 = 5;
    WSPT (p/w = 2, 1, 0.4) 2,1,0 -> C = 2,3,5, T = 0,2,2 -> 4;
    optimum 1,2,0 -> C = 1,3,5, T = 0,0,2 -> 2."""
    instance = SMTTInstance(p=[2, 1, 2], d=[3, 1, 4], w=[1, 1, 5])
    edd = schedkit.solve(instance, "edd")
    assert list(edd.solution.sequence) == [1, 0, 2] and edd.objective == 5
    wspt = schedkit.solve(instance, "wspt")
    assert list(wspt.solution.sequence) == [2, 1, 0] and wspt.objective == 4
    best = schedkit.solve(instance, "dynasearch")
    assert list(best.solution.sequence) == [1, 2, 0] and best.objective == 2


@pytest.mark.parametrize(
    ("method", "paper_gap"),
    [("edd", 59.57), ("eddc", 28.12), ("mdd", 1.81), ("mddc", 1.52), ("psk", 1.79),
     ("mddc-aug", 1.08)],
)
def test_reproduces_the_paper_at_n100(method, paper_gap, smtt_n100):
    """Mean gap % to opt over smtt_n100 (opt > 0) is close to Çetinkaya et al. (2025)."""
    gaps = []
    for instance in smtt_n100.values():
        opt = instance.meta["opt"]
        if opt > 0:
            gaps.append(100 * (schedkit.solve(instance, method).objective - opt) / opt)
    tolerance = 0.02 * paper_gap + 0.02
    assert statistics.fmean(gaps) == pytest.approx(paper_gap, abs=max(tolerance, 1.6))


def test_dynasearch_is_near_optimal_at_n100(smtt_n100):
    """Iterated dynasearch: mean gap under 0.2 % on 40 instances of n = 100 (every 5th)."""
    gaps = []
    for ident in range(1, 201, 5):
        instance = smtt_n100[ident]
        opt = instance.meta["opt"]
        result = schedkit.solve(instance, "dynasearch")
        assert schedkit.check(instance, result).feasible
        if opt > 0:
            gaps.append(100 * (result.objective - opt) / opt)
    assert statistics.fmean(gaps) < 0.2


def test_deterministic_for_a_fixed_seed(smtt_n100):
    """Same instance, method and seed: the same sequence, run after run."""
    instance = smtt_n100[57]
    first = schedkit.solve(instance, "dynasearch", seed=5)
    again = schedkit.solve(instance, "dynasearch", seed=5)
    assert first.solution == again.solution
    for method in RULES:
        assert schedkit.solve(instance, method).solution == schedkit.solve(instance, method).solution


def test_time_limit_stops_the_search():
    """dynasearch on 400 jobs with a 0.3 s budget stops on it (a search without the limit
    would not end this early) and returns a checked plan; how fast is the benchmark's job."""
    instance = schedkit.generate.smtt(400, tf=0.6, rdd=0.2, seed=1)
    result = schedkit.solve(instance, "dynasearch", time_limit=0.3)
    assert result.stats["time_limit"] == 0.3
    assert schedkit.check(instance, result).feasible


def test_atc_k_option():
    """ATC takes k (one value) or searches the grid; a bad k is refused."""
    instance = schedkit.generate.smtt(30, tf=0.6, rdd=0.4, seed=2, weighted=True)
    single = schedkit.solve(instance, "atc", k=2.0)
    grid = schedkit.solve(instance, "atc")
    assert single.stats["k"] == 2.0 and grid.objective <= single.objective
    with pytest.raises(ValueError):
        schedkit.solve(instance, "atc", k=-1)


@settings(max_examples=60, deadline=None)
@given(instance=smtt_instances(max_jobs=8))
def test_heuristics_never_beat_the_optimum(instance):
    """On random small instances (ties, zero and far due dates, zero weights) every heuristic
    is feasible and >= the enumerated optimum, and the DP attains it."""
    optimum = brute_force_optimum(instance)
    assert schedkit.solve(instance, "dp").objective == optimum
    for method in HEURISTICS:
        result = schedkit.solve(instance, method)
        report = schedkit.check(instance, result)
        assert report.feasible and report.objective == result.objective >= optimum


@settings(max_examples=25, deadline=None)
@given(instance=smtt_instances(max_jobs=9))
def test_heuristics_against_dp_at_nine_jobs(instance):
    """n <= 9 against the DP: no heuristic below it; dynasearch mostly reaches it."""
    optimum = schedkit.solve(instance, "dp").objective
    for method in HEURISTICS:
        assert schedkit.solve(instance, method).objective >= optimum


def test_many_search_chunks_keep_the_random_state_valid(smtt_n100):
    """Regression: the LCG state crosses 2**63 between kernel calls (it once overflowed)."""
    instance = smtt_n100[3]
    for seed in range(12):
        result = schedkit.solve(instance, "dynasearch", seed=seed, iterations=40, kick=10)
        assert schedkit.check(instance, result).feasible
