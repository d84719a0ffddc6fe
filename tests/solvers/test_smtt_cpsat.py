"""CP-SAT for SMTT, and the three exact methods against each other on random small instances."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings

import schedkit
from schedkit import SMTTInstance, SolverUnavailable
from tests.conftest import CLASS_IDS_N20, SMTT, brute_force_optimum
from tests.strategies import smtt_instances

WT40_OPT = [int(v) for v in (SMTT / "wtopt40.txt").read_text().split()]
TWO_PER_CLASS = CLASS_IDS_N20 + [ident + 20 for ident in CLASS_IDS_N20]


def _wt40(k: int) -> SMTTInstance:
    return schedkit.load(f"{SMTT / 'wt40.txt'}#{k}")


def _agrees_with(instance: SMTTInstance, result: schedkit.Result, optimum: int) -> None:
    """Checker-verified objective; the bound never exceeds the optimum, the objective never
    undercuts it, and "optimal" is claimed only for the optimum itself."""
    report = schedkit.check(instance, result)
    assert report.feasible, report.violations
    assert report.objective == result.objective >= optimum
    if result.bound is not None:
        assert result.bound <= optimum
    if result.status == "optimal":
        assert result.objective == result.bound == optimum


def test_registered_as_exact():
    """`cpsat` is listed as an exact smtt method."""
    rows = {row.name: row for row in schedkit.methods("smtt")}
    assert rows["cpsat"].kind == "exact"


@pytest.mark.parametrize("ident", TWO_PER_CLASS)
def test_proves_two_instances_of_every_n20_class(ident, smtt_n20):
    """Each (TF, RDD) class twice: CP-SAT proves the published optimum (each in about a second
    or less; 60 s of budget keeps the outcome independent of the runner's speed)."""
    instance = smtt_n20[ident]
    result = schedkit.solve(instance, "cpsat", time_limit=60, workers=2)
    _agrees_with(instance, result, instance.meta["opt"])
    assert result.status == "optimal"
    assert result.stats["workers"] == 2


@pytest.mark.parametrize("k", [1, 3, 21, 47, 83])
def test_weighted_wt40(k):
    """Weighted n=40 instances CP-SAT proves in about a second: the optimum is wtopt40's."""
    instance = _wt40(k)
    result = schedkit.solve(instance, "cpsat", time_limit=60)
    _agrees_with(instance, result, WT40_OPT[k - 1])
    assert result.status == "optimal"


def test_time_limit_on_a_hard_instance():
    """wt40 #7 is not proved in 2 s: CP-SAT stops on time with a checked, feasible answer."""
    instance = _wt40(7)
    result = schedkit.solve(instance, "cpsat", time_limit=2, workers=2)
    assert result.wall_time < 6
    _agrees_with(instance, result, WT40_OPT[6])
    assert result.status == "feasible"
    assert result.stats["cpsat_status"] in {"FEASIBLE", "UNKNOWN"}


def test_zero_tardiness_needs_no_model():
    """Due dates nobody can miss: optimal 0 straight from the warm start."""
    instance = SMTTInstance(p=[3, 4, 5], d=[20, 20, 20])
    result = schedkit.solve(instance, "cpsat")
    assert result.status == "optimal" and result.objective == result.bound == 0


def test_missing_ortools_is_solver_unavailable(monkeypatch):
    """Without OR-Tools the method raises SolverUnavailable, not an ImportError."""
    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)
    monkeypatch.setitem(sys.modules, "ortools.sat.python.cp_model", None)
    with pytest.raises(SolverUnavailable, match="OR-Tools"):
        schedkit.solve(SMTTInstance(p=[1, 2], d=[1, 0]), "cpsat")


@settings(max_examples=40, deadline=None)
@given(smtt_instances(max_jobs=8))
def test_dp_cpsat_mip_agree_on_small_instances(instance):
    """Ties, zero/negative/far due dates, zero weights: dp == cpsat == mip == enumeration."""
    optimum = brute_force_optimum(instance)
    for method in ("dp", "cpsat", "mip"):
        result = schedkit.solve(instance, method, time_limit=60, workers=1)
        assert result.status == "optimal", method
        _agrees_with(instance, result, optimum)
