"""What every family's CP-SAT method sets the same way: threads, seed and time budget; and
what it may believe of an OPTIMAL beyond 2^53."""

from __future__ import annotations

import math
import time
from typing import Any

from schedkit.common.finish import integral_bound
from schedkit.errors import SolverUnavailable

MIN_SECONDS = 0.01  # CP-SAT reads a limit of 0 as "no time": never hand it one
EXACT = 2**53  # integers up to this are exact in a double, where CP-SAT tests its gap


NOT_INSTALLED = "cpsat needs OR-Tools: pip install ortools"
CP_MODEL = "ortools.sat.python.cp_model"  # in sys.modules once imported: a fresh process's import takes 1-3 s


def import_cp_model() -> Any:
    """OR-Tools' cp_model module (SolverUnavailable when it cannot be imported)."""
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:
        raise SolverUnavailable(NOT_INSTALLED) from error
    return cp_model


def new_solver(cp_model: Any, workers: int, seed: int, seconds: float | None) -> Any:
    """A CpSolver with `workers` search threads (never CP-SAT's own default of 8 or more),
    `seed`, and a wall-clock limit of `seconds` (None: no limit)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    # CP-SAT's own Ctrl-C handler swallows the first Ctrl-C (the search just stops) and leaves
    # SIGINT at the system default afterwards: the next Ctrl-C killed the process silently
    # (no "interrupted", no partial --json). Without it, Ctrl-C is a KeyboardInterrupt.
    solver.parameters.catch_sigint_signal = False
    if seconds is not None:
        solver.parameters.max_time_in_seconds = max(MIN_SECONDS, seconds)
    return solver


def objective_span(model: Any) -> int:
    """The largest magnitude the model's objective can reach: Σ |coefficient| · max |domain| plus
    |offset|. Up to EXACT, CP-SAT's gap test (in doubles) tells every two integers apart."""
    proto = model.proto
    objective = proto.objective
    span = abs(int(objective.offset))
    for ref, coeff in zip(objective.vars, objective.coeffs, strict=True):
        domain = proto.variables[ref if ref >= 0 else -ref - 1].domain
        # not domain[-1]: OR-Tools 9.15's proto lists read index -1 as 0
        span += abs(int(coeff)) * max(abs(int(domain[0])), abs(int(domain[len(domain) - 1])))
    return span


def _inner_value(model: Any, solver: Any) -> tuple[list[Any], list[int], int]:
    """(variables, coefficients, exact Σ coefficient · value) of the objective at the solution."""
    objective = model.proto.objective
    terms = [model.get_int_var_from_proto_index(ref) for ref in objective.vars]
    coeffs = [int(c) for c in objective.coeffs]
    return terms, coeffs, sum(c * int(solver.value(v)) for v, c in zip(terms, coeffs, strict=True))


def settle(cp_model: Any, model: Any, solver: Any, status: Any, workers: int, seed: int,
           seconds: float | None, stats: dict[str, Any]) -> tuple[Any, bool]:
    """(solver, proved). CP-SAT's OPTIMAL as is when the objective spans at most 2^53. Beyond, its
    gap test in doubles can call a worse solution optimal, so the model is solved again below the
    solution's exact value until that is infeasible (proved; a better solution is kept: its solver
    is returned) or `seconds` run out (not proved; stats["untrusted_optimal"] says so)."""
    if status != cp_model.OPTIMAL or objective_span(model) <= EXACT:
        return solver, status == cp_model.OPTIMAL
    deadline = None if seconds is None else time.perf_counter() + seconds
    stats.setdefault("optimal_rechecks", 0)  # counted over every call with these stats
    while deadline is None or deadline - time.perf_counter() > 0:
        terms, coeffs, value = _inner_value(model, solver)
        below = model.clone()
        below.add(cp_model.LinearExpr.weighted_sum(terms, coeffs) <= value - 1)
        again = new_solver(cp_model, workers, seed,
                           None if deadline is None else deadline - time.perf_counter())
        found = again.solve(below)
        stats["optimal_rechecks"] += 1
        if found == cp_model.INFEASIBLE:
            stats.pop("untrusted_optimal", None)  # an earlier solve's doubt is settled
            return solver, True
        if found not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        solver = again  # the OPTIMAL was false: a better solution, checked again
    stats["untrusted_optimal"] = True
    return solver, False


def cpsat_bound(model: Any, solver: Any) -> int | None:
    """CP-SAT's objective bound as an integer it proves (None: no finite bound). Up to 2^53 the
    double holds CP-SAT's integer bound exactly; beyond, it (and a false OPTIMAL's bound, the
    solution's value) may lie a few units of its last place too high: rounded down past that."""
    value = solver.best_objective_bound
    if not math.isfinite(value):
        return None
    span = objective_span(model)
    if span <= EXACT and model.proto.objective.vars:
        return math.ceil(value)
    bound = integral_bound(value)
    return None if bound is None else bound - (span >> 50) - 1
