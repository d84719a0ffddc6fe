"""Exact RCPSP with OR-Tools CP-SAT (method `cpsat`).

Variables: one interval per activity over mirrored time R_j = H - S_j - d_j (H: the warm
start's makespan; no better schedule needs more), within the precedence-only windows for H;
the makespan within [lower bound, warm start]. Mirrored, CP-SAT's smallest-value-first search
builds schedules from their end, which proves the hard j30 instances sooner. Constraints: one
cumulative per resource over the activities that use it, one linear inequality per arc, the
makespan after every activity without predecessors (in mirrored time), (redundant) the
longest path between every pair joined by a path but no arc, and (redundant) an order literal
for every pair that no path orders but whose demands exceed a capacity together (and,
only when CLIQUES is on, a no_overlap over each greedy clique of activities that pairwise never
overlap: solvers/cpsat_cliques.py). Objective: minimise the makespan;
starts are S_j = C_max - R_j - d_j. The warm start (the best of a
sampling run with forward-backward improvement) is the hint; when it already meets the lower
bound (critical path / resource bound) it is optimal and no model is built. With the option
cg_share (off by default), a gap still wide at 1 - cg_share of the time goes to the
feasible-subset LP bound (solvers/cpsat_bound.py).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.common.compile import wait_until
from schedkit.common.cpsat import new_solver
from schedkit.common.finish import finish, integral_bound
from schedkit.deadline import offer
from schedkit.errors import ProblemTooLarge, SolverUnavailable
from schedkit.rcpsp.bounds import lower_bound
from schedkit.rcpsp.heuristics import plain
from schedkit.rcpsp.heuristics.compiled import ensure_compiled
from schedkit.rcpsp.heuristics.methods import sample
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from schedkit.rcpsp.solvers import build_deadline
from schedkit.rcpsp.solvers.cpsat_bound import CG_SHARE, Checkpoint, cg_share, lp_bound
from schedkit.rcpsp.solvers.cpsat_bound import MARGIN as BOUND_MARGIN
from schedkit.rcpsp.solvers.cpsat_cliques import no_overlap_cliques
from schedkit.rcpsp.solvers.cpsat_lags import solve_lags
from schedkit.rcpsp.solvers.cpsat_resources import add_cumulatives, clashes, past
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

WARM_START_SCHEDULES = 1000
WARM_START_SHARE = 0.1  # of the time limit at most
MAX_INTERVALS = 200_000  # beyond, building the model alone outlasts a reasonable budget
MAX_CLOSURE_ACTIVITIES = 2_000  # the implied precedences need an n x n distance matrix
LOWER_BOUND_SEARCH = "objective_lb_search"
TWO_WORKER_PORTFOLIO = (LOWER_BOUND_SEARCH, "no_lp")  # the bound search and a search without LP
# Redundant no_overlaps over cliques of activities that never overlap: off, since on the j60
# instances left unproven they lowered the 30 s bound on 15 of 45 and raised it on 1
# (benchmarks/reports/rcpsp_j60_proofs.md).
CLIQUES = False


def warm_start(instance: RCPSPInstance, options: SolveOptions, bound: int) -> np.ndarray:
    """Starts of the best of up to 1000 schedules of sampling with justification."""
    remaining = options.remaining()
    share = 1.0 if remaining is None else min(1.0, WARM_START_SHARE * remaining)
    start, _, _ = sample(instance, time.perf_counter() + share, WARM_START_SCHEDULES, options.seed,
                         parallel=False, improve=True, bound=bound)
    return start


def _variables(model: Any, instance: RCPSPInstance, horizon: int) -> tuple[list[Any], list[Any]]:
    """Mirrored start variables R_j = horizon - S_j - d_j (the time from an activity's end to
    the horizon) within the precedence windows for `horizon`, and their intervals. CP-SAT
    branches on small values first, so over R it builds the schedule from its end: on the
    hard j30 instances the proof below the optimum needs fewer branches that way (j3029_3:
    9 s against 11 s and more, j3029_6: 4.5 s against 6 s)."""
    d = instance.durations
    es = plain.earliest_starts(instance)
    ls = plain.latest_starts(instance, horizon)
    mirrored, intervals = [], []
    for j in range(instance.n):
        var = model.new_int_var(int(horizon - ls[j] - d[j]), int(horizon - es[j] - d[j]), f"R{j}")
        mirrored.append(var)
        intervals.append(model.new_fixed_size_interval_var(var, int(d[j]), f"I{j}"))
    return mirrored, intervals



def _precedences(model: Any, instance: RCPSPInstance, mirrored: list[Any]) -> None:
    """S_j >= S_i + d_i for every arc i -> j, that is R_i >= R_j + d_j."""
    d = instance.durations
    for i, row in enumerate(instance.successors):
        for j in row.tolist():
            model.add(mirrored[i] >= mirrored[j] + int(d[j]))


def _makespan(model: Any, instance: RCPSPInstance, mirrored: list[Any], bound: int,
              horizon: int) -> Any:
    """C_max >= R_j + d_j for every activity without predecessors (the others follow one):
    in mirrored time the schedule starts at 0 and the makespan is its latest end."""
    cmax = model.new_int_var(bound, horizon, "Cmax")
    d = instance.durations
    first = np.flatnonzero(instance.pred_ptr[1:] == instance.pred_ptr[:-1]).tolist()
    for j in first:
        model.add(cmax >= mirrored[j] + int(d[j]))
    return cmax


def _distances(instance: RCPSPInstance) -> np.ndarray:
    """dist[i, j]: the longest path from the start of i to the start of j (-1: no path, 0 on
    the diagonal), over a reverse topological order."""
    n = instance.n
    d = instance.durations
    dist = np.full((n, n), -1, dtype=np.int64)
    for i in instance.order[::-1].tolist():
        dist[i, i] = 0
        for s in instance.successors[i].tolist():
            reach = dist[s] >= 0
            dist[i, reach] = np.maximum(dist[i, reach], dist[s, reach] + int(d[i]))
    return dist


def _implied_precedences(model: Any, instance: RCPSPInstance, mirrored: list[Any],
                         dist: np.ndarray, until: float = float("inf")) -> int:
    """S_j >= S_i + dist(i, j), that is R_i >= R_j + dist(i, j) + d_j - d_i, for every pair
    joined by a path but not by an arc: redundant,
    but it lets CP-SAT reason on the whole order at once (on the hard j30 instances it proves
    optimality sooner, with linearization off). Returns how many were added (none after `until`)."""
    d = instance.durations
    added = 0
    for count, (i, j) in enumerate(zip(*np.nonzero(dist > 0), strict=True)):
        if past(until, count):
            break
        if j not in instance.successors[i]:
            model.add(mirrored[i] >= mirrored[j] + int(dist[i, j] + d[j] - d[i]))
            added += 1
    return added


def _disjunctions(model: Any, instance: RCPSPInstance, mirrored: list[Any], dist: np.ndarray,
                  hint: np.ndarray, until: float = float("inf")) -> int:
    """For every pair of activities that no path orders but whose demands exceed a capacity
    together, a literal choosing which comes first: redundant with the cumulatives, but the
    SAT search can branch and learn on these orders (on the hard j30 instances, RF 1 and RS
    0.2, the infeasibility proof below the optimum needs about 40 % fewer branches). Each is
    hinted with the warm start's order, so that the hint stays complete. Returns how many
    were added (none after `until`)."""
    q, d, capacity = instance.demands, instance.durations, instance.capacities
    clash = clashes(q, capacity)
    busy = d > 0
    added = 0
    for count, (i, j) in enumerate(zip(*np.nonzero(np.triu(clash, 1)), strict=True)):
        if past(until, count):
            break
        if busy[i] and busy[j] and dist[i, j] < 0 and dist[j, i] < 0:
            first = model.new_bool_var(f"B{i}_{j}")
            model.add(mirrored[i] >= mirrored[j] + int(d[j])).only_enforce_if(first)
            model.add(mirrored[j] >= mirrored[i] + int(d[i])).only_enforce_if(~first)
            model.add_hint(first, bool(hint[j] >= hint[i] + d[i]))
            added += 1
    return added


def _cliques(model: Any, instance: RCPSPInstance, intervals: list[Any], dist: np.ndarray) -> int:
    """A redundant no_overlap over each clique of activities that pairwise never overlap
    (solvers/cpsat_cliques.py). Returns how many were added."""
    cliques = no_overlap_cliques(instance.demands, instance.capacities, instance.durations, dist)
    for members in cliques:
        model.add_no_overlap([intervals[j] for j in members])
    return len(cliques)


def _solver(cp_model: Any, options: SolveOptions) -> Any:
    """The CP-SAT solver of the exact phase. One worker runs one search without the LP: it
    proves the hard j30 instances sooner (j3013_7: 3 s against 10 s and more). From two
    workers on, one is CP-SAT's objective lower-bound search, which raises the makespan bound
    step by step (destructively): on j60 instances left open at 30 s it lifts the bound by
    2-23 units (j6041_6: 105 to 128) and proves some the default pair does not. With two
    workers CP-SAT 9.15 runs ONE full subsolver (the bound search) and LNS on the other
    thread: `no_lp` never runs; forcing both (num_full_subsolvers = 2) changed nothing."""
    solver = new_solver(cp_model, options.workers, options.seed, options.remaining())
    if options.workers == 1:
        solver.parameters.linearization_level = 0
    elif options.workers == 2:
        solver.parameters.subsolvers.extend(TWO_WORKER_PORTFOLIO)
    else:
        solver.parameters.extra_subsolvers.append(LOWER_BOUND_SEARCH)
    return solver


@register(
    "rcpsp", "cpsat", exact=True, options={"cg_share": CG_SHARE},
    description="OR-Tools CP-SAT: intervals, a cumulative per resource, precedences (or RCPSP/max "
    "time lags); warm start from sampling with forward-backward improvement; a gap still wide "
    "at 1 - cg_share of the time goes to the feasible-subset LP bound",
)
def solve_cpsat(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Optimal or best-found schedule with CP-SAT's proven bound, or the LP's where higher
    (RCPSP/max projects go to the time-lag model of solvers/cpsat_lags.py)."""
    cg_share(options)
    if instance.lags is not None:
        return solve_lags(instance, options)
    if instance.n > MAX_INTERVALS:
        raise ProblemTooLarge(f"cpsat: {instance.n} activities exceeds {MAX_INTERVALS}")
    bound = lower_bound(instance)
    hint, stats = kernel_or_plain_hint(instance, options, bound)
    # OR-Tools' import after the warm start's offer: a fresh process at load 5 can spend the
    # whole of a 1 s limit importing it, and then the guard has a schedule to return
    return exact_phase(import_cp_model(), instance, options, hint, bound, stats)


def kernel_or_plain_hint(instance: RCPSPInstance, options: SolveOptions,
                         bound: int) -> tuple[np.ndarray, dict[str, Any]]:
    """The warm start (sampling with justification) and the stats that start a CP-SAT
    method's; the plain schedule (`plain.fallback`) while the kernels still compile. Offered to the
    guard at once (deadline.offer): the phases after it may not end in time."""
    ready, waited = ensure_compiled(wait_until(options))  # then the model goes on without them
    stats: dict[str, Any] = {"workers": options.workers, "lower_bound": bound,
                             "compile_seconds": round(waited, 6)}
    if ready:
        hint = warm_start(instance, options, bound)
    else:
        hint, note = plain.fallback(instance, options.remaining())
        stats.update(compiling=True, note=note)
    stats["warm_start"] = plain.makespan(hint, instance.durations)
    offer(finish(stats["warm_start"], bound, False, RCPSPSolution(hint.copy()),
                 {**stats, "offered": "warm start"}))
    return hint, stats


def import_cp_model() -> Any:
    """OR-Tools' cp_model module (SolverUnavailable without it)."""
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:  # pragma: no cover - ortools is a core dependency
        raise SolverUnavailable("cpsat needs OR-Tools: pip install ortools") from error
    return cp_model


def exact_phase(cp_model: Any, instance: RCPSPInstance, options: SolveOptions, hint: np.ndarray,
                bound: int, stats: dict[str, Any]) -> Result:
    """The whole model from the schedule `hint` (its makespan the horizon) until the options'
    deadline: optimal, or the best schedule with CP-SAT's proven bound."""
    upper = plain.makespan(hint, instance.durations)
    if upper == bound:
        return finish(upper, bound, True, RCPSPSolution(hint), {**stats, "solver_status": "none"})
    offer(finish(upper, bound, False, RCPSPSolution(hint.copy()),
                 {**stats, "offered": "before the whole model"}))
    build_until = build_deadline.build_until(options)
    model = cp_model.CpModel()
    mirrored, intervals = _variables(model, instance, upper)
    add_cumulatives(model, instance, intervals)
    _precedences(model, instance, mirrored)
    cmax = _makespan(model, instance, mirrored, bound, upper)
    if instance.n <= MAX_CLOSURE_ACTIVITIES and time.perf_counter() < build_until:
        dist = _distances(instance)
        stats["implied_arcs"] = _implied_precedences(model, instance, mirrored, dist, build_until)
        stats["disjunctions"] = _disjunctions(model, instance, mirrored, dist, hint, build_until)
        if CLIQUES:
            stats["cliques"] = _cliques(model, instance, intervals, dist)
    if time.perf_counter() >= build_until:
        stats["solver_status"] = "model not built within the time limit"
        return finish(upper, bound, False, RCPSPSolution(hint), stats)
    model.minimize(cmax)
    d = instance.durations
    for j, value in enumerate((upper - hint - d).tolist()):
        model.add_hint(mirrored[j], value)
    model.add_hint(cmax, upper)
    solver = _solver(cp_model, options)
    checkpoint = _checkpoint(cp_model, solver, options, upper, bound)
    try:
        status = solver.solve(model, None if checkpoint is None else checkpoint.callback)
    finally:
        if checkpoint is not None:
            checkpoint.disarm()
    stats.update(solver_status=solver.status_name(status), branches=solver.num_branches,
                 conflicts=solver.num_conflicts)
    start = hint
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        end = solver.value(cmax)
        found = np.array([end - solver.value(r) for r in mirrored], dtype=np.int64) - d
        if plain.makespan(found, instance.durations) <= upper:
            start = found
    objective = plain.makespan(start, instance.durations)
    proven = bound
    if status in (cp_model.FEASIBLE, cp_model.UNKNOWN):
        proven = max(bound, integral_bound(solver.best_objective_bound) or bound)
    proven = min(proven, objective)  # CP-SAT's bound holds for the model's own optimum
    if checkpoint is not None and checkpoint.stopped and status != cp_model.OPTIMAL and proven < objective:
        stopping = time.perf_counter() - checkpoint.stopped  # from stop_search() to the answer
        stats.update(cpsat_bound=proven, cpsat_stop_seconds=round(stopping, 6))
        offer(finish(objective, proven, False, RCPSPSolution(start.copy()),
                     {**stats, "offered": "before the LP bound"}))
        proven = lp_bound(instance, proven, objective, options.deadline - BOUND_MARGIN, stats)
    return finish(objective, proven, status == cp_model.OPTIMAL, RCPSPSolution(start), stats)


def _checkpoint(cp_model: Any, solver: Any, options: SolveOptions, upper: int, bound: int
                ) -> Checkpoint | None:
    """The watch that hands a wide gap over to the LP bound at 1 - cg_share of the time left
    (solvers/cpsat_bound.py); None without a time limit or with cg_share 0."""
    share, remaining = cg_share(options), options.remaining()
    if share == 0 or remaining is None:
        return None
    checkpoint = Checkpoint(cp_model, solver, upper, bound)
    checkpoint.arm((1 - share) * remaining)
    return checkpoint
