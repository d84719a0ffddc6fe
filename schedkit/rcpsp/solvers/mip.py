"""Exact RCPSP as a time-indexed MIP (method `mip`, PuLP over HiGHS or CBC), for small projects.

Pulse variables x[j, t] = 1 when activity j starts at t, for t in its precedence window
[ES_j, LS_j] at the horizon T of the warm start's makespan (no better schedule needs more):
- each activity starts once: Σ_t x[j, t] = 1;
- precedences, disaggregated (Christofides et al. 1987): for an arc i -> j and each t,
  Σ_{τ<=t} x[j, τ] <= Σ_{τ<=t-d_i} x[i, τ]  (j started by t only if i started by t - d_i);
- resources (Pritsker et al. 1969): at each t, Σ_j q_jk·Σ_{τ=t-d_j+1..t} x[j, τ] <= c_k;
- makespan C >= Σ_t (t + d_j)·x[j, t] for the activities without successors; minimise C.
Variables grow with n·T, so projects with more than MAX_VARIABLES pulse variables are refused
with ProblemTooLarge rather than handed to a solver that cannot finish.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.common.finish import integral_bound
from schedkit.common.mip import import_pulp, new_variable, run
from schedkit.errors import ProblemTooLarge
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.heuristics.kernels import earliest_starts, latest_starts, makespan
from schedkit.rcpsp.heuristics.methods import sample
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from schedkit.registry import SolveOptions, register
from schedkit.result import Result, Status

MAX_VARIABLES = 20_000
WARM_START_SCHEDULES = 1000


class _Model:
    """The PuLP problem with its pulse variables x[j] = {t: variable} and the makespan C."""

    def __init__(self, problem: Any) -> None:
        self.problem = problem
        self.x: list[dict[int, Any]] = []
        self.cmax: Any = None


def _windows(instance: RCPSPInstance, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    d = instance.durations
    es = earliest_starts(instance.order, d, instance.pred_ptr, instance.pred_idx)
    ls = latest_starts(instance.order, d, instance.succ_ptr, instance.succ_idx, horizon)
    return es, ls


def _variables(pulp: Any, instance: RCPSPInstance, horizon: int, bound: int) -> _Model:
    es, ls = _windows(instance, horizon)
    size = int(np.sum(ls - es + 1))
    if size > MAX_VARIABLES:
        raise ProblemTooLarge(f"mip: {size} pulse variables (activities x start times up to the "
                              f"horizon {horizon}) exceeds {MAX_VARIABLES}; use cpsat")
    model = _Model(pulp.LpProblem("rcpsp", pulp.LpMinimize))
    for j in range(instance.n):
        model.x.append({t: new_variable(pulp, model.problem, f"x_{j}_{t}", cat="Binary")
                        for t in range(int(es[j]), int(ls[j]) + 1)})
    model.cmax = new_variable(pulp, model.problem, "C", lowBound=bound, upBound=horizon)
    return model


def _one_start(pulp: Any, model: _Model) -> None:
    for j, pulses in enumerate(model.x):
        model.problem += pulp.lpSum(pulses.values()) == 1, f"start_{j}"


def _started_by(pulses: dict[int, Any], t: int) -> list[Any]:
    return [v for tau, v in pulses.items() if tau <= t]


def _precedences(pulp: Any, model: _Model, instance: RCPSPInstance) -> None:
    d = instance.durations
    for i, row in enumerate(instance.successors):
        for j in row.tolist():
            for t in sorted(model.x[j]):
                if t - int(d[i]) >= max(model.x[i]):
                    break  # i has surely started by then: the row is implied
                model.problem += (
                    pulp.lpSum(_started_by(model.x[j], t))
                    <= pulp.lpSum(_started_by(model.x[i], t - int(d[i]))),
                    f"prec_{i}_{j}_{t}",
                )


def _resources(pulp: Any, model: _Model, instance: RCPSPInstance, horizon: int) -> None:
    q, d = instance.demands, instance.durations
    for k, capacity in enumerate(instance.capacities.tolist()):
        users = [j for j in np.flatnonzero(q[:, k] > 0).tolist() if d[j] > 0]
        if sum(int(q[j, k]) for j in users) <= capacity:
            continue  # never binding
        for t in range(horizon):
            terms = [int(q[j, k]) * v for j in users for tau, v in model.x[j].items()
                     if t - int(d[j]) < tau <= t]
            if terms:
                model.problem += pulp.lpSum(terms) <= capacity, f"res_{k}_{t}"


def _makespan(pulp: Any, model: _Model, instance: RCPSPInstance) -> None:
    d = instance.durations
    last = np.flatnonzero(instance.succ_ptr[1:] == instance.succ_ptr[:-1]).tolist()
    for j in last:
        model.problem += (
            model.cmax >= pulp.lpSum((t + int(d[j])) * v for t, v in model.x[j].items()),
            f"cmax_{j}",
        )
    model.problem += model.cmax


def build_model(pulp: Any, instance: RCPSPInstance, horizon: int, bound: int) -> _Model:
    """Variables, one start each, precedences, resources, makespan objective."""
    model = _variables(pulp, instance, horizon, bound)
    _one_start(pulp, model)
    _precedences(pulp, model, instance)
    _resources(pulp, model, instance, horizon)
    _makespan(pulp, model, instance)
    return model


def _set_start(model: _Model, start: np.ndarray, span: int) -> None:
    for j, pulses in enumerate(model.x):
        for t, v in pulses.items():
            v.setInitialValue(1 if t == start[j] else 0)
    model.cmax.setInitialValue(span)


def _read(model: _Model) -> np.ndarray | None:
    """The starts the solver's values describe, or None when some activity has none."""
    start = np.full(len(model.x), -1, dtype=np.int64)
    for j, pulses in enumerate(model.x):
        for t, v in pulses.items():
            if v.varValue is not None and v.varValue > 0.5:
                start[j] = t
    return None if np.any(start < 0) else start


@register(
    "rcpsp", "mip", exact=True, options={"solver": "highs"},
    description="time-indexed pulse MIP (disaggregated precedences) in PuLP over HiGHS or CBC; "
    f"small projects (at most {MAX_VARIABLES} pulse variables)",
)
def solve_mip(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Optimal or best-found schedule of the time-indexed MIP, started from the heuristic."""
    name = str(options.get("solver", "highs")).lower()
    pulp = import_pulp(name)
    bound = lower_bound(instance)
    remaining = options.remaining()
    share = 1.0 if remaining is None else min(1.0, 0.1 * remaining)
    start, span, _ = sample(instance, time.perf_counter() + share, WARM_START_SCHEDULES,
                            options.seed, parallel=False, improve=True, bound=bound)
    stats: dict[str, Any] = {"solver": name, "workers": options.workers, "lower_bound": bound,
                             "warm_start": span}
    if span == bound:
        return Result("optimal", span, bound, RCPSPSolution(start), stats)
    model = build_model(pulp, instance, span, bound)
    _set_start(model, start, span)
    raw, solver_stats = run(pulp, model.problem, options, name)
    stats.update(solver_stats, variables=len(model.problem.variables()),
                 constraints=model.problem.numConstraints())
    found = _read(model)
    if found is not None and makespan(found, instance.durations) <= span:
        start, span = found, int(makespan(found, instance.durations))
    proven = integral_bound(raw)
    proven = bound if proven is None else max(bound, proven)
    if proven > span:  # a valid bound never exceeds a feasible value
        stats["discarded_bound"] = proven
        proven = bound
    status: Status = "optimal" if proven == span else "feasible"
    return Result(status, span, proven, RCPSPSolution(start), stats)
