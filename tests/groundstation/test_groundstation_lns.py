"""The lns walk (heuristics/lns.py) with and without late acceptance, and its `late_history` option."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.heuristics.greedy import RULES, best_rule, build
from schedkit.groundstation.heuristics.lns import Freed, WalkSetting, lns_board, walk
from schedkit.groundstation.heuristics.score import Scorer
from tests.groundstation.cases import generated_networks, mixed, two_places

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


@settings(max_examples=15, deadline=None)
@given(generated_networks(), st.integers(0, 3))
def test_skipping_requests_the_ruin_freed_nothing_for_changes_no_plan(x, seed):
    """A short request whose options miss every freed interval finds no slot, so skipping it
    (the default) walks through the very same plans as retrying every short request."""
    options, scorer = request_options(x), Scorer(x)
    fast = lns_board(x, options, scorer, time.perf_counter() + FAR, seed, steps=60)
    slow = lns_board(x, options, scorer, time.perf_counter() + FAR, seed, steps=60, skip_full=False)
    assert fast.tracks == slow.tracks


def _every_slot(board, i, want, alt=-1, latest=False):
    """best_slot without its pruning: every gap of every option, longest, then earliest (or the
    latest end, flush right), the first option on ties."""
    found = []
    for option in board.options[i]:
        if alt < 0 or option.alt == alt:
            for lo, hi in board._gaps(i, option):
                length = min(want, hi - lo)
                if length >= board.min_track[i]:
                    slot = (option.alt, hi - length, hi) if latest else (option.alt, lo, lo + length)
                    found.append(((length, hi) if latest else (length, -lo), slot))
    if not found:
        return None
    top = max(key for key, _ in found)
    return next(slot for key, slot in found if key == top)


@settings(max_examples=25, deadline=None)
@given(generated_networks(), st.integers(0, 4), st.booleans())
def test_best_slot_skips_only_options_that_cannot_win(x, rule, latest):
    """On boards part filled by a greedy rule, best_slot with its option pruning returns what
    the search of every gap returns, for every request and every want, earliest or latest."""
    options = request_options(x)
    order = RULES[list(RULES)[rule]](x, options)
    board = build(x, options, order[: len(order) // 2])
    for i in range(x.n):
        for want in (board.min_track[i], x.requests[i].duration):
            assert board.best_slot(i, want, latest=latest) == _every_slot(board, i, want, latest=latest)
            for alt in {option.alt for option in board.options[i]}:
                assert (board.best_slot(i, want, alt, latest)
                        == _every_slot(board, i, want, alt, latest))


def test_skipping_changes_no_plan_on_a_satnet_week():
    """The same on SatNet W10, where about one short request per step does gain room."""
    root = Path(__file__).resolve().parents[2]
    x = schedkit.load(str(root / "instances/groundstation/problems.json#W10_2018"))
    options, scorer = request_options(x), Scorer(x)
    fast = lns_board(x, options, scorer, time.perf_counter() + FAR, 0, steps=300)
    slow = lns_board(x, options, scorer, time.perf_counter() + FAR, 0, steps=300, skip_full=False)
    assert fast.tracks == slow.tracks


def test_a_freed_mission_interval_lets_its_other_requests_gain():
    """two_places: a holds the spacecraft over [0, 2 h) on A, so b (antenna B) has no slot. Once a
    is ruined, b may gain through the freed mission time alone (B was never busy); relaxed
    (one spacecraft may use two antennas) nothing was freed for b."""
    for exclusive in (True, False):
        x = two_places(exclusive)
        board = build(x, request_options(x), [0, 1])
        assert bool(board.tracks[1]) != exclusive
        freed = Freed()
        freed.take(board, 0)
        board.clear(0)
        assert freed.may_gain(board, 1) == exclusive
    x = two_places(True)
    board = build(x, request_options(x), [0, 1])
    assert board.best_slot(1, 2 * 3600) is None
    freed = Freed()
    freed.take(board, 0)
    board.clear(0)
    assert board.best_slot(1, 2 * 3600) is not None


@settings(max_examples=4, deadline=None)
@given(generated_networks(), st.integers(0, 3))
def test_two_workers_return_the_better_of_two_seeded_walks(x, seed):
    """With `steps` and no time limit a walk has no clock; with two workers `lns` runs walk
    seed + 1 in a child interpreter beside walk `seed` and returns the better plan (ties: its
    own), checked. A walk `seed` that meets the proven floor is optimal: the child is stopped."""
    alone = [walk(x, WalkSetting(steps=40), s, math.inf) for s in (seed, seed + 1)]
    both = schedkit.solve(x, "lns", steps=40, seed=seed, workers=2)
    assert schedkit.check(x, both).feasible and "walks_failed" not in both.stats
    better = 1 if alone[1].key < alone[0].key else 0
    assert both.solution == alone[better].solution
    if "walks" in both.stats:
        assert both.stats["walks"] == 2 and both.stats["best_walk"] == better
    else:
        assert both.status == "optimal" and better == 0
    assert both.objective == x.requested - sum(alone[better].tracked)


def test_one_worker_or_a_short_limit_runs_one_walk():
    x = mixed()
    for workers, limit in ((1, 6.0), (2, 1.0)):
        result = schedkit.solve(x, "lns", time_limit=limit, workers=workers)
        assert "walks" not in result.stats and result.stats["workers"] == workers


def test_a_negative_step_budget_is_refused():
    with pytest.raises(schedkit.SchedkitError, match="steps must be None or a whole number"):
        schedkit.solve(mixed(), "lns", steps=-1)

