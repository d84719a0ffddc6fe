"""`auto` for groundstation: cpsat (lns warm start, proven bound; default budget 30 s) while the
model stays moderate, else lns alone. On more than SMALL long requests (SatNet weeks) up to
LNS_UP_TO_SECONDS, cpsat gives lns the whole budget and keeps only its bounds: there lns gains
faster than the CP-SAT windows (benchmarks/reports/groundstation.md, 2026-12-06)."""

from __future__ import annotations

import statistics

from schedkit.common.auto import run_method, run_plan
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.cpsat import SMALL
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

CPSAT_MAX_OPTIONS = 20_000  # a SatNet week has ~2,500-3,300; CP-SAT builds those in about a second
AUTO_DEFAULT_TIME_LIMIT = 30.0
LONG_REQUEST_SECONDS = 3_600  # median requested duration of a network of long requests (SatNet: 4 h;
# the generated CS-GSNSP networks: minutes, where the windows beat lns at 30 s)
LNS_UP_TO_SECONDS = 120.0  # on the five SatNet weeks lns alone (with cpsat's bounds) was ahead of
# cpsat at 30 s on 5 of 5 (+102 h in all), at 120 s on 4 of 5 (+16 h); at 300 s cpsat leads on 4
LNS_CHOSEN = "lns + cpsat bounds"  # what `stats["chosen"]` says then (cpsat with warm_share=1)


@register("groundstation", "auto", exact=False,
          description=f"cpsat up to {CPSAT_MAX_OPTIONS} view-period options (default budget "
          f"{AUTO_DEFAULT_TIME_LIMIT:g} s), else lns; above {SMALL} long requests (median >= 1 h) up to "
          f"{LNS_UP_TO_SECONDS:g} s, lns for the budget with cpsat's bounds")
def solve_auto(instance: GroundStationInstance, options: SolveOptions) -> Result:
    """Pick by model size, request length and budget; `stats["chosen"]` says what ran."""
    size = sum(map(len, request_options(instance)))
    if size > CPSAT_MAX_OPTIONS:
        return run_plan("groundstation", instance, options, ["lns"], AUTO_DEFAULT_TIME_LIMIT)
    limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    if instance.n > SMALL and long_requests(instance) and limit <= LNS_UP_TO_SECONDS:
        result = run_method("groundstation", "cpsat", instance, options, limit, warm_share=1.0)
        return result.with_context(stats={**result.stats, "chosen": LNS_CHOSEN})
    return run_plan("groundstation", instance, options, ["cpsat"], AUTO_DEFAULT_TIME_LIMIT)


def long_requests(instance: GroundStationInstance) -> bool:
    """Whether the median requested duration is at least LONG_REQUEST_SECONDS."""
    return bool(instance.requests) and statistics.median(
        r.duration for r in instance.requests) >= LONG_REQUEST_SECONDS
