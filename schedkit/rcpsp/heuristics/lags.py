"""`sgs-lags`: RCPSP/max by regret-biased random sampling on the serial SGS with unscheduling
steps (heuristics/lag_kernels.py). A cycle of positive length in the lag graph is reported as
`infeasible` with the cycle in `stats["cycle"]`; a project it finds no schedule for comes back
`unknown` (a heuristic proves nothing else)."""

from __future__ import annotations

import time
from functools import partial
from typing import Any

import numpy as np

from schedkit.common.compile import compiled_or_twin, wait_until
from schedkit.common.incumbents import Incumbents
from schedkit.common.pacing import Pacer
from schedkit.common.rng import seed_state
from schedkit.deadline import stop_flag
from schedkit.errors import SchedkitError
from schedkit.rcpsp.bounds import resource_bound
from schedkit.rcpsp.heuristics import lag_kernels as rcpsp_lag_kernels
from schedkit.rcpsp.heuristics.compiled import ensure_lag_compiled
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from schedkit.rcpsp.temporal import (
    NO_PATH,
    Temporal,
    analyse,
    lag_horizon,
    lag_lower_bound,
    overload,
)
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

kernels: Any = rcpsp_lag_kernels
DEFAULT_PASSES = 1000  # without a time limit
TWIN_NOTE = "the numba kernels were still compiling: the lag SGS ran as plain Python (slower)"
OFFERED = {"workers": 1, "offered": "sgs-lags"}  # the stats of a progress offer
BATCH_WORK = 200_000  # about n^3 per pass: batches of this much work between deadline checks


def tail_priority(instance: RCPSPInstance, temporal: Temporal) -> np.ndarray:
    """Longest tail first: -max_k (D[j, k] + d_k), the latest-start rule of a fixed horizon."""
    assert temporal.distances is not None
    dist = temporal.distances
    reach = np.where(dist != NO_PATH, dist + instance.durations[None, :], NO_PATH)
    return -reach.max(axis=1).astype(np.float64)


def lag_sample(instance: RCPSPInstance, temporal: Temporal, deadline: float,
               passes: int | None, seed: int, alpha: float = 1.0,
               bound: int | None = None, incumbents: Incumbents | None = None
               ) -> tuple[np.ndarray | None, int, int]:
    """The deterministic pass, then random passes until `passes` (None: the deadline), the
    deadline or `bound`: (best starts or None, passes made, passes that found a schedule).
    Each new best goes to `incumbents` (progress)."""
    assert temporal.distances is not None and temporal.earliest is not None
    n = instance.n
    args = (instance.durations, instance.demands, instance.capacities, temporal.distances,
            temporal.earliest, lag_horizon(instance), tail_priority(instance, temporal))
    restarts = 3 * n
    state = seed_state(seed)
    stop = stop_flag()  # raised when the hard deadline abandons the run: a first pass of 1,500
    # activities with maximum lags ran minutes of restarts on after the answer
    sampler = compiled_or_twin(kernels.lag_sample)  # plain Python while the kernels compile
    best, span, found, state = sampler(*args, -1.0, restarts, NO_PATH, stop, 1, state)
    state = np.uint64(state)  # numba hands it back as a Python int: keep it uint64
    best_span, made, feasible = int(span), 1, int(found)
    if incumbents is not None and best_span >= 0:
        incumbents.improved(best_span, partial(lag_result, instance, best, bound, OFFERED))
    batch = int(max(1, min(100, BATCH_WORK // max(1, n**3 // 8)))) if sampler is kernels.lag_sample else 1
    pacer = Pacer(batch)
    while (bound is None or best_span != bound) and (passes is None or made < passes) \
            and time.perf_counter() < deadline:
        size = pacer.size(deadline - time.perf_counter())
        size = size if passes is None else min(size, passes - made)
        if size == 0:
            break  # not even one pass fits in the time left at the last batch's pace
        tick = time.perf_counter()
        start, span, found, state = sampler(*args, float(alpha), restarts, NO_PATH, stop, size, state)
        state = np.uint64(state)
        made += size
        pacer.record(size, time.perf_counter() - tick)
        feasible += int(found)
        if span >= 0 and (best_span < 0 or span < best_span):
            best, best_span = start, int(span)
            if incumbents is not None:
                incumbents.improved(best_span, partial(lag_result, instance, best, bound, OFFERED))
        elif incumbents is not None:
            incumbents.poll()
    return (best if best_span >= 0 else None), made, feasible


def lag_compile_stats(options: SolveOptions) -> dict[str, Any]:
    """Wait for the lag kernels up to max(1 s, 20 % of the limit); past that, the methods run
    their Python twins while the compilation goes on: the stats that say which."""
    ready, waited = ensure_lag_compiled(wait_until(options))
    stats: dict[str, Any] = {"workers": options.workers, "compile_seconds": round(waited, 3)}
    if not ready:
        stats.update(compiling=True, note=TWIN_NOTE)
    return stats


def lag_bound(instance: RCPSPInstance, temporal: Temporal) -> int:
    """max(lag lower bound, resource bound)."""
    return max(lag_lower_bound(instance, temporal), resource_bound(instance))


def cycle_result(temporal: Temporal, stats: dict[str, Any]) -> Result:
    """`infeasible`, naming the positive cycle of the lag graph and its length."""
    return Result("infeasible", None, None, None,
                  {**stats, "cycle": temporal.cycle, "cycle_length": temporal.cycle_length})


@register(
    "rcpsp", "sgs-lags", exact=False, options={"schedules": None, "alpha": 1.0},
    description="RCPSP/max (time lags): serial SGS with unscheduling steps (Franck, Neumann & "
    "Schwindt 2001), regret-biased sampling; also plain projects",
)
def solve_sgs_lags(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Best schedule of the sampled passes; `infeasible` on a positive lag cycle."""
    stats = {**lag_compile_stats(options), "workers": 1}
    temporal = analyse(instance)
    if not temporal.feasible:
        return cycle_result(temporal, stats)
    if overload(instance) is not None:
        return Result("infeasible", None, None, None, {**stats, "overload": overload(instance)})
    passes = options.get("schedules")
    if passes is not None and (not isinstance(passes, int) or isinstance(passes, bool)
                               or passes < 1):
        raise SchedkitError(f"schedules must be a positive integer, got {passes!r}")
    if passes is None and options.time_limit is None:
        passes = DEFAULT_PASSES
    bound = lag_bound(instance, temporal)
    start, made, feasible = lag_sample(instance, temporal, options.deadline, passes,
                                       options.seed, float(options.get("alpha")), bound, Incumbents())
    stats.update(lower_bound=bound, schedules=made, feasible_schedules=feasible)
    if start is None:
        return Result("unknown", None, bound, None, stats)
    return lag_result(instance, start, bound, stats)


def lag_result(instance: RCPSPInstance, start: np.ndarray, bound: int | None, stats: dict[str, Any]
               ) -> Result:
    """A lag schedule's Result: its makespan, `bound`, optimal when they meet."""
    value = int(np.max(start + instance.durations))
    return Result("optimal" if value == bound else "feasible", value, bound, RCPSPSolution(start), stats)
