"""The feasible-subset LP bound (bounds_cg.py) at the end of a CP-SAT run whose gap stays wide.

At 1 - CG_SHARE of the whole model's time a timer looks at CP-SAT's incumbent and bound: when
the gap is at least WIDE_GAP of the objective, a proof in the time left is unlikely, so the search
stops and the column generation lifts the bound from CP-SAT's towards the objective for the rest
of the time (binary search over the horizon, HiGHS' time limit and deadline polling). On j60,
CP-SAT's 30 s bound on the RS = 0.2 classes stays near LB0/LB1; the LP beat it only where that
gap was 12 % or more (and once by 1 unit at 4.9 %), by up to 16 units (rcpsp_j60_probes.md,
section 7). Below WIDE_GAP, CP-SAT runs to the end as before (benchmarks/reports/rcpsp_cg_bound.md).
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from schedkit.errors import InvalidOption, ProblemTooLarge
from schedkit.rcpsp.bounds_cg import destructive_bound
from schedkit.rcpsp.heuristics.compiled import ensure_cg_compiled
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.registry import SolveOptions

# Off by default: side by side on 38 hard j60 projects at 30 s it raised the bound on 8 (by 4-15)
# but left the schedule 1-3 units longer on 4 of the 22 it ran on and shorter on none
# (benchmarks/reports/rcpsp_cg_bound.md); SUGGESTED_SHARE is the share measured there.
CG_SHARE = 0.0  # of the time the whole model has: the checkpoint comes at 1 - CG_SHARE of it
SUGGESTED_SHARE = 0.25
WIDE_GAP = 0.10  # (objective - bound) / objective at the checkpoint that hands over to the LP
MARGIN = 0.05  # seconds kept back before the deadline to answer
LP_STATS = ("cpsat_bound", "cpsat_stop_seconds", "cg_from", "cg_bound", "cg_seconds", "cg_compile_seconds",
            "cg_note")


def cg_share(options: SolveOptions) -> float:
    """The option `cg_share` (CG_SHARE by default: 0, the LP off); InvalidOption outside
    [0, 0.9]."""
    share = float(options.get("cg_share", CG_SHARE))
    if not 0.0 <= share <= 0.9:
        raise InvalidOption(f"option cg_share={share:g} must lie in [0, 0.9] (0: no LP bound)")
    return share


class Checkpoint:
    """Watches a CP-SAT solve (its incumbents and bounds through callbacks) and stops it at
    perf_counter() `at` when the relative gap is at least WIDE_GAP."""

    def __init__(self, cp_model: Any, solver: Any, objective: int, bound: int) -> None:
        self.solver, self.objective, self.bound = solver, objective, bound
        self.stopped = 0.0  # perf_counter() when the checkpoint stopped the search (0: it did not)
        self.timer: threading.Timer | None = None
        watch = self

        class Incumbents(cp_model.CpSolverSolutionCallback):  # type: ignore[misc]
            def on_solution_callback(self) -> None:
                watch.objective = min(watch.objective, int(round(self.objective_value)))

        self.callback = Incumbents()
        solver.best_bound_callback = self.on_bound

    def on_bound(self, value: float) -> None:
        """CP-SAT's best_bound_callback: the integer its float bound proves."""
        self.bound = max(self.bound, math.ceil(value - 1e-6))

    def check_gap(self) -> None:
        """Stop the search when the gap is at least WIDE_GAP of the objective."""
        if self.objective - self.bound >= WIDE_GAP * self.objective:
            self.stopped = time.perf_counter()
            self.solver.stop_search()

    def arm(self, seconds: float) -> None:
        """Check the gap `seconds` from now."""
        self.timer = threading.Timer(seconds, self.check_gap)
        self.timer.daemon = True
        self.timer.start()

    def disarm(self) -> None:
        """Cancel the check (the solve has returned)."""
        if self.timer is not None:
            self.timer.cancel()


def lp_bound(instance: RCPSPInstance, bound: int, objective: int, until: float,
             stats: dict[str, Any]) -> int:
    """The bound lifted by the LP from `bound` (a lower bound) towards `objective` by
    perf_counter() `until` (`bound` itself when the kernels are not ready or the project is out
    of the LP's reach); what it did in stats (cg_bound, cg_seconds, cg_from)."""
    began = time.perf_counter()
    ready, waited = ensure_cg_compiled(until)
    stats.update(cg_from=bound, cg_compile_seconds=round(waited, 6))
    if not ready:
        stats["cg_note"] = "the LP's kernels were still compiling"
        return bound
    try:
        lifted = destructive_bound(instance, bound, objective, until, shaving=0)
    except ProblemTooLarge as error:
        stats["cg_note"] = str(error)
        return bound
    assert bound <= lifted <= objective, "the LP bound left [bound, objective]"
    stats.update(cg_bound=lifted, cg_seconds=round(time.perf_counter() - began, 6))
    return lifted
