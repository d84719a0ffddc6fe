"""`mip`: the exact disjunctive MIP over HiGHS (CBC with solver="cbc"), for small instances.

Per request, option (view-period piece) and copy c (as many as solvers/copies.py allows):
presence x, integer start s and length l with lo <= s, s + l <= hi, min_track·x <= l <= cap·x.
Per request at most max_tracks tracks and at most L seconds. For every two slots that share an
antenna (occupancy with set-up and tear-down) or a mission (tracking; the same request when the
instance relaxes missions) and whose windows meet, a binary order y with big-M disjunctions
switched off unless both are present. The redundant time and antenna rows of solvers/energy.py
give the LP relaxation a bound (without them it was 0: every slot could take its whole view).
Objective: unserved seconds. Cross-checked against `cpsat` in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schedkit.common.finish import finish, integral_bound
from schedkit.common.highs_deadline import run_until
from schedkit.common.mip import import_pulp, new_variable
from schedkit.errors import ProblemTooLarge
from schedkit.groundstation.heuristics.board import Option, request_options
from schedkit.groundstation.model import GroundStationInstance, GroundStationSolution, Track, plan_stats
from schedkit.groundstation.solvers import energy
from schedkit.groundstation.solvers.copies import copy_counts
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

MAX_PAIRS = 3000  # disjunctive pairs: beyond this the big-M model is hopeless; use cpsat
MAX_SLOTS = 400  # optional tracks, checked before any pair is listed


@dataclass
class _Slot:
    i: int
    option: Option
    x: Any
    s: Any
    length: Any


def _slots(pulp: Any, problem: Any, instance: GroundStationInstance, options: list[list[Option]],
           counts: list[list[int]], origin: int) -> list[_Slot]:
    """The optional tracks, their starts counted from `origin`: SatNet's Unix seconds (or 2^40)
    as coefficients broke HiGHS's tolerances (bound 1 above the optimum 0, no plan found)."""
    slots = []
    for i, (r, mine) in enumerate(zip(instance.requests, options, strict=True)):
        for o, option in enumerate(mine):
            cap = min(r.duration, option.hi - option.lo)
            for c in range(counts[i][o]):
                x = new_variable(pulp, problem, f"x_{i}_{o}_{c}", cat="Binary")
                s = new_variable(pulp, problem, f"s_{i}_{o}_{c}", lowBound=option.lo - origin,
                                 upBound=option.hi - origin, cat="Integer")
                length = new_variable(pulp, problem, f"l_{i}_{o}_{c}", lowBound=0, upBound=cap,
                                      cat="Integer")
                problem += s + length <= option.hi - origin
                problem += length <= cap * x
                problem += length >= r.min_track * x
                slots.append(_Slot(i, option, x, s, length))
    return slots


def _pairs(instance: GroundStationInstance, slots: list[_Slot]) -> list[tuple[int, int, bool]]:
    """(p, q, occupancy?) for slot pairs that may clash on an antenna (True) or in tracking."""
    found = []
    for p in range(len(slots)):
        a, ra = slots[p], instance.requests[slots[p].i]
        for q in range(p + 1, len(slots)):
            b, rb = slots[q], instance.requests[slots[q].i]
            meet = (a.option.lo - ra.setup < b.option.hi + rb.teardown
                    and b.option.lo - rb.setup < a.option.hi + ra.teardown)
            if meet and set(a.option.antennas) & set(b.option.antennas):
                found.append((p, q, True))
                continue
            same = ra.mission == rb.mission if instance.spacecraft_exclusive else a.i == b.i
            if same and a.option.lo < b.option.hi and b.option.lo < a.option.hi:
                found.append((p, q, False))
    return found


def _disjunctions(pulp: Any, problem: Any, instance: GroundStationInstance, slots: list[_Slot],
                  pairs: list[tuple[int, int, bool]]) -> None:
    for k, (p, q, occupancy) in enumerate(pairs):
        a, b = slots[p], slots[q]
        ra, rb = instance.requests[a.i], instance.requests[b.i]
        after_a = (ra.teardown + rb.setup) if occupancy else 0
        after_b = (rb.teardown + ra.setup) if occupancy else 0
        big = max(a.option.hi, b.option.hi) - min(a.option.lo, b.option.lo) + after_a + after_b
        y = new_variable(pulp, problem, f"y_{k}", cat="Binary")
        off = big * (2 - a.x - b.x)
        problem += a.s + a.length + after_a <= b.s + big * (1 - y) + off
        problem += b.s + b.length + after_b <= a.s + big * y + off


@register("groundstation", "mip", exact=True, options={"solver": "highs"},
          description=f"disjunctive big-M MIP over HiGHS or CBC, small instances (at most "
          f"{MAX_SLOTS} optional tracks, {MAX_PAIRS} clashing pairs); cross-checked with cpsat")
def solve_mip(instance: GroundStationInstance, options: SolveOptions) -> Result:
    """Build and solve; ProblemTooLarge beyond MAX_PAIRS pairs."""
    name = str(options.get("solver", "highs")).lower()
    pulp = import_pulp(name)
    opts = request_options(instance)
    count = sum(map(len, opts))  # each option one copy at least: refused before counting copies
    if count <= MAX_SLOTS:  # (10^4 requests: counting them took 3.7 s of a 2 s limit)
        counts = copy_counts(instance, opts)
        count = sum(map(sum, counts))
    if count > MAX_SLOTS:
        raise ProblemTooLarge(f"mip: {count} optional tracks (limit {MAX_SLOTS}); use cpsat")
    problem = pulp.LpProblem("groundstation", pulp.LpMinimize)
    origin = min((option.lo for mine in opts for option in mine), default=0)
    slots = _slots(pulp, problem, instance, opts, counts, origin)
    if not slots:  # no view holds a track: the empty plan is optimal (CBC gave no bound for it)
        return finish(instance.requested, instance.requested, True, GroundStationSolution([]),
                      {"solver": name, "slots": 0, "pairs": 0, **plan_stats(instance, [0] * instance.n)})
    pairs = _pairs(instance, slots)
    if len(pairs) > MAX_PAIRS:
        raise ProblemTooLarge(f"mip: {len(pairs)} clashing slot pairs (limit {MAX_PAIRS}); use cpsat")
    _disjunctions(pulp, problem, instance, slots, pairs)
    for i, r in enumerate(instance.requests):
        own = [s for s in slots if s.i == i]
        if own:
            problem += pulp.lpSum(s.x for s in own) <= r.max_tracks
            problem += pulp.lpSum(s.length for s in own) <= r.duration
    for row in energy.rows(instance, [(s.i, s.option) for s in slots]):
        problem += pulp.lpSum(slots[k].length + g * slots[k].x
                              for k, g in zip(row.slots, row.extra, strict=True)) <= row.capacity
    problem += instance.requested - pulp.lpSum(s.length for s in slots)
    raw, stats, finished = run_until(pulp, problem, options, name, options.deadline)
    stats = {**stats, "solver": name, "slots": len(slots), "pairs": len(pairs)}
    tracks, tracked = [], [0] * instance.n
    if not finished or (problem.status != pulp.LpStatusOptimal
                        and not any(s.x.varValue is not None for s in slots)):
        return finish(None, _unserved_bound(raw), False, None, stats)
    for s in slots:
        if (s.x.varValue or 0) > 0.5:
            r = instance.requests[s.i]
            on, length = origin + round(s.s.varValue), round(s.length.varValue)
            tracks.append(Track(r.track_id, r.alternatives[s.option.alt].antennas, on, on + length))
            tracked[s.i] += length
    value = instance.requested - sum(tracked)
    stats.update(plan_stats(instance, tracked))
    bound = _unserved_bound(raw)
    if bound is not None and bound > value:  # a valid bound never exceeds a feasible value
        stats["discarded_bound"] = bound
        bound = None
    return finish(value, bound, problem.status == pulp.LpStatusOptimal and bound == value,
                  GroundStationSolution(tracks), stats)


def _unserved_bound(raw: float | None) -> int | None:
    """The solver's dual bound as an integer, never below 0 (unserved seconds are not negative;
    HiGHS stopped early reported -78,600 on the `mixed` fixture)."""
    bound = integral_bound(raw)
    return None if bound is None else max(0, bound)
