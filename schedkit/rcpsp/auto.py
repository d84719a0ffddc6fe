"""`auto` for RCPSP: CP-SAT (warm-started by sampling with forward-backward improvement, or by
`sgs-lags` on RCPSP/max projects, so a heuristic schedule that meets the lower bound returns at
once) below MID activities (j30: all proven in seconds); from MID on, the phased `cpsat-lns`
(below lns.MID_SIZE the whole model, then the GA; from there the GA, LNS, then the whole model:
on j60, the generated 120-activity projects and j120 it ends below plain cpsat at equal time,
benchmarks/reports/rcpsp_j60_proofs.md and rcpsp_large_summary.md); beyond CP-SAT's size
limit, `fbi` (`sgs-lags` with time lags) alone."""

from __future__ import annotations

from schedkit.common.auto import run_plan
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

AUTO_DEFAULT_TIME_LIMIT = 60.0
MID = 50  # activities, dummies included: below, plain cpsat (j30 is proven in seconds)


def plan(instance: RCPSPInstance) -> tuple[str, ...]:
    """The methods auto tries in turn (the next one on ProblemTooLarge)."""
    if instance.lags is not None:
        return ("cpsat", "sgs-lags")
    if instance.n >= MID:
        return ("cpsat-lns", "fbi")
    return ("cpsat", "fbi")


@register(
    "rcpsp", "auto", exact=True,
    description=f"cpsat (default budget {AUTO_DEFAULT_TIME_LIMIT:g} s); cpsat-lns from {MID} "
    "activities; fbi (sgs-lags with time lags) when the project is too large for CP-SAT",
)
def solve_auto(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """The first method of `plan` within the budget; the choice is in `stats["chosen"]`."""
    return run_plan("rcpsp", instance, options, plan(instance), AUTO_DEFAULT_TIME_LIMIT)
