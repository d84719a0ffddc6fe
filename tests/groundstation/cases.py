"""Hand-made groundstation instances whose optimum (unserved seconds) is derived by hand."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume
from hypothesis import strategies as st

import schedkit
from schedkit.groundstation.model import (
    Alternative,
    GroundStationInstance,
    Maintenance,
    Request,
    ViewPeriod,
)

H = 3600
HALF = H // 2
DATA = Path(__file__).resolve().parent.parent / "data" / "groundstation"


def request(track_id: str, mission: str, duration: int, minimum: int,
            alternatives: list[tuple[tuple[str, ...], list[tuple[int, int]]]],
            setup: int = 0, teardown: int = 0, window: tuple[int, int] = (0, 48 * H)) -> Request:
    """A request from plain tuples."""
    return Request(track_id, mission, duration, minimum, setup, teardown, window[0], window[1],
                   tuple(Alternative(a, tuple(ViewPeriod(p, q) for p, q in vps))
                         for a, vps in alternatives))


def split_request() -> GroundStationInstance:
    """L = 10 h (min 8 h, so pieces >= 4 h) with view periods [0, 4.5 h) and [6 h, 11 h):
    4.5 h + 5 h = 9.5 h tracked, unserved 0.5 h = 1800 s (one track alone gives at most 5 h)."""
    r = request("split", "m1", 10 * H, 8 * H, [(("A",), [(0, 4 * H + H // 2), (6 * H, 11 * H)])],
                setup=600, teardown=600)
    return GroundStationInstance((r,), name="split")


def array() -> GroundStationInstance:
    """r1 needs the array A+B over [0, 2 h); r2 wants A, r3 wants B over the same 2 h. Best: r2 and
    r3 for 2 h each (4 h), r1 gets nothing (sharing gives 1 + 1 + 1 = 3 h): unserved 7200 s."""
    return GroundStationInstance((
        request("r1", "m1", 2 * H, H, [(("A", "B"), [(0, 2 * H)])]),
        request("r2", "m2", 2 * H, H, [(("A",), [(0, 2 * H)])]),
        request("r3", "m3", 2 * H, H, [(("B",), [(0, 2 * H)])]),
    ), name="array")


def maintenance_clash() -> GroundStationInstance:
    """L = 2 h, min 1.5 h, set-up 30 min, view [0, 4 h) on A, A down over [1 h, 2 h): before it at
    most [0, 1 h) (1 h, too short); after it tracking starts at 2.5 h at the earliest: 1.5 h.
    Unserved 1800 s."""
    r = request("m", "m1", 2 * H, 3 * H // 2, [(("A",), [(0, 4 * H)])], setup=1800)
    return GroundStationInstance((r,), maintenance=(Maintenance("A", H, 2 * H),), name="clash")


def two_places(exclusive: bool = True) -> GroundStationInstance:
    """One mission, two requests of 2 h (min 1 h) on antennas A and B over the same [0, 2 h):
    the spacecraft talks to one antenna at a time, so 2 h in all (unserved 7200 s); relaxed, 0."""
    return GroundStationInstance((
        request("a", "sc", 2 * H, H, [(("A",), [(0, 2 * H)])]),
        request("b", "sc", 2 * H, H, [(("B",), [(0, 2 * H)])]),
    ), spacecraft_exclusive=exclusive, name="two_places")


def mixed() -> GroundStationInstance:
    """A fixture with every feature: split, array, maintenance, shared mission, set-up/tear-down.
    Optimum 10800 s unserved (cpsat proves it; test_groundstation_interval_lp and _interval_mip assert it)."""
    return GroundStationInstance((
        request("s", "m1", 8 * H, 8 * H, [(("A",), [(0, 5 * H), (6 * H, 10 * H)]),
                                          (("B",), [(2 * H, 7 * H)])], setup=300, teardown=300),
        request("y", "m2", 2 * H, H, [(("A", "B"), [(0, 3 * H)])], setup=600),
        request("z", "m2", H, H // 2, [(("B",), [(H, 4 * H)])], teardown=600),
        request("w", "m3", 3 * H, 2 * H, [(("A",), [(4 * H, 9 * H)]), (("B",), [(5 * H, 9 * H)])]),
    ), maintenance=(Maintenance("B", 7 * H, 8 * H),), name="mixed")


KNOWN = {"split": (split_request, 1800), "array": (array, 7200), "clash": (maintenance_clash, 1800),
         "two_places": (two_places, 7200)}


@st.composite
def networks(draw) -> GroundStationInstance:
    """Two or three requests over antennas A, B (an array A+B sometimes), half-hour grid."""
    made = []
    for k in range(draw(st.integers(2, 3))):
        duration = draw(st.sampled_from([1, 2, 3, 8, 9])) * H
        minimum = draw(st.integers(1, duration // HALF)) * HALF
        alternatives = []
        for antennas in draw(st.lists(st.sampled_from([("A",), ("B",), ("A", "B")]), min_size=1,
                                      max_size=2, unique=True)):
            start = draw(st.integers(0, 16)) * HALF
            vps = [(start, start + draw(st.integers(2, 20)) * HALF)]
            if draw(st.booleans()):
                later = vps[0][1] + draw(st.integers(1, 6)) * HALF
                vps.append((later, later + draw(st.integers(2, 12)) * HALF))
            alternatives.append((antennas, vps))
        made.append(request(f"r{k}", draw(st.sampled_from(["m1", "m2"])), duration, minimum,
                            alternatives, setup=draw(st.sampled_from([0, 600, 1800])),
                            teardown=draw(st.sampled_from([0, 900]))))
    down = (Maintenance("A", 4 * H, 5 * H),) if draw(st.booleans()) else ()
    return GroundStationInstance(tuple(made), maintenance=down,
                                 spacecraft_exclusive=draw(st.booleans()), name="drawn")


def blocked() -> GroundStationInstance:
    """One mission: "long" (2 h, min 2 h) on A in view over [0, 3 h), "short" (1 h) on B over
    [1 h, 2 h). Every 2 h track of "long" tracks over [1 h, 2 h), so the spacecraft serves one
    of them: 2 h tracked, unserved 3600 s. The transportation bound (3 h) misses this."""
    return GroundStationInstance((
        request("long", "sc", 2 * H, 2 * H, [(("A",), [(0, 3 * H)])]),
        request("short", "sc", H, H, [(("B",), [(H, 2 * H)])]),
    ), name="blocked")


def straddle() -> GroundStationInstance:
    """Two missions each ask 1 h (min 1 h) on antenna A, both in view over [30 min, 1 h 30 min)
    only: the two tracks would cover the same instant, so one is served, unserved 3600 s. At 1 h
    buckets each fills half of two buckets, so the bucket rows alone let both in."""
    return GroundStationInstance((
        request("first", "m1", H, H, [(("A",), [(HALF, H + HALF)])]),
        request("second", "m2", H, H, [(("A",), [(HALF, H + HALF)])]),
    ), name="straddle")


def rivals() -> GroundStationInstance:
    """Missions m1 and m2 each ask 1 h (min 1 h) on antenna A over [0, 1 h) only: one of them gets
    it, so every plan leaves a mission without a track (unserved 3600 s at best)."""
    return GroundStationInstance((
        request("first", "m1", H, H, [(("A",), [(0, H)])]),
        request("second", "m2", H, H, [(("A",), [(0, H)])]),
    ), name="rivals")


def starved() -> GroundStationInstance:
    """Mission m1 asks 6 h on A over [0, 6 h) ("a") and 6 h on B over [6 h, 12 h) ("b"); mission
    m2 asks 4 h (min 4 h) on A over [0, 6 h) ("c"). Most hours: a and b (12 h, m2 gets nothing,
    U_max = 1); every mission served: c and b (10 h, U_max = 0.5)."""
    return GroundStationInstance((
        request("a", "m1", 6 * H, 6 * H, [(("A",), [(0, 6 * H)])]),
        request("b", "m1", 6 * H, 6 * H, [(("B",), [(6 * H, 12 * H)])]),
        request("c", "m2", 4 * H, 4 * H, [(("A",), [(0, 6 * H)])], setup=1800),
    ), name="starved")


def cpsat_optimum(x: GroundStationInstance, seconds: float) -> int:
    """cpsat's proven optimum (unserved seconds) of a small case; hypothesis drops the case when
    cpsat does not prove it in time, so a slow machine loses examples but never fails one."""
    result = schedkit.solve(x, "cpsat", time_limit=seconds, workers=1, warm_share=0.05)
    assume(result.status == "optimal")
    assert result.bound == result.objective  # "optimal" comes with a bound equal to it
    return int(result.objective)


@st.composite
def generated_networks(draw) -> GroundStationInstance:
    """Small generated networks (set-up, tear-down, arrays, maintenance): 1-3 satellites,
    2 stations, 2 requests each, 6 h."""
    satellites, seed = draw(st.integers(1, 3)), draw(st.integers(0, 10_000))
    return schedkit.generate.groundstation(satellites, seed, stations=2, requests=2, hours=6)
