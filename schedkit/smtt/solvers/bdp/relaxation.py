"""Lower bounds for SMTT from a Lagrangian relaxation of the time-indexed formulation.

As in Tanaka, Fujikuma & Araki (2009), the constraints "each job is processed exactly once"
are relaxed with multipliers μ. What remains is a shortest path over the time points
0..T (T = Σp): an arc is a job j finishing at t, costing w_j·(t − d_j)+ − μ_j, and any path
from 0 to T (jobs may repeat or be missing) plus Σμ bounds every sequence from below.

Consecutive arcs obey what a canonical optimal sequence obeys (see `adjacent_ok`): no job twice
in a row, no pair against a dominance precedence, no pair that an adjacent interchange makes
cheaper (equal costs: the lower index first). Arcs whose best path already reaches the upper
bound are deleted, which shortens each job's window of completion times and strengthens the
next round. Costs are scaled by an integer K and μ is kept in units of 1/K, so every bound
is an exact integer computation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from schedkit.smtt.solvers.bdp.kernels import (
    INF,
    backward,
    cost_table,
    eliminate,
    forward,
    pair_masks,
    path_counts,
)
from schedkit.smtt.solvers.dominance import completion_windows


def shortest(f: np.ndarray) -> int:
    """The least value in the last row of a forward table (INF when there is no path)."""
    return int(f[-1].min())


def arc_windows(p: np.ndarray, before: np.ndarray) -> np.ndarray:
    """ok[t, j]: True where j may finish at t, i.e. inside its precedence window [E_j, L_j]."""
    earliest, latest = completion_windows(p, before)
    times = np.arange(int(np.sum(p)) + 1)[:, None]
    return (times >= earliest[None, :]) & (times <= latest[None, :])


@dataclass
class Relaxation:
    """Best multipliers found (scaled), the arcs still allowed, and the bound they prove."""

    mult: np.ndarray
    ok: np.ndarray
    costs: np.ndarray
    precede: np.ndarray
    follow: np.ndarray
    scaled_bound: int  # least relaxed path + Σμ, in units of 1/scale
    scale: int
    iterations: int = 0
    removed: int = 0

    @property
    def bound(self) -> int:
        """The integer lower bound on the optimum that the relaxation proves."""
        return -(-self.scaled_bound // self.scale)


@dataclass
class _Problem:
    p: np.ndarray
    costs: np.ndarray
    precede: np.ndarray
    upper: int
    scale: int
    clip: float  # |μ_j| stays below it, so that no path value can overflow


def _evaluate(problem: _Problem, ok: np.ndarray, mult: np.ndarray, f: np.ndarray) -> int:
    """Relaxed optimum with multipliers `mult` (scaled); fills f."""
    forward(problem.p, problem.costs, problem.precede, ok, mult, problem.scale, f)
    best = shortest(f)
    return best if best >= INF else best + int(mult.sum())


def subgradient(problem: _Problem, ok: np.ndarray, start: np.ndarray, iterations: int,
                deadline: float) -> tuple[np.ndarray, int, int]:
    """Polyak subgradient ascent from `start`; (best multipliers, their bound, iterations)."""
    n = problem.p.size
    f = np.empty((ok.shape[0], n), dtype=np.int64)
    counts = np.zeros(n, dtype=np.int64)
    target = problem.upper * problem.scale
    current = start.astype(np.float64)
    best_mult, best = start.copy(), -int(INF)
    step, stale, done = 1.0, 0, 0
    while done < iterations and step > 1e-3 and time.perf_counter() < deadline:
        mult = np.rint(current).astype(np.int64)
        value = _evaluate(problem, ok, mult, f)
        done += 1
        if value >= INF:  # no path at all: every sequence is cut off, nothing below UB exists
            return mult, int(INF), done
        if value > best:
            best_mult, best, stale = mult, value, 0
        else:
            stale += 1
            if stale >= 8:
                step, stale = step / 2, 0
        if -(-best // problem.scale) >= problem.upper:
            break
        path_counts(problem.p, problem.costs, problem.precede, mult, problem.scale, f, counts)
        direction = 1.0 - counts
        norm = float(direction @ direction)
        if norm == 0:  # the relaxed path is a sequence: its cost is this bound
            break
        current = np.clip(current + step * (target - value) / norm * direction, -problem.clip, problem.clip)
    return best_mult, best, done


def safe_scale(p: np.ndarray, d: np.ndarray, w: np.ndarray, scale: int) -> int | None:
    """`scale`, or 1, if every relaxed path value stays below 2^60 with |μ_j| <= scale·W
    (W: the largest possible objective); None when not even scale 1 is safe."""
    horizon = int(np.sum(p))
    worst = sum(int(wj) * max(0, horizon - int(dj)) for wj, dj in zip(w, d, strict=True))
    for candidate in (scale, 1):
        if (horizon + p.size) * 2 * candidate * max(worst, 1) < 2**60:
            return candidate
    return None


def relax(p: np.ndarray, d: np.ndarray, w: np.ndarray, before: np.ndarray, upper: int,
          scale: int, deadline: float, rounds: int = 8, iterations: int = 30) -> Relaxation:
    """Rounds of subgradient ascent and arc deletion; stops early once nothing changes.
    `scale` must come from `safe_scale`."""
    costs = cost_table(p, d, w)
    horizon = costs.shape[0] - 1
    precede, follow = pair_masks(p, costs, before)
    worst = float(costs[horizon].sum())
    problem = _Problem(p, costs, precede, upper, scale, scale * worst)
    ok = arc_windows(p, before)
    mult = np.zeros(p.size, dtype=np.int64)
    limit = (upper - 1) * scale  # a path above it cannot lead to a sequence better than UB
    total = Relaxation(mult, ok, costs, precede, follow, -int(INF), scale)
    f = np.empty((horizon + 1, p.size), dtype=np.int64)
    g = np.empty_like(f)
    for _ in range(rounds):
        mult, bound, done = subgradient(problem, ok, mult, iterations, deadline)
        total.iterations += done
        total.mult = mult
        total.scaled_bound = max(total.scaled_bound, bound)
        if total.bound >= upper or time.perf_counter() >= deadline:
            break
        _evaluate(problem, ok, mult, f)
        backward(p, costs, follow, ok, mult, scale, g)
        removed = eliminate(f, g, ok, int(mult.sum()), limit)
        total.removed += removed
        if removed == 0:
            break
    return total


def suffix_table(p: np.ndarray, relaxation: Relaxation) -> np.ndarray:
    """g[t, i] for the final multipliers: the relaxed cost of finishing after i ends at t."""
    g = np.empty(relaxation.ok.shape, dtype=np.int64)
    backward(p, relaxation.costs, relaxation.follow, relaxation.ok, relaxation.mult, relaxation.scale, g)
    return g
