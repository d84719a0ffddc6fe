"""The proven floor of the anytime heuristics (lns, ga, ffeea): on up to FLOOR_MAX_REQUESTS
requests, the interval LP's lower bound on unserved seconds (with the missions' transportation
caps), computed within FLOOR_SHARE of the budget. A walk whose plan reaches it stops there: no
plan leaves less unserved, so the plan is optimal, and the rest of the budget (10 s without a
time limit) would buy nothing. Objective `hours` only: `fair` ranks plans by U_max first."""

from __future__ import annotations

from typing import Any

from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.interval_lp import interval_unserved_bound
from schedkit.groundstation.solvers.lp_bound import TooLarge
from schedkit.result import Result

FLOOR_MAX_REQUESTS = 50  # the LP takes well under a second up to here (48 requests: 0.1-0.4 s)
FLOOR_SHARE = 0.1  # of the budget, at most, for the LP (building included)
FLOOR_GRID = 3600  # the LP's buckets (s)


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
