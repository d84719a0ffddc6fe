"""CP-SAT for DAG scheduling beyond the paper's example: identical processors (symmetry
breaking), time limits, size limits, a missing OR-Tools, and `auto`'s choices."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings

import schedkit
from schedkit import ProblemTooLarge, SolverUnavailable
from schedkit.dag.model import DAGInstance
from schedkit.dag.solvers.cpsat import identical_processors
from tests.dag.conftest import DATA, brute_force_makespan
from tests.dag.strategies import dag_instances


@settings(max_examples=25, deadline=None)
@given(dag_instances(max_tasks=5, max_processors=3, identical=True))
def test_symmetry_breaking_keeps_the_optimum(instance):
    """On identical processors (where the symmetry cuts apply) CP-SAT, without a time limit,
    still equals enumeration."""
    assert identical_processors(instance)
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=1)
    assert result.status == "optimal"
    assert result.objective == brute_force_makespan(instance)


def test_stg_graph_on_two_processors():
    """The STG sample on 2 identical processors: optimum 8 = its critical path, proven."""
    instance = schedkit.load(DATA / "small.stg", format="stg:2")
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=1)  # a proof at any speed
    assert result.status == "optimal" and result.objective == 8


def test_time_limit_gives_a_checked_schedule_and_a_valid_bound():
    """A 40-task graph in 0.5 s: a feasible schedule no worse than any heuristic (the best of
    them is the warm start), bound <= makespan."""
    instance = schedkit.generate.dag(40, 4, 3, ccr=1.0)
    result = schedkit.solve(instance, "cpsat", time_limit=0.5, workers=1)
    assert result.stats["time_limit"] == 0.5
    assert schedkit.check(instance, result).feasible
    heuristics = {m: schedkit.solve(instance, m).objective for m in ("heft", "peft", "cpop")}
    assert result.objective <= min(heuristics.values())
    assert result.stats["warm_start"] == min(heuristics.values())
    assert heuristics[result.stats["warm_start_method"]] == min(heuristics.values())
    assert result.bound is not None and instance.lower_bound() <= result.bound <= result.objective
    assert result.stats["solver_status"] in {"OPTIMAL", "FEASIBLE", "UNKNOWN"}


def test_model_too_large_is_refused():
    """1,000 tasks on 64 processors: ProblemTooLarge naming the heuristics, no model built."""
    instance = schedkit.generate.dag(1000, 64, 1)
    with pytest.raises(ProblemTooLarge, match="heft, cpop or peft"):
        schedkit.solve(instance, "cpsat")


def test_auto_takes_the_best_heuristic_on_large_graphs():
    """Beyond 40 tasks `auto` returns the best of heft, peft, cpop and says which."""
    instance = schedkit.generate.dag(200, 4, 2)
    result = schedkit.solve(instance, "auto")
    best = min(schedkit.solve(instance, m).objective for m in ("heft", "peft", "cpop"))
    assert result.objective == best and result.stats["chosen"] in {"heft", "peft", "cpop"}
    assert schedkit.check(instance, result).feasible


def test_missing_ortools_is_solver_unavailable(monkeypatch, fig2):
    """Without OR-Tools, cpsat raises SolverUnavailable rather than an ImportError."""
    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)
    monkeypatch.setitem(sys.modules, "ortools.sat.python.cp_model", None)
    with pytest.raises(SolverUnavailable, match="OR-Tools"):
        schedkit.solve(fig2, "cpsat")


def test_hint_relabelled_to_satisfy_the_symmetry_cuts():
    """On identical processors the HEFT hint is renumbered by first use: the task at
    topological place r then sits on a processor <= r, and the schedule stays feasible."""
    from schedkit.dag.heuristics import graph as dag_graph
    from schedkit.dag.heuristics.methods import heft_schedule
    from schedkit.dag.model import topological_order
    from schedkit.dag.solvers.cpsat import relabel_by_first_use

    instance = schedkit.load(DATA / "small.stg", format="stg:4")
    processor, start = heft_schedule(dag_graph.build(instance))
    relabelled = relabel_by_first_use(instance, processor)
    for place, task in enumerate(topological_order(instance.n, instance.edges)):
        assert relabelled[task] <= place
    report = schedkit.check(instance, {"processor": relabelled.tolist(), "start": start.tolist()})
    assert report.feasible and report.objective == 8


# Tasks A, C, B, D with costs per processor; C -> B -> D, no data. A runs on P1 over [0, 9),
# C on P2 over [0, 2); B costs nothing on P1 and runs there at 2, inside A's run; D on P2
# over [2, 3). Makespan 9.
ZERO_INSIDE = DAGInstance(cost=[[9, 100], [100, 2], [0, 100], [100, 1]], edges=[[1, 2], [2, 3]],
                          data=[0, 0], name="zero-inside")


def test_a_zero_cost_task_may_run_inside_another():
    """The checker lets a zero-cost task sit inside another's run; the model kept it out and,
    with HEFT's 9 as the horizon, called itself infeasible (an internal error)."""
    assert schedkit.check(ZERO_INSIDE, {"processor": [0, 1, 0, 1], "start": [0, 0, 2, 2]}).objective == 9
    result = schedkit.solve(ZERO_INSIDE, "cpsat", workers=1)
    assert schedkit.check(ZERO_INSIDE, result).objective == 9
    assert result.status == "optimal" and result.bound == 9

