"""The placer: with `split`, a splittable request tries a first track that leaves room for a second."""

from __future__ import annotations

from hypothesis import given, settings

from schedkit.groundstation.heuristics.board import Board, request_options
from schedkit.groundstation.model import GroundStationInstance
from tests.groundstation.cases import H, networks, request


def placed(x: GroundStationInstance, latest: bool = False) -> tuple[int, list[tuple[int, int, int]]]:
    """Seconds the splitting placer gives the first request on an empty board, and its tracks."""
    board = Board(x, request_options(x))
    added = board.place(0, latest=latest, split=True)
    return added, sorted(board.tracks[0])


def test_two_short_tracks_beat_the_longest_one():
    """8 h (pieces >= 4 h): A is in view 7 h, B 4 h later on. The longest track (7 h on A) leaves
    1 h, too short for a piece; 4 h on A then 4 h on B give all 8 h."""
    x = GroundStationInstance((
        request("r", "m", 8 * H, 8 * H, [(("A",), [(0, 7 * H)]), (("B",), [(7 * H, 11 * H)])]),
    ), name="two_pieces")
    for latest in (False, True):
        added, tracks = placed(x, latest)
        assert added == 8 * H
        assert [off - on for _, on, off in tracks] == [4 * H, 4 * H]


def test_the_longest_track_stays_when_the_retry_gains_nothing():
    """8 h in view 7 h on A only: a 4 h piece leaves 3 h, too short; the 7 h track stays."""
    x = GroundStationInstance((request("r", "m", 8 * H, 8 * H, [(("A",), [(0, 7 * H)])]),), name="one")
    added, tracks = placed(x)
    assert added == 7 * H
    assert tracks == [(0, 0, 7 * H)]


@settings(max_examples=60, deadline=None)
@given(networks())
def test_placing_never_gives_less_than_the_longest_track_first(x):
    """The retry is kept only when it gains: each request, placed alone on an empty board, gets at
    least what its longest first track would give it (and never more than it asks)."""
    options = request_options(x)
    for i, r in enumerate(x.requests):
        board = Board(x, options)
        added = board.place(i, split=True)
        plain = Board(x, options)
        longest = plain._fill(i, -1, False, r.duration)
        assert longest <= added <= r.duration
        assert board.tracked[i] == added == sum(off - on for _, on, off in board.tracks[i])


def test_one_pass_placement_keeps_the_longest_track():
    """Without `split` (greedy, ga, ffeea) the request keeps its longest track, 7 h on A."""
    x = GroundStationInstance((
        request("r", "m", 8 * H, 8 * H, [(("A",), [(0, 7 * H)]), (("B",), [(7 * H, 11 * H)])]),
    ), name="two_pieces")
    board = Board(x, request_options(x))
    assert board.place(0) == 7 * H
    assert board.tracks[0] == [(0, 0, 7 * H)]
