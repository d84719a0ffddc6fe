"""Antenna groups (antennas that see the same requests at the same times) and the grouped
rounds of the window LNS that free one group's slots over a longer window."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.solvers.antenna_groups import antenna_groups
from schedkit.groundstation.solvers.window_lns import WindowSearch

H = 3600


def test_antennas_with_the_same_view_periods_form_a_group():
    """Antennas 0 and 1 see request 0 over the same 10 h (1 through an array with 2, over 8 of
    them); antenna 2 also sees request 1, 4 h of its 10 h shared with 0; antenna 3 sees nothing.
    Similarities: 0-1 10/10, 1-2 8/8 (the array) but 0-2 only (8+4)/(8+10): 0.67, so the
    groups are {0, 1, 2}, {1, 0, 2}, {2, 0, 1}, and 3 alone. With threshold 0.7, 0-2 drops."""
    options = [
        [Option(0, (0,), 0, 10 * H), Option(1, (1,), 0, 10 * H), Option(2, (1, 2), 0, 8 * H)],
        [Option(0, (0,), 20 * H, 30 * H), Option(1, (2,), 26 * H, 36 * H)],
    ]
    assert antenna_groups(4, options) == [(0, 1, 2), (1, 0, 2), (2, 0, 1), (3,)]
    assert antenna_groups(4, options, threshold=0.7) == [(0, 1), (1, 0, 2), (2, 1), (3,)]


def test_disjoint_view_periods_make_no_group():
    """Two antennas seeing one request at different times share nothing: each is alone."""
    options = [[Option(0, (0,), 0, 4 * H), Option(1, (1,), 10 * H, 14 * H)]]
    assert antenna_groups(2, options) == [(0,), (1,)]


def test_a_grouped_round_frees_only_its_groups_slots_inside_its_window():
    """Slots on antennas 0, 1 (one group) and 2 (another), some far in time. Every grouped
    round frees only slots that meet its window on its group's antennas, and at some point
    each group is picked."""
    spans = [(0, 4 * H, (0,), "a"), (2 * H, 6 * H, (1,), "b"), (0, 4 * H, (2,), "c"),
             (100 * H, 104 * H, (0,), "d")]
    values = [[1, 0, H, H], [0, 2 * H, 0, 2 * H], [1, 0, H, H], [1, 100 * H, H, 101 * H]]
    state = WindowSearch([(), (), (), ()], spans, values, 0, groups=[(0, 1), (1, 0), (2,)],
                         group_share=1.0, group_hours=12.0)
    rng = np.random.default_rng(3)
    seen = set()
    for _ in range(200):
        free = state.neighbourhood(rng, (0, 104 * H), 3)
        assert state.last_grouped
        assert free in (set(), {0, 1}, {1}, {2}, {3}), free  # {1}: a window from 4 h to 6 h
        seen.add(frozenset(free))
    assert {frozenset({0, 1}), frozenset({2})} <= seen
    assert state.grouped == 200


def test_grouped_windows_narrow_and_widen_apart_from_the_others():
    """A grouped round's proof changes group_hours only; another round's changes hours only."""
    state = WindowSearch([], [], [], 0, hours=8.0, group_hours=12.0)
    state.last_grouped = True
    state._adapt(proved=False, quickly=False)
    assert state.group_hours == 12.0 / 1.25 and state.hours == 8.0
    state.last_grouped = False
    state._adapt(proved=True, quickly=True)
    assert state.hours == 8.0 * 1.25 and state.group_hours == 12.0 / 1.25


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), satellites=st.integers(2, 5))
def test_grouped_window_lns_plans_check_and_never_lose_to_the_warm_start(seed, satellites):
    """Every round grouped: the plan checks and is at most the warm start's unserved seconds."""
    x = schedkit.generate.groundstation(satellites, seed, stations=2, requests=2, hours=6)
    result = schedkit.solve(x, "cpsat", time_limit=2, workers=1, window_share=1.0, group_share=1.0)
    assert schedkit.check(x, result).feasible
    assert result.objective <= result.stats["warm_start"]
    assert result.bound is None or result.bound <= result.objective
    lns = result.stats.get("window_lns")  # absent when the warm start is already optimal
    assert lns is None or 0 <= lns["grouped_improved"] <= lns["grouped"] <= lns["rounds"]
