"""A proven lower bound on the missions a plan leaves without a track, from the interval LP.

The columns and rows of solvers/interval_lp.py (one column per track shape, antenna, request,
mission and crossing rows) stay; the objective changes. Per mission m with an option, y_m in
[0, 1] counts it as tracked, and y_m * shortest_m <= the seconds its columns track (shortest_m:
the least minimum track of its requests that have an option); the LP maximises sum y_m, and
the track columns earn nothing. A plan gives a feasible point (y_m = 1 for each mission it
tracks: it tracks at least shortest_m there), so no plan tracks more missions than the LP's
maximum, read by weak duality as in lp_bound.py. Missions without any option add to the bound.
"""

from __future__ import annotations

import time

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.interval_lp import build, mission_totals
from schedkit.groundstation.solvers.lp_bound import _Builder, solve_lp, tracked_ceiling


def untracked_missions_bound(instance: GroundStationInstance, options: list[list[Option]],
                             seconds: float | None = None, grid: int = 3600) -> int:
    """Proven least number of missions any plan leaves without a track (see the module
    docstring); `seconds` covers building too (lp_bound.TooLarge when building runs out)."""
    started = time.perf_counter()
    shortest: dict[str, int] = {}
    for r, mine in zip(instance.requests, options, strict=True):
        if mine:
            shortest[r.mission] = min(shortest.get(r.mission, r.min_track), r.min_track)
    untrackable = len(instance.missions()) - len(shortest)
    if len(shortest) <= 1:  # one mission alone always gets a track in one of its options
        return untrackable
    tracks = build(instance, options, grid, mission_totals(instance, options), crossing_rows=True,
                   deadline=None if seconds is None else started + seconds)
    counted = counting_lp(tracks, [r.mission for r in instance.requests], shortest)
    left = None if seconds is None else max(0.01, seconds - (time.perf_counter() - started))
    most, _ = solve_lp(counted, left)
    return untrackable + max(0, len(shortest) - tracked_ceiling(most))


def counting_lp(tracks: _Builder, mission_of: list[str], shortest: dict[str, int]) -> _Builder:
    """The interval LP `tracks` (columns tagged (request, option, p, q), cost its tracked
    seconds) turned into the missions' count: track columns cost 0 and give their tracked seconds
    to their mission's link row, and one column per mission (cost 1, at most 1) takes
    shortest_m from it."""
    lp = _Builder()
    lp.row_upper = list(tracks.row_upper)
    lp.row_keys = dict(tracks.row_keys)
    link = {m: lp.row(("counted", m), 0.0) for m in shortest}
    for j, tag in enumerate(tracks.tags):
        start, end = tracks.starts[j], tracks.starts[j + 1]
        entries = list(zip(tracks.rows[start:end], tracks.values[start:end], strict=True))
        if isinstance(tag, tuple):  # interval_lp tags every column with its key
            entries.append((link[mission_of[tag[0]]], -tracks.cost[j]))
        lp.column(tracks.upper[j], 0.0, entries, tag)
    for m, seconds in shortest.items():
        lp.column(1.0, 1.0, [(link[m], float(seconds))], ("mission", m))
    return lp
