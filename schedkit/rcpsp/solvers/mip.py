"""Exact RCPSP as a time-indexed MIP (method `mip`, PuLP over HiGHS or CBC), for small projects.

Pulse variables x[j, t] = 1 when activity j starts at t, for t in its precedence window
[ES_j, LS_j] at the horizon T of the warm start's makespan (no better schedule needs more):
- each activity starts once: Σ_t x[j, t] = 1;
- precedences, disaggregated (Christofides et al. 1987): for an arc i -> j and each t,
  Σ_{τ<=t} x[j, τ] <= Σ_{τ<=t-d_i} x[i, τ]  (j started by t only if i started by t - d_i);
- resources (Pritsker et al. 1969): at each t, Σ_j q_jk·Σ_{τ=t-d_j+1..t} x[j, τ] <= c_k;
- makespan C >= Σ_t (t + d_j)·x[j, t] for the activities without successors; minimise C.
Variables grow with n·T, so projects with more than MAX_VARIABLES pulse variables are refused
with ProblemTooLarge rather than handed to a solver that cannot finish; so are projects whose
resource rows would hold more than MAX_RESOURCE_TERMS terms (each pulse of j appears in d_j
rows: a few long activities with narrow windows make millions of them). Under a time limit the
model must be built by 60 % of it; otherwise the warm start comes back as `feasible`.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import replace
from typing import Any

import numpy as np

from schedkit.common.finish import finish, integral_bound
from schedkit.common.highs_deadline import run_until
from schedkit.common.mip import import_pulp, new_variable
from schedkit.deadline import offer
from schedkit.errors import ProblemTooLarge
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.heuristics import plain
from schedkit.rcpsp.heuristics.methods import refuse_lags
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from schedkit.rcpsp.solvers.cpsat import kernel_or_plain_hint
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

MAX_VARIABLES = 20_000
MAX_RESOURCE_TERMS = 2_000_000  # the bundled PSPLIB projects within MAX_VARIABLES: 360 000 at most
PULP_WALKS = 7  # passes PuLP makes over the rows around a solve (variables(), isMIP(), ...)
PULP_OVERHEAD = 2.5  # PuLP's time around the solver's run, in units of the building time
BUILD_RESERVE = 0.4  # of the time limit kept for loading the model and the solver's own run


class _Model:
    """The PuLP problem with its pulse variables x[j] = {t: variable} and the makespan C;
    building stops with _OutOfTime once perf_counter() passes `deadline`."""

    def __init__(self, problem: Any, deadline: float) -> None:
        self.problem = problem
        self.x: list[dict[int, Any]] = []
        self.cmax: Any = None
        self.deadline = deadline

    def on_time(self) -> None:
        """Raise _OutOfTime when the building budget is spent."""
        if time.perf_counter() > self.deadline:
            raise _OutOfTime


class _OutOfTime(Exception):
    """Building the model did not finish within its share of the time limit."""


def _windows(instance: RCPSPInstance, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    es = plain.earliest_starts(instance)
    ls = plain.latest_starts(instance, horizon)
    return es, ls


def _binding(instance: RCPSPInstance) -> list[tuple[int, list[int]]]:
    """(resource, its users of positive duration) for the resources whose users' demands
    together exceed the capacity: the others never bind and get no rows."""
    q, d = instance.demands, instance.durations
    found = []
    for k, capacity in enumerate(instance.capacities.tolist()):
        users = [j for j in np.flatnonzero(q[:, k] > 0).tolist() if d[j] > 0]
        if sum(int(q[j, k]) for j in users) > capacity:
            found.append((k, users))
    return found


def _variables(pulp: Any, instance: RCPSPInstance, horizon: int, bound: int,
               deadline: float) -> _Model:
    es, ls = _windows(instance, horizon)
    width = ls - es + 1
    size = int(np.sum(width))
    if size > MAX_VARIABLES:
        raise ProblemTooLarge(f"mip: {size} pulse variables (activities x start times up to the "
                              f"horizon {horizon}) exceeds {MAX_VARIABLES}; use cpsat")
    d = instance.durations
    terms = sum(int(np.sum(width[users] * d[users])) for _, users in _binding(instance))
    if terms > MAX_RESOURCE_TERMS:
        raise ProblemTooLarge(f"mip: the resource rows would hold {terms} terms (each start of an "
                              f"activity in as many rows as its duration) beyond {MAX_RESOURCE_TERMS}; "
                              "use cpsat")
    model = _Model(pulp.LpProblem("rcpsp", pulp.LpMinimize), deadline)
    for j in range(instance.n):
        model.x.append({t: new_variable(pulp, model.problem, f"x_{j}_{t}", cat="Binary")
                        for t in range(int(es[j]), int(ls[j]) + 1)})
        model.on_time()
    model.cmax = new_variable(pulp, model.problem, "C", lowBound=bound, upBound=horizon)
    return model


def _one_start(pulp: Any, model: _Model) -> None:
    for j, pulses in enumerate(model.x):
        model.problem += pulp.lpSum(pulses.values()) == 1, f"start_{j}"


def _prefixes(pulses: dict[int, Any]) -> tuple[list[int], list[list[tuple[Any, int]]]]:
    """The pulse times in order and, for each, the terms started by then (shared prefixes)."""
    times = sorted(pulses)
    terms: list[tuple[Any, int]] = []
    prefixes = []
    for t in times:
        terms = [*terms, (pulses[t], 1)]
        prefixes.append(terms)
    return times, prefixes


def _started_by(times: list[int], prefixes: list[list[tuple[Any, int]]], t: int
                ) -> list[tuple[Any, int]]:
    k = bisect.bisect_right(times, t)
    return prefixes[k - 1] if k else []


def _precedences(pulp: Any, model: _Model, instance: RCPSPInstance) -> None:
    d = instance.durations
    started = [_prefixes(pulses) for pulses in model.x]
    for i, row in enumerate(instance.successors):
        for j in row.tolist():
            times_j, prefixes_j = started[j]
            for k, t in enumerate(times_j):
                if t - int(d[i]) >= max(model.x[i]):
                    break  # i has surely started by then: the row is implied
                earlier = [(v, -1) for v, _ in _started_by(*started[i], t - int(d[i]))]
                model.problem += (pulp.LpAffineExpression(prefixes_j[k] + earlier) <= 0,
                                  f"prec_{i}_{j}_{t}")
            model.on_time()


def _resources(pulp: Any, model: _Model, instance: RCPSPInstance, horizon: int) -> None:
    """One row per resource and time some user can be in progress (only those times: a long
    activity off the binding resources makes the horizon long, not the rows many)."""
    q, d = instance.demands, instance.durations
    for k, users in _binding(instance):
        capacity = int(instance.capacities[k])
        at: dict[int, list[tuple[Any, int]]] = {}
        for j in users:
            for tau, v in model.x[j].items():
                for t in range(tau, min(horizon, tau + int(d[j]))):
                    at.setdefault(t, []).append((v, int(q[j, k])))
            model.on_time()
        for t in sorted(at):
            model.problem += pulp.LpAffineExpression(at[t]) <= capacity, f"res_{k}_{t}"
        model.on_time()


def _makespan(pulp: Any, model: _Model, instance: RCPSPInstance) -> None:
    d = instance.durations
    last = np.flatnonzero(instance.succ_ptr[1:] == instance.succ_ptr[:-1]).tolist()
    for j in last:
        model.problem += (
            model.cmax >= pulp.lpSum((t + int(d[j])) * v for t, v in model.x[j].items()),
            f"cmax_{j}",
        )
    model.problem += model.cmax


def build_model(pulp: Any, instance: RCPSPInstance, horizon: int, bound: int,
                deadline: float = float("inf")) -> _Model:
    """Variables, one start each, precedences, resources, makespan objective (_OutOfTime
    past `deadline`)."""
    model = _variables(pulp, instance, horizon, bound, deadline)
    _one_start(pulp, model)
    _precedences(pulp, model, instance)
    _resources(pulp, model, instance, horizon)
    _makespan(pulp, model, instance)
    return model


def _solver_budget(model: _Model, options: SolveOptions, build_seconds: float) -> SolveOptions:
    """The options with the time PuLP spends around the solver's run taken off the limit: it
    walks every row for the variables about six times and loads the model (measured: about
    2.5 times the building time, or seven walks)."""
    if options.time_limit is None:
        return options
    began = time.perf_counter()
    model.problem.variables()
    walks = PULP_WALKS * (time.perf_counter() - began)
    overhead = max(walks, PULP_OVERHEAD * build_seconds) + 0.1
    return replace(options, time_limit=max(0.01, options.time_limit - overhead))


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
    """Optimal or best-found schedule of the time-indexed MIP, started from the heuristic;
    the warm start as `feasible` when the model cannot be built within the time limit."""
    refuse_lags(instance, "mip")
    name = str(options.get("solver", "highs")).lower()
    pulp = import_pulp(name)
    bound = lower_bound(instance)
    start, stats = kernel_or_plain_hint(instance, options, bound)
    span = int(stats["warm_start"])
    stats["solver"] = name
    if span == bound:
        return finish(span, bound, True, RCPSPSolution(start), stats)
    offer(finish(span, bound, False, RCPSPSolution(start.copy()), {**stats, "offered": "the warm start"}))
    build_deadline = options.deadline
    if options.time_limit is not None:
        build_deadline -= BUILD_RESERVE * options.time_limit
    began = time.perf_counter()
    try:
        model = build_model(pulp, instance, span, bound, build_deadline)
    except _OutOfTime:
        stats["solver_status"] = "model not built within the time limit"
        return finish(span, bound, False, RCPSPSolution(start), stats)
    _set_start(model, start, span)
    budget = _solver_budget(model, options, time.perf_counter() - began)
    # HiGHS can overrun its own limit by seconds (j6013_1 at 10 s: 10.9 s against 8.95 s): it is
    # waited for until the deadline only, and the warm start survives that
    raw, solver_stats, finished = run_until(pulp, model.problem, budget, name, options.deadline)
    found = _read(model) if finished else None
    stats.update(solver_stats, variables=sum(len(pulses) for pulses in model.x) + 1,
                 constraints=model.problem.numConstraints())
    if found is not None and plain.makespan(found, instance.durations) <= span:
        start, span = found, plain.makespan(found, instance.durations)
    proven = integral_bound(raw)
    proven = bound if proven is None else max(bound, proven)
    if proven > span:  # a valid bound never exceeds a feasible value
        stats["discarded_bound"] = proven
        proven = bound
    return finish(span, proven, False, RCPSPSolution(start), stats)
