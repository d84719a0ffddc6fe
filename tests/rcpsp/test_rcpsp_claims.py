"""Exact RCPSP methods never claim what is false: on tiny adversarial projects (zero durations
and demands, demands equal to capacities, capacity 0 nobody needs, identical activities, loose
ends; with time lags: negative and zero lags, tight maximum lags, zero-length and positive
cycles) every `optimal` is the brute-force optimum, every bound is at most it, `infeasible`
only when no schedule exists, and every schedule passes the checker."""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.rcpsp.solvers.cpsat_resources import clashes
from tests.verdicts import assert_claims

EXACT = [("cpsat", {}, 1), ("cpsat", {}, 2), ("mip", {}, 1), ("mip", {"solver": "cbc"}, 1),
         ("cpsat-lns", {}, 1), ("auto", {}, 1)]
HEURISTICS = [("sgs-serial", {}), ("sgs-parallel", {"rule": "spt"}), ("sampling", {"schedules": 30}),
              ("fbi", {"schedules": 30}), ("ga", {"generations": 3}), ("sgs-lags", {"schedules": 30})]


def _fits(j: int, t: int, start: dict[int, int], d: list[int], q: list[list[int]],
          c: list[int]) -> bool:
    """Activity j can run over [t, t + d_j) beside the activities already started."""
    for u in range(t, t + d[j]):
        for k, capacity in enumerate(c):
            used = sum(q[i][k] for i, s in start.items() if s <= u < s + d[i])
            if used + q[j][k] > capacity:
                return False
    return True


def brute_force(instance: RCPSPInstance) -> int:
    """The least makespan over the serial schedules of every precedence-feasible order (an
    optimal schedule is active, and every active schedule is one of them)."""
    n = instance.n
    d = instance.durations.tolist()
    q, c = instance.demands.tolist(), instance.capacities.tolist()
    arcs = [(i, j) for i in range(n) for j in instance.successors[i].tolist()]
    best = None
    for order in itertools.permutations(range(n)):
        rank = {j: k for k, j in enumerate(order)}
        if any(rank[i] > rank[j] for i, j in arcs):
            continue
        start: dict[int, int] = {}
        for j in order:
            t = max([start[i] + d[i] for i, k in arcs if k == j], default=0)
            while not _fits(j, t, start, d, q, c):
                t += 1
            start[j] = t
        span = max(start[j] + d[j] for j in range(n))
        best = span if best is None else min(best, span)
    assert best is not None
    return best


def brute_force_lags(instance: RCPSPInstance) -> int | None:
    """The least makespan over every start vector in 0..H (None: no schedule), H = Σ_i
    max(d_i, its largest lag, 0): closing each idle gap of a schedule (shifting everything
    after it left) keeps every lag and capacity, so some optimal schedule starts by then."""
    n = instance.n
    d = instance.durations.tolist()
    q, c = instance.demands.tolist(), instance.capacities.tolist()
    arcs = [(i, j, lag) for i in range(n)
            for j, lag in zip(instance.successors[i].tolist(), instance.lags[i].tolist(), strict=True)]
    horizon = sum(max([d[i], 0] + [lag for a, _, lag in arcs if a == i]) for i in range(n))
    best: list[int] = []
    start: dict[int, int] = {}

    def place(j: int, span: int) -> None:
        if best and span >= best[0]:
            return
        if j == n:
            best[:] = [span]
            return
        for t in range(horizon + 1):
            if not _fits(j, t, start, d, q, c):
                continue
            start[j] = t
            if all(start[b] >= start[a] + lag for a, b, lag in arcs
                   if a in start and b in start and j in (a, b)):
                place(j + 1, max(span, t + d[j]))
            del start[j]

    place(0, 0)
    return best[0] if best else None


@st.composite
def projects(draw: st.DrawFn, max_activities: int = 6) -> RCPSPInstance:
    """Durations 0..3 (or all equal), capacities 0..3, demands 0, the capacity or between (a
    zero-duration activity may even exceed it), arcs along a random order, some loose ends."""
    n = draw(st.integers(1, max_activities))
    k = draw(st.integers(0, 2))
    d = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    if draw(st.booleans()):
        d = [d[0]] * n  # identical durations
    c = draw(st.lists(st.integers(0, 3), min_size=k, max_size=k))
    q = [[draw(st.sampled_from([0, cap, cap // 2]) if d[j] else st.integers(0, cap + 2))
          for cap in c] for j in range(n)]
    order = draw(st.permutations(range(n)))
    rank = {j: r for r, j in enumerate(order)}
    successors = [sorted(draw(st.sets(st.sampled_from([j for j in range(n) if rank[j] > rank[i]]),
                                      max_size=2)) if rank[i] < n - 1 else [])
                  for i in range(n)]
    return RCPSPInstance(d, successors, c, q, name="adversarial")


@st.composite
def lag_projects(draw: st.DrawFn, max_activities: int = 4) -> RCPSPInstance:
    """Durations 0..3, one resource or none, random arcs with lags -3..3 (often the duration,
    often 0), sometimes a pair of opposite lags forming a zero-length cycle (a fixed distance)."""
    n = draw(st.integers(1, max_activities))
    d = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    c = draw(st.lists(st.integers(0, 3), max_size=1))
    q = [[draw(st.integers(0, cap + (0 if d[j] else 2)))] for j in range(n) for cap in c] \
        if c else [[] for _ in range(n)]
    successors: list[list[int]] = [[] for _ in range(n)]
    lags: list[list[int]] = [[] for _ in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    for i, j in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n + 1)) if pairs else []:
        successors[i].append(j)
        lags[i].append(draw(st.one_of(st.just(d[i]), st.just(0), st.integers(-3, 3))))
    if n >= 2 and draw(st.booleans()):
        i, j = draw(st.sampled_from(pairs))
        if j not in successors[i] and i not in successors[j]:
            gap = draw(st.integers(-2, 2))
            successors[i].append(j)
            lags[i].append(gap)
            successors[j].append(i)
            lags[j].append(-gap)
    return RCPSPInstance(d, successors, c, q, lags=lags, name="lags")


@pytest.mark.parametrize(("method", "options", "workers"), EXACT, ids=lambda v: str(v))
@settings(max_examples=10, deadline=None)
@given(instance=projects())
def test_exact_methods_prove_the_brute_force_optimum(method, options, workers, instance):
    """Without a time limit (cpsat-lns: its default budget, far more than it needs here) every
    exact method proves the brute-force optimum."""
    result = schedkit.solve(instance, method, workers=workers, **options)
    assert_claims(instance, result, brute_force(instance))
    assert result.status == "optimal"


@settings(max_examples=20, deadline=None)
@given(instance=projects(), choice=st.sampled_from(EXACT), limit=st.sampled_from([0.01, 0.05, 0.2]))
def test_time_limited_claims_hold(instance, choice, limit):
    """Under short time limits, whatever a run reaches at this machine's speed, what it claims
    is true: a checked schedule, a bound at most the optimum, `optimal` only at it."""
    method, options, workers = choice
    result = schedkit.solve(instance, method, workers=workers, time_limit=limit, **options)
    assert_claims(instance, result, brute_force(instance))


@settings(max_examples=10, deadline=None)
@given(instance=lag_projects(), limit=st.sampled_from([0.01, 0.05, 0.2]),
       method=st.sampled_from(["cpsat", "auto", "sgs-lags"]))
def test_time_limited_lag_claims_hold(instance, limit, method):
    """RCPSP/max under short time limits: `infeasible` only without a schedule, bounds valid."""
    result = schedkit.solve(instance, method, workers=1, time_limit=limit)
    assert_claims(instance, result, brute_force_lags(instance))


@pytest.mark.parametrize(("method", "options"), HEURISTICS, ids=lambda v: str(v))
@settings(max_examples=6, deadline=None)
@given(instance=projects())
def test_heuristic_schedules_check_and_bounds_hold(method, options, instance):
    """A heuristic's schedule checks, its bound is at most the optimum, `optimal` only at it."""
    result = schedkit.solve(instance, method, workers=1, **options)
    assert_claims(instance, result, brute_force(instance))


@pytest.mark.parametrize("workers", [1, 2])
@settings(max_examples=25, deadline=None)
@given(instance=lag_projects())
def test_lag_verdicts_match_brute_force(workers, instance):
    """RCPSP/max: cpsat and auto prove the brute-force optimum, or `infeasible` exactly when
    no schedule exists; a positive cycle they name is a real one."""
    optimum = brute_force_lags(instance)
    for method in ("cpsat", "auto"):
        result = schedkit.solve(instance, method, workers=workers)
        assert_claims(instance, result, optimum)
        assert result.status == ("infeasible" if optimum is None else "optimal")
        if "cycle" in result.stats:
            cycle, length = result.stats["cycle"], 0
            for i, j in itertools.pairwise(cycle):
                row = instance.successors[i].tolist()
                length += int(instance.lags[i][row.index(j)])
            assert cycle[0] == cycle[-1] and length == result.stats["cycle_length"] > 0


@settings(max_examples=15, deadline=None)
@given(instance=lag_projects())
def test_sgs_lags_never_claims_falsely(instance):
    """sgs-lags: a checked schedule with a valid bound, `infeasible` only when none exists."""
    result = schedkit.solve(instance, "sgs-lags", schedules=20, workers=1)
    assert_claims(instance, result, brute_force_lags(instance))


def long_after_a_triangle(length: int, demand: int) -> RCPSPInstance:
    """Activities 0-2 (duration 1) clash pairwise on three unit resources, so run one after
    another (optimum 3, lower bound 2); activity 3 of `length` follows them, using `demand`
    of resource 0 (optimum 3 + length, lower bound 2 + length: the MIP is built)."""
    return RCPSPInstance(durations=[1, 1, 1, length], successors=[[3], [3], [3], []],
                         capacities=[1, 1, 1],
                         demands=[[1, 0, 1], [1, 1, 0], [0, 1, 1], [demand, 0, 0]])


def test_mip_refuses_millions_of_resource_terms():
    """Regression: a long activity on a binding resource with a narrow window put each of its
    pulses in `length` rows: 3 million terms for length 10^6, which the MIP built for minutes
    (or gave up at 60 % of a time limit). Now refused at once, as too many pulses are."""
    with pytest.raises(schedkit.ProblemTooLarge, match="resource rows"):
        schedkit.solve(long_after_a_triangle(10**6, 1), "mip", workers=1, time_limit=30)


def test_mip_rows_only_where_a_user_runs():
    """Regression: the rows of a resource were collected in a list as long as the horizon (10^7
    empty lists, over 500 MB, for one long activity off the binding resources); now only at
    the times a user can run: the proof needs little memory."""
    tracemalloc.start()
    try:
        instance = long_after_a_triangle(10**7, 0)
        result = schedkit.solve(instance, "mip", workers=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_claims(instance, result, 3 + 10**7)
    assert result.objective == 3 + 10**7  # (its bound, rounded down by 1e-6 relative, is lower)
    assert peak < 100 * 2**20


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.integers(0, 5), min_size=3, max_size=3), min_size=n, max_size=n),
    st.lists(st.integers(0, 6), min_size=3, max_size=3))))
def test_clashes_are_the_pairs_over_some_capacity(data):
    """The pairs `clashes` finds, resource by resource, are exactly those whose demands
    together exceed some capacity."""
    demands, capacities = data
    found = clashes(np.array(demands, dtype=np.int64), np.array(capacities, dtype=np.int64))
    for i, j in itertools.product(range(len(demands)), repeat=2):
        over = any(a + b > cap for a, b, cap in zip(demands[i], demands[j], capacities, strict=True))
        assert found[i, j] == over


def test_many_resources_keep_the_model_small():
    """Regression: the order literals' clash test summed every pair's demands on every
    resource at once, an n x n x K array: 180 MB for 150 activities and 1000 resources (18 GB
    at the 1500 activities and 1000 resources the models accept). Now n x n per resource."""
    n, resources = 150, 1000
    demands = np.zeros((n, resources), dtype=np.int64)
    demands[:, 0] = np.arange(n) % 3
    instance = RCPSPInstance(np.arange(n) % 3 + 1, [[] for _ in range(n)],
                             np.full(resources, 3), demands)
    tracemalloc.start()
    try:
        result = schedkit.solve(instance, "cpsat", workers=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_claims(instance, result, result.bound)
    assert peak < 120 * 2**20
