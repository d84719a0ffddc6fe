"""`solve`: look the method up, check the options, run it, stamp the result."""

from __future__ import annotations

import math
import time
from typing import Any

from schedkit import family as families
from schedkit.common.arguments import shown
from schedkit.common.numbers import MAX_SECONDS, is_seconds, is_whole, real
from schedkit.deadline import offer_better, run_guarded
from schedkit.errors import SchedkitError
from schedkit.registry import SolveOptions, default_workers, lookup
from schedkit.result import Result

HARD_DEADLINE_NOTE = ("the method had not returned when the time limit (plus its allowance) ran out: "
                      "a fresh process importing its solvers or compiling numba kernels under load? "
                      "Run `schedkit warmup` once, or give a longer limit")
OFFERED_NOTE = ("the method had not returned when the time limit (plus its allowance) ran out: "
                "this is the best solution it had handed over before its last phase")

MAX_TIME_LIMIT = MAX_SECONDS  # inf (or None) means no limit
MAX_WORKERS = 10_000  # CP-SAT's ceiling on search threads
MAX_SEED = 2**31 - 2  # CP-SAT and HiGHS take 32-bit seeds, CBC gets seed + 1


def solve(
    instance: Any,
    method: str = "auto",
    time_limit: float | None = None,
    seed: int = 0,
    workers: int | None = None,
    **options: Any,
) -> Result:
    """Solve `instance` with `method` within `time_limit` seconds (wall clock, None = no limit).

    `workers` is the number of solver threads (default: the machine's cores) and is logged in
    `Result.stats["workers"]`. Method-specific keyword options (e.g. `k=` for ATC,
    `solver="cbc"` for MIP) pass through `**options`; an option the method does not take
    raises UnknownOption.

    With a time limit the call returns by limit + max(10 %, 0.5 s) whatever happens: a method
    still running then is left to finish in the background and the result is what it offered
    before its last phase, else `unknown`, with `stats["hard_deadline"]` (see schedkit.deadline).
    """
    started = time.perf_counter()  # the caller's clock: importing the method's modules counts
    if not isinstance(getattr(instance, "family", None), str):
        raise SchedkitError(f"{type(instance).__name__} is not a schedkit instance "
                            "(load a file with schedkit.load first)")
    if not isinstance(method, str):
        raise SchedkitError(f"method must be a method's name (text), got {shown(method)}")
    if time_limit is not None and not (is_seconds(time_limit) or real(time_limit) == math.inf):
        raise SchedkitError(f"time_limit must be a positive number of seconds up to {MAX_TIME_LIMIT:g} "
                            f"(inf or None: no limit), got {shown(time_limit)}")
    if time_limit is not None and real(time_limit) == math.inf:
        time_limit = None
    workers = default_workers() if workers is None else workers
    if not is_whole(workers, 1, MAX_WORKERS):
        raise SchedkitError(f"workers must be a whole number from 1 to {MAX_WORKERS}, got {shown(workers)}")
    if not is_whole(seed, 0, MAX_SEED):
        raise SchedkitError(f"seed must be a whole number from 0 to {MAX_SEED}, got {shown(seed)}")
    workers, seed = int(workers), int(seed)
    limit = None if time_limit is None else float(time_limit)

    def run() -> Result:
        family = families.loaded(instance.family)
        if limit is not None and family is not None and family.early_plan is not None:
            offer_better(family.early_plan(instance))  # before the imports `lookup` may do
        entry = lookup(instance.family, method)
        opts = SolveOptions(time_limit=limit, seed=int(seed), workers=workers,
                            extra={**entry.options, **entry.check_options(options)}, started=started)
        return entry.function(instance, opts).with_context(method=entry.name)

    finished, result = run_guarded(run, limit, started)
    if not finished and result is None:
        result = Result("unknown", stats={"hard_deadline": True, "note": HARD_DEADLINE_NOTE},
                        method=method.lower())
    elif not finished:  # what the method offered before its last phase (deadline.offer)
        result = result.with_context(method=method.lower(), stats={
            **result.stats, "hard_deadline": True, "note": OFFERED_NOTE})
    wall_time = time.perf_counter() - started
    stats = {"workers": workers, "seed": int(seed), **result.stats}
    if limit is not None:
        stats["time_limit"] = limit
    return result.with_context(
        family=instance.family,
        instance=getattr(instance, "name", ""),
        wall_time=wall_time,
        stats=stats,
    )
