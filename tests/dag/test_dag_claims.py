"""DAG methods never claim what is false: on tiny adversarial task graphs (one task, zero costs,
zero and 10^9 communication, disconnected parts, identical processors, costs, latencies and
bandwidths at the model's 10^9) every `optimal` is the brute-force optimum
(tests/dag/conftest.py), every bound is at most it, and every schedule passes the checker."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.dag.model import MAX_VALUE, DAGInstance
from tests.dag.conftest import brute_force_makespan
from tests.verdicts import assert_claims, cli_solve_then_check

METHODS = ("heft", "cpop", "peft", "cpsat", "auto")
BIG = MAX_VALUE  # every cost, data size, bandwidth and latency is at most 10^9


@st.composite
def graphs(draw: st.DrawFn, big: bool = False) -> DAGInstance:
    """1-5 tasks on 1-3 processors; costs among 0 and a few values (or up to 10^9 with `big`),
    identical columns sometimes; random edges (often none: disconnected tasks) carrying 0, a
    little or 10^9; sometimes a network, uniform or not, with latencies and bandwidths up to 10^9."""
    n = draw(st.integers(1, 5))
    p = draw(st.integers(1, 3))
    values = st.sampled_from([0, 1, 10**8, BIG - 1, BIG]) if big else st.sampled_from([0, 0, 1, 2, 5])
    if draw(st.booleans()):
        cost = [[c] * p for c in draw(st.lists(values, min_size=n, max_size=n))]
    else:
        cost = draw(st.lists(st.lists(values, min_size=p, max_size=p), min_size=n, max_size=n))
    order = draw(st.permutations(range(n)))
    pairs = [(order[i], order[j]) for i in range(n) for j in range(i + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n + 1)) if pairs else []
    sizes = st.sampled_from([0, 1, 3, 10**8, BIG]) if big else st.sampled_from([0, 1, 3, 9])
    data = draw(st.lists(sizes, min_size=len(edges), max_size=len(edges)))
    bandwidth = latency = None
    network = draw(st.sampled_from(["none", "uniform", "any"]))
    speeds, delays = st.sampled_from([1, 2, 3, BIG]), st.sampled_from([0, 1, BIG])
    if network == "uniform":
        speed, delay = draw(speeds), draw(delays)
        bandwidth, latency = [[speed] * p for _ in range(p)], [delay] * p
    elif network == "any":
        bandwidth = draw(st.lists(st.lists(speeds, min_size=p, max_size=p), min_size=p, max_size=p))
        latency = draw(st.lists(delays, min_size=p, max_size=p))
    return DAGInstance(cost=cost, edges=edges or None, data=data or None, bandwidth=bandwidth,
                       latency=latency, name="adversarial")


@settings(max_examples=30, deadline=None)
@given(instance=graphs(), workers=st.sampled_from([1, 2]))
def test_cpsat_proves_the_brute_force_optimum(instance, workers):
    """Without a time limit cpsat proves the optimum (so at any speed), with one or two workers."""
    result = schedkit.solve(instance, "cpsat", workers=workers, seed=0)
    assert_claims(instance, result, brute_force_makespan(instance))
    assert result.status == "optimal"


@settings(max_examples=25, deadline=None)
@given(instance=graphs(big=True))
def test_extreme_magnitudes_keep_every_claim(instance):
    """Costs, data, latencies and bandwidths up to 10^9: every method's claims hold, cpsat proves."""
    best = brute_force_makespan(instance)
    for method in METHODS:
        result = schedkit.solve(instance, method, workers=1, seed=0)
        assert_claims(instance, result, best)
        assert method != "cpsat" or result.status == "optimal"


@settings(max_examples=30, deadline=None)
@given(instance=graphs(), method=st.sampled_from(METHODS), limit=st.sampled_from([0.05, 0.5]),
       workers=st.sampled_from([1, 2]))
def test_time_limited_claims_hold(instance, method, limit, workers):
    """Whatever a short run reaches at this machine's speed, what it claims is true (a
    heuristic's `optimal` only where its makespan meets the lower bound)."""
    result = schedkit.solve(instance, method, time_limit=limit, workers=workers, seed=0)
    assert_claims(instance, result, brute_force_makespan(instance))


@pytest.mark.parametrize(("cost", "edges", "data", "optimum"), [
    ([[7]], None, None, 7),
    ([[0, 0]], None, None, 0),
    ([[0, 0], [0, 0], [0, 0]], [(0, 1), (1, 2)], [BIG, BIG], 0),
    ([[3, 3], [3, 3], [3, 3], [3, 3]], None, None, 6),
    ([[BIG, BIG], [BIG, BIG], [1, 1]], [(0, 2), (1, 2)], [BIG, BIG], 2 * BIG + 1),
    ([[5, 9], [0, 0], [5, 9]], [(0, 1), (1, 2)], [BIG, 0], 10),
], ids=["one-task", "zero-cost", "zero-chain", "disconnected", "huge-join", "zero-in-the-middle"])
def test_degenerate_graphs_are_proven(cost, edges, data, optimum):
    """Hand-made degenerate graphs: cpsat proves the optimum (enumeration agrees), every method
    answers with a checked schedule and true claims."""
    instance = DAGInstance(cost=cost, edges=edges, data=data)
    assert brute_force_makespan(instance) == optimum
    for method in METHODS:
        result = schedkit.solve(instance, method, workers=1, seed=0)
        assert_claims(instance, result, optimum)
        assert method != "cpsat" or result.status == "optimal"


def test_cli_solve_then_check_agree(tmp_path):
    """The CLI path: `solve --json` then `check` on a graph with a zero-cost task, 10^9 latency
    and data, and an uneven network."""
    instance = DAGInstance(cost=[[0, 0], [BIG, BIG], [3, 1]], edges=[(0, 2)], data=[BIG],
                           latency=[BIG, 0], bandwidth=[[1, 2], [3, 1]])
    record = cli_solve_then_check(instance, tmp_path)
    assert record["status"] == "optimal"
    assert record["objective"] == brute_force_makespan(instance) == BIG
