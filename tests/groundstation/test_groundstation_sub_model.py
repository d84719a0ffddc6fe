"""Window rounds over a model of the free slots only (solvers/sub_model.py): the same optimum
as the clone of the full model with every other slot fixed, and plans that check."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.heuristics.greedy import build as greedy_board
from schedkit.groundstation.solvers import cpsat_model
from schedkit.groundstation.solvers.sub_model import SubModels
from schedkit.groundstation.solvers.window_lns import WindowSearch
from tests.groundstation.cases import mixed, networks, starved


def _states(x, order, kept_all: bool):
    """Two window states over cpsat's model of x from the greedy plan of `order`: one solving
    rounds on the clone, one on the sub-models."""
    opts = request_options(x)
    board = greedy_board(x, opts, order)
    model = cp_model.CpModel()
    slots, tracked = cpsat_model.build(model, x, opts)
    model.minimize(x.requested - sum(tracked))
    values = cpsat_model.hint_values(slots, board)
    kept = cpsat_model.kept_missions(x, slots, values) if kept_all else set()
    if kept_all:
        cpsat_model.keep_missions(model, x, slots, values)
    spans = [(s.option.lo, s.option.hi, s.option.antennas, x.requests[s.i].mission) for s in slots]
    objective = x.requested - sum(v[2] for v in values)
    made = []
    for builder in (None, SubModels(x, [(s.i, s.option, s.copy) for s in slots],
                                    cpsat_model.merged_maintenance(x), kept).build):
        made.append(WindowSearch([cpsat_model.slot_vars(s) for s in slots], spans,
                                 [list(v) for v in values], objective, builder=builder))
    return model, slots, made


def _plan(x, slots, state):
    return cpsat_model.plan_from(x, slots, state.values)[0]


@settings(max_examples=20, deadline=None)
@given(x=networks(), data=st.data())
def test_a_sub_model_round_never_beats_the_clone_rounds_proven_optimum(x, data):
    """Drawn instances, a greedy incumbent, a random set of free slots: both plans check, and
    a round that proves its neighbourhood optimal is never beaten by the other (so when both
    prove it, they agree). CP-SAT may not prove a drawn case in its 2 s (seconds are the
    unit): then only the plans are checked."""
    order = data.draw(st.permutations(range(x.n)))
    model, slots, (clone, sub) = _states(x, order, data.draw(st.booleans()))
    if not slots:
        return
    free = set(data.draw(st.lists(st.integers(0, len(slots) - 1), min_size=1, unique=True)))
    clone.round(model, cp_model, free, 2.0, 1, 0)
    sub.round(model, cp_model, free, 2.0, 1, 0)
    for state in (clone, sub):
        assert schedkit.check(x, _plan(x, slots, state)).feasible
    if clone.last_proved:
        assert sub.objective >= clone.objective
    if sub.last_proved:
        assert clone.objective >= sub.objective


def test_a_sub_model_round_over_every_slot_reaches_the_mixed_optimum():
    """Every slot of the mixed fixture free, from the greedy plan: the round reaches the
    optimum, 10800 s unserved (cpsat and mip agree, test_groundstation_methods), as the
    clone's round does."""
    x = mixed()
    model, slots, (clone, sub) = _states(x, list(range(x.n)), False)
    everything = set(range(len(slots)))
    for state in (clone, sub):
        state.round(model, cp_model, everything, 10.0, 1, 0)
        assert state.last_proved and state.objective == 10800
        assert schedkit.check(x, _plan(x, slots, state)).feasible


def test_a_kept_mission_stays_tracked_in_a_sub_model_round():
    """starved(): greedy c, b serves both missions; with the missions kept, freeing every slot
    cannot drop m2 for the 12 h plan: the best kept plan is 10 h (6 h unserved)."""
    x = starved()
    model, slots, (clone, sub) = _states(x, [2, 1, 0], True)
    for state in (clone, sub):
        assert state.objective == 6 * 3600
        state.round(model, cp_model, set(range(len(slots))), 10.0, 1, 0)
        assert state.objective == 6 * 3600


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), satellites=st.integers(2, 5))
def test_cpsat_with_sub_models_plans_check_and_never_lose_to_the_warm_start(seed, satellites):
    """Generated networks, windows only, with and without sub-models: plans check and are at
    most the warm start."""
    x = schedkit.generate.groundstation(satellites, seed, stations=2, requests=2, hours=6)
    for flag in (True, False):
        result = schedkit.solve(x, "cpsat", time_limit=1.5, workers=1, window_share=1.0, sub_models=flag)
        assert schedkit.check(x, result).feasible
        assert result.objective <= result.stats["warm_start"]
        assert result.bound is None or result.bound <= result.objective


def test_window_search_rng_is_unused_by_sub_models():
    """The builder changes how a round is solved, not which slots it frees."""
    x = mixed()
    _, _, (clone, sub) = _states(x, list(range(x.n)), False)
    a = clone.neighbourhood(np.random.default_rng(5), (0, 10 * 3600), 2)
    b = sub.neighbourhood(np.random.default_rng(5), (0, 10 * 3600), 2)
    assert a == b
