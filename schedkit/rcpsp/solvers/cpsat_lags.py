"""CP-SAT for RCPSP/max (called by method `cpsat` when the project has time lags).

First the temporal analysis: a cycle of positive length in the lag graph means no schedule
(status `infeasible`, the cycle in stats). Otherwise: one start variable per activity within
[ES_j, LS_j] of the distance matrix D for the horizon H (the warm start's makespan when
`sgs-lags` finds a schedule, else the Bartusch-Möhring-Radermacher bound, so that INFEASIBLE
from CP-SAT proves the project infeasible); a fixed-size interval each; a cumulative per
resource; S_j >= S_i + l_ij per lag; (redundant) S_j >= S_i + D[i, j] for every other pair
joined by a path, and an order literal for every pair whose demands exceed a capacity together
and that D leaves free to overlap (both stop at the build deadline, solvers/build_deadline.py:
BUILD_SHARE of the time left: past it the warm start comes back unsolved); the makespan after
every activity. Minimise the makespan.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.common.cpsat import new_solver
from schedkit.common.finish import finish, infeasible, integral_bound
from schedkit.deadline import offer
from schedkit.errors import SolverUnavailable
from schedkit.rcpsp.heuristics.lags import cycle_result, lag_bound, lag_compile_stats, lag_sample
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from schedkit.rcpsp.solvers import build_deadline
from schedkit.rcpsp.solvers.cpsat_resources import add_cumulatives, clashes, past
from schedkit.rcpsp.temporal import NO_PATH, analyse, lag_horizon, overload
from schedkit.registry import SolveOptions
from schedkit.result import Result

WARM_START_PASSES = 200
WARM_START_SHARE = 0.1  # of the time limit at most


def _windows(dist: np.ndarray, earliest: np.ndarray, d: np.ndarray, horizon: int
             ) -> tuple[np.ndarray, np.ndarray]:
    """ES from the analysis; LS_j = min_k (H - d_k - D[j, k]) over the k that j reaches."""
    reach = np.where(dist != NO_PATH, dist + d[None, :], NO_PATH)
    return earliest, horizon - reach.max(axis=1)


def _starts(model: Any, d: np.ndarray, es: np.ndarray, ls: np.ndarray) -> tuple[list[Any], list[Any]]:
    starts, intervals = [], []
    for j in range(d.size):
        var = model.new_int_var(int(es[j]), int(ls[j]), f"S{j}")
        starts.append(var)
        intervals.append(model.new_fixed_size_interval_var(var, int(d[j]), f"I{j}"))
    return starts, intervals



def _lags(model: Any, instance: RCPSPInstance, starts: list[Any]) -> None:
    assert instance.lags is not None
    for i, row in enumerate(instance.successors):
        for j, lag in zip(row.tolist(), instance.lags[i].tolist(), strict=True):
            model.add(starts[j] >= starts[i] + lag)


def _implied(model: Any, instance: RCPSPInstance, starts: list[Any], dist: np.ndarray,
             until: float) -> int:
    """S_j >= S_i + D[i, j] for the pairs joined by a path but no arc (none after `until`)."""
    arcs = {(i, j) for i, row in enumerate(instance.successors) for j in row.tolist()}
    added = 0
    for count, (i, j) in enumerate(zip(*np.nonzero(dist != NO_PATH), strict=True)):
        if past(until, count):
            break
        if i != j and (int(i), int(j)) not in arcs:
            model.add(starts[j] >= starts[i] + int(dist[i, j]))
            added += 1
    return added


def _disjunctions(model: Any, instance: RCPSPInstance, starts: list[Any], dist: np.ndarray,
                  hint: np.ndarray | None, until: float) -> int:
    """An order literal for each pair that cannot overlap on some resource and that the
    distances do not order already (none after `until`)."""
    q, d, capacity = instance.demands, instance.durations, instance.capacities
    clash = clashes(q, capacity)
    added = 0
    for count, (i, j) in enumerate(zip(*np.nonzero(np.triu(clash, 1)), strict=True)):
        if past(until, count):
            break
        if d[i] == 0 or d[j] == 0 or dist[i, j] >= d[i] or dist[j, i] >= d[j]:
            continue
        first = model.new_bool_var(f"B{i}_{j}")
        model.add(starts[j] >= starts[i] + int(d[i])).only_enforce_if(first)
        model.add(starts[i] >= starts[j] + int(d[j])).only_enforce_if(~first)
        if hint is not None:
            model.add_hint(first, bool(hint[j] >= hint[i] + d[i]))
        added += 1
    return added


def solve_lags(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Optimal, feasible, infeasible (positive cycle or CP-SAT's proof) or unknown."""
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:  # pragma: no cover - ortools is a core dependency
        raise SolverUnavailable("cpsat needs OR-Tools: pip install ortools") from error
    stats = lag_compile_stats(options)
    temporal = analyse(instance)
    if not temporal.feasible:
        return cycle_result(temporal, stats)
    if overload(instance) is not None:
        return infeasible({**stats, "overload": overload(instance)})
    assert temporal.distances is not None and temporal.earliest is not None
    bound = lag_bound(instance, temporal)
    remaining = options.remaining()
    share = 1.0 if remaining is None else min(1.0, WARM_START_SHARE * remaining)
    hint, _, _ = lag_sample(instance, temporal, time.perf_counter() + share, WARM_START_PASSES,
                            options.seed, bound=bound)
    d = instance.durations
    upper = None if hint is None else int(np.max(hint + d))
    stats.update(lower_bound=bound, warm_start=upper)
    if hint is not None and upper == bound:
        return finish(upper, bound, True, RCPSPSolution(hint), {**stats, "solver_status": "none"})
    if hint is not None:
        offer(finish(upper, bound, False, RCPSPSolution(hint.copy()), {**stats, "offered": "warm start"}))
    build_until = build_deadline.build_until(options)
    horizon = lag_horizon(instance) if upper is None else upper
    es, ls = _windows(temporal.distances, temporal.earliest, d, horizon)
    if np.any(es > ls):  # the lags alone need more than the horizon: nothing fits
        return infeasible({**stats, "solver_status": "none", "horizon": horizon})
    model = cp_model.CpModel()
    starts, intervals = _starts(model, d, es, ls)
    add_cumulatives(model, instance, intervals)
    _lags(model, instance, starts)
    stats["implied_arcs"] = _implied(model, instance, starts, temporal.distances, build_until)
    stats["disjunctions"] = _disjunctions(model, instance, starts, temporal.distances, hint,
                                          build_until)
    if time.perf_counter() >= build_until:
        stats.update(solver_status="model not built within the time limit", horizon=horizon)
        if hint is None:
            return Result("unknown", None, bound, None, stats)
        return finish(upper, bound, False, RCPSPSolution(hint), stats)
    cmax = model.new_int_var(bound, horizon, "Cmax")
    for j in range(instance.n):
        model.add(cmax >= starts[j] + int(d[j]))
    model.minimize(cmax)
    if hint is not None and upper is not None:
        for j, value in enumerate(hint.tolist()):
            model.add_hint(starts[j], value)
        model.add_hint(cmax, upper)
    solver = new_solver(cp_model, options.workers, options.seed, options.remaining())
    status = solver.solve(model)
    stats.update(solver_status=solver.status_name(status), branches=solver.num_branches,
                 conflicts=solver.num_conflicts, horizon=horizon)
    if status == cp_model.INFEASIBLE:
        if upper is not None:  # cannot be: the warm start is a solution of the model
            raise RuntimeError("CP-SAT found no schedule although the warm start is one")
        return infeasible(stats)
    start = hint
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = np.array([solver.value(s) for s in starts], dtype=np.int64)
        if upper is None or np.max(found + d) <= upper:
            start = found
    proven = bound
    if status in (cp_model.FEASIBLE, cp_model.UNKNOWN):
        proven = max(bound, integral_bound(solver.best_objective_bound) or bound)
    if start is None:
        return finish(None, proven, False, None, stats)
    objective = int(np.max(start + d))
    return finish(objective, min(proven, objective), status == cp_model.OPTIMAL,
                  RCPSPSolution(start), stats)
