"""The plan under construction: antenna and mission timelines, and the placer every heuristic
(and CP-SAT's warm start) uses to put one request's track(s) in the earliest longest gap.
In lns's recreate, a split request that the longest first track leaves short is also tried with
two shorter pieces (`place(..., split=True)`; W20 +16 h at 20,000 steps on both seeds tried); the
one-pass greedy loses with it (W40 1117.3 -> 1033.1 h) and keeps the longest track (see
benchmarks/reports/groundstation.md, 2026-12-06 fifth session).

A request's *options* are the pieces of (view period ∩ time window) of each alternative left
after cutting out the antennas' maintenance (widened by set-up and tear-down), kept only when
they can hold a track of the minimum length. They are computed once per instance.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from schedkit.groundstation.heuristics.arrays import antenna_groups
from schedkit.groundstation.model import GroundStationInstance, GroundStationSolution, Track, plan_stats
from schedkit.result import Result

END_SHARE = 0.97  # of the time limit: where the anytime heuristics stop (the rest builds the Result)


@dataclass(frozen=True)
class Option:
    """Tracking may lie anywhere in [lo, hi) on alternative `alt` (antennas by index)."""

    alt: int
    antennas: tuple[int, ...]
    lo: int
    hi: int


def _subtract(lo: int, hi: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[lo, hi) minus the union of `cuts` (sorted or not), as sorted pieces."""
    pieces, at = [], lo
    for a, b in sorted(cuts):
        if b <= at or a >= hi:
            continue
        if a > at:
            pieces.append((at, a))
        at = max(at, b)
    if at < hi:
        pieces.append((at, hi))
    return pieces


def _merged(windows: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Starts and ends of the union of `windows` (empty ones dropped), sorted, touching ones joined."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(w for w in windows if w[1] > w[0]):
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def request_options(instance: GroundStationInstance) -> list[list[Option]]:
    """Per request, its options (see the module docstring). Each view period looks only at the
    maintenance near it (70,000 windows made every period sort them all: 6.3 s for a week)."""
    antenna_index = {a: k for k, a in enumerate(instance.antennas)}
    down: dict[str, list[tuple[int, int]]] = {}
    for m in instance.maintenance:
        down.setdefault(m.antenna, []).append((m.start, m.end))
    of_alternative: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
    found = []
    for r in instance.requests:
        options: list[Option] = []
        shortest = r.min_track
        for a, alternative in enumerate(r.alternatives):
            if alternative.antennas not in of_alternative:
                of_alternative[alternative.antennas] = _merged(
                    [w for antenna in alternative.antennas for w in down.get(antenna, ())])
            starts, ends = of_alternative[alternative.antennas]
            indices = tuple(antenna_index[x] for x in alternative.antennas)
            for period in alternative.view_periods:
                lo, hi = max(period.on, r.window_start), min(period.off, r.window_end)
                if hi - lo < shortest:
                    continue
                cuts = []  # tracking may not start in [s - tear-down, e + set-up)
                k = bisect_right(ends, lo - r.setup)
                while k < len(starts) and starts[k] - r.teardown < hi:
                    cuts.append((starts[k] - r.teardown, ends[k] + r.setup))
                    k += 1
                pieces = _subtract(lo, hi, cuts) if cuts else [(lo, hi)]
                options.extend(Option(a, indices, p, q) for p, q in pieces if q - p >= shortest)
        found.append(options)
    return found


class Timeline:
    """Disjoint busy intervals [start, end) with their owners, sorted by start."""

    __slots__ = ("ends", "owners", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.owners: list[int] = []

    def add(self, start: int, end: int, owner: int) -> None:
        k = bisect_right(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        self.owners.insert(k, owner)

    def remove_owner(self, owner: int) -> None:
        keep = [k for k, o in enumerate(self.owners) if o != owner]
        self.starts = [self.starts[k] for k in keep]
        self.ends = [self.ends[k] for k in keep]
        self.owners = [self.owners[k] for k in keep]

    def blocking(self, lo: int, hi: int, before: int, after: int, out: list[tuple[int, int]]) -> None:
        """Append the tracking times [s - after, e + before) that busy intervals forbid in [lo, hi)."""
        k = bisect_right(self.ends, lo - before)
        starts, ends = self.starts, self.ends
        while k < len(starts) and starts[k] - after < hi:
            out.append((starts[k] - after, ends[k] + before))
            k += 1


@dataclass(frozen=True)
class Layout:
    """What every board of an instance shares: per request its mission's index, shortest track,
    most tracks and each alternative's antennas (by index) and antenna group (see arrays.py);
    built once (10^4 requests: 0.15 s a board, and lns and the mission repair build ten)."""

    missions: int
    mission_of: list[int]
    min_track: list[int]
    max_tracks: list[int]
    alt_antennas: list[list[tuple[int, ...]]]
    alt_group: list[list[int]]
    meets: list[list[int]] | None  # per group the groups sharing an antenna; None: no arrays

    @classmethod
    def of(cls, instance: GroundStationInstance) -> Layout:
        """The layout of `instance`."""
        missions = {m: k for k, m in enumerate(instance.missions())}
        index = {a: k for k, a in enumerate(instance.antennas)}
        alt_antennas = [[tuple(index[a] for a in alt.antennas) for alt in r.alternatives]
                        for r in instance.requests]
        return cls(len(missions), [missions[r.mission] for r in instance.requests],
                   [r.min_track for r in instance.requests], [r.max_tracks for r in instance.requests],
                   alt_antennas, *antenna_groups(alt_antennas, len(instance.antennas)))


class Board:
    """A partial plan: tracks per request, antenna timelines (set-up and tear-down included),
    and mission timelines (tracking only) when one mission may not be tracked twice at once."""

    def __init__(self, instance: GroundStationInstance, options: list[list[Option]],
                 layout: Layout | None = None) -> None:
        self.instance = instance
        self.options = options
        self.requests = instance.requests
        self.layout = layout = Layout.of(instance) if layout is None else layout
        self.antennas = [Timeline() for _ in instance.antennas]
        self.mission_of = layout.mission_of
        self.missions = [Timeline() for _ in range(layout.missions)]
        self.groups = [Timeline() for _ in layout.meets or ()]  # each track also in its group's
        self.exclusive = instance.spacecraft_exclusive
        self.tracks: list[list[tuple[int, int, int]]] = [[] for _ in instance.requests]  # (alt, on, off)
        self.tracked = [0] * instance.n
        self.min_track = layout.min_track
        self.max_tracks = layout.max_tracks
        self.alt_antennas = layout.alt_antennas
        self.deadline = math.inf  # perf_counter: `place` adds no track after it (a split request
        # with 1 s tracks and 10^5 views placed one track per scan of its views)

    def blank(self) -> Board:
        """An empty board of the same instance, options and deadline."""
        board = Board(self.instance, self.options, self.layout)
        board.deadline = self.deadline
        return board

    def copy_from(self, other: Board) -> None:
        """Become a copy of `other` (same instance)."""
        for mine, theirs in zip(self.antennas + self.missions + self.groups,
                                other.antennas + other.missions + other.groups, strict=True):
            mine.starts, mine.ends, mine.owners = list(theirs.starts), list(theirs.ends), list(theirs.owners)
        self.tracks = [list(t) for t in other.tracks]
        self.tracked = list(other.tracked)

    def unserved(self) -> int:
        """Sum over requests of requested - tracked seconds."""
        return self.instance.requested - sum(self.tracked)

    def lacking(self, i: int) -> int:
        """Seconds request i still lacks when another track could add them (at least a minimum
        track's worth, and a track left to give), else 0 (every minimum is positive)."""
        lacking = self.requests[i].duration - self.tracked[i]
        return lacking if lacking >= self.min_track[i] and len(self.tracks[i]) < self.max_tracks[i] else 0

    def _gaps(self, i: int, option: Option) -> list[tuple[int, int]]:
        r = self.requests[i]
        blocked: list[tuple[int, int]] = []
        meets = self.layout.meets
        group = self.layout.alt_group[i][option.alt]
        if meets is not None and len(meets[group]) < len(option.antennas):  # an array: its groups
            for g in meets[group]:
                self.groups[g].blocking(option.lo, option.hi, r.setup, r.teardown, blocked)
        else:
            for a in option.antennas:
                self.antennas[a].blocking(option.lo, option.hi, r.setup, r.teardown, blocked)
        if self.exclusive:
            self.missions[self.mission_of[i]].blocking(option.lo, option.hi, 0, 0, blocked)
        else:
            blocked.extend((on, off) for _, on, off in self.tracks[i])
        if len(option.antennas) > 1:  # an array's track blocks each of its antennas: once is enough
            blocked = list(set(blocked))
        return _subtract(option.lo, option.hi, blocked) if blocked else [(option.lo, option.hi)]

    def best_slot(self, i: int, want: int, alt: int = -1, latest: bool = False
                  ) -> tuple[int, int, int] | None:
        """(alt, on, off) of the longest track (capped at `want`, at least the minimum) over the
        request's options (only alternative `alt` when >= 0), earliest on ties; None if none fits.
        `latest`: on ties the gap that ends latest, the track flush with its end."""
        shortest = self.min_track[i]
        best: tuple[int, int, int] | None = None
        best_key = (0, 0)  # (length, -on) or, latest, (length, off): greater is better
        for option in self.options[i]:
            if alt >= 0 and option.alt != alt:
                continue
            cap = min(want, option.hi - option.lo)  # no gap in the option beats its key below
            if cap < shortest or (best is not None
                                  and ((cap, option.hi) if latest else (cap, -option.lo)) <= best_key):
                continue
            for lo, hi in self._gaps(i, option):
                length = min(want, hi - lo)
                if length < shortest:
                    continue
                key = (length, hi) if latest else (length, -lo)
                if best is None or key > best_key:
                    best_key = key
                    best = (option.alt, hi - length, hi) if latest else (option.alt, lo, lo + length)
        return best

    def add(self, i: int, alt: int, on: int, off: int) -> None:
        """Record the track (alt, on, off) of request i on every timeline it occupies."""
        r = self.requests[i]
        for a in self.alt_antennas[i][alt]:
            self.antennas[a].add(on - r.setup, off + r.teardown, i)
        if self.groups:
            self.groups[self.layout.alt_group[i][alt]].add(on - r.setup, off + r.teardown, i)
        if self.exclusive:
            self.missions[self.mission_of[i]].add(on, off, i)
        self.tracks[i].append((alt, on, off))
        self.tracked[i] += off - on

    def place(self, i: int, alt: int = -1, latest: bool = False, split: bool = False) -> int:
        """Give request i as many tracks as fit (one unless splittable), preferring alternative
        `alt` and falling back to any, each earliest (or `latest`) among the longest; returns the
        seconds added. With `split` (lns's recreate), a splittable request without tracks that
        the longest first track leaves short is also tried with a first track that leaves room
        for a second one (two 4 h tracks on two antennas can beat one of 7 h), keeping the better
        try. One-pass placers leave it off: the extra set-ups crowd out the requests after."""
        r = self.requests[i]
        retry = split and not self.tracks[i] and self.max_tracks[i] >= 2
        added = self._fill(i, alt, latest, r.duration)
        room = r.duration - self.min_track[i]  # a first track of at most this leaves room for one more
        if (not retry or not added or added >= r.duration
                or self.tracks[i][0][2] - self.tracks[i][0][1] <= room):
            return added
        first_try = list(self.tracks[i])
        self.clear(i)
        again = self._fill(i, alt, latest, room)
        if again > added:
            return again
        self.clear(i)
        for track in first_try:
            self.add(i, *track)
        return added

    def _fill(self, i: int, alt: int, latest: bool, first_cap: int) -> int:
        """`place`'s loop: tracks while they fit, the first one at most `first_cap` long."""
        duration, shortest, most = self.requests[i].duration, self.min_track[i], self.max_tracks[i]
        added = 0
        while len(self.tracks[i]) < most and time.perf_counter() < self.deadline:
            want = duration - self.tracked[i]
            if not self.tracks[i]:
                want = min(want, first_cap)
            if want < shortest:
                break
            slot = self.best_slot(i, want, alt, latest) if alt >= 0 else None
            if slot is None:
                slot = self.best_slot(i, want, latest=latest)
            if slot is None:
                break
            self.add(i, *slot)
            added += slot[2] - slot[1]
        return added

    def clear(self, i: int) -> None:
        """Take every track of request i off the board."""
        if not self.tracks[i]:
            return
        for alt in {alt for alt, _, _ in self.tracks[i]}:
            for a in self.alt_antennas[i][alt]:
                self.antennas[a].remove_owner(i)
            if self.groups:
                self.groups[self.layout.alt_group[i][alt]].remove_owner(i)
        if self.exclusive:
            self.missions[self.mission_of[i]].remove_owner(i)
        self.tracks[i] = []
        self.tracked[i] = 0

    def solution(self) -> GroundStationSolution:
        """The plan as a Solution."""
        return GroundStationSolution([
            Track(r.track_id, r.alternatives[alt].antennas, on, off)
            for r, tracks in zip(self.requests, self.tracks, strict=True) for alt, on, off in tracks])


def plan_result(unserved: int, solution: GroundStationSolution, stats: dict[str, Any]) -> Result:
    """A heuristic's plan as a Result: `feasible` without a bound, or `optimal` when it serves
    every requested second (no plan does better than nothing unserved)."""
    if unserved == 0:
        return Result("optimal", 0, 0, solution, stats)
    return Result("feasible", unserved, None, solution, stats)


def board_result(board: Board, phase: str) -> Result:
    """A heuristic's plan as a Result, for `deadline.offer` (`phase` says where)."""
    return plan_result(board.unserved(), board.solution(),
                       {**plan_stats(board.instance, board.tracked), "workers": 1, "offered": phase})
