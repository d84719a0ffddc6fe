"""The placer reads an array's blocking tracks from its antenna groups (arrays.py) instead of every
antenna's timeline: the same boards, track for track, as reading the antennas one by one."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.groundstation.heuristics import arrays
from schedkit.groundstation.heuristics.board import Board, Layout, request_options
from schedkit.groundstation.heuristics.greedy import RULES, build
from schedkit.groundstation.model import Alternative, GroundStationInstance, Request, ViewPeriod

H = 3600
ANTENNAS = tuple(f"A{k}" for k in range(12))


@st.composite
def array_networks(draw) -> GroundStationInstance:
    """2-5 requests on single antennas or arrays of 6-12 of 12 antennas (contiguous runs, so that
    an array meets fewer groups than it has antennas and the placer reads its groups), half-hour grid."""
    made = []
    for k in range(draw(st.integers(2, 5))):
        alternatives = []
        runs = st.tuples(st.sampled_from([1, 6, 9, 12]), st.integers(0, 11)).map(
            lambda run: ANTENNAS[min(run[1], 12 - run[0]):min(run[1], 12 - run[0]) + run[0]])
        for antennas in draw(st.lists(runs, min_size=1, max_size=2, unique=True)):
            on = draw(st.integers(0, 12)) * H // 2
            view = ViewPeriod(on, on + draw(st.integers(2, 12)) * H // 2)
            alternatives.append(Alternative(antennas, (view,)))
        duration = draw(st.integers(1, 6)) * H // 2
        made.append(Request(f"r{k}", draw(st.sampled_from(["m1", "m2", "m3"])), duration,
                            draw(st.integers(1, duration // (H // 2))) * H // 2,
                            draw(st.sampled_from([0, 600])), draw(st.sampled_from([0, 900])), 0, 12 * H,
                            tuple(alternatives)))
    return GroundStationInstance(tuple(made), antennas=ANTENNAS, spacecraft_exclusive=draw(st.booleans()),
                                 name="arrays")


def _tracks(board: Board) -> list[list[tuple[int, int, int]]]:
    return [sorted(t) for t in board.tracks]


@settings(max_examples=30, deadline=None)
@given(array_networks(), st.data())
def test_groups_place_the_tracks_the_antennas_place(x, data):
    """Every rule's board, and a board after clearing and re-placing a request (lns's move), is
    the same through the groups as through the antennas one by one."""
    options = request_options(x)
    grouped = Layout.of(x)
    plain = replace(grouped, meets=None)
    for rule in RULES:
        order = RULES[rule](x, options)
        a, b = build(x, options, order, layout=grouped), build(x, options, order, layout=plain)
        assert _tracks(a) == _tracks(b)
    i = data.draw(st.integers(0, x.n - 1))
    for board in (a, b):
        copy = board.blank()
        copy.copy_from(board)
        copy.clear(i)
        copy.place(i, latest=True, split=True)
        board.copy_from(copy)
    assert _tracks(a) == _tracks(b)


def test_groups_are_listed_only_for_arrays_and_within_their_cost(monkeypatch):
    """No array: no groups to read. Arrays: each group meets the groups sharing an antenna; past
    MAX_MEETING_WORK the antennas are read one by one."""
    assert arrays.antenna_groups([[(0,), (1,)], [(1,)]], 2) == ([[0, 1], [1]], None)
    alt_group, meets = arrays.antenna_groups([[(0, 1)], [(1, 2)], [(3,)]], 4)
    assert alt_group == [[0], [1], [2]] and meets == [[0, 1], [0, 1], [2]]
    monkeypatch.setattr(arrays, "MAX_MEETING_WORK", 3)
    assert arrays.antenna_groups([[(0, 1)], [(1, 2)], [(3,)]], 4)[1] is None
