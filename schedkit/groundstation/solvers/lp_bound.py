"""A proven lower bound on unserved seconds from a time-bucketed LP relaxation (HiGHS).

Time is cut into buckets (the option end points, or a grid). Per request i, option o (a
view-period piece [lo, hi) of an alternative) and bucket k: tracking x_iok <= |[lo, hi) ∩ k| and
set-up/tear-down antenna time z_iok <= |[lo - s, hi + t) ∩ k|. Every plan gives such x and z:
- per request: sum x <= L; tracks on o last at most cap_o = min(L, hi - lo), so o holds at
  least x_io / cap_o tracks and sum_o x_io / cap_o <= max_tracks (1 unless splittable);
- each track on o costs s + t antenna seconds: sum_k z_iok >= (s + t) x_io / cap_o;
- per antenna and bucket: tracking plus set-up/tear-down of every option using it <= the
  bucket's time outside maintenance;
- per mission (per request when the rule is relaxed) and bucket: tracking <= |k|.
The LP maximum bounds tracked seconds. It is not read from the solver's claim: any row prices
y >= 0 give the weak-duality bound y·b + sum_j max(0, c_j - y·A_j) u_j, computed here from
HiGHS's duals, so a time-limited or slightly inaccurate LP still yields a valid bound.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left, bisect_right
from typing import Any

import numpy as np

from schedkit.common.mip import RunControl
from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance

SIMPLEX_COLUMNS = 5000  # up to this many columns the LP goes to simplex (IPM's duals can be lost
# when presolve empties a small model), beyond it to interior point
IPM_TOLERANCE = 1e-6  # relative gap the interior point stops at: the bound is re-derived from its
# duals anyway, and the last digits cost a fifth of the iterations on a SatNet week
MARGIN = 1e-7  # relative slack taken off the float bound before rounding it in our favour
MAX_BUCKETS = 100_000  # grid buckets over the options' span (a SatNet week at 30 min: 336)
MAX_ENTRIES = 30_000_000  # matrix entries while building, about 1.2 GB of lists (SatNet week: 14 million)


class TooLarge(Exception):
    """The LP would pass MAX_BUCKETS or MAX_ENTRIES, or its building passed its deadline or was
    cancelled: no bound from it (long view periods made it grow with their seconds, and the
    abandoned thread built on after its method returned, to a MemoryError)."""


def check_size(lp: _Builder, deadline: float | None, control: RunControl | None) -> None:
    """TooLarge when `lp` has too many entries, time is past `deadline` or `control` cancelled."""
    if len(lp.rows) > MAX_ENTRIES:
        raise TooLarge(f"more than {MAX_ENTRIES:,} entries")
    if control is not None and control.requested:
        raise TooLarge("cancelled while building")
    if deadline is not None and time.perf_counter() > deadline:
        raise TooLarge("out of time while building")


def grid_points(first: int, last: int, grid: int) -> list[int]:
    """Boundaries of `grid`-second buckets over [first, last); TooLarge beyond MAX_BUCKETS."""
    if (last - first) // grid + 2 > MAX_BUCKETS:
        raise TooLarge(f"{(last - first) // grid + 2:,} buckets of {grid} s (at most {MAX_BUCKETS:,})")
    return list(range(first - first % grid, last + grid, grid))


class _Builder:
    """Columns (upper bound, objective) and their (row, value) entries."""

    def __init__(self) -> None:
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.starts: list[int] = [0]
        self.rows: list[int] = []
        self.values: list[float] = []
        self.row_upper: list[float] = []
        self.row_keys: dict[object, int] = {}
        self.tags: list[object] = []  # per column, what it stands for (None when untagged)

    def row(self, key: object, upper: float) -> int:
        r = self.row_keys.get(key)
        if r is None:
            r = self.row_keys[key] = len(self.row_upper)
            self.row_upper.append(upper)
        return r

    def column(self, upper: float, cost: float, entries: list[tuple[int, float]],
               tag: object = None) -> None:
        self.upper.append(upper)
        self.cost.append(cost)
        self.tags.append(tag)
        for r, v in entries:
            self.rows.append(r)
            self.values.append(v)
        self.starts.append(len(self.rows))


def _points(instance: GroundStationInstance, options: list[list[Option]], grid: int | None) -> list[int]:
    """Bucket boundaries: every option's end points (and widened ends), or a grid over them."""
    ends = [p for r, mine in zip(instance.requests, options, strict=True) for o in mine
            for p in (o.lo - r.setup, o.lo, o.hi, o.hi + r.teardown)]
    if not ends:
        return []
    if grid is None:
        return sorted(set(ends))
    return grid_points(min(ends), max(ends), grid)


def _overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def _free_time(instance: GroundStationInstance, points: list[int]) -> dict[tuple[int, int], int]:
    """(antenna, bucket) -> seconds of the bucket inside that antenna's maintenance."""
    index = {a: k for k, a in enumerate(instance.antennas)}
    by_antenna: dict[int, list[tuple[int, int]]] = {}
    for m in instance.maintenance:
        if m.end > m.start:
            by_antenna.setdefault(index[m.antenna], []).append((m.start, m.end))
    down: dict[tuple[int, int], int] = {}
    for a, spans in by_antenna.items():
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        for s, e in merged:
            for k in range(max(0, bisect_right(points, s) - 1), min(len(points) - 1, bisect_left(points, e))):
                cut = _overlap(s, e, points[k], points[k + 1])
                if cut:
                    down[(a, k)] = down.get((a, k), 0) + cut
    return down


def _buckets(points: list[int], lo: int, hi: int) -> range:
    return range(max(0, bisect_right(points, lo) - 1), min(len(points) - 1, bisect_left(points, hi)))


def build(instance: GroundStationInstance, options: list[list[Option]], grid: int | None = None,
          deadline: float | None = None, control: RunControl | None = None) -> _Builder:
    """The LP (maximise tracked seconds) in column form; see the module docstring. TooLarge
    past MAX_BUCKETS, MAX_ENTRIES, `deadline` or a cancel of `control`."""
    points = _points(instance, options, grid)
    down = _free_time(instance, points)
    lp = _Builder()
    for i, (r, mine) in enumerate(zip(instance.requests, options, strict=True)):
        check_size(lp, deadline, control)
        if not mine:
            continue
        asked = lp.row(("request", i), r.duration)
        count = lp.row(("count", i), r.max_tracks)
        owner = ("mission", r.mission) if instance.spacecraft_exclusive else ("own", i)
        gap = r.setup + r.teardown
        for o, option in enumerate(mine):
            cap = min(r.duration, option.hi - option.lo)
            within = lp.row(("within", i, o), 0.0)  # x_io <= cap * y_io
            charge = lp.row(("charge", i, o), 0.0) if gap else -1  # gap * y_io <= z_io
            links = []
            for k in _buckets(points, option.lo, option.hi):
                a, b = points[k], points[k + 1]
                length = _overlap(option.lo, option.hi, a, b)
                if not length:
                    continue
                link = lp.row(("link", i, o, k), 0.0)  # x_iok <= |o ∩ k| * y_io
                links.append((link, -float(length)))
                entries = [(asked, 1.0), (within, 1.0), (link, 1.0), (lp.row((owner, k), b - a), 1.0)]
                entries += [(lp.row(("antenna", x, k), b - a - down.get((x, k), 0)), 1.0)
                            for x in option.antennas]
                lp.column(length, 1.0, entries)
            y_entries = [(count, 1.0), (within, -float(cap))] + links
            if gap:
                y_entries.append((charge, float(gap)))
            lp.column(float(r.max_tracks), 0.0, y_entries)
            if not gap:
                continue
            for k in _buckets(points, option.lo - r.setup, option.hi + r.teardown):
                a, b = points[k], points[k + 1]
                length = _overlap(option.lo - r.setup, option.hi + r.teardown, a, b)
                if length:
                    lp.column(length, 0.0, [(charge, -1.0)] + [
                        (lp.row(("antenna", x, k), b - a - down.get((x, k), 0)), 1.0)
                        for x in option.antennas])
    return lp


def dual_bound(lp: _Builder, prices: np.ndarray) -> float:
    """Weak duality: with row prices y >= 0, y·b + sum_j max(0, c_j - y·A_j) u_j >= the LP max."""
    y = np.maximum(prices, 0.0)
    starts = np.asarray(lp.starts)
    priced = y[np.asarray(lp.rows, dtype=np.int64)] * np.asarray(lp.values)
    per_column = np.add.reduceat(priced, starts[:-1]) if len(priced) else np.zeros(len(lp.cost))
    per_column[starts[:-1] == starts[1:]] = 0.0  # reduceat copies the next entry for empty columns
    reduced = np.asarray(lp.cost) - per_column
    return float(y @ np.asarray(lp.row_upper) + np.maximum(reduced, 0.0) @ np.asarray(lp.upper))


def most_tracked(lp: _Builder, seconds: float | None = None, control: RunControl | None = None) -> float:
    """An upper bound on tracked seconds: the LP solved by HiGHS (within `seconds`), then
    re-derived from its duals by weak duality (any duals give a valid bound)."""
    return solve_lp(lp, seconds, control)[0]


def solve_lp(lp: _Builder, seconds: float | None = None, control: RunControl | None = None
             ) -> tuple[float, np.ndarray | None]:
    """most_tracked's bound and HiGHS's column values (None when it has none): the values
    only guide a search, the bound never depends on them. `control` may cancel the run (a
    cancelled LP's duals still give a valid bound)."""
    import highspy

    if not lp.cost:
        return 0.0, None
    model = highspy.HighsLp()
    model.num_col_ = len(lp.cost)
    model.num_row_ = len(lp.row_upper)
    model.col_cost_ = -np.asarray(lp.cost)  # minimise -tracked
    model.col_lower_ = np.zeros(len(lp.cost))
    model.col_upper_ = np.asarray(lp.upper, dtype=np.float64)
    model.row_lower_ = np.full(model.num_row_, -np.inf)
    model.row_upper_ = np.asarray(lp.row_upper, dtype=np.float64)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = np.asarray(lp.starts, dtype=np.int32)
    model.a_matrix_.index_ = np.asarray(lp.rows, dtype=np.int32)
    model.a_matrix_.value_ = np.asarray(lp.values, dtype=np.float64)
    started = time.perf_counter()
    found = _solve(highspy, model, lp, seconds, "off", control)
    if not found[1] and len(lp.cost) > SIMPLEX_COLUMNS:  # IPM stalled: again with crossover
        left = None if seconds is None else seconds - (time.perf_counter() - started)
        if left is None or left > 1.0:
            again = _solve(highspy, model, lp, left, "on", control)
            found = min(found, again, key=lambda f: f[:2])
    return found[0], found[2]


def _solve(highspy: Any, model: Any, lp: _Builder, seconds: float | None, crossover: str,
           control: RunControl | None = None) -> tuple[float, bool, np.ndarray | None]:
    """(weak-duality bound from HiGHS's duals, whether HiGHS called the LP optimal, the
    column values or None)."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    if seconds is not None:
        highs.setOptionValue("time_limit", max(0.01, float(seconds)))
    if len(lp.cost) > SIMPLEX_COLUMNS:  # large: interior point, crossover only on a retry
        highs.setOptionValue("solver", "ipm")
        highs.setOptionValue("run_crossover", crossover)
        highs.setOptionValue("ipm_optimality_tolerance", IPM_TOLERANCE)
    highs.passModel(model)
    if control is not None:
        control.attach(highs)
    highs.run()
    solution = highs.getSolution()
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    values = np.asarray(solution.col_value) if solution.value_valid else None
    if not solution.dual_valid:
        return trivial_bound(lp), optimal, values
    return dual_bound(lp, -np.asarray(solution.row_dual)), optimal, values


def trivial_bound(lp: _Builder) -> float:
    """The LP's value with every row dropped: sum of cost * upper over columns of positive cost
    (what is claimed when HiGHS returns no duals)."""
    return float(sum(u * c for u, c in zip(lp.upper, lp.cost, strict=True) if c > 0))


def tracked_ceiling(most: float) -> int:
    """The tracked seconds an LP maximum `most` proves: widened by MARGIN past HiGHS's
    tolerances, then rounded down to whole seconds."""
    return math.floor(most + MARGIN * max(1.0, most) + 1e-6)


def lp_unserved_bound(instance: GroundStationInstance, options: list[list[Option]],
                      seconds: float | None = None, grid: int | None = None,
                      control: RunControl | None = None) -> int:
    """Proven lower bound on unserved seconds from the bucketed LP (see the module docstring);
    `seconds` covers building too (TooLarge when it runs out first)."""
    started = time.perf_counter()
    lp = build(instance, options, grid, None if seconds is None else started + seconds, control)
    left = None if seconds is None else max(0.01, seconds - (time.perf_counter() - started))
    ceiling = tracked_ceiling(most_tracked(lp, left, control))
    return max(0, instance.requested - ceiling)
