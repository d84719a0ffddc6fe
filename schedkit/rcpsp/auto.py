"""`auto` for RCPSP: CP-SAT (warm-started by sampling with forward-backward improvement, or by
`sgs-lags` on RCPSP/max projects, so a heuristic schedule that meets the lower bound returns at
once); beyond CP-SAT's size limit, `fbi` (`sgs-lags` with time lags) alone."""

from __future__ import annotations

from schedkit.common.auto import run_plan
from schedkit.rcpsp.model import RCPSPInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

AUTO_DEFAULT_TIME_LIMIT = 60.0


@register(
    "rcpsp", "auto", exact=True,
    description=f"cpsat (default budget {AUTO_DEFAULT_TIME_LIMIT:g} s), fbi (sgs-lags with time "
    "lags) when the project is too large for it",
)
def solve_auto(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """CP-SAT within the budget; the choice is recorded in `stats["chosen"]`."""
    fallback = "fbi" if instance.lags is None else "sgs-lags"
    return run_plan("rcpsp", instance, options, ("cpsat", fallback), AUTO_DEFAULT_TIME_LIMIT)
