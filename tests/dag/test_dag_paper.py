"""The HEFT paper's example (Topcuoglu, Hariri, Wu 2002, Fig. 2): the published numbers."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.dag.heuristics import graph as dag_graph
from schedkit.dag.heuristics import listsched as dag_listsched
from tests.verdicts import assert_agrees


def test_upward_ranks_are_the_published_ones(fig2):
    """rank_u of every task equals the reference table of the data file (3 decimals)."""
    ranks = dag_listsched.upward_ranks(dag_graph.build(fig2))
    reference = fig2.meta["reference"]["rank_u"]
    for task, rank in zip(fig2.task_ids, ranks, strict=True):
        assert round(float(rank), 3) == pytest.approx(reference[str(task)], abs=1e-3), task


def test_heft_makespan_80(fig2):
    """HEFT gives 80 (the paper's Fig. 3a), order n1 n3 n4 n2 n5 n6 n9 n7 n8 n10."""
    result = schedkit.solve(fig2, "heft")
    assert result.objective == 80 == fig2.meta["reference"]["heft_makespan"]
    assert schedkit.check(fig2, result).feasible
    assert result.status == "feasible"


def test_heft_schedule_is_the_papers(fig2):
    """HEFT's placements of Fig. 3a: n1 on P3 at 0, n10 on P2 from 73 to 80."""
    solution = schedkit.solve(fig2, "heft").solution
    assert (solution.processor[0], solution.start[0]) == (2, 0)
    assert (solution.processor[9], solution.start[9]) == (1, 73)


def test_cpop_makespan_86(fig2):
    """CPOP gives 86 (Fig. 3b) with the critical path n1 n2 n9 n10 on P2."""
    result = schedkit.solve(fig2, "cpop")
    assert result.objective == 86 == fig2.meta["reference"]["cpop_makespan"]
    assert result.stats["critical_path_processor"] == 1
    assert [result.solution.processor[i] for i in (0, 1, 8, 9)] == [1, 1, 1, 1]
    assert schedkit.check(fig2, result).feasible


def test_peft_is_feasible_and_between_optimum_and_cpop(fig2):
    """PEFT (no published figure for this graph): a checked schedule, 73 <= makespan."""
    result = schedkit.solve(fig2, "peft")
    report = schedkit.check(fig2, result)
    assert report.feasible and report.objective == result.objective >= 73


@pytest.mark.parametrize("workers", [1, 2])
def test_cpsat_proves_73(fig2, workers):
    """CP-SAT proves the optimum 73 with one and two workers (no time limit: a proof at any
    speed), and logs the worker count."""
    result = schedkit.solve(fig2, "cpsat", time_limit=None, workers=workers)
    assert result.status == "optimal"
    assert result.objective == result.bound == 73 == fig2.meta["reference"]["optimal_makespan"]
    assert result.stats["workers"] == workers
    assert schedkit.check(fig2, result).objective == 73


def test_auto_uses_cpsat_on_the_example(fig2):
    """`auto` picks CP-SAT for 10 tasks: a checked schedule, bound <= 73 <= makespan, and 73
    when proved (what 60 s reach depends on the machine's load)."""
    result = schedkit.solve(fig2, "auto", time_limit=60, workers=1)
    assert result.stats["chosen"] == "cpsat"
    assert_agrees(fig2, result, 73)


def test_metrics_of_heft(fig2):
    """SLR = 80 / 41 (CP_MIN: n1 n2 n9 n10 at cheapest costs 9 + 13 + 12 + 7); speedup =
    best sequential time 127 (P2: 16+19+13+8+13+16+15+11+12+7 = 130, P1: 127, P3: 143) / 80."""
    stats = schedkit.solve(fig2, "heft").stats
    assert stats["slr"] == pytest.approx(80 / 41)
    assert stats["speedup"] == pytest.approx(127 / 80)
    assert stats["efficiency"] == pytest.approx(127 / 80 / 3)


def test_methods_are_exactly_the_issues():
    """The family's methods: heft, cpop, peft, cpsat, auto; only cpsat is exact."""
    rows = {row.name: row.kind for row in schedkit.methods("dag")}
    assert rows == {"heft": "heuristic", "cpop": "heuristic", "peft": "heuristic",
                    "cpsat": "exact", "auto": "heuristic"}
