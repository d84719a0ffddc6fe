"""CP-SAT for SMTT, and the three exact methods against each other on random small instances."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit import InvalidInstance, ProblemTooLarge, SMTTInstance, SolverUnavailable
from tests.conftest import CLASS_IDS_N20, WT40_OPT, brute_force_optimum
from tests.conftest import agrees_with as _agrees_with
from tests.conftest import wt40 as _wt40
from tests.smtt.strategies import smtt_instances

TWO_PER_CLASS = CLASS_IDS_N20 + [ident + 20 for ident in CLASS_IDS_N20]


@st.composite
def tied_instances(draw: st.DrawFn) -> SMTTInstance:
    """n <= 8 with p in 1..3 and due dates on a short grid: many equal p, d and (p, d, w)."""
    n = draw(st.integers(2, 8))
    p = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    d = draw(st.lists(st.integers(-2, sum(p) + 2), min_size=n, max_size=n))
    w = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return SMTTInstance(p=p, d=d, w=w, name="tied")


def test_registered_as_exact():
    """`cpsat` is listed as an exact smtt method."""
    rows = {row.name: row for row in schedkit.methods("smtt")}
    assert rows["cpsat"].kind == "exact"


@pytest.mark.parametrize("ident", TWO_PER_CLASS)
def test_proves_two_instances_of_every_n20_class(ident, smtt_n20):
    """Each (TF, RDD) class twice: CP-SAT proves the published optimum (each in about a second
    or less; no time limit keeps the outcome independent of the runner's speed)."""
    instance = smtt_n20[ident]
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=2)
    _agrees_with(instance, result, instance.meta["opt"])
    assert result.status == "optimal"
    assert result.stats["workers"] == 2


@pytest.mark.parametrize("ident", [109, 119])
def test_positional_model_closes_the_hardest_n20(ident, smtt_n20):
    """#109 and #119 take the pair model 6-9 s; beside it the positional model proves them in
    about a second. Both models run (no time limit) and report their CP-SAT status."""
    instance = smtt_n20[ident]
    result = schedkit.solve(instance, "cpsat", time_limit=None, workers=2)
    _agrees_with(instance, result, instance.meta["opt"])
    assert result.status == "optimal"
    assert set(result.stats["models"]) == {"pair", "positional"}
    assert "OPTIMAL" in result.stats["models"].values()


def test_weighted_and_single_worker_use_the_pair_model_only(smtt_n20):
    """The positional model needs equal weights and a spare worker; otherwise pair alone."""
    weighted = schedkit.solve(_wt40(1), "cpsat", time_limit=None, workers=2)  # proofs at any speed
    single = schedkit.solve(smtt_n20[41], "cpsat", time_limit=None, workers=1)
    for result in (weighted, single):
        assert result.stats["models"] == {"pair": "OPTIMAL"}
        assert result.status == "optimal"


def test_objective_beyond_int64_is_refused():
    """Weights 10^6 and due dates -10^15 could overflow CP-SAT's integers (and every kernel's):
    the model itself refuses the instance, before any method sees it."""
    with pytest.raises(InvalidInstance, match="beyond the limit 2\\^62"):
        SMTTInstance(p=[10**9] * 3, d=[-(10**15)] * 3, w=[10**6] * 3)


@pytest.mark.parametrize("k", [1, 3, 21, 47, 83])
def test_weighted_wt40(k):
    """Weighted n=40 instances CP-SAT proves in about a second (no time limit): the optimum is
    wtopt40's."""
    instance = _wt40(k)
    result = schedkit.solve(instance, "cpsat", time_limit=None)
    _agrees_with(instance, result, WT40_OPT[k - 1])
    assert result.status == "optimal"


def test_time_limit_on_a_hard_instance():
    """wt40 #7 is not proved in 2 s: CP-SAT stops on time with a checked, feasible answer."""
    instance = _wt40(7)
    result = schedkit.solve(instance, "cpsat", time_limit=2, workers=2)
    _agrees_with(instance, result, WT40_OPT[6])
    assert result.status == "feasible"
    assert result.stats["solver_status"] in {"FEASIBLE", "UNKNOWN"}


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


@settings(max_examples=60, deadline=None)
@given(st.one_of(smtt_instances(max_jobs=8), tied_instances()))
def test_dp_cpsat_mip_agree_on_small_instances(instance):
    """Ties, zero/negative/far due dates, zero weights: dp == cpsat == mip == enumeration (no
    time limit: proofs at any speed)."""
    optimum = brute_force_optimum(instance)
    for method in ("dp", "cpsat", "mip"):
        result = schedkit.solve(instance, method, time_limit=None, workers=1)
        assert result.status == "optimal", method
        _agrees_with(instance, result, optimum)


def test_cpsat_refuses_beyond_its_size_unless_nothing_is_late() -> None:
    """cpsat refuses more than 1000 jobs up front (before its imports and warm start), but
    answers an instance whose EDD order is on time as optimal, at any size."""
    late = SMTTInstance(p=[2] * 1001, d=[1] * 1001)
    with pytest.raises(ProblemTooLarge, match="beyond its 1000"):
        schedkit.solve(late, "cpsat")
    on_time = SMTTInstance(p=[1] * 1001, d=list(range(1, 1002)))
    result = schedkit.solve(on_time, "cpsat")
    assert result.status == "optimal" and result.objective == 0

