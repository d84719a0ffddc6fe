"""CP-SAT large-neighbourhood search over time windows, warm-started from the incumbent.

Each round clones the full CP-SAT model, fixes every slot outside a neighbourhood to its
incumbent value, hints the rest with it and solves the clone for a few seconds. Neighbourhoods:
a time window over all antennas, or a longer window over a random half of the antennas, or a
window over a few missions. With `short_share` (0.5 in cpsat), that share of the rounds takes
a window over all antennas around a random instant of an option of a request the incumbent
serves short (drawn in proportion to its shortfall). With `clip_share` > 0 (0 in cpsat: on
SatNet it did not improve more often), that share of the rounds is *clipped*: a free slot may
only move inside the window (or the hull of the window and its incumbent track). Once the LP
bound's solution is known (`guide`), a quarter of the rounds take a window over all antennas
centred on an option the LP uses for a request the incumbent serves less than the LP does
(drawn in proportion to the shortfall, then to the LP's seconds on the option). With
`group_share` > 0 and antenna `groups` (solvers/antenna_groups.py: antennas that see the same
requests at the same times), that share of the other rounds is *grouped*: a longer window
(`group_hours`, from 12 h) over one group of antennas only, so that tracks can shift along
their antennas and between the antennas of one site and merge idle fragments; centred like
the short-centred rounds (with `short_share`, on a short request's option, its antennas'
groups) or at a random instant on a random antenna's group. With `insert_share` > 0 (0 in
cpsat, see benchmarks/reports/groundstation.md, branch gs26), that share of the rounds, once
the LP's solution is known, are *insert* rounds: a request of at least LONG_HOURS that the
incumbent serves at least an hour less than the LP, drawn in proportion to the shortfall, and
its option the LP uses most; the window is that option's whole span (set-up and tear-down
included) widened by INSERT_MARGIN on each side, over all antennas, and the round gets
INSERT_ROUNDS times a round's time, so that a long track can be placed whole. A plan no
worse than the incumbent is kept. A round's window (the grouped rounds' separately) widens when the round
proves its neighbourhood optimal quickly and narrows when it does not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common.cpsat import new_solver

ROUND_SECONDS = 3.0  # most time one round's solve gets
MIN_ROUND_SECONDS = 0.5  # a round with less left is not started
CLONE_SECONDS = 0.3  # cloning and fixing a SatNet week's model (loaded machine)
START_HOURS, MIN_HOURS = 8.0, 2.0  # first and smallest window width
GROW = 1.25
GUIDED_SHARE = 0.25  # share of the rounds centred by the LP's solution, once there is one
CLIP_SHARE = 0.0  # default share of the rounds whose free slots stay inside the window
SHORT_SHARE = 0.5  # default share of the rounds centred on a request the incumbent serves short
GROUP_SHARE = 0.3  # default share of the rounds over one group of antennas
GROUP_START_HOURS, GROUP_MIN_HOURS = 12.0, 4.0  # first and smallest width of a grouped window
INSERT_SHARE = 0.0  # default share of the insert rounds (once the LP's solution is known)
LONG_HOURS = 3.0  # an insert round's request asks at least this
INSERT_MARGIN = 3600  # an insert round's window: the option's span widened by this (s) each side
INSERT_ROUNDS = 4.0  # an insert round's solve gets this many times ROUND_SECONDS


@dataclass
class WindowSearch:
    """The rounds' state: the incumbent's value per slot variable, its objective, the window."""

    variables: list[Sequence[Any]]  # per slot: (present, start, length, end)
    spans: list[tuple[int, int, tuple[int, ...], str]]  # per slot: occupied lo, hi, antennas, mission
    values: list[list[int]]
    objective: int
    hours: float = START_HOURS
    rounds: int = 0
    improved: int = 0
    history: list[int] = field(default_factory=list)
    keys: list[tuple[int, int]] = field(default_factory=list)  # per slot: (request, option index)
    guide: Callable[[], dict[tuple[int, int], float] | None] | None = None  # the LP's seconds
    guided: int = 0  # rounds centred by the guide
    guided_improved: int = 0
    limits: list[tuple[int, int, int]] = field(default_factory=list)  # per slot: option lo, hi, min
    clip_share: float = 0.0  # share of the rounds clipped to their window (needs `limits`)
    window: tuple[int, int] | None = None  # the clipped round's window (tracking times)
    clipped: int = 0  # rounds clipped to their window
    clipped_improved: int = 0
    wanted: list[int] = field(default_factory=list)  # per request: seconds it can still use (L)
    short_share: float = 0.0  # share of the rounds centred on a short request (needs keys, wanted)
    short: int = 0  # rounds centred on a short request
    short_improved: int = 0
    groups: list[tuple[int, ...]] = field(default_factory=list)  # per antenna: its group
    group_share: float = 0.0  # share of the rounds over one group of antennas (needs groups)
    group_hours: float = GROUP_START_HOURS  # the grouped rounds' window width
    grouped: int = 0  # rounds over one group of antennas
    grouped_improved: int = 0
    last_grouped: bool = False  # the latest neighbourhood was grouped
    last_proved: bool = False  # the latest round proved its neighbourhood optimal
    insert_share: float = 0.0  # share of the insert rounds (needs keys, guide, wanted)
    inserted: int = 0  # insert rounds
    inserted_improved: int = 0
    last_insert: bool = False  # the latest neighbourhood was an insert round's
    solver_seconds: float = 0.0  # CP-SAT's own wall time over the rounds (the rest: cloning, fixing)
    builder: Callable[[set[int], list[list[int]]], tuple[Any, Mapping[int, Sequence[Any]]]] | None = None
    # builds a round's model over the free slots only (solvers/sub_model.py; unclipped rounds)

    def neighbourhood(self, rng: np.random.Generator, horizon: tuple[int, int], antennas: int
                      ) -> set[int]:
        """Slot indices left free this round (and `window` set when the round is clipped)."""
        self.window, self.last_grouped, self.last_insert = None, False, False
        span = horizon[1] - horizon[0] + 1
        self.hours = min(self.hours, span / 3600)  # a window never needs to outgrow the horizon
        width = max(1, int(self.hours * 3600))
        guide = self.guide() if self.guide is not None and self.keys else None
        if guide and self.wanted and rng.random() < self.insert_share:
            target = self._insert_span(rng, guide)
            if target is not None:
                self.inserted += 1
                self.last_insert = True
                start, end = target[0] - INSERT_MARGIN, target[1] + INSERT_MARGIN
                return {k for k, (lo, hi, _, _) in enumerate(self.spans) if lo < end and hi > start}
        if guide and rng.random() < GUIDED_SHARE:
            centre = self._shortfall_centre(rng, guide)
            if centre is not None:
                self.guided += 1
                start, end = centre - width // 2, centre + width - width // 2
                return {k for k, (lo, hi, _, _) in enumerate(self.spans) if lo < end and hi > start}
        if self.groups and rng.random() < self.group_share:
            return self._grouped(rng, horizon)
        kind = int(rng.integers(3))
        if kind == 1:
            width *= 2
        start = int(rng.integers(horizon[0] - width // 2, max(horizon[0] - width // 2 + 1, horizon[1])))
        centre = (self._short_centre(rng) if self.wanted and self.keys and rng.random() < self.short_share
                  else None)
        if centre is not None:
            self.short += 1
            kind, start = 0, centre - width // 2
        end = start + width
        if kind != 2 and self.limits and rng.random() < self.clip_share:
            return self._clipped(rng, start, end, antennas if kind == 1 else 0)
        if kind == 1:
            chosen = set(rng.choice(antennas, size=max(1, antennas // 2), replace=False).tolist())
            return {k for k, (lo, hi, ants, _) in enumerate(self.spans)
                    if lo < end and hi > start and chosen.intersection(ants)}
        if kind == 2:
            missions = sorted({m for *_, m in self.spans})
            picked = set(rng.choice(len(missions), size=min(len(missions), 4), replace=False).tolist())
            names = {missions[p] for p in picked}
            wide_start, wide_end = start - width, end + width
            return {k for k, (lo, hi, _, m) in enumerate(self.spans)
                    if m in names and lo < wide_end and hi > wide_start}
        return {k for k, (lo, hi, _, _) in enumerate(self.spans) if lo < end and hi > start}

    def _clipped(self, rng: np.random.Generator, start: int, end: int, antennas: int) -> set[int]:
        """Free the slots that are tracked across [start, end) or could hold a track inside it
        (on a random half of the antennas when `antennas` > 0); `round` keeps them inside."""
        chosen = (set(rng.choice(antennas, size=max(1, antennas // 2), replace=False).tolist())
                  if antennas else None)
        free = set()
        for k, ((lo, hi, ants, _), vals) in enumerate(zip(self.spans, self.values, strict=True)):
            if lo >= end or hi <= start or (chosen is not None and not chosen.intersection(ants)):
                continue
            if vals[0]:
                setup = self.limits[k][0] - lo  # the span is the option widened by set-up/tear-down
                teardown = hi - self.limits[k][1]
                if vals[1] - setup < end and vals[3] + teardown > start:
                    free.add(k)
            elif min(self.limits[k][1], end) - max(self.limits[k][0], start) >= self.limits[k][2]:
                free.add(k)
        self.window = (start, end)
        self.clipped += 1
        return free

    def _grouped(self, rng: np.random.Generator, horizon: tuple[int, int]) -> set[int]:
        """Free the slots that could occupy one group of antennas within a `group_hours` window
        (see the module docstring)."""
        self.group_hours = min(self.group_hours, (horizon[1] - horizon[0] + 1) / 3600)
        width = max(1, int(self.group_hours * 3600))
        picked = (self._short_pick(rng) if self.wanted and self.keys and rng.random() < self.short_share
                  else None)
        if picked is None:
            centre = int(rng.integers(horizon[0], horizon[1] + 1))
            members = set(self.groups[int(rng.integers(len(self.groups)))])
        else:
            centre, antennas = picked
            members = {b for a in antennas for b in self.groups[a]}
        start, end = centre - width // 2, centre + width - width // 2
        self.grouped += 1
        self.last_grouped = True
        return {k for k, (lo, hi, ants, _) in enumerate(self.spans)
                if lo < end and hi > start and members.intersection(ants)}

    def _short_centre(self, rng: np.random.Generator) -> int | None:
        """A random instant of a random option (as an occupied span) of a request the incumbent
        serves less than it asks, the request drawn in proportion to its shortfall."""
        picked = self._short_pick(rng)
        return None if picked is None else picked[0]

    def _short_pick(self, rng: np.random.Generator) -> tuple[int, tuple[int, ...]] | None:
        """_short_centre's instant and the antennas of the option it lies in."""
        got = [0] * len(self.wanted)
        for (i, _), vals in zip(self.keys, self.values, strict=True):
            got[i] += vals[2]
        short = np.array([max(0, w - g) for w, g in zip(self.wanted, got, strict=True)], dtype=float)
        if short.sum() <= 0:
            return None
        i = int(rng.choice(len(short), p=short / short.sum()))
        mine = [k for k, (j, _) in enumerate(self.keys) if j == i]
        if not mine:
            return None
        lo, hi, antennas, _ = self.spans[mine[int(rng.integers(len(mine)))]]
        return int(rng.integers(lo, hi + 1)), antennas

    def _served_against_lp(self, guide: dict[tuple[int, int], float]
                           ) -> tuple[dict[int, int], dict[tuple[int, int], tuple[int, int]],
                                      dict[int, float]]:
        """Per request: seconds the incumbent serves, each option's span, seconds the LP serves."""
        got: dict[int, int] = {}
        where: dict[tuple[int, int], tuple[int, int]] = {}
        for (i, o), (lo, hi, _, _), vals in zip(self.keys, self.spans, self.values, strict=True):
            got[i] = got.get(i, 0) + vals[2]
            where.setdefault((i, o), (lo, hi))
        lp: dict[int, float] = {}
        for (i, _), seconds in guide.items():
            lp[i] = lp.get(i, 0.0) + seconds
        return got, where, lp

    def _shortfall_centre(self, rng: np.random.Generator, guide: dict[tuple[int, int], float]
                          ) -> int | None:
        """The middle of an option the LP uses for a request the incumbent serves less than the
        LP; None when the incumbent serves every request as much as the LP."""
        got, where, lp = self._served_against_lp(guide)
        short = sorted((i, lp[i] - got.get(i, 0)) for i in lp if lp[i] - got.get(i, 0) > 60)
        if not short:
            return None
        weights = np.array([s for _, s in short])
        i = short[int(rng.choice(len(short), p=weights / weights.sum()))][0]
        used = sorted((key, seconds) for key, seconds in guide.items() if key[0] == i and key in where)
        if not used:
            return None
        weights = np.array([s for _, s in used])
        lo, hi = where[used[int(rng.choice(len(used), p=weights / weights.sum()))][0]]
        return (lo + hi) // 2

    def _insert_span(self, rng: np.random.Generator, guide: dict[tuple[int, int], float]
                     ) -> tuple[int, int] | None:
        """The occupied span of the option the LP uses most for a long request the incumbent
        serves at least an hour less than the LP (drawn by the shortfall); None when none is."""
        got, where, lp = self._served_against_lp(guide)
        short = sorted((i, lp[i] - got.get(i, 0)) for i in lp
                       if self.wanted[i] >= LONG_HOURS * 3600 and lp[i] - got.get(i, 0) >= 3600)
        if not short:
            return None
        weights = np.array([s for _, s in short])
        i = short[int(rng.choice(len(short), p=weights / weights.sum()))][0]
        used = max(((seconds, key) for key, seconds in guide.items() if key[0] == i and key in where),
                   default=None)
        return None if used is None else where[used[1]]

    def round_seconds(self) -> float:
        """The most time the latest neighbourhood's solve gets."""
        return ROUND_SECONDS * (INSERT_ROUNDS if self.last_insert else 1.0)

    def round(self, model: Any, cp_model: Any, free: set[int], seconds: float, workers: int,
              seed: int) -> bool:
        """Solve the model with every slot outside `free` fixed (or the builder's model of the
        free slots); True when the incumbent changed."""
        if self.builder is not None and self.window is None:
            sub, made = self.builder(free, self.values)
        else:
            sub, made = model.Clone(), {k: self.variables[k] for k in free}
            proto = sub.Proto()
            for k, (slot_vars, vals) in enumerate(zip(self.variables, self.values, strict=True)):
                if k in free:
                    if self.window is not None:
                        self._clip(proto, k)
                    continue
                for var, val in zip(slot_vars, vals, strict=True):
                    domain = proto.variables[var.Index()].domain
                    domain.clear()
                    domain.extend([val, val])
            sub.ClearHints()
        for k in free:
            for var, val in zip(made[k], self.values[k], strict=True):
                sub.AddHint(var, val)
        solver = new_solver(cp_model, workers, seed, seconds)
        status = solver.Solve(sub)
        self.rounds += 1
        self.solver_seconds += solver.WallTime()
        self.last_proved = status == cp_model.OPTIMAL
        if not self.last_insert:  # an insert round's window follows its option, not the width
            self._adapt(status == cp_model.OPTIMAL, solver.WallTime() < 0.5 * seconds)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        found = {k: [int(solver.Value(var)) for var in made[k]] for k in free}
        value = self.objective - sum(found[k][2] - self.values[k][2] for k in free)  # lengths
        if value > self.objective:
            return False
        if value < self.objective:
            self.improved += 1
            self.history.append(value)
        self.objective = value
        for k in free:
            self.values[k] = found[k]
        return True

    def _adapt(self, proved: bool, quickly: bool) -> None:
        """Widen the window of the latest round's kind after a quick proof, narrow it without one."""
        hours, least = ((self.group_hours, GROUP_MIN_HOURS) if self.last_grouped
                        else (self.hours, MIN_HOURS))
        if proved and quickly:
            hours *= GROW
        elif not proved:
            hours = max(least, hours / GROW)
        if self.last_grouped:
            self.group_hours = hours
        else:
            self.hours = hours

    def _clip(self, proto: Any, k: int) -> None:
        """Keep free slot k's track inside the window (or the hull of the window and its
        incumbent track): start in [a, b - min], end in [a, b], cut to its option. An absent
        slot's incumbent values move to the window's start so that the hint stays feasible."""
        lo, hi, shortest = self.limits[k]
        present, on, _, off = self.values[k]
        assert self.window is not None
        a, b = self.window
        if present:
            a, b = min(a, on), max(b, off)
        a, b = max(a, lo), min(b, hi)
        _, start, _, end = self.variables[k]
        for var, first, last in ((start, a, b - shortest), (end, a, b)):
            domain = proto.variables[var.Index()].domain
            first, last = max(first, domain[0]), min(last, domain[len(domain) - 1])  # no [-1]
            # on OR-Tools 9.15's repeated fields (it reads 0)
            domain.clear()
            domain.extend([first, last])
        if not present:
            self.values[k] = [0, a, 0, a]


def search(model: Any, state: WindowSearch, deadline: float, workers: int, seed: int,
           horizon: tuple[int, int], antennas: int,
           improved: Callable[[WindowSearch], None] | None = None) -> WindowSearch:
    """Rounds until `deadline` (perf_counter). The model must minimise unserved seconds, i.e.
    maximise the sum of the slots' lengths (the objective is recomputed from the lengths);
    `improved(state)` hears of each round that lowered it (the caller offers the plan)."""
    from ortools.sat.python import cp_model

    rng = np.random.default_rng(seed)
    while True:
        left = deadline - time.perf_counter() - CLONE_SECONDS
        if left < MIN_ROUND_SECONDS or state.objective == 0:
            return state
        guided, clipped, short, before = state.guided, state.clipped, state.short, state.objective
        grouped, inserted = state.grouped, state.inserted
        free = state.neighbourhood(rng, horizon, antennas)
        if not free:
            state.rounds += 1  # an empty neighbourhood still counts, so the loop always moves on
            continue
        state.round(model, cp_model, free, min(state.round_seconds(), left), workers,
                    int(rng.integers(1 << 30)))
        if improved is not None and state.objective < before:
            improved(state)
        if state.inserted > inserted and state.objective < before:
            state.inserted_improved += 1
        if state.guided > guided and state.objective < before:
            state.guided_improved += 1
        if state.clipped > clipped and state.objective < before:
            state.clipped_improved += 1
        if state.short > short and state.objective < before:
            state.short_improved += 1
        if state.grouped > grouped and state.objective < before:
            state.grouped_improved += 1
