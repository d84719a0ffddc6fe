"""Extreme inputs under a time limit (weaknesses of the 2026-12-07 audit, each fixed):
- 70,000 maintenance windows (a SatNet week's antennas down in 5,000 tiles each): computing the
  options sorted every window of an alternative's antennas per view period (6.3 s), so every
  method answered `unknown` at 2 s; a view period now looks at the windows near it only."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.groundstation.heuristics import board
from schedkit.groundstation.heuristics.board import Option, request_options
from schedkit.groundstation.model import Alternative, GroundStationInstance, Maintenance, Request, ViewPeriod

H = 3600


def _naive_options(x: GroundStationInstance) -> list[list[Option]]:
    """The options as the module docstring states them: (view ∩ window) minus every maintenance
    window of the alternative's antennas widened by set-up and tear-down, long enough pieces."""
    index = {a: k for k, a in enumerate(x.antennas)}
    found = []
    for r in x.requests:
        mine = []
        for a, alternative in enumerate(r.alternatives):
            down = sorted((m.start - r.teardown, m.end + r.setup) for m in x.maintenance
                          if m.antenna in alternative.antennas and m.end > m.start)
            for period in alternative.view_periods:
                at, hi = max(period.on, r.window_start), min(period.off, r.window_end)
                pieces = []
                for s, e in down:
                    if s > at:
                        pieces.append((at, min(s, hi)))
                    at = max(at, e)
                pieces.append((at, hi))
                mine.extend(Option(a, tuple(index[n] for n in alternative.antennas), p, q)
                            for p, q in pieces if q - p >= r.min_track)
        found.append(mine)
    return found


@st.composite
def _with_maintenance(draw) -> GroundStationInstance:
    """1-3 requests on A, B or the array, view periods and maintenance (empty, touching and
    overlapping windows) on a 1-unit grid of 20 units."""
    requests = []
    for k in range(draw(st.integers(1, 3))):
        alternatives = []
        kinds = st.sampled_from([("A",), ("B",), ("A", "B")])
        for antennas in draw(st.lists(kinds, max_size=2, unique=True)):
            views = tuple(ViewPeriod(on, on + draw(st.integers(0, 12)))
                          for on in draw(st.lists(st.integers(0, 20), max_size=3)))
            alternatives.append(Alternative(antennas, views))
        duration = draw(st.integers(1, 4))
        requests.append(Request(f"r{k}", "m", duration, draw(st.integers(1, duration)),
                                draw(st.integers(0, 2)), draw(st.integers(0, 2)), draw(st.integers(0, 5)),
                                draw(st.integers(5, 30)), tuple(alternatives)))
    down = tuple(Maintenance(draw(st.sampled_from("AB")), s, s + draw(st.integers(0, 4)))
                 for s in draw(st.lists(st.integers(0, 30), max_size=8)))
    return GroundStationInstance(tuple(requests), antennas=("A", "B"), maintenance=down)


@settings(max_examples=150, deadline=None)
@given(_with_maintenance())
def test_options_are_the_views_less_the_maintenance(x):
    """request_options (maintenance merged, searched near each view) gives exactly the pieces of
    the plain definition, in the same order."""
    assert request_options(x) == _naive_options(x)


def test_a_view_looks_only_at_the_maintenance_near_it(monkeypatch):
    """Antenna A is down 10,000 times for 1 h every 2 h; a request sees [4 h, 6 h): its view is
    cut by the one window [5 h, 6 h) it meets ([3 h, 4 h) ends where it starts), not by all
    10,000 (before, every window was handed to the cutting)."""
    handed = []

    def counting(lo, hi, cuts):
        handed.append(len(cuts))
        return cut(lo, hi, cuts)

    cut = board._subtract
    monkeypatch.setattr(board, "_subtract", counting)
    view = (Alternative(("A",), (ViewPeriod(4 * H, 6 * H),)),)
    x = GroundStationInstance((Request("r", "m", H, H // 2, 0, 0, 0, 10**9, view),),
                              maintenance=tuple(Maintenance("A", (2 * k + 1) * H, (2 * k + 2) * H)
                                                for k in range(10_000)))
    assert request_options(x) == [[Option(0, (0,), 4 * H, 5 * H)]]
    assert handed == [1]
