"""RCPSP exact methods: CP-SAT against the PSPLIB optima, the MIP against CP-SAT, `auto`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import schedkit
from schedkit import ProblemTooLarge
from schedkit.rcpsp.auto import plan
from schedkit.rcpsp.solvers import lns
from tests.rcpsp.conftest import agrees_with, optimum, psplib, tiny
from tests.rcpsp.strategies import projects

# One instance from each of 12 parameter classes (NC, RF, RS spread), CP-SAT proves each in
# well under a second with one worker; no time limit keeps the outcome runner-independent.
SPREAD = ["j301_1", "j305_3", "j309_7", "j3017_2", "j3021_4", "j3025_7", "j3033_1",
          "j3037_7", "j3041_2", "j3045_7", "j3046_2", "j3048_10"]


def test_registered():
    """cpsat, cpsat-lns, mip and auto are exact; sgs-serial, sgs-parallel, sampling, fbi, ga
    and sgs-lags heuristics."""
    kinds = {row.name: row.kind for row in schedkit.methods("rcpsp")}
    assert kinds == {"cpsat": "exact", "mip": "exact", "auto": "exact", "sgs-serial": "heuristic",
                     "sgs-parallel": "heuristic", "sampling": "heuristic", "fbi": "heuristic",
                     "sgs-lags": "heuristic", "ga": "heuristic", "cpsat-lns": "exact"}


@pytest.mark.parametrize("name", SPREAD)
def test_cpsat_proves_psplib_optimum(name):
    """CP-SAT with one worker proves the published optimum of j30 instances across classes."""
    x = psplib(name)
    result = schedkit.solve(x, "cpsat", time_limit=None, workers=1)
    agrees_with(x, result, optimum(name))
    assert result.status == "optimal"
    assert result.stats["workers"] == 1


def test_cpsat_uses_the_warm_start_and_reports_it():
    """The warm start's makespan is in stats and never below what CP-SAT returns."""
    x = psplib("j3025_7")
    result = schedkit.solve(x, "cpsat", time_limit=None, workers=2)  # the optimum at any speed
    assert result.stats["warm_start"] >= result.objective == optimum("j3025_7")
    assert result.stats["workers"] == 2


def test_cpsat_proves_tiny_beyond_the_simple_bounds():
    """tiny: the bounds give 4, CP-SAT proves 5 (the disjunction of activities 1 and 2)."""
    result = schedkit.solve(tiny(), "cpsat", time_limit=None, workers=1)  # a proof at any speed
    assert (result.status, result.objective, result.bound) == ("optimal", 5, 5)
    agrees_with(tiny(), result, 5)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_mip_on_tiny(solver):
    """The time-indexed MIP proves 5 on tiny with HiGHS and with CBC."""
    result = schedkit.solve(tiny(), "mip", time_limit=None, workers=1, solver=solver)
    assert (result.status, result.objective, result.bound) == ("optimal", 5, 5)
    agrees_with(tiny(), result, 5)


@pytest.mark.parametrize("name", ["j301_1", "j3017_2"])
def test_mip_on_small_psplib(name):
    """On easy j30 instances the MIP returns the optimum and proves it (no time limit)."""
    x = psplib(name)
    result = schedkit.solve(x, "mip", time_limit=None, workers=1)
    agrees_with(x, result, optimum(name))
    assert result.status == "optimal"


def test_mip_refuses_large_projects():
    """Beyond MAX_VARIABLES pulse variables the MIP raises ProblemTooLarge instead of trying."""
    big = schedkit.generate.rcpsp(300, 4, seed=1, rs=0.2)
    with pytest.raises(ProblemTooLarge, match="pulse variables"):
        schedkit.solve(big, "mip", time_limit=10, workers=1)


@settings(max_examples=25, deadline=None)
@given(projects(max_activities=7, max_resources=2))
def test_cpsat_and_mip_agree_and_beat_sgs(project):
    """On random small projects CP-SAT proves an optimum <= every SGS schedule, and the MIP
    proves the same value."""
    exact = schedkit.solve(project, "cpsat", time_limit=None, workers=1)  # proofs at any speed
    assert exact.status == "optimal"
    assert schedkit.check(project, exact).feasible
    for method in ("sgs-serial", "sgs-parallel"):
        assert exact.objective <= schedkit.solve(project, method).objective
    mip = schedkit.solve(project, "mip", time_limit=None, workers=1)
    assert (mip.status, mip.objective) == ("optimal", exact.objective)


def test_auto_chooses_cpsat():
    """auto runs CP-SAT and says so; a checked schedule, bound <= the optimum <= makespan, and
    optimal only at the optimum (whether 60 s bring the proof depends on the machine)."""
    x = psplib("j3021_4")
    result = schedkit.solve(x, "auto", time_limit=60, workers=1)
    assert result.stats["chosen"] == "cpsat"
    agrees_with(x, result, optimum("j3021_4"))


def test_cpsat_lns_checked_on_j30():
    """cpsat-lns on a j30 instance (mid-size: the whole model, then the GA): checked schedule,
    bound <= the optimum, and optimal only at the optimum, whatever the machine reaches in 4 s."""
    x = psplib("j3013_1")
    result = schedkit.solve(x, "cpsat-lns", time_limit=4, workers=1)
    agrees_with(x, result, optimum("j3013_1"))
    assert "probe_status" in result.stats
    assert (result.stats["warm_share"], result.stats["lns_share"]) == (1.0, 0.0)
    if "generations" not in result.stats:  # the probe (the whole model) proved it before the GA
        assert result.status == "optimal"
    else:  # mid-size: the GA ran to the end, no LNS, no second whole model
        assert {"warm_start", "generations"} <= set(result.stats)
        assert "lns_steps" not in result.stats


def test_cpsat_lns_without_probe_runs_every_phase(monkeypatch):
    """The large-project phases (MID_SIZE 0 here) with PROBE_SHARE 0: the GA, the LNS and the
    whole model run (or the GA meets the bound)."""
    monkeypatch.setattr(lns, "PROBE_SHARE", 0.0)
    monkeypatch.setattr(lns, "MID_SIZE", 0)
    x = psplib("j3013_1")
    result = schedkit.solve(x, "cpsat-lns", time_limit=4, workers=1)
    agrees_with(x, result, optimum("j3013_1"))
    assert "probe_status" not in result.stats
    assert {"warm_start", "generations"} <= set(result.stats)
    assert (result.stats["warm_share"], result.stats["lns_share"]) == (lns.WARM_SHARE, lns.LNS_SHARE)


@settings(max_examples=10, deadline=None)
@given(projects(max_activities=7, max_resources=2))
def test_cpsat_lns_agrees_with_cpsat(project):
    """cpsat-lns (its probe first) on random small projects: checked, its bound at most CP-SAT's
    optimum, and `optimal` only at that optimum."""
    exact = schedkit.solve(project, "cpsat", time_limit=None, workers=1)  # proofs at any speed
    assert exact.status == "optimal"
    result = schedkit.solve(project, "cpsat-lns", time_limit=3, workers=1)
    assert schedkit.check(project, result).feasible
    assert result.bound <= exact.objective <= result.objective
    assert (result.status == "optimal") == (result.objective == result.bound)
    if result.status == "optimal":
        assert result.objective == exact.objective


def test_auto_plan_by_size_and_lags():
    """auto: cpsat below 50 activities (j30), cpsat-lns from 50 (j60, j120), cpsat then sgs-lags
    with lags."""
    assert plan(tiny()) == ("cpsat", "fbi")
    assert plan(psplib("j3013_1")) == ("cpsat", "fbi")
    assert plan(psplib("j6013_1")) == ("cpsat-lns", "fbi")
    assert plan(schedkit.generate.rcpsp(120, 2, seed=1)) == ("cpsat-lns", "fbi")
    assert plan(tiny().replace(lags=[[0, 0, 0], [3], [2], [2], []]))[0] == "cpsat"
