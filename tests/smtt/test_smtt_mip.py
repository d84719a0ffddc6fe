"""MIP for SMTT over HiGHS and CBC: proven optima match the references, bounds never lie."""

from __future__ import annotations

import sys

import pytest

import schedkit
from schedkit import ProblemTooLarge, SchedkitError, SMTTInstance, SolverUnavailable
from schedkit.common.finish import integral_bound as _integral_bound
from schedkit.common.mip import cbc_log_facts
from tests.conftest import CLASS_IDS_N20, WT40_OPT
from tests.conftest import agrees_with as _agrees_with
from tests.conftest import wt40 as _wt40


def test_registered_with_its_solver_option():
    """`mip` is exact and takes `solver=`."""
    rows = {row.name: row for row in schedkit.methods("smtt")}
    assert rows["mip"].kind == "exact"


@pytest.mark.parametrize("ident", CLASS_IDS_N20)
def test_highs_proves_every_class_of_n20(ident, smtt_n20):
    """One instance per (TF, RDD) class: HiGHS proves the published optimum (each takes < 2 s;
    no time limit, so a slow runner cannot turn it into a different answer)."""
    instance = smtt_n20[ident]
    result = schedkit.solve(instance, "mip", time_limit=None)
    _agrees_with(instance, result, instance.meta["opt"])
    assert result.status == "optimal"
    assert result.stats["solver"] == "highs" and result.stats["workers"] >= 1


@pytest.mark.parametrize("ident", [41, 201])
def test_cbc_proves_small_instances(ident, smtt_n20):
    """CBC (PuLP's bundled binary) proves two n=20 optima and reads its bound from the log."""
    instance = smtt_n20[ident]
    result = schedkit.solve(instance, "mip", solver="cbc", time_limit=None)  # proofs at any speed
    _agrees_with(instance, result, instance.meta["opt"])
    assert result.status == "optimal" and result.stats["solver"] == "cbc"


@pytest.mark.parametrize("k", [1, 3, 27, 81])
def test_highs_on_weighted_wt40(k):
    """Weighted n=40 instances HiGHS closes in seconds (no time limit): the optimum is
    OR-Library's wtopt40."""
    instance = _wt40(k)
    result = schedkit.solve(instance, "mip", time_limit=None)
    _agrees_with(instance, result, WT40_OPT[k - 1])
    assert result.status == "optimal"


def test_time_limit_gives_a_checked_solution_and_a_valid_bound():
    """A hard wt40 instance (#7) with 2 s: stops near the budget, feasible, bound <= optimum."""
    instance = _wt40(7)
    result = schedkit.solve(instance, "mip", time_limit=2)
    _agrees_with(instance, result, WT40_OPT[6])
    assert result.status == "feasible"


def test_cbc_time_limit_is_not_optimal():
    """CBC stopped by the clock on a hard instance reports feasible and a bound below the optimum."""
    instance = _wt40(7)
    result = schedkit.solve(instance, "mip", solver="cbc", time_limit=2)
    _agrees_with(instance, result, WT40_OPT[6])
    assert result.status == "feasible"


def test_zero_tardiness_needs_no_solver():
    """Due dates nobody can miss: optimal 0 straight from the warm start."""
    instance = SMTTInstance(p=[3, 4, 5], d=[20, 20, 20], w=[1, 2, 3])
    result = schedkit.solve(instance, "mip")
    assert result.status == "optimal" and result.objective == result.bound == 0


def test_unknown_solver_is_refused():
    """solver="gurobi" is a SchedkitError that lists the solvers there are."""
    with pytest.raises(SchedkitError, match="highs, cbc"):
        schedkit.solve(SMTTInstance(p=[1, 2], d=[0, 0]), "mip", solver="gurobi")


def test_missing_highspy_is_solver_unavailable(monkeypatch):
    """Without highspy the method raises SolverUnavailable, not an ImportError."""
    monkeypatch.setitem(sys.modules, "highspy", None)
    with pytest.raises(SolverUnavailable, match="highspy"):
        schedkit.solve(SMTTInstance(p=[1, 2], d=[0, 0]), "mip")


def test_cbc_log_parsing():
    """Optimal logs give the objective as bound; stopped ones the "Lower bound:" line."""
    finished = "Result - Optimal solution found\n\nObjective value:   774.00000000\n"
    finished += "Enumerated nodes:   4\n"
    assert cbc_log_facts(finished) == (True, 774.0, 4)
    stopped = (
        "Cbc0010I After 0 nodes, 1 on tree, 12041 best solution, best possible 1400.5 (1 s)\n"
        "Result - Stopped on time limit\n\nObjective value:   12041.00000000\n"
        "Lower bound:    1451.797\nGap:   7.29\nEnumerated nodes:   0\n"
    )
    assert cbc_log_facts(stopped) == (False, 1451.797, 0)
    progress_only = "Cbc0010I After 9 nodes, 3 on tree, 50 best solution, best possible 41.2 (1 s)\n"
    assert cbc_log_facts(progress_only) == (False, 41.2, None)


def test_integral_bound_rounding():
    """A dual bound just below an integer proves that integer; infinities prove nothing."""
    assert _integral_bound(773.9999999) == 774
    assert _integral_bound(773.2) == 774
    assert _integral_bound(774.0) == 774
    assert _integral_bound(float("-inf")) is None
    assert _integral_bound(None) is None


def test_highs_thread_count_can_change_between_runs(smtt_n20):
    """Regression: HiGHS sizes one global thread pool per process; a later run with another
    `workers` used to fail and fall back to the warm start ('feasible')."""
    instance = smtt_n20[1]
    for workers in (1, 2, 1):
        result = schedkit.solve(instance, "mip", time_limit=None, workers=workers)
        assert result.status == "optimal" and result.objective == instance.meta["opt"]


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_backend_bound_includes_the_objective_constant(solver):
    """HiGHS and CBC never see PuLP's objective constant: `run` adds it back to the bound, and
    for a pure LP reports the optimal value (HiGHS gives no MIP dual bound there)."""
    from schedkit.common.mip import import_pulp, new_variable, run
    from schedkit.registry import SolveOptions

    pulp = import_pulp(solver)
    mip = pulp.LpProblem("m", pulp.LpMinimize)
    x = new_variable(pulp, mip, "x", lowBound=1, upBound=5, cat=pulp.LpInteger)
    y = new_variable(pulp, mip, "y", lowBound=1, upBound=5, cat=pulp.LpInteger)
    mip += x + y + 5
    mip += x + y >= 3
    bound, stats = run(pulp, mip, SolveOptions(time_limit=None, workers=1), solver)
    assert stats["solver_optimal"] and bound == pytest.approx(8)
    lp = pulp.LpProblem("l", pulp.LpMinimize)
    z = new_variable(pulp, lp, "z", lowBound=2, upBound=5)
    lp += 3 * z + 1
    bound, _ = run(pulp, lp, SolveOptions(time_limit=None, workers=1), solver)
    assert bound == pytest.approx(7)


def test_cbc_writing_no_solution_gives_the_warm_start(monkeypatch):
    """CBC stopped before it wrote a solution (seen at load 8 with little time left): PuLP raises
    PulpSolverError; the method answers with its warm start, checked, instead of crashing."""
    import pulp

    def no_solution(self, solver, **kwargs):
        raise pulp.PulpSolverError("Pulp: Error while executing cbc")

    monkeypatch.setattr(pulp.LpProblem, "solve", no_solution)
    instance = _wt40(7)
    result = schedkit.solve(instance, "mip", solver="cbc", time_limit=5)
    assert result.status == "feasible" and "no solution read" in result.stats["solver_status"]
    _agrees_with(instance, result, WT40_OPT[6])


def test_mip_refuses_beyond_its_size_unless_nothing_is_late() -> None:
    """mip refuses more than 1000 jobs before PuLP's import and its warm start, but answers an
    instance whose EDD order is on time as optimal, at any size."""
    with pytest.raises(ProblemTooLarge, match="beyond its 1000"):
        schedkit.solve(SMTTInstance(p=[2] * 1001, d=[1] * 1001), "mip")
    result = schedkit.solve(SMTTInstance(p=[1] * 1001, d=list(range(1, 1002))), "mip")
    assert result.status == "optimal" and result.objective == 0
