"""Known optima on hand-made instances, exact methods cross-checked, and plan properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.errors import InvalidOption
from schedkit.groundstation.check import metrics
from tests.conftest import ROOT
from tests.groundstation.cases import DATA, KNOWN, mixed, two_places

EXACT = ("cpsat", "mip")


@pytest.mark.parametrize("case", sorted(KNOWN))
@pytest.mark.parametrize("method", EXACT)
def test_exact_methods_prove_the_hand_derived_optimum(case, method):
    """split 1800, array 7200, maintenance clash 1800, one spacecraft in two places 7200 (cases.py),
    proved without a time limit (at any speed)."""
    build, optimum = KNOWN[case]
    x = build()
    result = schedkit.solve(x, method, time_limit=None, workers=1)
    assert result.status == "optimal"
    assert result.objective == optimum
    assert schedkit.check(x, result).feasible


def test_relaxing_the_spacecraft_rule_lets_both_antennas_track():
    """Without satellite-operation mode both 2 h requests are served in full."""
    for method in EXACT:
        assert schedkit.solve(two_places(False), method, time_limit=None, workers=1).objective == 0


def test_cpsat_and_mip_agree_on_the_mixed_fixture():
    """Both exact methods prove 10800 s unserved on the all-features fixture (no time limit)."""
    values = {m: schedkit.solve(mixed(), m, time_limit=None, workers=1) for m in EXACT}
    assert {r.status for r in values.values()} == {"optimal"}
    assert {r.objective for r in values.values()} == {10800}


def test_heuristics_are_reproducible_with_a_seed():
    """Same seed, same plan (lns, ga, ffeea are seeded; greedy is deterministic)."""
    for method in ("greedy", "lns", "ga", "ffeea"):
        a = schedkit.solve(mixed(), method, time_limit=0.2, workers=1, seed=5)
        b = schedkit.solve(mixed(), method, time_limit=0.2, workers=1, seed=5)
        assert a.objective == b.objective


def test_stats_match_the_checker_metrics():
    """tracked hours, satisfied requests, U_rms and U_max in stats equal the checker's."""
    x = mixed()
    result = schedkit.solve(x, "cpsat", time_limit=5, workers=1)
    again = metrics(x, result.solution.to_dict())
    assert result.stats["tracked_hours"] == pytest.approx(again["tracked_hours"], abs=1e-4)
    assert result.stats["requests_satisfied"] == again["requests_satisfied"]
    assert result.stats["u_max"] == pytest.approx(again["u_max"], abs=1e-6)
    assert result.stats["u_rms"] == pytest.approx(again["u_rms"], abs=1e-6)


def test_fair_objective_lowers_u_max():
    """objective="fair" gives a U_max no higher than the hours objective's (both solved to the
    end, without a time limit: the comparison holds only between finished runs)."""
    x = mixed()
    fair = schedkit.solve(x, "cpsat", time_limit=None, workers=1, objective="fair")
    hours = schedkit.solve(x, "cpsat", time_limit=None, workers=1)
    assert schedkit.check(x, fair).feasible
    assert fair.stats["u_max"] <= hours.stats["u_max"]
    assert fair.objective >= hours.objective


def test_ffeea_reports_decodes_saved():
    """ffeea's stats count the decodes the fuzzy evaluation skipped."""
    result = schedkit.solve(mixed(), "ffeea", time_limit=0.5, workers=1)
    assert result.stats["decodes_saved"] >= 0 and result.stats["decodes"] >= 1


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), satellites=st.integers(1, 4))
def test_no_plan_is_worse_than_empty_and_cpsat_never_worse_than_greedy(seed, satellites):
    """Generated networks: every plan checks, unserved <= requested, cpsat <= greedy."""
    x = schedkit.generate.groundstation(satellites, seed, stations=2, requests=2, hours=6)
    greedy = schedkit.solve(x, "greedy", workers=1)
    cpsat = schedkit.solve(x, "cpsat", time_limit=2, workers=1)
    for result in (greedy, cpsat):
        assert schedkit.check(x, result).feasible
        assert result.objective <= x.requested
    assert cpsat.objective <= greedy.objective
    assert cpsat.bound is None or cpsat.bound <= greedy.objective


@pytest.mark.parametrize("method", ["greedy", "lns", "ga", "ffeea"])
def test_heuristics_take_the_fair_objective(method):
    """objective="fair" ranks plans by U_max first; the plan still checks."""
    result = schedkit.solve(mixed(), method, time_limit=0.2, workers=1, objective="fair")
    assert schedkit.check(mixed(), result).feasible


def test_greedy_rule_option_and_unknown_rule():
    """rule= picks one ordering (named in stats); an unknown rule is refused."""
    result = schedkit.solve(mixed(), "greedy", rule="window_end")
    assert result.stats["rule"] == "window_end"
    with pytest.raises(schedkit.SchedkitError, match="unknown rule"):
        schedkit.solve(mixed(), "greedy", rule="nope")


def test_auto_records_what_ran():
    """auto runs cpsat on a small instance and says so."""
    x = mixed()
    result = schedkit.solve(x, "auto", time_limit=3, workers=1)
    assert result.stats["chosen"] == "cpsat" and schedkit.check(x, result).feasible
    assert result.bound is not None and result.bound <= 10800 <= result.objective  # optimum 10800
    if result.status == "optimal":  # what 3 s reach depends on the machine's load
        assert result.objective == 10800


def test_gantt_writes_a_png(tmp_path):
    """One row per antenna, maintenance hatched: the chart file is written."""
    pytest.importorskip("matplotlib")
    from schedkit.groundstation.gantt import gantt

    x = mixed()
    result = schedkit.solve(x, "greedy")
    gantt(x, result.solution, tmp_path / "plan.png")
    assert (tmp_path / "plan.png").stat().st_size > 1000


@pytest.mark.parametrize("case", sorted(KNOWN))
def test_mission_flow_bound_never_exceeds_the_optimum(case):
    """The transportation bound is a valid lower bound (and tight for one spacecraft, two places)."""
    from schedkit.groundstation.heuristics.board import request_options
    from schedkit.groundstation.solvers.bounds import mission_flow_bound

    build, optimum = KNOWN[case]
    x = build()
    bound = mission_flow_bound(x, request_options(x))
    assert 0 <= bound <= optimum
    if case == "two_places":
        assert bound == optimum
        assert mission_flow_bound(two_places(False), request_options(two_places(False))) == 0


def test_mip_refuses_a_large_instance_at_once():
    """400 requests (2,712 optional tracks) are far beyond the big-M model: ProblemTooLarge."""
    many = schedkit.load(DATA.parent.parent.parent / "instances" / "groundstation" / "csgsnsp"
                         / "gs_sat100.json")
    with pytest.raises(schedkit.ProblemTooLarge):
        schedkit.solve(many, "mip", time_limit=5, workers=1)


@pytest.mark.parametrize("option, value", [
    ("warm_share", 2.0), ("warm_share", -0.5), ("bound_share", 2.0), ("clip_share", -1.0),
    ("short_share", 1.5), ("group_share", -1e300), ("insert_share", 7.0), ("window_share", 3.0),
    ("window_share", -0.5), ("late_history", 10**12), ("bound_grid", -5), ("interval_grid", -2),
])
def test_cpsat_refuses_shares_outside_0_1_and_absurd_counts(option, value):
    """A share is of the time limit (warm_share=1e12 ran the warm start past the limit), a
    history is allocated (10**12 steps: MemoryError), a grid is seconds (-1 and 0 are
    interval_grid's documented switches): each out of range is an InvalidOption naming it."""
    instance = schedkit.generate.groundstation(satellites=2, seed=1)
    with pytest.raises(InvalidOption, match=option):
        schedkit.solve(instance, "cpsat", time_limit=1, **{option: value})


def test_lns_refuses_an_absurd_late_history():
    """lns allocates its late-acceptance history: 10**12 steps is refused, not a MemoryError."""
    instance = schedkit.generate.groundstation(satellites=2, seed=1)
    with pytest.raises(InvalidOption, match="late_history"):
        schedkit.solve(instance, "lns", time_limit=1, late_history=10**12)


@pytest.mark.parametrize("method", ["greedy", "lns", "ga", "ffeea"])
def test_a_heuristic_serving_every_second_claims_optimal_and_one_that_does_not_claims_nothing(
        method: str) -> None:
    """Nothing unserved is the optimum (bound 0); otherwise a heuristic has no bound."""
    network = schedkit.generate.groundstation(satellites=20, seed=0)
    for instance in (network, schedkit.load(ROOT / "instances" / "groundstation" / "problems.json#W10_2018")):
        result = schedkit.solve(instance, method, time_limit=0.5, seed=0)
        assert schedkit.check(instance, result).feasible
        if result.objective == 0:
            assert (result.status, result.bound) == ("optimal", 0)
        else:
            assert (result.status, result.bound) == ("feasible", None)
