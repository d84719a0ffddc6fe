"""HiGHS runs that end by a deadline, whatever HiGHS does (issue 16).

HiGHS checks its time limit only between pieces of work (probing in presolve, the root LP),
and a cancel from another thread waits for the same checkpoints: on a loaded machine a run told
to stop at t can return a second later (RCPSP's time-indexed MIP: two seconds, on a quiet one).
So a MIP run (every family's `mip`, through `run_until`) gets its time limit set right before
HiGHS starts (after PuLP has built and loaded the model), ending RESERVE early, runs on a
thread of its own, and the caller waits for it only until the deadline: a run still busy then
is cancelled and left to finish in the background; the caller keeps the dual bound HiGHS last
reported and its own warm start. The next run waits for such a leftover first, until its own
deadline at most (HiGHS has one global thread pool per process; a run that would overlap a
leftover is not started).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from schedkit.common.mip import ABSOLUTE_GAP, LEFTOVERS, RunControl, run, wait_for_leftovers
from schedkit.registry import SolveOptions

RESERVE = 0.25  # seconds before the deadline at which HiGHS is told to stop
LEFTOVER_WAIT = 1.0  # seconds a new run waits, at most, for a cancelled one to end


class DeadlineControl(RunControl):
    """A RunControl that sets HiGHS's time limit (deadline − RESERVE − now) and, for a fixed
    amount of work, its node limit, just before the run starts."""

    def __init__(self, deadline: float = float("inf"), node_limit: int | None = None) -> None:
        super().__init__()
        self.deadline = deadline
        self.node_limit = node_limit

    def attach(self, highs: Any) -> None:
        """Called with the run's highspy.Highs before it starts."""
        if self.deadline != float("inf"):
            highs.setOptionValue("time_limit", max(0.01, self.deadline - RESERVE - time.perf_counter()))
        if self.node_limit is not None:
            highs.setOptionValue("mip_max_nodes", int(self.node_limit))
        super().attach(highs)


class Background:
    """`work()` (a HiGHS run watched by `control`) on a thread of its own, started at once."""

    def __init__(self, control: RunControl, work: Callable[[], Any]) -> None:
        self.control = control
        self._box: list[Any] = []
        self._failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(work,), name="schedkit-highs",
                                        daemon=True)
        until = min(getattr(control, "deadline", float("inf")), time.perf_counter() + LEFTOVER_WAIT)
        self.started = wait_for_leftovers(until)
        if self.started:  # else an earlier run still holds HiGHS: no run this time
            self._thread.start()

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            self._box.append(work())
        except BaseException as error:  # noqa: BLE001 - handed to the caller in join_by
            self._failure.append(error)

    def join_by(self, deadline: float) -> Any:
        """The run's value, waited for until `deadline` (inf: as long as it takes); None when it
        is still busy then (it is cancelled and left to end in the background)."""
        if not self.started:
            return None
        try:
            self._thread.join(None if deadline == float("inf") else max(0.0, deadline - time.perf_counter()))
        finally:
            if self._thread.is_alive():
                self.control.cancel()
                LEFTOVERS.append(self._thread)
        if self._failure:
            raise self._failure[0]
        return self._box[0] if self._box else None


def run_by(deadline: float, control: RunControl, work: Callable[[], Any]) -> Any:
    """`work()` (a HiGHS run watched by `control`) on a thread, waited for until `deadline`:
    its value, or None when it was still busy (see `Background.join_by`)."""
    return Background(control, work).join_by(deadline)


def run_until(pulp: Any, problem: Any, budget: SolveOptions, solver: str, deadline: float,
              gap_abs: float = ABSOLUTE_GAP) -> tuple[float | None, dict[str, Any], bool]:
    """`common.mip.run` kept within `deadline` whatever HiGHS does: (dual bound, stats, finished).

    HiGHS is told to stop RESERVE before `budget`'s deadline; a run still busy at `deadline` is
    cancelled and left to end in the background. Then `finished` is False, the variables hold no
    solution to read, and the bound is the last dual bound HiGHS reported (None before one).
    """
    if solver != "highs" or budget.time_limit is None:
        raw, stats = run(pulp, problem, budget, solver, gap_abs)
        return raw, stats, True
    if not wait_for_leftovers(deadline):  # a run cancelled in an earlier call may still be ending
        return None, {"solver": "highs", "solver_has_solution": False,
                      "solver_status": "not started: an earlier HiGHS run was still ending"}, False
    control = DeadlineControl(budget.deadline)
    free = replace(budget, time_limit=None)  # DeadlineControl sets HiGHS's limit at its start
    done = run_by(deadline, control, lambda: run(pulp, problem, free, solver, gap_abs, control))
    if done is not None:
        return done[0], done[1], True
    bound = -control.dual_bound if problem.sense == pulp.LpMaximize else control.dual_bound
    bound += float(problem.objective.constant or 0)
    stats = {"solver": "highs", "solver_has_solution": False,
             "solver_status": "cancelled at the deadline"}
    return (bound if math.isfinite(bound) else None), stats, False
