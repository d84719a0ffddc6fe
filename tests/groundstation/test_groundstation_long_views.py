"""Long view periods (times reach 2^40 s): the LP bounds and the CP-SAT model are sized from
buckets and copies before anything is built, and an LP still building when cpsat returns stops.
Before, one split request with a 10^7 s view made the interval LP's thread build on after
cpsat had answered (the process waited for it at exit) until a MemoryError; with no time limit
a 2^40 s view asked CP-SAT for 2^40 optional tracks."""

from __future__ import annotations

import time

import pytest

import schedkit
from schedkit.common.mip import RunControl, wait_for_leftovers
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.model import MAX_TIME, Alternative, GroundStationInstance, Request, ViewPeriod
from schedkit.groundstation.solvers import interval_lp, lp_bound
from schedkit.groundstation.solvers.lp_bound import TooLarge


def _long(span: int) -> GroundStationInstance:
    """A split request of `span` s (tracks from 1 s) and an hour's request, one antenna and
    mission, both seeing [0, span): the optimum leaves exactly 3600 s unserved."""
    view = (Alternative(("A",), (ViewPeriod(0, span),)),)
    return GroundStationInstance((Request("long", "m", span, 1, 0, 0, 0, span, view),
                                  Request("hour", "m", 3600, 3600, 0, 0, 0, span, view)))


def test_a_grid_over_2_40_seconds_is_refused_before_it_is_listed():
    x = _long(MAX_TIME)
    with pytest.raises(TooLarge, match="buckets"):
        interval_lp.build(x, request_options(x), 1800)
    with pytest.raises(TooLarge, match="buckets"):
        lp_bound.build(x, request_options(x), 10800)


def test_the_interval_lp_stops_at_its_entry_limit_and_when_cancelled(monkeypatch):
    x = _long(10**6)
    cancelled = RunControl()
    cancelled.cancel()
    with pytest.raises(TooLarge, match="cancelled"):
        interval_lp.build(x, request_options(x), 3600, control=cancelled)
    monkeypatch.setattr(lp_bound, "MAX_ENTRIES", 1000)
    with pytest.raises(TooLarge, match="entries"):
        interval_lp.build(x, request_options(x), 3600)


def _twins(span: int) -> GroundStationInstance:
    """Two split requests of `span` s (tracks from 1 s) on one antenna and mission, both seeing
    [0, span): each may cut the other's tracks up to `span` times (solvers/copies.py gives each
    2^40 copies at MAX_TIME); the optimum leaves `span` s unserved."""
    view = (Alternative(("A",), (ViewPeriod(0, span),)),)
    return GroundStationInstance(tuple(Request(name, "m", span, 1, 0, 0, 0, span, view) for name in "ab"))


@pytest.mark.parametrize(("x", "optimum", "limit"), [(_twins(MAX_TIME), MAX_TIME, None),
                                                     (_long(10**7), 3600, 10.0)])
def test_cpsat_answers_and_leaves_no_lp_building(x, optimum, limit):
    """No time limit and two split requests over a 2^40 s view: no model of 2^40 tracks, the
    warm start with a valid bound. A 10^7 s view under 10 s (the interval LP starts): once cpsat
    answers, no LP thread is left building."""
    result = schedkit.solve(x, "cpsat", time_limit=limit, workers=1)
    report = schedkit.check(x, result)
    assert report.feasible and result.objective >= optimum
    assert result.bound is None or result.bound <= optimum
    assert result.status != "optimal" or result.objective == optimum
    if limit is None:
        assert "beyond the 100,000" in result.stats["cpsat_skipped"]
        assert result.stats["interval_lp_bound"] == "too large"
    assert wait_for_leftovers(time.perf_counter() + 60)  # it built on to a MemoryError
