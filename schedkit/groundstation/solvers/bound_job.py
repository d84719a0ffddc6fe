"""The LP bounds in a background thread beside cpsat's search (HiGHS releases the GIL): the
non-preemptive LP (interval_lp.py) at each of `interval_grids` in turn (coarse first) with what
is left of `seconds`, or, without interval grids, the preemptive bucketed LP (lp_bound.py).
A finer grid is not started when it would likely not end in time (its expected time: the
previous stage's times STAGE_GROWTH for its grid), so its CPU stays with the search.
`value` is the best bound found so far; `guide` the latest LP's solution, for the search."""

from __future__ import annotations

import threading
import time
from typing import Any

from schedkit.common.mip import LEFTOVERS, RunControl
from schedkit.groundstation.heuristics.board import Option
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.interval_lp import interval_bound_and_guide
from schedkit.groundstation.solvers.lp_bound import TooLarge, lp_unserved_bound

MIN_STAGE_SECONDS = 2.0  # the interval LP is not started with less than this left
INTERVAL_SETUP_SECONDS = 1.0  # reading the interval LP's duals (its building counts in its limit)
STAGE_GROWTH = {3600: 5.0, 1800: 8.0}  # by the finer grid (s): how many times the stage before
# its stage took. Inside cpsat runs (2 workers): 3 h -> 1 h 4.1-7.8x at 60 s (W10-W50, load 2);
# at 6x W40's 1 h stage (about 5x) was skipped in some 60 s runs, and when it runs the bound is
# 2 % tighter for a plan about 1 % lower, so it errs short. 1 h -> 30 min at 300 s (quiet): W10
# 5.9x (23.0 s -> 135.0 s), W50 6.5x (25.6 s -> 165.9 s), W40 >= 7.7x (30.6 s, then 234.3 s
# without ending; alone 6.5x); the 30 min stage gains 0.4 % of bound and, when it does not end,
# claims nothing and takes a core from the search, so it errs long: at 8x W10 and W50 still run
# it in 300 s, W30 and W40 skip it
OTHER_GROWTH = 8.0  # any other pair of grids


class BoundJob(threading.Thread):
    """Lower bounds on unserved seconds; `value` is None until the first LP ends, and
    `stages` maps each finished LP to (bound, seconds it took)."""

    def __init__(self, instance: GroundStationInstance, options: list[list[Option]],
                 seconds: float | None, grid: int, interval_grids: tuple[int, ...]) -> None:
        super().__init__(daemon=True, name="groundstation-lp-bound")
        self.instance, self.options, self.seconds = instance, options, seconds
        self.grid, self.interval_grids = grid, interval_grids
        self.value: int | None = None
        self.stages: dict[str, Any] = {}
        self.control = RunControl()  # cancels the running LP when the method returns first
        self.stopping = False
        self.guide: dict[tuple[int, int], float] | None = None  # the latest interval LP's tracked
        # seconds per (request, option index), for the search (see interval_bound_and_guide)

    def run(self) -> None:
        started = time.perf_counter()
        if not self.interval_grids:  # the interval LP at 3 h is already stronger and as quick
            try:
                value = lp_unserved_bound(self.instance, self.options, self.seconds, self.grid, self.control)
            except TooLarge:
                self.stages["lp_too_large"] = True
                return
            self.stages["lp"] = (value, round(time.perf_counter() - started, 2))
            self.value = value
        previous: float | None = None  # seconds the last stage took
        for grid in self.interval_grids:
            left = None if self.seconds is None else (self.seconds - INTERVAL_SETUP_SECONDS
                                                      - (time.perf_counter() - started))
            expected = 0.0 if previous is None else previous * STAGE_GROWTH.get(grid, OTHER_GROWTH)
            if self.stopping or (left is not None and (left < MIN_STAGE_SECONDS or left < expected)):
                self.stages[f"interval_lp_{grid}"] = "skipped"
                return
            begun = time.perf_counter()
            try:
                stronger, guide = interval_bound_and_guide(self.instance, self.options, left, grid,
                                                           control=self.control)
            except TooLarge:  # a finer grid is larger still
                self.stages[f"interval_lp_{grid}"] = "too large"
                return
            if guide:
                self.guide = guide
            previous = time.perf_counter() - begun
            self.stages[f"interval_lp_{grid}"] = (stronger, round(previous, 2))
            self.value = max(self.value or 0, stronger)

    def abandon(self) -> None:
        """The method is returning: cancel the running LP, start no other, and leave the thread
        to the HiGHS leftovers, which the next HiGHS run and the interpreter's exit wait for (a
        HiGHS thread alive at exit aborts the process: exit code 134 after a correct answer)."""
        self.stopping = True
        self.control.cancel()
        if self.is_alive():
            LEFTOVERS.append(self)
