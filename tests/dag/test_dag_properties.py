"""Properties on random small graphs: feasibility, CP-SAT against the heuristics and a brute
force, one processor, determinism."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from tests.dag.conftest import brute_force_makespan
from tests.dag.strategies import dag_instances

HEURISTICS = ("heft", "cpop", "peft")


@settings(max_examples=60, deadline=None)
@given(dag_instances(max_tasks=9, max_processors=4))
def test_every_heuristic_schedule_is_feasible(instance):
    """heft, cpop, peft: checker-verified, objective == recomputed makespan >= lower bound."""
    for method in HEURISTICS:
        result = schedkit.solve(instance, method)
        report = schedkit.check(instance, result)
        assert report.feasible, (method, report.violations)
        assert report.objective == result.objective >= instance.lower_bound() == result.bound
        if result.status == "optimal":
            assert result.objective == result.bound


@settings(max_examples=40, deadline=None)
@given(dag_instances(max_tasks=7, max_processors=3))
def test_cpsat_is_at_most_each_heuristic(instance):
    """CP-SAT (no time limit) proves an optimum no larger than any heuristic's makespan."""
    exact = schedkit.solve(instance, "cpsat", time_limit=None, workers=1)
    assert exact.status == "optimal"
    assert schedkit.check(instance, exact).objective == exact.objective
    for method in HEURISTICS:
        assert exact.objective <= schedkit.solve(instance, method).objective


@settings(max_examples=25, deadline=None)
@given(dag_instances(max_tasks=5, max_processors=3))
def test_cpsat_equals_brute_force(instance):
    """CP-SAT's proven optimum (no time limit) equals enumeration over orders and assignments."""
    exact = schedkit.solve(instance, "cpsat", time_limit=None, workers=1)
    assert exact.status == "optimal"
    assert exact.objective == brute_force_makespan(instance)


@settings(max_examples=40, deadline=None)
@given(dag_instances(max_tasks=8, processors=1))
def test_single_processor_gives_the_sum_of_costs(instance):
    """On one processor there is no communication and no idle time: makespan = Σ costs."""
    total = int(instance.cost.sum())
    for method in (*HEURISTICS, "cpsat", "auto"):
        result = schedkit.solve(instance, method, time_limit=30, workers=1)
        assert result.objective == total, method
        assert schedkit.check(instance, result).feasible


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**16), st.sampled_from([2, 3]))
def test_generated_graphs_all_methods(seed, processors):
    """Generated 12-task graphs: every method's schedule is feasible, cpsat <= heuristics."""
    instance = schedkit.generate.dag(12, processors, seed, ccr=2.0)
    results = {m: schedkit.solve(instance, m, time_limit=20, workers=1)
                for m in (*HEURISTICS, "cpsat")}
    for method, result in results.items():
        assert schedkit.check(instance, result).feasible, method
    assert all(results["cpsat"].objective <= results[m].objective for m in HEURISTICS)


def test_heuristics_are_deterministic():
    """The same graph gives the same schedule twice (fixed tie rules, no randomness)."""
    instance = schedkit.generate.dag(300, 8, 5, ccr=1.0)
    for method in HEURISTICS:
        first = schedkit.solve(instance, method).solution
        assert schedkit.solve(instance, method).solution == first
