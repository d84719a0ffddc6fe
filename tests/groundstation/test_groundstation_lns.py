"""The lns walk (heuristics/lns.py) with and without late acceptance, and its `late_history` option."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.heuristics.greedy import RULES, best_rule
from schedkit.groundstation.heuristics.lns import lns_board
from schedkit.groundstation.heuristics.score import Scorer
from tests.groundstation.cases import generated_networks, mixed

FAR = 3600.0  # a deadline no test reaches: the walks below end by `stall`


@settings(max_examples=15, deadline=None)
@given(generated_networks(), st.sampled_from([0, 1, 5, 100]), st.integers(0, 3))
def test_lns_plans_check_and_never_lose_to_the_best_greedy_rule(x, history, seed):
    """Accepting worse plans (late acceptance) never makes the returned best plan worse than
    the greedy plan the walk starts from, and every returned plan checks."""
    options, scorer = request_options(x), Scorer(x)
    greedy, _ = best_rule(x, options, scorer, list(RULES))
    board = lns_board(x, options, scorer, time.perf_counter() + FAR, seed, stall=40, history=history)
    report = schedkit.check(x, board.solution().to_dict())
    assert report.feasible
    assert report.objective == board.unserved() <= greedy.unserved()


def test_late_history_is_an_option_of_lns_and_cpsat():
    """Both methods take `late_history` (0: the plain walk) and return checked plans."""
    x = mixed()
    for method in ("lns", "cpsat"):
        for history in (0, 100):
            result = schedkit.solve(x, method, time_limit=1.0, workers=1, late_history=history)
            assert schedkit.check(x, result).feasible


@settings(max_examples=10, deadline=None)
@given(generated_networks(), st.integers(0, 3))
def test_a_step_limit_makes_the_walk_reproducible(x, seed):
    """`steps` ends the walk after that many steps whatever the machine's speed: two walks with
    one seed give the same plan, and no step at all leaves the best greedy plan."""
    options, scorer = request_options(x), Scorer(x)
    walks = [lns_board(x, options, scorer, time.perf_counter() + FAR, seed, steps=60) for _ in range(2)]
    assert walks[0].tracks == walks[1].tracks
    greedy, _ = best_rule(x, options, scorer, list(RULES))
    assert lns_board(x, options, scorer, time.perf_counter() + FAR, seed, steps=0).tracks == greedy.tracks
