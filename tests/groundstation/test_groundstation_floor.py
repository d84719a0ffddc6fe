"""lns, ga and ffeea stop at a plan that meets the proven floor (floor.py: the interval LP's bound
on up to 50 requests) and answer `optimal` only then, with the floor as bound: without a time
limit they ran their whole 10 s budget on tiny instances whose first plan was already optimal.
Asserted without a clock: the walk's step and generation counts are 0 when the first plan meets
the floor, and every `optimal` equals the optimum cpsat proves."""

from __future__ import annotations

from hypothesis import assume, given, settings

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.heuristics.floor import floor_result, proven_floor
from schedkit.groundstation.solvers.mission_lp import untracked_missions_bound
from schedkit.result import Result
from tests.groundstation.cases import cpsat_optimum, networks, rivals, two_places


@settings(max_examples=12, deadline=None)
@given(networks())
def test_a_first_plan_at_the_floor_ends_the_search_at_once(x):
    """When the best greedy plan (every mission it can track tracked) meets the floor, ga and ffeea
    evolve no generation and lns takes no step, with no time limit; each answers optimal, and
    the optimum is the one cpsat proves."""
    floor = proven_floor(x, request_options(x), "hours", 10.0)
    greedy = schedkit.solve(x, "greedy", workers=1)
    assume(greedy.objective == floor[1] > 0 and greedy.stats["u_max"] < 1)
    optimum = cpsat_optimum(x, 5.0)
    for method, count in (("ga", "iterations"), ("ffeea", "iterations"), ("lns", "lns_steps")):
        result = schedkit.solve(x, method, workers=1)
        assert result.status == "optimal" and result.bound == result.objective == optimum, method
        if method != "lns" or result.stats.get("missions_repaired", 0) == 0:
            assert result.stats[count] == 0, (method, result.stats)


@settings(max_examples=12, deadline=None)
@given(networks())
def test_optimal_only_at_a_proven_optimum(x):
    """Within a fixed number of steps and generations (no clock), an `optimal` answer's bound
    equals its objective and the optimum cpsat proves; a `feasible` one stays above the floor."""
    floor = proven_floor(x, request_options(x), "hours", 10.0)[1]
    for method, options in (("ga", {"generations": 3}), ("lns", {"steps": 30})):
        result = schedkit.solve(x, method, workers=1, **options)
        if result.status == "optimal":
            assert result.bound == result.objective == cpsat_optimum(x, 5.0)
        else:
            assert result.objective > floor and result.bound is None


def test_two_places_stops_at_its_floor():
    """One mission on two antennas over the same 2 h: the transportation caps prove 7200 s
    unserved, which the first plan meets."""
    x = two_places()
    assert proven_floor(x, request_options(x), "hours", 10.0) == (0, 7200)
    for method in ("lns", "ga", "ffeea"):
        result = schedkit.solve(x, method, workers=2)
        assert (result.status, result.objective, result.bound) == ("optimal", 7200, 7200)
        assert "walks" not in result.stats  # lns's second walk was stopped, not waited for


def test_a_floor_is_claimed_only_when_met():
    """Below the plan: stats only. Above it (a bug, not a proof): recorded and dropped."""
    plan = Result("feasible", 100, None, None, {})
    assert floor_result(plan, 0) is plan
    assert floor_result(plan, 40).status == "feasible" and floor_result(plan, 40).bound is None
    assert floor_result(plan, 100).status == "optimal" and floor_result(plan, 100).bound == 100
    assert floor_result(plan, 140).stats["discarded_bound"] == 140 and floor_result(plan, 140).bound is None


def test_cpsat_returns_a_warm_start_at_the_floor_without_a_model():
    """cpsat's lns warm start stops at the floor too, and a plan there is answered optimal before
    any CP-SAT model is built (solver_status "not run")."""
    result = schedkit.solve(two_places(), "cpsat", workers=1)
    assert (result.status, result.objective, result.bound) == ("optimal", 7200, 7200)
    assert result.stats["solver_status"] == "not run" and result.stats["proven_floor"] == 7200


def test_a_plan_that_must_leave_a_mission_out_stops_at_the_floor():
    """rivals: two missions want the same hour of one antenna, so every plan leaves one out. With
    every_mission the first plan (one mission tracked, 3600 s unserved) meets the floor on
    unserved seconds; the missions' LP proves one mission must go, so lns takes no step (it ran
    all its steps, or its whole budget without `steps`) and answers optimal. Without
    every_mission the floor on unserved seconds alone stops it."""
    x = rivals()
    assert proven_floor(x, request_options(x), "hours", 10.0) == (0, 3600)
    assert untracked_missions_bound(x, request_options(x)) == 1
    for every_mission in (True, False):
        result = schedkit.solve(x, "lns", workers=1, steps=1000, every_mission=every_mission)
        assert (result.status, result.objective, result.bound) == ("optimal", 3600, 3600)
        assert result.stats["lns_steps"] == 0
        assert result.stats.get("missions_floor") == (1 if every_mission else None)
        assert schedkit.check(x, result).feasible
