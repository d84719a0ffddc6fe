"""A proven lower bound on unserved seconds from a non-preemptive, time-bucketed LP (HiGHS).

Time is cut into buckets of `grid` seconds. A track of request i on option o (tracking in
[lo, hi) on antennas A) occupies [P, Q) = [on - s, off + t). Its *key* is (i, o, p, q), p the
bucket holding P and q the bucket holding Q - 1; its *shape* is (a, b): the occupied seconds
a = end of bucket p - P in bucket p and b = Q - start of bucket q in bucket q (one part a when
p = q). The buckets strictly between are fully occupied, so, unlike the preemptive LP of
lp_bound.py, a track's antenna time is one contiguous run of buckets. The shapes a key allows
form a polygon: 0 <= a <= room before bucket p's end from lo - s, 0 <= b <= room from bucket
q's start to hi + t, and the occupancy a + b + inner in [shortest, longest] track (set-up and
tear-down included). Every shape is a convex combination of the polygon's vertices, and
every row below is linear in the shape, so the LP has one column per vertex (a count w of
tracks of that shape) and no per-key rows:
- per request: sum tracked <= L, sum w <= max_tracks;
- per antenna and bucket: occupied seconds <= the bucket's time outside maintenance;
- per mission (per request when the rule is relaxed) and bucket: the buckets a track surely
  tracks in full (from s after bucket p's end to t before bucket q's start) <= the bucket length.
- per mission (with the rule on): its total tracked time <= the optimum of its transportation
  LP (solvers/bounds.py) plus a tolerance, when `mission_caps` gives it: the bucket rows above
  see only whole tracked buckets, so this row keeps the rule's full strength.
A plan gives a feasible point (per track, the weights writing its shape from the vertices of
its key), so the LP maximum bounds tracked seconds. The bound is recomputed from HiGHS's duals
by weak duality (lp_bound.dual_bound).
"""

from __future__ import annotations

import math
import time

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.bounds import TOLERANCE, mission_most
from schedkit.groundstation.solvers.lp_bound import MARGIN, _Builder, _free_time, most_tracked


def _grid(instance: GroundStationInstance, options: list[list[Option]], grid: int) -> list[int]:
    ends = [p for r, mine in zip(instance.requests, options, strict=True) for o in mine
            for p in (o.lo - r.setup, o.hi + r.teardown)]
    if not ends:
        return []
    first, last = min(ends), max(ends)
    return list(range(first - first % grid, last + grid, grid))


def build(instance: GroundStationInstance, options: list[list[Option]], grid: int,
          mission_caps: dict[str, float] | None = None) -> _Builder:
    """The LP (maximise tracked seconds) in column form; see the module docstring."""
    points = _grid(instance, options, grid)
    if not points:
        return _Builder()
    base = points[0]
    down = _free_time(instance, points)
    lp = _Builder()

    def bucket(time: int) -> int:
        return (time - base) // grid

    for i, (r, mine) in enumerate(zip(instance.requests, options, strict=True)):
        if not mine:
            continue
        asked = lp.row(("request", i), float(r.duration))
        mission_row = (lp.row(("mission total", r.mission), mission_caps[r.mission])
                       if mission_caps and r.mission in mission_caps else None)
        count = lp.row(("count", i), float(r.max_tracks))
        owner = ("mission", r.mission) if instance.spacecraft_exclusive else ("own", i)
        gap = r.setup + r.teardown
        tracks = float(r.max_tracks)  # a column's count never exceeds this
        for o, option in enumerate(mine):
            first, last = option.lo - r.setup, option.hi + r.teardown  # occupancy inside [first, last)
            cap = min(r.duration, option.hi - option.lo)
            shortest, longest = r.min_track + gap, cap + gap  # occupancy length
            for p in range(bucket(first), bucket(last - shortest) + 1):
                p_end = points[p] + grid
                room_p = min(grid, p_end - first)  # alpha <= room_p
                for q in range(p, bucket(min(last, p_end - 1 + longest) - 1) + 1):
                    _column(lp, (i, o, p, q), points, grid, (first, last, room_p), (shortest, longest),
                            (r.setup, r.teardown), tracks, (asked, count, owner, mission_row),
                            option.antennas, down)
    return lp


def _vertices(rooms: tuple[int, ...], lo: int, hi: int) -> list[tuple[int, ...]]:
    """The vertices of {0 <= x_n <= rooms[n], lo <= sum x <= hi} (one or two parts), sorted."""
    if len(rooms) == 1:
        least, most = max(0, lo), min(rooms[0], hi)
        return [] if least > most else sorted({(least,), (most,)})
    ra, rb = rooms
    candidates = set()
    for a in (0, ra):
        for b in (0, rb, lo - a, hi - a):
            candidates.add((a, b))
    for b in (0, rb):
        for total in (lo, hi):
            candidates.add((total - b, b))
    return sorted((a, b) for a, b in candidates if 0 <= a <= ra and 0 <= b <= rb and lo <= a + b <= hi)


def _column(lp: _Builder, key: tuple[int, int, int, int], points: list[int], grid: int,
            span: tuple[int, int, int], lengths: tuple[int, int], setup_teardown: tuple[int, int],
            tracks: float, request_rows: tuple[int, int, object, int | None], antennas: tuple[int, ...],
            down: dict[tuple[int, int], int]) -> None:
    """Add one column per vertex of the shapes of key = (i, o, p, q): occupancy inside
    span[:2] = [first, last), a <= span[2], its length in `lengths` = [shortest, longest]
    (set-up and tear-down included)."""
    _, _, p, q = key
    first, last, room_p = span
    shortest, longest = lengths
    setup, teardown = setup_teardown
    gap = setup + teardown
    asked, count, owner, mission_row = request_rows

    def antenna_row(x: int, k: int) -> int:
        return lp.row(("antenna", x, k), float(grid - down.get((x, k), 0)))

    g_p, g_q = points[p], points[q]
    if p == q:
        rooms: tuple[int, ...] = (min(g_p + grid, last) - max(g_p, first),)
        inner = 0
    else:
        rooms = (room_p, min(grid, last - g_q))
        inner = (q - p - 1) * grid
    shapes = _vertices(rooms, shortest - inner, longest - inner)
    if not shapes:
        return
    fixed: list[tuple[int, float]] = [(count, 1.0)]
    for k in range(p + 1, q):
        fixed += [(antenna_row(x, k), float(grid)) for x in antennas]
    tracked_from, tracked_to = g_p + grid + setup, g_q - teardown  # surely tracking in between
    for k in range(p + 1, q):
        if points[k] >= tracked_from and points[k] + grid <= tracked_to:
            fixed.append((lp.row((owner, k), float(grid)), float(grid)))
    buckets = (p,) if p == q else (p, q)
    for shape in shapes:
        tracked = float(sum(shape) + inner - gap)
        entries = fixed + [(asked, tracked)]
        if mission_row is not None:
            entries.append((mission_row, tracked))
        for k, part in zip(buckets, shape, strict=True):
            if part:
                entries += [(antenna_row(x, k), float(part)) for x in antennas]
        lp.column(tracks, tracked, entries)


def interval_unserved_bound(instance: GroundStationInstance, options: list[list[Option]],
                            seconds: float | None = None, grid: int = 3600,
                            mission_caps: bool = True) -> int:
    """Proven lower bound on unserved seconds from the non-preemptive bucketed LP (with the
    missions' transportation caps unless `mission_caps` is False); `seconds` covers building too."""
    started = time.perf_counter()
    caps = mission_totals(instance, options) if mission_caps else None
    lp = build(instance, options, grid, caps)
    left = None if seconds is None else max(0.01, seconds - (time.perf_counter() - started))
    most = most_tracked(lp, left)
    ceiling = math.floor(most + MARGIN * max(1.0, most) + 1e-6)
    return max(0, instance.requested - ceiling)


def mission_totals(instance: GroundStationInstance, options: list[list[Option]]) -> dict[str, float]:
    """Per mission, most seconds it can track under the satellite-operation-mode rule (its
    transportation LP's optimum, widened by a tolerance); empty when the rule is relaxed."""
    if not instance.spacecraft_exclusive:
        return {}
    by_mission: dict[str, list[int]] = {}
    for i, r in enumerate(instance.requests):
        by_mission.setdefault(r.mission, []).append(i)
    caps = {}
    for mission, requests in by_mission.items():
        most = mission_most(instance, options, requests)
        caps[mission] = most + TOLERANCE * max(1.0, most) + 1.0
    return caps
