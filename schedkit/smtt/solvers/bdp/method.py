"""Exact SMTT by bounded DP over precedence ideals (method `bdp`), up to 64 jobs.

1. Upper bound: iterated dynasearch from the best dispatching rule (Congram, Potts & van de
   Velde 2002).
2. Dominance: the Emmons-type precedences of `smtt_dominance` (Rinnooy Kan, Lageweg & Lenstra
   1975) and, between consecutive jobs, the adjacent pairwise interchange.
3. Lower bound: a Lagrangian relaxation of the time-indexed formulation solved by DP over time
   with the same adjacency restrictions, multipliers from subgradient ascent, and arcs that
   cannot beat the upper bound deleted (Tanaka, Fujikuma & Araki 2009, stages 1-2).
4. Search: the forward DP over job sets (Held & Karp 1962; Schrage & Baker 1978 restrict it to
   the ideals of the precedence order), layer by layer, each state kept only while its exact
   cost plus the relaxation's bound on the remaining jobs stays below the upper bound.
   An empty layer proves the upper bound optimal; otherwise the last layer holds the optimum.

Without the time-indexed tables (n·Σp beyond TABLE_CELLS, or option bound="simple") the
bound on the remaining jobs is the sum of their costs at their earliest completions. Option
memory_mb caps the stored layers and hash tables; on timeout or at the cap the heuristic
sequence comes back with the best bound proven so far (status feasible).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.heuristics.search import best_rule, iterated_dynasearch
from schedkit.smtt.model import SMTTInstance, SMTTSolution
from schedkit.smtt.solvers.bdp.ideals import Outcome, Tables, solve_layers
from schedkit.smtt.solvers.bdp.relaxation import INF, Relaxation, relax, safe_scale, suffix_table
from schedkit.smtt.solvers.dominance import completion_windows, precedences

MAX_JOBS = 64  # one bit per job in a uint64 mask
TABLE_CELLS = 4_000_000  # n·(Σp + 1) cells of the time-indexed tables: about 130 MB at most
MAX_OBJECTIVE = 2**52  # state values and the simple bound stay far below 2^62
SCALE = 64  # multipliers are multiples of 1/SCALE
HEURISTIC_ITERATIONS = 100
HEURISTIC_KICK = 6
DEFAULT_MEMORY_MB = 2048


def _refuse_if_too_large(instance: SMTTInstance) -> None:
    """ProblemTooLarge beyond 64 jobs, or when objectives could overflow 64-bit integers."""
    n = instance.n
    if n > MAX_JOBS:
        raise ProblemTooLarge(
            f"bdp solves at most {MAX_JOBS} jobs (one bit of a 64-bit mask per job), got {n}; "
            "use method 'cpsat', 'mip' or 'dynasearch' instead"
        )
    total = int(instance.p.sum())
    worst = sum(int(w) * max(0, total - int(d)) for w, d in zip(instance.w, instance.d, strict=True))
    if worst >= MAX_OBJECTIVE:
        raise ProblemTooLarge(
            f"bdp needs every objective below 2^52 for exact integer bounds; this instance "
            f"allows up to {worst:.3g}; use method 'cpsat' instead"
        )


def _heuristic(instance: SMTTInstance, options: SolveOptions) -> tuple[np.ndarray, int]:
    """The upper bound: iterated dynasearch from the best rule, and its value."""
    p, d, w = instance.p, instance.d, instance.w
    start, _ = best_rule(p, d, w, options.deadline)
    sequence, _, _ = iterated_dynasearch(
        p, d, w, start, HEURISTIC_ITERATIONS, options.seed, options.deadline, kick=HEURISTIC_KICK
    )
    return sequence, int(weighted_tardiness(sequence, p, d, w))


def _pred_masks(before: np.ndarray) -> np.ndarray:
    """uint64 mask of the known predecessors of each job."""
    weights = np.uint64(1) << np.arange(before.shape[0], dtype=np.uint64)
    return np.array([np.bitwise_or.reduce(weights[before[:, j]], initial=np.uint64(0))
                     for j in range(before.shape[0])], dtype=np.uint64)


def _tables(instance: SMTTInstance, before: np.ndarray, relaxation: Relaxation | None) -> Tables:
    """What the layered DP reads; dummy 1x1 time tables without a relaxation."""
    p, d, w = instance.p, instance.d, instance.w
    earliest, _ = completion_windows(p, before)
    masks = _pred_masks(before)
    if relaxation is None:
        dummy = np.zeros((1, 1), dtype=np.int64)
        return Tables(p, d, w, before, masks, earliest, np.zeros((1, 1), dtype=np.bool_), dummy,
                      np.zeros((1, 1), dtype=np.uint64), dummy, np.zeros(instance.n, dtype=np.int64),
                      1, False)
    return Tables(p, d, w, before, masks, earliest, relaxation.ok, relaxation.costs,
                  relaxation.precede, suffix_table(p, relaxation), relaxation.mult, relaxation.scale,
                  True)


def _result(instance: SMTTInstance, sequence: np.ndarray, bound: int | None, stats: dict[str, Any]
            ) -> Result:
    """Optimal when `bound` reaches the objective of `sequence`, else feasible with `bound`."""
    objective = int(weighted_tardiness(sequence, instance.p, instance.d, instance.w))
    if bound is not None and bound >= objective:
        return Result("optimal", objective, objective, SMTTSolution(sequence), stats)
    return Result("feasible", objective, bound, SMTTSolution(sequence), stats)


@register(
    "smtt",
    "bdp",
    exact=True,
    description="bounded DP over precedence ideals with a time-indexed Lagrangian bound, "
    "exact up to 64 jobs",
    options={"bound": "lagrangian", "memory_mb": DEFAULT_MEMORY_MB},
)
def solve_bdp(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Prove the heuristic optimal or find the optimum; on timeout the heuristic, its best bound."""
    _refuse_if_too_large(instance)
    started = time.perf_counter()
    sequence, upper = _heuristic(instance, options)
    stats = {"heuristic_objective": upper, "heuristic_seconds": round(time.perf_counter() - started, 4)}
    return improve(instance, sequence, options, stats)


def improve(instance: SMTTInstance, sequence: np.ndarray, options: SolveOptions,
            stats: dict[str, Any] | None = None) -> Result:
    """Prove `sequence` optimal or replace it by an optimal one (bdp after its heuristic)."""
    _refuse_if_too_large(instance)
    kind = options.get("bound", "lagrangian")
    if kind not in ("lagrangian", "simple"):
        raise ValueError(f"bdp option bound must be 'lagrangian' or 'simple', got {kind!r}")
    memory_limit = int(options.get("memory_mb", DEFAULT_MEMORY_MB)) * 2**20
    stats = {"workers": 1, "states": 0, "peak_states": 0, "memory_bytes": 0, **(stats or {})}
    p, d, w = instance.p, instance.d, instance.w
    upper = int(weighted_tardiness(sequence, p, d, w))
    if upper == 0 or time.perf_counter() >= options.deadline:
        return _result(instance, sequence, 0 if upper == 0 else None, stats)
    before = precedences(p, d, w)
    stats["precedences"] = int(before.sum())
    relaxation = None
    scale = safe_scale(p, d, w, SCALE)
    if kind == "lagrangian" and instance.n * (int(p.sum()) + 1) <= TABLE_CELLS and scale is not None:
        relaxation = _relax(instance, before, upper, scale, options.deadline, stats)
    bound = stats.get("root_bound")
    if bound == upper or time.perf_counter() >= options.deadline:
        return _result(instance, sequence, bound, stats)
    tables = _tables(instance, before, relaxation)
    fixed = _table_bytes(tables)
    outcome = solve_layers(tables, upper, options.deadline, memory_limit - fixed)
    stats.update(outcome.stats)
    stats["memory_bytes"] += fixed
    return _finish(instance, sequence, upper, bound, outcome, stats)


def _relax(instance: SMTTInstance, before: np.ndarray, upper: int, scale: int, deadline: float,
           stats: dict[str, Any]) -> Relaxation:
    """The Lagrangian relaxation; its figures and the bound it proves go into `stats`."""
    started = time.perf_counter()
    relaxation = relax(instance.p, instance.d, instance.w, before, upper, scale, deadline)
    stats.update(relaxation_seconds=round(time.perf_counter() - started, 4),
                 subgradient_iterations=relaxation.iterations, arcs_deleted=relaxation.removed,
                 arcs_left=int(relaxation.ok.sum()))
    if relaxation.scaled_bound > -INF:
        stats["root_bound"] = min(upper, max(0, relaxation.bound))
    return relaxation


def _table_bytes(tables: Tables) -> int:
    """Memory held by the time-indexed tables while the layers run."""
    return sum(int(a.nbytes) for a in (tables.ok, tables.costs, tables.precede, tables.g))


def _finish(instance: SMTTInstance, sequence: np.ndarray, upper: int, bound: int | None,
            outcome: Outcome, stats: dict[str, Any]) -> Result:
    """The Result of a layered run: optimal when it finished, else the best bound known."""
    if outcome.finished:
        if outcome.sequence is None:  # every state was cut off: nothing beats the heuristic
            return _result(instance, sequence, upper, stats)
        optimum = int(weighted_tardiness(outcome.sequence, instance.p, instance.d, instance.w))
        return _result(instance, outcome.sequence, optimum, stats)
    if outcome.bound is not None:
        layer = min(upper, max(0, outcome.bound))
        bound = layer if bound is None else max(bound, layer)
    return _result(instance, sequence, bound, stats)
