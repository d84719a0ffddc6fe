"""The copies of an option the exact models build (solvers/copies.py): one more than the tracks
of others that fit between a split request's tracks there, not every track its view holds.
Before, a split request with tracks from 1 s and a 30,000 s view got 30,000 optional tracks
in cpsat (154 s without a time limit) and was refused by mip."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.model import Alternative, GroundStationInstance, Request, ViewPeriod
from schedkit.groundstation.solvers import cpsat_model, mip
from schedkit.groundstation.solvers.copies import copy_counts, fit

H = 3600
LIMIT = 5.0  # a hypothesis example never runs an unbounded solve; equality is asserted on proofs (most
# examples prove in well under a second; some prove in neither model within 60 s)


def _long(span: int, hours: int = 1, exclusive: bool = True) -> GroundStationInstance:
    """A split request of `span` s (tracks from 1 s) and `hours` one-hour requests of the same
    mission on one antenna, all seeing [0, span): the hour requests fit back to back and the
    split request takes the rest, so nothing is left unserved but `hours` hours."""
    view = (Alternative(("A",), (ViewPeriod(0, span),)),)
    hour = [Request(f"h{k}", "m", H, H, 0, 0, 0, span, view) for k in range(hours)]
    return GroundStationInstance((Request("long", "m", span, 1, 0, 0, 0, span, view), *hour),
                                 spacecraft_exclusive=exclusive)


@pytest.mark.parametrize("hours", [0, 1, 3])
def test_copies_follow_what_fits_between_not_the_view(hours):
    """The split request's view holds 30,000 tracks of 1 s; between its tracks only the
    `hours` hour tracks can lie, so it gets hours + 1 copies (each hour request one)."""
    x = _long(30_000, hours)
    options = request_options(x)
    assert fit(x, 0, options[0][0]) == 30_000
    assert copy_counts(x, options) == [[hours + 1]] + [[1]] * hours


def test_copies_count_an_other_antenna_only_through_the_mission():
    """A second mission's hour request on antenna B cannot interrupt the split request on A;
    with the first mission's it can (spacecraft rule), and without the rule it cannot."""
    view_a = (Alternative(("A",), (ViewPeriod(0, 10 * H),)),)
    view_b = (Alternative(("B",), (ViewPeriod(0, 10 * H),)),)
    for mission, exclusive, expected in (("m", True, 2), ("n", True, 1), ("m", False, 1)):
        x = GroundStationInstance((Request("long", "m", 10 * H, 1, 0, 0, 0, 10 * H, view_a),
                                   Request("b", mission, H, H, 0, 0, 0, 10 * H, view_b)),
                                  spacecraft_exclusive=exclusive)
        assert copy_counts(x, request_options(x))[0] == [expected]


@pytest.mark.parametrize("method", ["cpsat", "mip"])
def test_a_30000_second_split_view_builds_a_handful_of_tracks(method):
    """Without a time limit both exact methods prove the optimum 3600 s (the hour request's)
    on a model of 3 optional tracks: 2 copies for the split request, 1 for the hour."""
    x = _long(30_000)
    result = schedkit.solve(x, method, time_limit=None, workers=1)
    assert schedkit.check(x, result).feasible
    assert result.status == "optimal" and result.objective == 3600
    assert result.stats["slots"] == 3


def _every_fit(x: GroundStationInstance, options: list) -> list[list[int]]:
    """The copies before: every track the option holds (at most max_tracks)."""
    return [[fit(x, i, option) for option in mine] for i, mine in enumerate(options)]


@st.composite
def _split_cases(draw) -> GroundStationInstance:
    """1-3 requests on antennas A and B, one of them split with tracks from 1 h, on the hour grid."""
    made = []
    for k in range(draw(st.integers(1, 3))):
        split = k == 0 or draw(st.booleans())
        duration = draw(st.integers(8, 10)) if split else draw(st.integers(1, 3))
        minimum = 1 if split else draw(st.integers(1, duration))
        alternatives = []
        for antennas in draw(st.lists(st.sampled_from([("A",), ("B",), ("A", "B")]), min_size=1,
                                      max_size=2, unique=True)):
            periods = []
            for _ in range(draw(st.integers(1, 2))):
                on = draw(st.integers(0, 6))
                periods.append(ViewPeriod(on * H, (on + draw(st.integers(1, 10))) * H))
            alternatives.append(Alternative(antennas, tuple(periods)))
        made.append(Request(f"r{k}", draw(st.sampled_from(["m1", "m2"])), duration * H, minimum * H,
                            draw(st.integers(0, 1)) * H // 2, draw(st.integers(0, 1)) * H // 2, 0, 20 * H,
                            tuple(alternatives)))
    return GroundStationInstance(tuple(made), antennas=("A", "B"), spacecraft_exclusive=draw(st.booleans()))


@settings(max_examples=25, deadline=None)
@given(_split_cases(), st.sampled_from(["hours", "fair"]))
def test_fewer_copies_keep_the_optimum(x, objective):
    """cpsat on the model with every copy that fits and on the one copies.py builds: when both
    prove, the same optimum (U_max first with `fair`); neither claims past the other's plan."""
    options = request_options(x)
    assert all(c <= f for cs, fs in zip(copy_counts(x, options), _every_fit(x, options), strict=True)
               for c, f in zip(cs, fs, strict=True))
    fewer = schedkit.solve(x, "cpsat", time_limit=LIMIT, workers=1, objective=objective)
    with mock.patch.object(cpsat_model, "copy_counts", _every_fit):
        every = schedkit.solve(x, "cpsat", time_limit=LIMIT, workers=1, objective=objective)
    for result in (fewer, every):
        assert schedkit.check(x, result).feasible
    if objective == "fair":
        phases = fewer.stats.get("u_max_phase"), every.stats.get("u_max_phase")
        if None not in phases and all(p["bound"] == p["value"] for p in phases):
            assert phases[0]["value"] == phases[1]["value"]
        return
    assert fewer.bound is None or fewer.bound <= every.objective
    assert every.bound is None or every.bound <= fewer.objective
    if fewer.status == every.status == "optimal":
        assert fewer.objective == every.objective


@settings(max_examples=12, deadline=None)
@given(_split_cases())
def test_mip_with_fewer_copies_agrees_with_every_copy(x):
    """mip (HiGHS) on both copy counts: the same proven optimum, each bound below the other's plan."""
    try:
        fewer = schedkit.solve(x, "mip", time_limit=LIMIT, workers=1)
    except schedkit.ProblemTooLarge:  # beyond its clashing pairs
        return
    with mock.patch.object(mip, "copy_counts", _every_fit):
        try:
            every = schedkit.solve(x, "mip", time_limit=LIMIT, workers=1)
        except schedkit.ProblemTooLarge:
            return
    for one, other in ((fewer, every), (every, fewer)):  # no plan when HiGHS ran out of time (loaded)
        assert one.bound is None or other.objective is None or one.bound <= other.objective
    if fewer.status == every.status == "optimal":
        assert fewer.objective == every.objective
