"""Exact 1||Σ wj·Tj by the successive sublimation DP of Tanaka, Fujikuma & Araki (2009),
method `bdp`.

1. Upper bound: iterated dynasearch from the best dispatching rule (Congram, Potts & van de
   Velde 2002); dominance: the Emmons-type precedences of `smtt_dominance`.
2. Stage 1: Lagrangian relaxation of the time-indexed formulation (each job once, relaxed),
   a shortest path over times 0..T solved by one 1-D DP pass; subgradient steps on the
   multipliers until they stall.
3. Stage 2: the same DP over (time, last job) with the adjacency restriction (no job twice in
   a row, no pair against a precedence or improved by an adjacent interchange, a tie taken
   in the stages' job numbering only: a linear extension of the precedences, EDD among free
   jobs, `numbering`, so on-time jobs cannot cycle); more subgradient steps; arcs that cannot
   beat the upper bound are deleted.
4. Stage 3: successive sublimation: jobs the relaxed optimum repeats or misses become
   state-space modifiers (stage 2's state (time, last job) and adjacency restriction gain the
   subset of modifiers done), round after round; in each
   round the multipliers are re-optimised over the round's states (stored arcs), states that
   cannot beat the upper bound die, and the next round is pruned by this round's exact cost to
   go; ends when the relaxed optimum is a sequence (optimal) or nothing survives (the upper
   bound is optimal). See `ssdp`.
5. In stages 1-3, relaxed least paths that are not sequences are repaired (missing jobs
   inserted, repeats dropped, dynasearch descent) into better upper bounds (`repair`).

Every stage's value is a valid lower bound: on a stop (time_limit, memory_mb) the best
sequence comes back with the best bound proven. Option bound="simple" runs the former layered
DP over precedence ideals (up to 64 jobs) with the earliest-completion bound instead.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.common.finish import finish
from schedkit.common.incumbents import Incumbents
from schedkit.deadline import offer
from schedkit.errors import InvalidOption, ProblemTooLarge
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.bounds import cheap_bound
from schedkit.smtt.compiling import TINY_WEIGHTED, within_budget
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.heuristics.search import best_rule, iterated_dynasearch
from schedkit.smtt.model import SMTTInstance, SMTTSolution
from schedkit.smtt.solvers.bdp import ssdp
from schedkit.smtt.solvers.bdp.ideals import Outcome, Tables, solve_layers
from schedkit.smtt.solvers.bdp.numbering import stage_order
from schedkit.smtt.solvers.bdp.relaxation import INF, Relaxation, relax, safe_scale, suffix_table
from schedkit.smtt.solvers.bdp.search import Search, Stopped, table_bytes
from schedkit.smtt.solvers.dominance import completion_windows, precedences

MAX_JOBS = 64  # one bit per job in a uint64 mask
TABLE_CELLS = 4_000_000  # n·(Σp + 1) cells of the time-indexed tables: about 130 MB at most
MAX_OBJECTIVE = 2**52  # state values and the simple bound stay far below 2^62
SCALE = 64  # multipliers are multiples of 1/SCALE
HEURISTIC_ITERATIONS = 100
HEURISTIC_ITERATIONS_PER_JOB = 10  # beyond LARGE_JOBS: at n = 200 the 100-step upper bound can
LARGE_JOBS = 100  # be 2 % above the one found by 1000 steps, and the bound cannot close that
HEURISTIC_KICK = 6
HEURISTIC_SHARE = 0.05  # of the remaining budget, at most, for the upper bound (0.15: at
# n = 200 nine of 60 s in dynasearch, for the same upper bound as 3 s on pvw200 tf0.8 / tf1.0)
AUGMENT_MAX_JOBS = 100  # beyond, one O(n³) augmented rule alone can outlast a short budget
DEFAULT_MEMORY_MB = 2048.0  # MiB; a fraction is allowed
RENUMBER = True  # the stages number the jobs by `numbering.stage_order` (ties then follow it)


def _refuse_if_too_large(instance: SMTTInstance, kind: str, memory_mb: float) -> None:
    """ProblemTooLarge when objectives could overflow 64-bit integers, when the time-indexed
    tables do not fit in `memory_mb`, or (bound="simple") beyond 64 jobs."""
    n = instance.n
    if kind == "simple" and n > MAX_JOBS:
        raise ProblemTooLarge(
            f"bdp with bound='simple' solves at most {MAX_JOBS} jobs (one bit of a 64-bit mask "
            f"per job), got {n}; use the default bound='lagrangian'"
        )
    total = int(instance.p.sum())
    worst = sum(int(w) * max(0, total - int(d)) for w, d in zip(instance.w, instance.d, strict=True))
    if worst >= MAX_OBJECTIVE:
        raise ProblemTooLarge(
            f"bdp needs every objective below 2^52 for exact integer bounds; this instance "
            f"allows up to {worst:.3g}; use method 'dynasearch' instead"
        )
    need = table_bytes(instance.p) / 2**20
    if kind == "lagrangian" and need > memory_mb:
        raise ProblemTooLarge(
            f"bdp needs {need:,.{0 if need >= 10 else 2}f} MiB for its time-indexed tables "
            f"(n·Σp = {n}·{total}), over "
            f"memory_mb={memory_mb:g}; raise memory_mb or use 'dynasearch'"
        )


def _options(options: SolveOptions) -> tuple[str, float]:
    """The bound kind and memory_mb, checked."""
    kind = options.get("bound", "lagrangian")
    if kind not in ("lagrangian", "simple"):
        raise InvalidOption(f"bdp option bound must be 'lagrangian' or 'simple', got {kind!r}")
    memory_mb = options.get("memory_mb", DEFAULT_MEMORY_MB)
    if not memory_mb > 0:  # its kind (a finite number) is checked by the registry
        raise InvalidOption(f"bdp option memory_mb must be a positive number, got {memory_mb!r}")
    return kind, float(memory_mb)


def _heuristic(instance: SMTTInstance, options: SolveOptions) -> tuple[np.ndarray, int]:
    """The upper bound: iterated dynasearch from the best rule (at most a share of the budget),
    and its value."""
    p, d, w = instance.p, instance.d, instance.w
    deadline = options.phase_deadline(HEURISTIC_SHARE)
    start, _ = best_rule(p, d, w, deadline, augment_max_jobs=AUGMENT_MAX_JOBS)
    iterations = HEURISTIC_ITERATIONS if instance.n <= LARGE_JOBS else \
        HEURISTIC_ITERATIONS_PER_JOB * instance.n
    sequence, _, _ = iterated_dynasearch(
        p, d, w, start, iterations, options.seed, deadline, kick=HEURISTIC_KICK
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
    stats.setdefault("peak_memory_mb", round(stats.get("memory_bytes", 0) / 2**20, 3))
    return finish(objective, None if bound is None else min(bound, objective),
                  bound is not None and bound >= objective, SMTTSolution(sequence), stats)


@register(
    "smtt",
    "bdp",
    exact=True,
    description="successive sublimation DP (Tanaka, Fujikuma & Araki 2009): stage 1 Lagrangian "
    "relaxation of the time-indexed formulation by DP over time, stage 2 with adjacent-job "
    "restrictions (the last job in the state) and state elimination against the dynasearch upper "
    "bound, stage 3 state-space modifiers on top of stage 2's last-job state and adjacency until "
    "the relaxed optimum is a sequence; multipliers by subgradient; upper bounds "
    "also from repaired relaxed paths; memory_mb cap",
    options={"bound": "lagrangian", "memory_mb": DEFAULT_MEMORY_MB},
)
@within_budget(exact=True, also=lambda: ssdp.warm_up(
    TINY_WEIGHTED.p, TINY_WEIGHTED.d, TINY_WEIGHTED.w,
    precedences(TINY_WEIGHTED.p, TINY_WEIGHTED.d, TINY_WEIGHTED.w)))
def solve_bdp(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Prove the heuristic optimal or find the optimum; on timeout the heuristic, its best bound."""
    _refuse_if_too_large(instance, *_options(options))
    started = time.perf_counter()
    sequence, upper = _heuristic(instance, options)
    stats = {"heuristic_objective": upper, "heuristic_seconds": round(time.perf_counter() - started, 4)}
    return improve(instance, sequence, options, stats)


def improve(instance: SMTTInstance, sequence: np.ndarray, options: SolveOptions,
            stats: dict[str, Any] | None = None) -> Result:
    """Prove `sequence` optimal or replace it by an optimal one (bdp after its heuristic)."""
    kind, memory_mb = _options(options)
    _refuse_if_too_large(instance, kind, memory_mb)
    memory_limit = int(memory_mb * 2**20)
    stats = {"workers": 1, "states": 0, "peak_states": 0, "memory_bytes": 0, **(stats or {})}
    p, d, w = instance.p, instance.d, instance.w
    upper = int(weighted_tardiness(sequence, p, d, w))
    if upper == 0 or time.perf_counter() >= options.deadline:
        return _result(instance, sequence, 0, stats)
    cheap = cheap_bound(instance)
    offer(finish(upper, cheap, False, SMTTSolution(sequence.copy()), {**stats, "offered": "the upper bound"}))
    before = precedences(p, d, w, options.deadline)  # cubic: seconds at a thousand jobs
    stats["precedences"] = int(before.sum())
    if time.perf_counter() >= options.deadline:  # before the stages' tables (seconds to allocate)
        return _result(instance, sequence, cheap, stats)
    if kind == "lagrangian":
        return _sublimation(instance, sequence, upper, before, options, memory_limit, stats, cheap)
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


def _sublimation(instance: SMTTInstance, sequence: np.ndarray, upper: int, before: np.ndarray,
                 options: SolveOptions, memory_limit: int, stats: dict[str, Any], cheap: int) -> Result:
    """Stages 1-3 of the successive sublimation DP (see `ssdp`); on a stop the best sequence
    and the best bound proven (offered with at least the `cheap` bound)."""
    p, d, w = instance.p, instance.d, instance.w
    scale = safe_scale(p, d, w, SCALE)
    if scale is None:
        raise ProblemTooLarge("bdp: the relaxed path values could overflow 64-bit integers; "
                              "use 'dynasearch'")
    started = time.perf_counter()
    order = stage_order(d, before) if RENUMBER else np.arange(instance.n)
    search = Search(_frozen(p[order]), _frozen(d[order]), _frozen(w[order]),
                         before[np.ix_(order, order)], upper, scale, options.deadline, memory_limit)
    search.progress = Incumbents((upper, 0))  # the start was offered: better pairs from here

    def current() -> Result:  # the stages' best sequence and bound so far (read when offered)
        best = sequence if search.best is None else order[search.best]
        return finish(search.upper, max(search.bound, cheap), search.proved, SMTTSolution(best.copy()),
                      {**stats, "offered": "the successive sublimation DP"})

    search.progress_result = current
    try:
        ssdp.solve(search)
    except Stopped as stop:
        stats["stopped"] = str(stop)
    stats.update(search.stats, ssdp_seconds=round(time.perf_counter() - started, 4),
                 scale=scale, root_bound=search.bound)
    stats["memory_bytes"] = int(stats["peak_memory_mb"] * 2**20)
    if search.best is not None and search.upper < upper:  # a repaired relaxed path was better
        sequence, upper = order[search.best], search.upper
    if search.sequence is not None:  # the relaxed optimum is a sequence: nothing is cheaper
        value = int(weighted_tardiness(order[search.sequence], p, d, w))
        if value < upper:
            sequence, upper = order[search.sequence], value
        return _result(instance, sequence, upper, stats)
    return _result(instance, sequence, upper if search.proved else search.bound, stats)


def _frozen(array: np.ndarray) -> np.ndarray:
    """Read-only, as an instance's own arrays are: numba compiles (and caches) one kernel per
    writability, and `schedkit warmup` reaches the stages' kernels with the instance's arrays."""
    array.flags.writeable = False
    return array


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
