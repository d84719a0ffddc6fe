"""How the heuristics compare plans: unserved seconds (after the number of missions left without a
track, with `every_mission`), or (U_max, unserved) for objective="fair"."""

from __future__ import annotations

from collections.abc import Sequence

from schedkit.errors import SchedkitError
from schedkit.groundstation.model import GroundStationInstance

OBJECTIVES = ("hours", "fair")
U_SCALE = 1_000_000  # U_max compared in millionths


def check_objective(name: str) -> str:
    """The objective option's value, or a SchedkitError naming the accepted ones."""
    if name not in OBJECTIVES:
        raise SchedkitError(f"objective must be one of {', '.join(OBJECTIVES)}, got {name!r}")
    return name


class Scorer:
    """Key of a plan from its tracked seconds per request: smaller is better."""

    def __init__(self, instance: GroundStationInstance, objective: str = "hours",
                 every_mission: bool = False) -> None:
        self.fair = check_objective(objective) == "fair"
        self.every_mission = every_mission
        self.requested = instance.requested
        missions = {m: k for k, m in enumerate(instance.missions())}
        self.mission_of = [missions[r.mission] for r in instance.requests]
        self.asked = [0] * len(missions)
        for r, m in zip(instance.requests, self.mission_of, strict=True):
            self.asked[m] += r.duration

    def key(self, tracked: Sequence[int]) -> tuple[int, int]:
        """(scaled U_max, or the missions without a track with `every_mission`, or 0; unserved
        seconds)."""
        unserved = self.requested - sum(tracked)
        if not (self.fair or self.every_mission):
            return 0, unserved
        got = [0] * len(self.asked)
        for m, t in zip(self.mission_of, tracked, strict=True):
            got[m] += t
        if not self.fair:
            return sum(g == 0 for g in got), unserved
        worst = max(((a - g) * U_SCALE // a for a, g in zip(self.asked, got, strict=True)), default=0)
        return worst, unserved
