"""Short limits: the cubic precedence step keeps its caller's deadline (and a deadline time does not
reach changes no pair), and a solve whose imports outlast the limit answers the family's early plan
(the best sorting rule with the cheap bound), never `unknown`."""

from __future__ import annotations

import hashlib
import math
import time
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings

import schedkit
from schedkit import SMTTInstance, api, deadline
from schedkit.registry import SolveOptions
from schedkit.smtt.bounds import cheap_bound
from schedkit.smtt.heuristics import search
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.solvers import dominance
from schedkit.smtt.solvers.bdp import method as bdp_method
from schedkit.smtt.solvers.bnb import method as bnb_method
from schedkit.smtt.sorting import best_sorting_rule
from tests.smtt.strategies import smtt_instances

# (jobs, pairs, sha256[:12] of the packed matrix) of `precedences` on main before the deadline (20ca47f)
BEFORE = {0: (258, 14168, "1a6ca21b9a23"), 1: (152, 5598, "a6d9f7eba805"), 2: (254, 15431, "5a33ff99e68d"),
          3: (247, 12248, "ef22ad44c47a")}
EXACT = ("dp", "bdp", "cpsat", "mip", "auto")


def _seeded(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 300))
    p = rng.integers(1, 100, n)
    return p, rng.integers(0, int(p.sum() * 0.7), n), rng.integers(1, 10, n)


def _digest(before: np.ndarray) -> tuple[int, int, str]:
    return before.shape[0], int(before.sum()), hashlib.sha256(np.packbits(before).tobytes()).hexdigest()[:12]


@pytest.mark.parametrize("seed", sorted(BEFORE))
def test_a_deadline_not_reached_changes_no_precedence(seed: int) -> None:
    """Without a deadline and with one an hour away (rows swept in timed chunks): the matrix main gave."""
    p, d, w = _seeded(seed)
    assert _digest(dominance.precedences(p, d, w)) == BEFORE[seed]
    assert _digest(dominance.precedences(p, d, w, time.perf_counter() + 3600)) == BEFORE[seed]


@settings(max_examples=30, deadline=None)
@given(instance=smtt_instances(max_jobs=12))
def test_an_expired_deadline_stops_the_precedences(instance: SMTTInstance) -> None:
    """A deadline already past: no pair (the clock is read before the first row)."""
    assert not dominance.precedences(instance.p, instance.d, instance.w, time.perf_counter() - 1).any()


def test_bdp_cut_off_in_its_precedences_answers_its_sequence(monkeypatch: pytest.MonkeyPatch) -> None:
    """bdp hands the precedences its own deadline; when they end past it, bdp answers the
    heuristic's sequence with the cheap bound. The clock of bdp's checks is fake: its deadline
    (1.0) is long past on the real clock the precedences read, so they find no pair."""
    x = schedkit.generate.smtt(30, 0.6, 0.2, seed=3, weighted=True)
    clock = [0.0]
    monkeypatch.setattr(bdp_method, "time", SimpleNamespace(perf_counter=lambda: clock[0]))
    given_deadlines = []

    def precedences(p: np.ndarray, d: np.ndarray, w: np.ndarray, deadline: float = math.inf) -> np.ndarray:
        given_deadlines.append(deadline)
        clock[0] = 2.0  # the precedences took past bdp's deadline
        return dominance.precedences(p, d, w, deadline)

    monkeypatch.setattr(bdp_method, "precedences", precedences)
    sequence = np.arange(x.n, dtype=np.int64)
    result = bdp_method.improve(x, sequence, SolveOptions(time_limit=1.0, started=0.0))
    assert given_deadlines == [1.0]
    assert result.stats["precedences"] == 0
    assert schedkit.check(x, result).feasible and list(result.solution.sequence) == sequence.tolist()
    assert result.objective == int(weighted_tardiness(sequence, x.p, x.d, x.w))
    assert result.bound == min(cheap_bound(x), result.objective)


@pytest.mark.parametrize("method", [*EXACT, "bnb"])
@pytest.mark.parametrize("weighted", [False, True])
def test_imports_outlasting_the_limit_leave_the_early_plan(monkeypatch: pytest.MonkeyPatch, method: str,
                                                           weighted: bool) -> None:
    """The method lookup (the imports of a fresh process) held until the guard gives up: the best
    sorting rule with the cheap bound comes back, `feasible` (it was `unknown`)."""
    x = schedkit.generate.smtt(12, 0.6, 0.2, seed=2, weighted=weighted)
    optimum = schedkit.solve(x, "dp").objective
    lookup = api.lookup

    def slow_lookup(family: str, name: str):  # type: ignore[no-untyped-def]
        deadline.cut_short()
        while not deadline.stopped():  # until the guard has given up on this run
            time.sleep(0.01)
        return lookup(family, name)

    monkeypatch.setattr(api, "lookup", slow_lookup)
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    try:
        result = schedkit.solve(x, method, time_limit=0.1)
    finally:
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.method == method
    assert schedkit.check(x, result).feasible
    assert result.objective == best_sorting_rule(x)[1]
    assert result.bound == min(cheap_bound(x), result.objective)
    assert result.bound <= optimum


@pytest.mark.parametrize("method", EXACT)
def test_a_limit_spent_before_the_start_leaves_a_plan_and_a_valid_bound(method: str) -> None:
    """A limit of a microsecond (no hard deadline in the suite: the method itself must stop): a
    checked plan, a bound at most the optimum, `optimal` only at the optimum."""
    x = schedkit.generate.smtt(14, 0.6, 0.2, seed=6, weighted=True)
    optimum = schedkit.solve(x, "dp").objective
    result = schedkit.solve(x, method, time_limit=1e-6)
    assert result.status in ("feasible", "optimal") and schedkit.check(x, result).feasible
    assert result.bound is not None and cheap_bound(x) <= result.bound <= optimum <= result.objective
    assert result.status == "feasible" or result.objective == optimum


def test_a_descent_past_its_deadline_takes_no_step() -> None:
    """iterated dynasearch reads the clock before its first descent step too (a step takes 0.1-0.2 s
    at 1,500 jobs): a deadline already past leaves the start as it is."""
    x = schedkit.generate.smtt(40, 0.6, 0.2, seed=5, weighted=True)
    start = np.arange(x.n, dtype=np.int64)
    stepped, _, _ = search.iterated_dynasearch(x.p, x.d, x.w, start, 0, 0, math.inf)
    assert weighted_tardiness(stepped, x.p, x.d, x.w) < weighted_tardiness(start, x.p, x.d, x.w)
    sequence, value, done = search.iterated_dynasearch(x.p, x.d, x.w, start, 10, 0, time.perf_counter() - 1)
    assert sequence.tolist() == start.tolist() and done == 0
    assert value == weighted_tardiness(start, x.p, x.d, x.w)


def test_bnb_cut_in_its_search_returns_its_upper_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """bnb's search held past the hard deadline: the upper bound it offered before comes back,
    with the cheap bound (the guard had the sorting rules' plan alone)."""
    x = schedkit.generate.smtt(60, 0.6, 0.2, seed=1)
    optimum = schedkit.solve(x, "bnb").objective  # also compiles the kernels

    def held(self: object, ub: int, until: float) -> None:
        deadline.cut_short()
        while not deadline.stopped():
            time.sleep(0.01)

    monkeypatch.setattr(bnb_method._Problem, "search", held)
    monkeypatch.setenv(deadline.ENVIRONMENT, "1")
    monkeypatch.setattr(deadline, "_cut_only", True)  # passes at the held stage
    try:
        result = schedkit.solve(x, "bnb", time_limit=0.5)
    finally:
        deadline.wait_for_abandoned()
    assert result.stats["hard_deadline"] is True and result.stats["offered"] == "the upper bound"
    assert schedkit.check(x, result).feasible and result.objective == result.stats["heuristic"]
    assert result.objective <= best_sorting_rule(x)[1]
    assert result.bound == min(cheap_bound(x), result.objective) <= optimum
