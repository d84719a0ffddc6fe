"""Extreme inputs under a time limit (weaknesses of the 2026-12-07 audit, each fixed):
- 70,000 maintenance windows (a SatNet week's antennas down in 5,000 tiles each): computing the
  options sorted every window of an alternative's antennas per view period (6.3 s), so every
  method answered `unknown` at 2 s; a view period now looks at the windows near it only.
- 10^4 requests, or arrays of 1,000-2,000 antennas: greedy ran all five rules whatever the limit
  (array: 8.5 s at 2 s), lns and ga/ffeea started from them too, and cpsat's mission repair of
  its warm start ran on (10^4 requests: minutes at 2 s), as did counting its copies (3.7 s) and
  mip's before it refused. The guard answered `unknown` in time for most; now each stops at its
  deadline with a plan (the tests below set a deadline already passed: no wall time asserted).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.heuristics import board
from schedkit.groundstation.heuristics.board import Option, request_options
from schedkit.groundstation.heuristics.evolution import Evolution
from schedkit.groundstation.heuristics.greedy import RULES, best_rule, build
from schedkit.groundstation.heuristics.lns import lns_board
from schedkit.groundstation.heuristics.missions import serve_missions, unserved_missions
from schedkit.groundstation.heuristics.score import Scorer
from schedkit.groundstation.model import Alternative, GroundStationInstance, Maintenance, Request, ViewPeriod
from schedkit.groundstation.solvers import cpsat, mip
from schedkit.groundstation.solvers.copies import copy_counts, fit
from tests.groundstation.cases import mixed, starved

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


PASSED = -math.inf  # a deadline (perf_counter) already behind


def test_greedy_past_its_deadline_keeps_the_first_rule_partial():
    """Past the deadline only the first rule runs, and places nothing more; without one every
    rule runs in full (mixed: some track placed)."""
    x = mixed()
    options = request_options(x)
    scorer = Scorer(x)
    late, chosen = best_rule(x, options, scorer, list(RULES), PASSED)
    assert chosen == next(iter(RULES)) and late.tracked == [0] * x.n
    assert build(x, options, list(range(x.n)), deadline=PASSED).tracked == [0] * x.n
    full, _ = best_rule(x, options, scorer, list(RULES))
    assert sum(full.tracked) > 0


def test_the_mission_repair_and_lns_stop_at_their_deadline():
    """starved(): greedy leaves mission m2 without a track; the repair past its deadline leaves
    the board as it is, and lns past its deadline returns its greedy start (the first rule's,
    nothing placed yet) with no repair and no walk."""
    x = starved()
    options = request_options(x)
    start = build(x, options, [0, 1, 2])
    assert unserved_missions(start) == [1]
    assert serve_missions(start, PASSED) == 0 and unserved_missions(start) == [1]
    stats: dict = {}
    walked = lns_board(x, options, Scorer(x, every_mission=True), PASSED, 0, stats=stats)
    assert stats["missions_repaired"] == 0 and walked.tracked == [0] * x.n


def test_ga_past_its_deadline_decodes_one_genome():
    """Evolution.initial past the deadline decodes the first rule's order only (every rule
    before), partially."""
    x = mixed()
    run = Evolution(x, request_options(x), Scorer(x), np.random.default_rng(0), False, 30, 4, (0.5, 0.95),
                    0.95)
    run.deadline = PASSED
    assert len(run.initial(PASSED)) == 1 and run.decodes == 1


def test_copies_past_their_deadline_are_every_copy_that_fits():
    """copy_counts past its deadline keeps `fit` for every option (the model stays exact)."""
    view = (Alternative(("A",), (ViewPeriod(0, 30_000),)),)
    x = GroundStationInstance((Request("long", "m", 30_000, 1, 0, 0, 0, 30_000, view),
                               Request("hour", "m", H, H, 0, 0, 0, 30_000, view)))
    options = request_options(x)
    assert copy_counts(x, options, PASSED) == [[fit(x, 0, options[0][0])], [1]] == [[30_000], [1]]
    assert copy_counts(x, options) == [[2], [1]]


def test_cpsat_gives_its_mission_repair_the_budget(monkeypatch):
    """cpsat under a limit hands the repair of its warm start a deadline inside the limit."""
    seen = []

    def recording(board, deadline=math.inf):
        seen.append(deadline)
        return 0

    monkeypatch.setattr(cpsat, "serve_missions", recording)
    x = starved()
    result = schedkit.solve(x, "cpsat", time_limit=5.0, workers=1, window_share=1.0)
    assert schedkit.check(x, result).feasible
    assert seen and all(math.isfinite(d) for d in seen)


def test_mip_refuses_by_options_before_counting_copies(monkeypatch):
    """More options than mip's slot limit: refused without counting copies (10^4 requests:
    3.7 s)."""
    def counting(*args):
        raise AssertionError("copies counted")

    monkeypatch.setattr(mip, "copy_counts", counting)
    view = (Alternative(("A",), tuple(ViewPeriod(2 * k * H, (2 * k + 1) * H) for k in range(401))),)
    x = GroundStationInstance((Request("r", "m", H, H, 0, 0, 0, 10**7, view),))
    with pytest.raises(schedkit.ProblemTooLarge, match="401 optional tracks"):
        schedkit.solve(x, "mip", time_limit=5, workers=1)


def test_a_split_request_gets_no_track_after_the_board_deadline():
    """A split request with 1 s tracks over 1,000 one-hour views: placing it adds one track per
    scan of its views (10^5 views and 2^40 s requested: hours), so `place` stops at the board's
    deadline; without one it gets all 10 h."""
    views = (Alternative(("A",), tuple(ViewPeriod(2 * k * H, (2 * k + 1) * H) for k in range(1000))),)
    x = GroundStationInstance((Request("r", "m", 10 * H, 1, 0, 0, 0, 10**9, views),))
    late = board.Board(x, request_options(x))
    late.deadline = PASSED
    assert late.place(0) == 0 and late.tracks == [[]]
    assert late.blank().deadline == PASSED
    plain = late.blank()
    plain.deadline = math.inf
    assert plain.place(0) == 10 * H and len(plain.tracks[0]) == 10
