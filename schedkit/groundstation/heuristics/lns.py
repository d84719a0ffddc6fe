"""`lns`: ruin and recreate from the best greedy plan until the time limit.

Ruin: every track touching a random time window on one random antenna (plus, half of the time,
the tracks of a random mission), or, in INSERT_SHARE of the steps, every track in the way of a
random slot for a short request (drawn by its shortfall), which is then placed first (at 20,000
steps on the five SatNet weeks x 5 seeds: +124 h, +0.43 %, better in 19 of 25 runs).
Recreate: the ruined requests and every request still short of its duration, in a random rule's
order with random swaps, each placed longest-earliest or, in half of the steps, longest-latest
(flush with the end of its gap: at 20,000 steps on the five SatNet weeks, 2 seeds, +1.3 % tracked
hours over earliest alone, better in 10 of 10 runs); a split request may get two shorter pieces
when they serve it longer than its longest track (`Board.place(..., split=True)`).

A plan no worse than the current one is kept, or, with late acceptance (`history` > 0 steps,
Burke and Bykov's late-acceptance hill climbing), one no worse than the current plan was
`history` steps before; the best is returned. On SatNet W10 (30,000 steps) late acceptance over
100 steps reached 1038.9 tracked hours where keeping only no-worse plans stalled at 1020.6 (see
benchmarks/reports/groundstation.md, branch gs28). With `every_mission` (default) plans are
ranked by the missions left without a track first: the greedy start is repaired
(heuristics/missions.py) and the walk keeps every mission it tracks tracked (at 20,000 steps:
-0.13 % tracked hours; no mission left out where the plain walk left one on W50).
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from schedkit.common.incumbents import Incumbents
from schedkit.common.spawned import Spawned
from schedkit.common.walks import walk_count
from schedkit.errors import InvalidOption
from schedkit.groundstation.heuristics.board import (
    END_SHARE,
    Board,
    Option,
    board_result,
    plan_result,
    request_options,
)
from schedkit.groundstation.heuristics.floor import Floor, at_floor, floor_result, proven_floor
from schedkit.groundstation.heuristics.greedy import RULES, best_rule
from schedkit.groundstation.heuristics.missions import in_the_way, serve_missions
from schedkit.groundstation.heuristics.score import Scorer, check_objective
from schedkit.groundstation.model import GroundStationInstance, GroundStationSolution, plan_stats
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

WINDOW_HOURS = (2, 24)  # the ruined window lasts U[2, 24] h
LATE_HISTORY = 100  # late-acceptance history (steps); 0 keeps only plans no worse than the current
MAX_LATE_HISTORY = 1_000_000  # an array of this many steps is allocated
LATEST_SHARE = 0.5  # of the recreates: tracks go latest (flush right) instead of earliest
INSERT_SHARE = 0.3  # of the ruins: clear a slot for a short request, which is placed first
MAX_STEPS = 10**9  # the `steps` option's ceiling (a count, nothing is allocated by it)
SPAWN_AFTER = 5.0  # seconds of time limit from which `lns` runs a walk per extra worker (a child
# interpreter starts in about 0.6 s)


class Freed:
    """What a ruin took off the board: busy time per antenna (set-up and tear-down included) and
    tracking time per mission. Only a request whose options meet it can gain: the rest of the
    board is as full as before, and a plan leaves no request that could gain room without it."""

    def __init__(self) -> None:
        self.antennas: dict[int, list[tuple[int, int]]] = {}
        self.missions: dict[int, list[tuple[int, int]]] = {}

    def take(self, board: Board, i: int) -> None:
        """Note request i's tracks before they are cleared."""
        r = board.requests[i]
        for alt, on, off in board.tracks[i]:
            for a in board.alt_antennas[i][alt]:
                self.antennas.setdefault(a, []).append((on - r.setup, off + r.teardown))
            if board.exclusive:
                self.missions.setdefault(board.mission_of[i], []).append((on, off))

    def may_gain(self, board: Board, i: int) -> bool:
        """Could request i find a slot now that it could not find before the ruin? (A slot that
        is new meets a freed interval, widened by i's own set-up and tear-down, in an option.)"""
        r = board.requests[i]
        mission = self.missions.get(board.mission_of[i], ()) if board.exclusive else ()
        for option in board.options[i]:
            for a in option.antennas:
                for start, end in self.antennas.get(a, ()):
                    if start - r.teardown < option.hi and end + r.setup > option.lo:
                        return True
            for on, off in mission:
                if on < option.hi and off > option.lo:
                    return True
        return False


def _clear(board: Board, victims: set[int], freed: Freed) -> None:
    """Take the victims' tracks off the board, noting them in `freed`."""
    for i in victims:
        freed.take(board, i)
        board.clear(i)


def _clear_slot(board: Board, rng: np.random.Generator, freed: Freed) -> tuple[list[int], int] | None:
    """Pick a short request (by its shortfall) and a random slot of the length it lacks in one of
    its options; clear every track in the slot's way (on its antennas, set-up and tear-down
    included, and on its mission); return the cleared requests and the short one (None when no
    request is short)."""
    short, weights = [], []
    total = 0
    for i in range(len(board.requests)):
        lacking = board.lacking(i)
        if lacking and board.options[i]:
            short.append(i)
            total += lacking
            weights.append(total)
    if not short:
        return None
    i = short[bisect_right(weights, int(rng.integers(total)))]
    option = board.options[i][int(rng.integers(len(board.options[i])))]
    length = min(board.lacking(i), option.hi - option.lo)
    on = option.lo + int(rng.integers(option.hi - option.lo - length + 1))
    victims = in_the_way(board, i, option, on, on + length)
    _clear(board, victims, freed)
    return sorted(victims), i


def _ruin(board: Board, rng: np.random.Generator, freed: Freed) -> tuple[list[int], int]:
    """Clear a slot for a short request (INSERT_SHARE of the steps), or the requests of a random
    antenna window (and maybe a mission), noting their time in `freed`; return the cleared
    requests and the request to place first (-1: none)."""
    if rng.random() < INSERT_SHARE:
        cleared = _clear_slot(board, rng, freed)
        if cleared is not None:
            return cleared
    requests = board.requests
    victims: set[int] = set()
    timeline = board.antennas[int(rng.integers(len(board.antennas)))] if board.antennas else None
    if timeline is not None and timeline.starts:  # no antenna: no request has an option
        k = int(rng.integers(len(timeline.starts)))
        lo = timeline.starts[k]
        hi = lo + int(rng.uniform(*WINDOW_HOURS) * 3600)
        victims.update(o for s, e, o in zip(timeline.starts, timeline.ends, timeline.owners,
                                            strict=True) if s < hi and e > lo)
    if rng.random() < 0.5:
        mission = board.mission_of[int(rng.integers(len(requests)))]
        victims.update(i for i in range(len(requests)) if board.mission_of[i] == mission)
    _clear(board, victims, freed)
    return sorted(victims), -1


def _recreate(board: Board, order: list[int], victims: list[int], rng: np.random.Generator,
              freed: Freed | None = None, first: int = -1) -> None:
    """Place request `first` (when >= 0), then the victims and every request short of its
    duration, in `order` lightly shuffled, each track earliest or, in LATEST_SHARE of the
    recreates, latest among the longest; with `freed`, a short request whose options miss the
    freed time is skipped (it would find no slot: the same plan, faster)."""
    ruined = set(victims)
    wanted = ruined | {i for i in range(len(board.requests)) if board.lacking(i)}
    sequence = [i for i in order if i in wanted]
    for _ in range(max(1, len(sequence) // 4)):
        if len(sequence) > 1:
            a = int(rng.integers(len(sequence) - 1))
            sequence[a], sequence[a + 1] = sequence[a + 1], sequence[a]
    latest = bool(rng.random() < LATEST_SHARE)
    if first >= 0:
        board.place(first, latest=latest, split=True)
    for i in sequence:
        if freed is None or i in ruined or freed.may_gain(board, i):
            board.place(i, latest=latest, split=True)


def lns_board(instance: GroundStationInstance, options: list[list[Option]], scorer: Scorer,
              deadline: float, seed: int, stall: int | None = None,
              history: int = LATE_HISTORY, steps: int | None = None,
              incumbents: Incumbents | None = None, skip_full: bool = True,
              stats: dict[str, Any] | None = None, floor: tuple[int, int] = (0, 0)) -> Board:
    """The best board found from the best greedy rule until `deadline` (perf_counter), until
    `stall` ruin-and-recreate steps in a row bring no better plan, or after `steps` steps; a
    trial is accepted when no worse than the current plan or than the current plan `history`
    steps before. Each new best goes to `incumbents` (progress). `skip_full=False` retries
    every short request at each step (the same plans, slower: for tests). With the scorer's
    `every_mission`, the greedy plan is first repaired so that every mission that can be tracked
    is (stats["missions_repaired"] counts them), and the walk never leaves one without a track.
    It stops at a plan no other betters: unserved at the proven `floor`, and every mission
    tracked or as few left out as the missions' LP proves (floor.Floor; stats["missions_floor"])."""
    rng = np.random.default_rng(seed)
    best, _ = best_rule(instance, options, scorer, list(RULES), deadline)
    if scorer.every_mission:
        repaired = serve_missions(best, deadline)
        if stats is not None:
            stats["missions_repaired"] = repaired
    best_key = current_key = scorer.key(best.tracked)
    offered = partial(board_result, best, "lns")  # reads the best board when it is offered
    if incumbents is not None:
        incumbents.improved(best_key, offered)
    if time.perf_counter() >= deadline:  # the greedy start took the budget (10^4 requests at 2 s)
        return best
    current, trial = best.blank(), best.blank()
    current.copy_from(best)
    orders = [RULES[name](instance, options) for name in RULES]
    late = [current_key] * max(1, history)  # the current plan's key, history steps ago (at best)
    idle = step = done = 0
    least = Floor(instance, options, floor, scorer.every_mission and not scorer.fair)
    reached = least.reached(best_key, deadline)
    while (time.perf_counter() < deadline and (stall is None or idle < stall)
           and not reached and (steps is None or done < steps)):
        idle += 1
        done += 1
        step = (step + 1) % len(late)
        trial.copy_from(current)
        freed = Freed()
        victims, first = _ruin(trial, rng, freed)
        _recreate(trial, orders[int(rng.integers(len(orders)))], victims, rng,
                  freed if skip_full else None, first)
        key = scorer.key(trial.tracked)
        if key <= current_key or (history > 0 and key <= late[step]):
            current, trial = trial, current
            current_key = key
            if key < best_key:
                best.copy_from(current)
                best_key, idle = key, 0
                if incumbents is not None:
                    incumbents.improved(best_key, offered)
                reached = least.reached(best_key, deadline)
        if incumbents is not None:
            incumbents.poll()
        if current_key < late[step]:
            late[step] = current_key
    if stats is not None:
        stats["lns_steps"] = done
        if least.key[0] > floor[0]:
            stats["missions_floor"] = least.key[0]
    return best


def late_history(options: SolveOptions) -> int:
    """The `late_history` option, refused when negative or beyond MAX_LATE_HISTORY (it is
    allocated; its kind is checked already)."""
    history = int(options.get("late_history", LATE_HISTORY))
    if not 0 <= history <= MAX_LATE_HISTORY:
        raise InvalidOption(f"late_history must be 0 (off) or a number of steps up to {MAX_LATE_HISTORY:,}, "
                            f"got {history}")
    return history


@dataclass(frozen=True)
class WalkSetting:
    """What every walk of one run shares."""

    objective: str = "hours"
    every_mission: bool = True
    history: int = LATE_HISTORY
    steps: int | None = None
    floor: tuple[int, int] = (0, 0)  # the least key a plan can have: a walk reaching it stops (floor.py)


@dataclass(frozen=True)
class Walk:
    """What one walk found: its plan's key, tracked seconds per request, plan and stats."""

    seed: int
    key: tuple[int, int]
    tracked: list[int]
    solution: GroundStationSolution
    stats: dict[str, Any]


def walk(instance: GroundStationInstance, setting: WalkSetting, seed: int, deadline: float,
         incumbents: Incumbents | None = None) -> Walk:
    """One walk of `lns_board` until `deadline` (or `steps`): what a spawned child runs."""
    scorer = Scorer(instance, setting.objective, setting.every_mission)
    stats: dict[str, Any] = {}
    board = lns_board(instance, request_options(instance), scorer, deadline, seed,
                      history=setting.history, steps=setting.steps, incumbents=incumbents, stats=stats,
                      floor=setting.floor)
    return Walk(seed, scorer.key(board.tracked), list(board.tracked), board.solution(), stats)


def best_of_walks(instance: GroundStationInstance, setting: WalkSetting, seed: int, deadline: float,
                  extra: int, incumbents: Incumbents | None = None, latest: float = math.inf
                  ) -> tuple[Walk, dict[str, Any]]:
    """Walk `seed` here and walks seed + 1 .. seed + extra in child interpreters, all until
    `deadline`: the best (ties: the lowest seed) and stats on the walks (none when extra = 0).
    A child not done by `latest` (the time limit's end) is dropped."""
    children = [Spawned(walk, (instance, setting, seed + i), deadline) for i in range(1, 1 + extra)]
    try:
        walks = [walk(instance, setting, seed, deadline, incumbents)]
    except BaseException:  # an error or an interrupt here: the children's walks are not wanted
        for child in children:
            child.stop()
        raise
    floor = (max(setting.floor[0], walks[0].stats.get("missions_floor", 0)), setting.floor[1])
    if at_floor(walks[0].key, floor):  # optimal, and the lowest seed wins ties: no wait
        for child in children:
            child.stop()
        children = []
    answers = [child.result(latest) for child in children]
    failures = [why for _, why in answers if why is not None]
    walks += [found for found, why in answers if why is None]
    best = min(walks, key=lambda found: found.key)
    stats: dict[str, Any] = {}
    if children:
        stats.update(walks=len(walks), best_walk=best.seed - seed,
                     walk_hours=[round(sum(found.tracked) / 3600, 2) for found in walks])
    if failures:
        stats["walks_failed"] = failures
    return best, stats


def spawned_walks(workers: int, seconds: float) -> int:
    """How many walks run in child interpreters beside this one: one per extra worker (up to
    MAX_WALKS in all), when the budget leaves them time after their start-up."""
    return walk_count(workers) - 1 if seconds >= SPAWN_AFTER else 0


@register("groundstation", "lns", exact=False,
          description="ruin (an antenna's time window, a mission) and recreate from the best "
          "greedy plan, until the time limit (default 10 s); one walk per worker",
          options={"objective": "hours", "late_history": LATE_HISTORY, "every_mission": True,
                   "steps": None})
def solve_lns(instance: GroundStationInstance, options: SolveOptions) -> Result:
    """Improve the best greedy plan by ruin and recreate: walk 0 here, walks 1.. (seed + i) in
    child interpreters on the other workers; the best plan wins (ties: the lowest walk).
    `steps` ends each walk after that many steps; without a time limit it is the whole budget
    (no clock: the same plan on any machine for a seed and a number of workers)."""
    objective = options.get("objective", "hours")
    check_objective(objective)  # an unknown one is refused before anything starts
    every_mission = bool(options.get("every_mission", True))
    history = late_history(options)
    steps = options.get("steps")
    if steps is not None and not 0 <= steps <= MAX_STEPS:  # its kind: checked by the registry
        raise InvalidOption(f"lns: steps must be None or a whole number from 0 to {MAX_STEPS:,}, "
                            f"got {steps!r}")
    limit = 10.0 if options.time_limit is None else options.time_limit
    deadline = options.started + END_SHARE * limit
    if steps is not None and options.time_limit is None:
        deadline = math.inf
    floor = proven_floor(instance, request_options(instance), objective, limit)
    setting = WalkSetting(objective, every_mission, history, steps, floor)
    latest = math.inf if options.time_limit is None else options.started + limit
    best, stats = best_of_walks(instance, setting, options.seed, deadline,
                                spawned_walks(options.workers, limit), Incumbents(), latest)
    stats = {**plan_stats(instance, best.tracked), **best.stats, "workers": options.workers, **stats}
    return floor_result(plan_result(instance.requested - sum(best.tracked), best.solution, stats), floor[1])
