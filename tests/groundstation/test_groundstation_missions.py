"""The every-mission repair (heuristics/missions.py) and cpsat's `every_mission` option."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.check import metrics
from schedkit.groundstation.heuristics.board import Board, request_options
from schedkit.groundstation.heuristics.greedy import RULES, best_rule, build
from schedkit.groundstation.heuristics.lns import lns_board
from schedkit.groundstation.heuristics.missions import serve_missions, unserved_missions
from schedkit.groundstation.heuristics.score import Scorer
from tests.groundstation.cases import H, starved


def _board(x, order):
    return build(x, request_options(x), order)


def test_repair_serves_the_starved_mission_at_the_least_cost():
    """Greedy a, b leaves m2 with nothing; the repair gives c its 4 h, a goes: 10 h, U_max 0.5."""
    x = starved()
    board = _board(x, [0, 1, 2])
    assert unserved_missions(board) == [1] and board.unserved() == 4 * H
    assert serve_missions(board) == 1
    assert unserved_missions(board) == []
    assert board.unserved() == 6 * H
    plan = board.solution().to_dict()
    report = schedkit.check(x, plan)
    assert report.feasible and report.objective == 6 * H
    assert metrics(x, plan)["u_max"] == 0.5


def test_cpsat_keeps_every_mission_in_the_window_lns_unless_told_not_to():
    """Windows only: with every_mission (default) the plan serves m2 (10 h, the best such plan);
    without it the hours optimum (12 h) starves m2. Both through the checker."""
    x = starved()
    fair = schedkit.solve(x, "cpsat", time_limit=3, workers=1, window_share=1.0)
    plain = schedkit.solve(x, "cpsat", time_limit=3, workers=1, window_share=1.0, every_mission=False)
    for result in (fair, plain):
        assert schedkit.check(x, result).feasible
        assert result.bound is None or result.bound <= result.objective
    assert plain.objective == 4 * H and plain.stats["u_max"] == 1.0
    assert fair.stats["u_max"] < 1 and fair.objective == 6 * H
    assert fair.stats["missions_repaired"] == 0  # its lns warm start already serves m2 (below)


def test_lns_serves_every_mission_unless_told_not_to():
    """lns with every_mission (default) ranks plans by missions left without a track first: m2
    gets c's 4 h (10 h, the best such plan); without it the hours optimum (12 h) starves m2."""
    x = starved()
    fair = schedkit.solve(x, "lns", time_limit=1, seed=0)
    plain = schedkit.solve(x, "lns", time_limit=1, seed=0, every_mission=False)
    for result in (fair, plain):
        assert schedkit.check(x, result).feasible
    assert fair.objective == 6 * H and fair.stats["u_max"] < 1
    assert plain.objective == 4 * H and plain.stats["u_max"] == 1.0
    assert "missions_repaired" not in plain.stats


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), satellites=st.integers(3, 8))
def test_repair_plans_check_and_never_unserve_a_served_mission(seed, satellites):
    """Generated networks, greedy by request order: after the repair the plan checks and every
    mission served before is still served."""
    x = schedkit.generate.groundstation(satellites, seed, stations=1, antennas=1, requests=3, hours=12)
    board = _board(x, list(range(x.n)))
    before = set(unserved_missions(board))
    repaired = Board(x, board.options)
    repaired.copy_from(board)
    serve_missions(repaired)
    assert set(unserved_missions(repaired)) <= before
    assert schedkit.check(x, repaired.solution()).feasible


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), satellites=st.integers(3, 8))
def test_lns_walk_leaves_no_mission_the_repair_serves_without_a_track(seed, satellites):
    """Generated networks: the walk's best plan checks and leaves no more missions untracked than
    its start, the best greedy plan repaired (the walk never trades a mission's last track for
    hours), and no more unserved seconds than that start at equal missions."""
    x = schedkit.generate.groundstation(satellites, seed, stations=1, antennas=1, requests=3, hours=12)
    options = request_options(x)
    scorer = Scorer(x, every_mission=True)
    stats: dict = {}
    board = lns_board(x, options, scorer, float("inf"), seed, steps=200, stats=stats)
    start, _ = best_rule(x, options, scorer, list(RULES))
    assert serve_missions(start) == stats["missions_repaired"]
    assert schedkit.check(x, board.solution()).feasible
    assert scorer.key(board.tracked) <= scorer.key(start.tracked)
    assert len(unserved_missions(board)) <= len(unserved_missions(start))
