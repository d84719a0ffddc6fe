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
- per mission (per split request when the rule is relaxed) and bucket: the seconds its tracks
  track in the bucket <= the bucket length (the satellite-operation-mode rule, bucketed). Per
  bucket, a track's tracked seconds are piecewise linear in its shape, with kinks where
  tracking on (P + s) or off (Q - t) crosses a bucket boundary, i.e. at a = s, s - grid, ... and
  b = t, t - grid, ...; the polygon is cut there into pieces, and the columns are the vertices
  of the pieces, so every row stays linear on each piece and the coefficients are exact.
  (`tracking_rows=False` gives the earlier, weaker rows: only the buckets a track surely
  tracks in full, from s after bucket p's end to t before bucket q's start, and the polygon's
  own vertices.)
- per mission (with the rule on): its total tracked time <= the optimum of its transportation
  LP (solvers/bounds.py) plus a tolerance, when `mission_caps` gives it: it sees the rule at the
  view periods' own resolution, finer than the buckets.
- per antenna and inner bucket boundary (with `crossing_rows`, off by default): at most one
  track's occupancy covers the boundary, i.e. the tracks with p < k <= q sum to at most 1 (two
  tracks covering one instant overlap). The bucket rows alone let two tracks share a boundary
  when each occupies little of the buckets around it. Valid, but at 1 h buckets it moved the
  SatNet W10 bound by 2 h only for three times the LP time (at 3 h: 12.6 h), so cpsat leaves
  it off.
A plan gives a feasible point (per track, the weights writing its shape from the vertices of
the piece holding it), so the LP maximum bounds tracked seconds. Each column is tagged with its
key (i, o, p, q). The bound is recomputed from HiGHS's duals
by weak duality (lp_bound.dual_bound).
"""

from __future__ import annotations

import time

from schedkit.common.mip import RunControl
from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.bounds import TOLERANCE, mission_most
from schedkit.groundstation.solvers.lp_bound import (
    _Builder,
    _free_time,
    check_size,
    grid_points,
    solve_lp,
    tracked_ceiling,
)


def _grid(instance: GroundStationInstance, options: list[list[Option]], grid: int) -> list[int]:
    ends = [p for r, mine in zip(instance.requests, options, strict=True) for o in mine
            for p in (o.lo - r.setup, o.hi + r.teardown)]
    if not ends:
        return []
    return grid_points(min(ends), max(ends), grid)


def build(instance: GroundStationInstance, options: list[list[Option]], grid: int,
          mission_caps: dict[str, float] | None = None, tracking_rows: bool = True,
          crossing_rows: bool = False, deadline: float | None = None,
          control: RunControl | None = None) -> _Builder:
    """The LP (maximise tracked seconds) in column form; see the module docstring. TooLarge
    (lp_bound) past its bucket or entry limits, `deadline` or a cancel of `control`."""
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
        owner: object = ("mission", r.mission) if instance.spacecraft_exclusive else ("own", i)
        if tracking_rows and not instance.spacecraft_exclusive and r.max_tracks == 1:
            owner = None  # one track tracks at most a bucket's length in it: no row needed
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
                    check_size(lp, deadline, control)  # a long view: (its buckets)^2 keys, ^3 entries
                    _column(lp, (i, o, p, q), points, grid, (first, last, room_p), (shortest, longest),
                            (r.setup, r.teardown), tracks, (asked, count, owner, mission_row),
                            option.antennas, down, tracking_rows, crossing_rows)
    return lp


def _vertices(box: tuple[tuple[int, int], ...], lo: int, hi: int) -> list[tuple[int, ...]]:
    """The vertices of {box[n][0] <= x_n <= box[n][1], lo <= sum x <= hi} (one or two parts)."""
    if len(box) == 1:
        least, most = max(box[0][0], lo), min(box[0][1], hi)
        return [] if least > most else sorted({(least,), (most,)})
    (a0, a1), (b0, b1) = box
    candidates = set()
    for a in (a0, a1):
        for b in (b0, b1, lo - a, hi - a):
            candidates.add((a, b))
    for b in (b0, b1):
        for total in (lo, hi):
            candidates.add((total - b, b))
    return sorted((a, b) for a, b in candidates if a0 <= a <= a1 and b0 <= b <= b1 and lo <= a + b <= hi)


def _pieces(room: int, lag: int, grid: int) -> list[tuple[int, int]]:
    """[0, room] cut where the tracking end `lag` seconds inside the part crosses a bucket
    boundary (at lag, lag - grid, ...): per bucket, tracked seconds are linear on each piece."""
    cuts = sorted({c for c in range(lag, 0, -grid) if 0 < c < room} | {0, room})
    return list(zip(cuts, cuts[1:], strict=False)) or [(0, room)]


def _shapes(rooms: tuple[int, ...], lo: int, hi: int, lags: tuple[int, int], grid: int,
            tracking_rows: bool) -> list[tuple[int, ...]]:
    """Every vertex of every piece of the polygon of a key's shapes (see _pieces), once; with
    `tracking_rows` off, the polygon's own vertices."""
    if len(rooms) == 1 or not tracking_rows:
        return _vertices(tuple((0, room) for room in rooms), lo, hi)
    found: set[tuple[int, ...]] = set()
    for a_box in _pieces(rooms[0], lags[0], grid):
        for b_box in _pieces(rooms[1], lags[1], grid):
            found.update(_vertices((a_box, b_box), lo, hi))
    return sorted(found)


def _column(lp: _Builder, key: tuple[int, int, int, int], points: list[int], grid: int,
            span: tuple[int, int, int], lengths: tuple[int, int], setup_teardown: tuple[int, int],
            tracks: float, request_rows: tuple[int, int, object, int | None], antennas: tuple[int, ...],
            down: dict[tuple[int, int], int], tracking_rows: bool = True,
            crossing_rows: bool = False) -> None:
    """Add one column per vertex of the shapes of key = (i, o, p, q): occupancy inside
    span[:2] = [first, last), a <= span[2], its length in `lengths` = [shortest, longest]
    (set-up and tear-down included). With `tracking_rows`, the owner's row of each bucket gets
    the seconds tracked in it (exact: the shapes are cut where that stops being linear);
    without, only the buckets tracked in full whatever the shape."""
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
    shapes = _shapes(rooms, shortest - inner, longest - inner, (setup, teardown), grid, tracking_rows)
    if not shapes:
        return
    fixed: list[tuple[int, float]] = [(count, 1.0)]
    for k in range(p + 1, q):
        fixed += [(antenna_row(x, k), float(grid)) for x in antennas]
    if crossing_rows:
        for k in range(p + 1, q + 1):  # the track covers the boundary at points[k]
            fixed += [(lp.row(("crossing", x, k), 1.0), 1.0) for x in antennas]
    if not tracking_rows:
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
        if tracking_rows and owner is not None:
            entries += _tracking_entries(lp, owner, points, grid, (p, q), shape, (setup, teardown))
        lp.column(tracks, tracked, entries, key)


def _tracking_entries(lp: _Builder, owner: object, points: list[int], grid: int, ends: tuple[int, int],
                      shape: tuple[int, ...], setup_teardown: tuple[int, int]) -> list[tuple[int, float]]:
    """(owner's row of bucket k, seconds tracked in bucket k) for the track of this shape."""
    p, q = ends
    setup, teardown = setup_teardown
    if p == q:
        return [(lp.row((owner, p), float(grid)), float(shape[0] - setup - teardown))]
    on, off = points[p] + grid - shape[0] + setup, points[q] + shape[1] - teardown
    entries = []
    for k in range(p, q + 1):
        seconds = min(off, points[k] + grid) - max(on, points[k])
        if seconds > 0:
            entries.append((lp.row((owner, k), float(grid)), float(seconds)))
    return entries


def interval_unserved_bound(instance: GroundStationInstance, options: list[list[Option]],
                            seconds: float | None = None, grid: int = 3600,
                            mission_caps: bool = True, tracking_rows: bool = True,
                            crossing_rows: bool = False) -> int:
    """Proven lower bound on unserved seconds from the non-preemptive bucketed LP (with the
    missions' transportation caps unless `mission_caps` is False, the owners' per-bucket tracking
    rows unless `tracking_rows` is False, the boundary-crossing rows with `crossing_rows`);
    `seconds` covers building too."""
    return interval_bound_and_guide(instance, options, seconds, grid, mission_caps, tracking_rows,
                                    crossing_rows)[0]


def interval_bound_and_guide(instance: GroundStationInstance, options: list[list[Option]],
                             seconds: float | None = None, grid: int = 3600, mission_caps: bool = True,
                             tracking_rows: bool = True, crossing_rows: bool = False,
                             control: RunControl | None = None
                             ) -> tuple[int, dict[tuple[int, int], float]]:
    """interval_unserved_bound, and the LP's tracked seconds per (request, option index) (empty
    when HiGHS gave no values): a guide for the search, never part of the bound. TooLarge
    (lp_bound) when building passes its limits or `seconds`, or `control` is cancelled."""
    started = time.perf_counter()
    caps = mission_totals(instance, options) if mission_caps else None
    lp = build(instance, options, grid, caps, tracking_rows, crossing_rows,
               None if seconds is None else started + seconds, control)
    left = None if seconds is None else max(0.01, seconds - (time.perf_counter() - started))
    most, values = solve_lp(lp, left, control)
    ceiling = tracked_ceiling(most)
    guide: dict[tuple[int, int], float] = {}
    if values is not None:
        for tag, cost, value in zip(lp.tags, lp.cost, values.tolist(), strict=True):
            if value > 1e-9 and isinstance(tag, tuple):
                guide[tag[:2]] = guide.get(tag[:2], 0.0) + cost * value
    return max(0, instance.requested - ceiling), guide


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
