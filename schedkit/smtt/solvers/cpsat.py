"""Exact SMTT with OR-Tools CP-SAT (method `cpsat`): a pair-order model, and for equal
weights a positional model run beside it.

Pair model: one literal per pair of jobs says which goes first; a job completes at its own
processing time plus that of every job before it, C_j = p_j + Σ_i p_i·[i before j], and
clauses forbid three-cycles, which makes the literals a total order. The dominance
precedences of `smtt_dominance` fix most literals before the search (at n = 20 about 170
of 190 pairs) and narrow every C_j to [E_j, L_j]. That is what makes it fast: on one n = 20
instance per class an interval/no-overlap model without them proves 6 of 20 in 10 s, with
them 20 of 20 (slowest 3.4 s), and the pair model with them 20 of 20 (slowest 0.5 s).

Positional model (equal weights): x[j, k] assigns job j to position k and the tardiness of
position k is linear in x (no big-M), which gives an LP bound the pair model lacks; on the
few n = 20 instances the pair model needs seconds for, it proves in under one, and the
other way round. With two or more workers both run at once and the first proof stops the
other. The warm start, reordered to respect the precedences, is the hint of both.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np

from schedkit.common.cpsat import cpsat_bound, new_solver, settle
from schedkit.common.finish import finish
from schedkit.errors import ProblemTooLarge, SchedkitError, SolverUnavailable
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.compiling import nothing_late, within_budget
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.heuristics.search import warm_start
from schedkit.smtt.model import SMTTInstance, SMTTSolution
from schedkit.smtt.solvers.dominance import completion_windows, consistent_order, precedences

# Beyond this many cycle clauses the model alone would take minutes to build and gigabytes.
MAX_CYCLE_CLAUSES = 3_000_000
MAX_JOBS = 1000
CLOCK_EVERY = 4096  # clauses built between two looks at the clock
BUILD_RESERVE = 0.1  # share of the budget kept for the solver and the result once building ends
# CP-SAT computes in int64 and refuses models whose objective could overflow it.
MAX_OBJECTIVE = 2**62
# Order of job pairs: a fixed bool where dominance decided it, else a CP-SAT literal.
Order = dict[tuple[int, int], Any]


class OutOfTime(Exception):
    """Building the model reached the time it may take: the warm start is the answer."""


def _order_literals(model: Any, before: np.ndarray) -> Order:
    """order[i, j] for every i != j: True/False when known, else a literal (i < j) or its negation."""
    n = before.shape[0]
    order: Order = {}
    for i in range(n):
        for j in range(i + 1, n):
            if before[i, j] or before[j, i]:
                order[i, j] = bool(before[i, j])
                order[j, i] = not order[i, j]
            else:
                literal = model.NewBoolVar(f"{i}<{j}")
                order[i, j] = literal
                order[j, i] = literal.Not()
    return order


def _cycle_masks(before: np.ndarray):
    """For each i, the (j, k) mask of open cycles i -> j -> k -> i with i the smallest."""
    n = before.shape[0]
    possible = ~before.T  # a -> b is still possible unless b -> a is known
    np.fill_diagonal(possible, False)
    for i in range(n - 2):
        rest = slice(i + 1, n)
        yield i, possible[i, rest][:, None] & possible[rest, rest] & possible[rest, i][None, :]


def count_open_cycles(before: np.ndarray, deadline: float = float("inf")) -> int:
    """How many three-cycles `_open_cycles` would list, without listing them (OutOfTime at
    `deadline`)."""
    total = 0
    for _, mask in _cycle_masks(before):
        if time.perf_counter() >= deadline:
            raise OutOfTime
        total += int(np.count_nonzero(mask))
    return total


def _open_cycles(before: np.ndarray, deadline: float = float("inf")) -> list[tuple[int, int, int]]:
    """Every (i, j, k), i the smallest, for which i -> j -> k -> i is not yet excluded by a known
    pair; both orientations of a triple appear as (i, j, k) and (i, k, j). OutOfTime at
    `deadline`."""
    cycles = []
    for i, mask in _cycle_masks(before):
        if time.perf_counter() >= deadline:
            raise OutOfTime
        for j, k in zip(*np.nonzero(mask), strict=True):
            cycles.append((i, i + 1 + int(j), i + 1 + int(k)))
    return cycles


def _no_cycles(model: Any, order: Order, cycles: list[tuple[int, int, int]], deadline: float) -> None:
    """No three jobs i -> j -> k -> i: with antisymmetry this makes the pairs a total order.
    Raises OutOfTime when building them reaches `deadline`."""
    for count, (i, j, k) in enumerate(cycles):
        if count % CLOCK_EVERY == 0 and time.perf_counter() >= deadline:
            raise OutOfTime
        literals = [order[i, j], order[j, k], order[k, i]]
        model.AddBoolOr([lit.Not() for lit in literals if lit is not True])


def _completion_times(
    model: Any, order: Order, before: np.ndarray, p: np.ndarray, windows: tuple[np.ndarray, ...]
) -> list[Any]:
    """C_j = p_j + Σ_i p_i·[i before j], within the window [E_j, L_j] the precedences leave."""
    earliest, latest = windows
    free = ~(before | before.T)
    np.fill_diagonal(free, False)
    completion = []
    for j in range(p.size):
        c = model.NewIntVar(int(earliest[j]), int(latest[j]), f"C{j}")
        unknown = np.flatnonzero(free[:, j]).tolist()
        model.Add(c == int(earliest[j]) + sum(int(p[i]) * order[i, j] for i in unknown))
        completion.append(c)
    return completion


def _tardiness(
    model: Any, completion: list[Any], instance: SMTTInstance, latest: np.ndarray
) -> dict[int, Any]:
    """T_j >= C_j − d_j with T_j >= 0 (its domain); jobs of weight 0 need none."""
    p, d, w = instance.p, instance.d, instance.w
    tardiness = {}
    for j in range(p.size):
        if w[j] == 0:
            continue
        top = max(0, int(latest[j]) - int(d[j]))
        tardiness[j] = model.NewIntVar(0, top, f"T{j}")
        model.Add(tardiness[j] >= completion[j] - int(d[j]))
    return tardiness


def _hint(
    model: Any,
    order: Order,
    completion: list[Any],
    tardiness: dict[int, Any],
    instance: SMTTInstance,
    sequence: np.ndarray,
) -> None:
    """The warm start as a CP-SAT hint: pair literals, completion and tardiness values."""
    position = np.empty(instance.n, dtype=np.int64)
    position[sequence] = np.arange(instance.n)
    for (i, j), literal in order.items():
        if i < j and not isinstance(literal, bool):
            model.AddHint(literal, bool(position[i] < position[j]))
    time = 0
    for j in sequence:
        time += int(instance.p[j])
        model.AddHint(completion[j], time)
        if j in tardiness:
            model.AddHint(tardiness[j], max(0, time - int(instance.d[j])))


def positional_fits(instance: SMTTInstance) -> bool:
    """The positional model stays within CP-SAT's 64-bit range: its objective w·Σ_k T[k] (each
    T[k] up to Σp − min d, so n times the worst job's) and its rows C[k] − Σ_j d_j·x[j, k]."""
    p, d = instance.p, instance.d
    longest = np.cumsum(np.sort(p)[::-1]).tolist()
    lowest = int(d.min())
    objective = int(instance.w[0]) * sum(max(0, top - lowest) for top in longest)
    rows = int(p.sum()) + int(np.abs(d).sum()) + max(0, int(p.sum()) - lowest)
    return max(objective, rows) <= MAX_OBJECTIVE


def _positional_model(
    cp_model: Any, instance: SMTTInstance, before: np.ndarray, hint: np.ndarray
) -> tuple[Any, Any]:
    """Equal weights only: x[j, k] puts job j in position k, C[k] is the completion time of
    position k and T[k] >= C[k] − Σ_j d_j·x[j, k] its tardiness, linear without a big-M (the
    MIP's formulation). Its LP bound closes instances that the pair model has to search.

    Returns the model and a function reading the sequence from a solved CpSolver.
    """
    n = instance.n
    p = [int(v) for v in instance.p]
    d = [int(v) for v in instance.d]
    first = before.sum(axis=0)
    last = n - 1 - before.sum(axis=1)
    model = cp_model.CpModel()
    x = {
        (j, k): model.NewBoolVar(f"x{j},{k}")
        for j in range(n)
        for k in range(int(first[j]), int(last[j]) + 1)
    }
    at: list[list[int]] = [[] for _ in range(n)]  # jobs allowed in each position
    for j, k in x:
        at[k].append(j)
    for j in range(n):
        model.AddExactlyOne(x[j, k] for k in range(int(first[j]), int(last[j]) + 1))
    for k in range(n):
        model.AddExactlyOne(x[j, k] for j in at[k])
    shortest = np.cumsum(np.sort(p))
    longest = np.cumsum(np.sort(p)[::-1])
    tardiness = []
    previous: Any = 0
    for k in range(n):
        c = model.NewIntVar(int(shortest[k]), int(longest[k]), f"C[{k}]")
        model.Add(c == previous + sum(p[j] * x[j, k] for j in at[k]))
        t = model.NewIntVar(0, max(0, int(longest[k]) - min(d)), f"T[{k}]")
        model.Add(t >= c - sum(d[j] * x[j, k] for j in at[k]))
        tardiness.append(t)
        previous = c
    model.minimize(int(instance.w[0]) * sum(tardiness))
    for k, j in enumerate(hint.tolist()):
        for q in range(int(first[j]), int(last[j]) + 1):
            model.AddHint(x[j, q], q == k)

    def read(solver: Any) -> np.ndarray:
        sequence = np.empty(n, dtype=np.int64)
        for (j, k), literal in x.items():
            if solver.BooleanValue(literal):
                sequence[k] = j
        return sequence

    return model, read


def _pair_model(
    cp_model: Any,
    instance: SMTTInstance,
    before: np.ndarray,
    cycles: list[tuple[int, int, int]],
    hint: np.ndarray,
    deadline: float,
) -> tuple[Any, Any]:
    """The pair-order model (see the module docstring) and a function reading its sequence."""
    earliest, latest = completion_windows(instance.p, before)
    model = cp_model.CpModel()
    order = _order_literals(model, before)
    _no_cycles(model, order, cycles, deadline)
    completion = _completion_times(model, order, before, instance.p, (earliest, latest))
    tardiness = _tardiness(model, completion, instance, latest)
    model.minimize(sum(int(instance.w[j]) * t for j, t in tardiness.items()))
    _hint(model, order, completion, tardiness, instance, hint)

    def read(solver: Any) -> np.ndarray:
        values = [solver.Value(c) for c in completion]
        return np.argsort(values, kind="stable").astype(np.int64)

    return model, read


def _run_portfolio(
    cp_model: Any, models: dict[str, tuple[Any, Any, int]], options: SolveOptions
) -> dict[str, tuple[int, Any]]:
    """Solve each (model, reader, workers) at once in its own thread; the first to prove
    optimality stops the others. Returns name -> (CP-SAT status, solver)."""
    remaining = options.remaining()
    if remaining is not None:  # CP-SAT overruns its limit a little on large models
        remaining = max(0.05, 0.95 * remaining - 0.05)
    solvers = {name: new_solver(cp_model, models[name][2], options.seed, remaining) for name in models}
    outcome: dict[str, tuple[int, Any]] = {}
    proved = threading.Event()

    def run(name: str) -> None:
        status = solvers[name].Solve(models[name][0])
        outcome[name] = (status, solvers[name])
        if status == cp_model.OPTIMAL:
            proved.set()

    threads = [threading.Thread(target=run, args=(name,)) for name in models]
    for thread in threads:
        thread.start()
    for thread in threads:  # StopSearch before a Solve has begun is lost: repeat it until done
        while thread.is_alive():
            thread.join(0.05)
            if proved.is_set():
                for name, solver in solvers.items():
                    if name not in outcome:
                        solver.StopSearch()
    return outcome


def _refuse(instance: SMTTInstance) -> None:
    """ProblemTooLarge for more than MAX_JOBS jobs or an objective beyond 64 bits, before any
    import or warm start (5000 jobs took 3 s and 400 MB to be refused); not when the EDD order
    is on time, which the method answers as optimal at once."""
    if nothing_late(instance):
        return
    total = int(instance.p.sum())
    worst = sum(int(wj) * max(0, total - int(dj)) for wj, dj in zip(instance.w, instance.d, strict=True))
    if worst > MAX_OBJECTIVE:
        raise ProblemTooLarge(
            f"cpsat: the objective can reach {worst:.3g}, beyond CP-SAT's 64-bit range "
            f"({MAX_OBJECTIVE:.3g}); scale the data down or use 'dp' or a heuristic"
        )
    if instance.n > MAX_JOBS:
        raise ProblemTooLarge(
            f"cpsat: {instance.n} jobs is beyond its {MAX_JOBS} (the dominance step alone is cubic); "
            "use 'bnb' (equal weights), 'bdp' or 'dynasearch'"
        )


@register(
    "smtt",
    "cpsat",
    exact=True,
    description="OR-Tools CP-SAT on pair-order literals fixed by Emmons-type dominance",
    options={},
)
@within_budget(exact=True, refuse=_refuse)
def solve_cpsat(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Optimal or best-found sequence from CP-SAT, hinted with the heuristic warm start.

    With equal weights and two or more workers the pair model and the positional model run
    side by side (one worker for the positional one), and the first proof stops the other.
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:
        raise SolverUnavailable("cpsat needs OR-Tools: pip install ortools") from error
    p, d, w = instance.p, instance.d, instance.w
    remaining = options.remaining()
    start = warm_start(instance, 1.0 if remaining is None else min(1.0, 0.1 * remaining))
    start_objective = int(weighted_tardiness(start, p, d, w))
    stats: dict[str, Any] = {"workers": options.workers}
    if start_objective == 0:  # nothing is late: optimal without a model
        return finish(0, 0, True, SMTTSolution(start), stats)
    remaining = options.remaining()
    build_by = options.deadline - (0.0 if remaining is None else BUILD_RESERVE * remaining)
    before = precedences(p, d, w, build_by)  # cubic: seconds at a thousand jobs
    try:
        count = count_open_cycles(before, build_by)
    except OutOfTime:
        stats["solver_status"] = "NOT_BUILT"
        return finish(start_objective, 0, False, SMTTSolution(start), stats)
    if count > MAX_CYCLE_CLAUSES:
        raise ProblemTooLarge(
            f"cpsat: {instance.n} jobs leave {count:,} three-cycles to exclude (the limit is "
            f"{MAX_CYCLE_CLAUSES:,}); use a heuristic such as 'dynasearch' for this instance"
        )
    stats["three_cycles"] = count
    try:
        cycles = _open_cycles(before, build_by)
    except OutOfTime:
        stats["solver_status"] = "NOT_BUILT"
        return finish(start_objective, 0, False, SMTTSolution(start), stats)
    # The heuristic order may break a precedence; the hint should satisfy the whole model.
    hint = consistent_order(start, before)
    hint_objective = int(weighted_tardiness(hint, p, d, w))
    if hint_objective <= start_objective:
        start, start_objective = hint, hint_objective

    models: dict[str, tuple[Any, Any, int]] = {}
    pair_workers = options.workers
    try:
        if options.workers >= 2 and bool(np.all(w == w[0])) and positional_fits(instance):
            positional_workers = max(1, options.workers // 2)
            pair_workers -= positional_workers
            models["positional"] = (*_positional_model(cp_model, instance, before, hint), positional_workers)
            if time.perf_counter() >= build_by:
                raise OutOfTime
        models["pair"] = (*_pair_model(cp_model, instance, before, cycles, hint, build_by), pair_workers)
    except OutOfTime:  # the model alone outlasts the budget: the warm start, bound 0
        stats["solver_status"] = "NOT_BUILT"
        return finish(start_objective, 0, False, SMTTSolution(start), stats)
    outcome = _run_portfolio(cp_model, models, options)

    stats.update(
        precedences=int(before.sum()),
        free_pairs=int(before.size - before.shape[0]) // 2 - int(before.sum()),
        branches=sum(int(solver.NumBranches()) for _, solver in outcome.values()),
        conflicts=sum(int(solver.NumConflicts()) for _, solver in outcome.values()),
        models={name: solver.StatusName(status) for name, (status, solver) in outcome.items()},
    )
    sequence, objective = start, start_objective
    bound = None
    proved = False
    for name, (status, solver) in outcome.items():
        if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            raise SchedkitError(
                f"cpsat: CP-SAT reports the {name} model {solver.StatusName(status)}; "
                "this is a bug in schedkit"
            )
        solver, settled = settle(cp_model, models[name][0], solver, status, models[name][2],
                                 options.seed, options.remaining(), stats)
        found_bound = cpsat_bound(models[name][0], solver)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = models[name][1](solver)
            value = int(weighted_tardiness(found, p, d, w))
            if value < objective or (value == objective and settled):
                sequence, objective = found, value
            if settled:  # exact, where the float bound above may not be (> 2^53)
                found_bound = value
        found_bound = None if found_bound is None else max(0, found_bound)
        if found_bound is not None and (bound is None or found_bound > bound):
            bound = found_bound
        proved = proved or settled
    names = {solver.StatusName(status) for status, solver in outcome.values()}
    found_any = bool(names & {"FEASIBLE", "OPTIMAL"})  # an OPTIMAL not confirmed is FEASIBLE
    stats["solver_status"] = "OPTIMAL" if proved else "FEASIBLE" if found_any else "UNKNOWN"
    if bound is not None and bound > objective:
        stats["discarded_bound"] = bound  # a bound above a feasible value cannot be right
        bound = None
    return finish(objective, bound, proved and bound == objective, SMTTSolution(sequence), stats)
