"""The proven floor of the anytime heuristics (lns, ga, ffeea): on up to FLOOR_MAX_REQUESTS
requests, the interval LP's lower bound on unserved seconds (with the missions' transportation
caps), computed within FLOOR_SHARE of the budget. A walk whose plan reaches it stops there: no
plan leaves less unserved, so the plan is optimal, and the rest of the budget (10 s without a
time limit) would buy nothing. Objective `hours` only: `fair` ranks plans by U_max first.

With `every_mission`, plans are ranked by the missions left without a track first, and the
floor's count (missions without any option) may be below what every plan leaves: the first
time a walk's plan meets the floor on unserved seconds with more missions untracked, the
missions' LP (solvers/mission_lp.py) is asked once, within MISSIONS_SECONDS (without a limit
when the walk has no deadline, `steps` alone), for a proven count (`Floor.reached`). Without
it, a plan at the optimum that must leave a mission out ran the whole budget (two missions
asking for the same hour of one antenna: 42,000 lns steps in a 2 s limit)."""

from __future__ import annotations

import math
import time
from typing import Any

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.interval_lp import interval_unserved_bound
from schedkit.groundstation.solvers.lp_bound import TooLarge
from schedkit.groundstation.solvers.mission_lp import untracked_missions_bound
from schedkit.result import Result

FLOOR_MAX_REQUESTS = 50  # the LP takes well under a second up to here (48 requests: 0.1-0.4 s)
FLOOR_SHARE = 0.1  # of the budget, at most, for the LP (building included)
FLOOR_GRID = 3600  # the LP's buckets (s)
MISSIONS_SECONDS = 1.0  # at most, for the missions' LP (building included), and no later than the walk's end


def proven_floor(instance: GroundStationInstance, options: list[list[Option]], objective: str,
                 budget: float) -> tuple[int, int]:
    """The least key (see score.py) any plan can have: (the missions without any option, which
    no plan tracks; unserved seconds no plan goes below), or (0, 0) when nothing is proven."""
    if objective != "hours" or instance.n > FLOOR_MAX_REQUESTS:
        return 0, 0
    placeable: dict[str, bool] = {}
    for r, mine in zip(instance.requests, options, strict=True):
        placeable[r.mission] = placeable.get(r.mission, False) or bool(mine)
    untrackable = sum(not can for can in placeable.values())
    try:
        return untrackable, interval_unserved_bound(instance, options, FLOOR_SHARE * budget, FLOOR_GRID)
    except TooLarge:  # out of its share of the budget while building
        return untrackable, 0


def at_floor(key: tuple[int, int], floor: tuple[int, int]) -> bool:
    """Whether a plan of `key` (missions without a track or 0, unserved seconds) can be bettered
    by none: both at the floor."""
    return key[0] <= floor[0] and key[1] <= floor[1]


class Floor:
    """A walk's floor (see at_floor) and, with `every_mission`, its mission count raised once by
    the missions' LP when a plan meets the floor on unserved seconds only (module docstring)."""

    def __init__(self, instance: GroundStationInstance, options: list[list[Option]],
                 floor: tuple[int, int], every_mission: bool) -> None:
        self.instance = instance
        self.options = options
        self.key = floor
        self.counted = not every_mission  # whether the missions' LP was asked (or is not wanted)

    def reached(self, key: tuple[int, int], deadline: float = math.inf) -> bool:
        """Whether a plan of `key` is at the floor, asking the missions' LP (until `deadline`,
        perf_counter) the first time it meets the floor's unserved seconds only."""
        if at_floor(key, self.key):
            return True
        if self.counted or key[1] > self.key[1]:
            return False
        self.counted = True
        seconds = None  # no time limit (a number of steps): the same stop on any machine
        if deadline < math.inf:
            seconds = min(MISSIONS_SECONDS, deadline - time.perf_counter())
            if seconds <= 0:
                return False
        try:
            missions = untracked_missions_bound(self.instance, self.options, seconds, FLOOR_GRID)
        except TooLarge:
            return False
        self.key = (max(self.key[0], missions), self.key[1])
        return at_floor(key, self.key)


def floor_result(result: Result, floor: int) -> Result:
    """`result` optimal, with the floor as its bound, when its plan reaches the floor (a floor
    above a plan would be a bug, not a proof: it is recorded and dropped); else the same answer
    with the floor in its stats."""
    if floor <= 0 or result.objective is None:
        return result
    stats: dict[str, Any] = {**result.stats, "proven_floor": floor}
    if floor > result.objective:
        stats["discarded_bound"] = floor
    if floor == result.objective:
        return Result("optimal", result.objective, floor, result.solution, stats)
    return result.with_context(stats=stats)
