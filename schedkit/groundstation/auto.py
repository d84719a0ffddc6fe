"""`auto` for groundstation: cpsat (lns warm start, proven bound; default budget 30 s) while the
model stays moderate, else lns alone."""

from __future__ import annotations

from schedkit.common.auto import run_plan
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.model import GroundStationInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

CPSAT_MAX_OPTIONS = 20_000  # a SatNet week has ~2,500-3,300; CP-SAT builds those in about a second
AUTO_DEFAULT_TIME_LIMIT = 30.0


@register("groundstation", "auto", exact=False,
          description=f"cpsat up to {CPSAT_MAX_OPTIONS} view-period options (default budget "
          f"{AUTO_DEFAULT_TIME_LIMIT:g} s), else lns")
def solve_auto(instance: GroundStationInstance, options: SolveOptions) -> Result:
    """Pick by model size; `stats["chosen"]` says what ran."""
    size = sum(map(len, request_options(instance)))
    plan = ["cpsat"] if size <= CPSAT_MAX_OPTIONS else ["lns"]
    return run_plan("groundstation", instance, options, plan, AUTO_DEFAULT_TIME_LIMIT)
