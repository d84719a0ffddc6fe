"""The deflected Polyak subgradient ascent on the multipliers (`ascent`), which each SSDP stage
runs over its own relaxation, and its step rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from schedkit.smtt.solvers.bdp import ssdp_kernels as k

if TYPE_CHECKING:  # search.py takes STEP_START from here: a runtime import would be circular
    from schedkit.smtt.solvers.bdp.search import Search

ELIMINATE_EVERY = 10  # stage-2 steps between arc eliminations (after a better value)
STEP_START = 1.0  # Polyak step factor at the start of each stage (and its maximum)
STEP_MIN = 1e-4  # a stage ends when its step factor falls below this
STEP_EXPAND = 1.2  # after a better value
STEP_SHRINK = 0.95  # after SHRINK_AFTER steps without one
SHRINK_AFTER = 2
DEFLECTION = 1.0  # weight of the previous direction (rescaled to the subgradient's length)


def ascent(search: Search, evaluate: Callable[[np.ndarray, np.ndarray], int],
           sequence_of: Callable[[], np.ndarray], iterations: int, ratio: float, window: int,
           cut: Callable[[], object] | None = None, factor: float = STEP_START,
           enough: Callable[[], bool] | None = None) -> int:
    """Deflected Polyak subgradient ascent from search.mult towards the upper bound.

    evaluate(mult, counts) gives the relaxed optimum (scaled, Σμ included; INF when there is
    no path) and fills counts with how often each job is on it; sequence_of() reads that path
    when it is a sequence. The step factor grows by STEP_EXPAND after a better value (at most
    1) and shrinks by STEP_SHRINK after SHRINK_AFTER steps without one; the direction adds the
    previous one rescaled to the subgradient's length. Stops after `iterations`, when the
    factor is spent, or when the last `window` steps closed less than `ratio` of the gap they
    started from. `cut` (state elimination with the best multipliers in search.mult) runs
    every ELIMINATE_EVERY steps after a better value; the ascent ends when `enough()` says so
    after a cut. Starts with step factor `factor`; the
    last one is left in search.factor. Keeps the best multipliers in search.mult; returns the
    steps run."""
    n = search.p.size
    counts = np.zeros(n, dtype=np.int64)
    target = search.upper * search.scale
    clip = float(search.scale) * float(search.costs[-1].sum() + 1)
    best_value = -int(k.INF)
    best_mult = search.mult.copy()
    current = search.mult.astype(np.float64)
    previous = np.zeros(n)
    fails, better, since_cut = 0, 0, 0
    history: list[int] = []
    done = 0
    try:
        while done < iterations and factor > STEP_MIN:
            search.check_clock()
            mult = np.rint(current).astype(np.int64)
            value = evaluate(mult, counts)
            done += 1
            if value >= k.INF:  # no path: no sequence beats the upper bound
                search.prove(search.upper * search.scale)
                best_mult = mult
                return done
            search.prove(value)
            if search.proved:
                best_mult = mult
                return done
            gradient = 1.0 - counts
            if not gradient.any():  # the relaxed optimum is a sequence: no sequence is cheaper
                search.sequence = sequence_of()
                search.proved = True
                best_mult = mult
                return done
            search.offer(sequence_of)
            if search.proved:
                best_mult = mult
                return done
            target = search.upper * search.scale
            if value > best_value:
                if done > 1:
                    factor = min(1.0, factor * STEP_EXPAND)
                best_value, best_mult, fails = value, mult, 0
                better += 1
                since_cut += 1
            else:
                fails += 1
                if fails >= SHRINK_AFTER:
                    factor *= STEP_SHRINK
                    fails = 0
            history.append(best_value)
            if len(history) > window:
                old = history[-window - 1]
                if best_value - old < ratio * (target - old) and 10 * better >= window:
                    break
            if cut is not None and since_cut and done % ELIMINATE_EVERY == 0:
                search.mult = best_mult
                cut()
                since_cut = 0
                if enough is not None and enough():
                    break
            norm = float(gradient @ gradient)
            before_norm = float(previous @ previous)
            direction = gradient + (DEFLECTION * np.sqrt(norm / before_norm) * previous
                                    if before_norm > 0 else 0.0)
            square = float(direction @ direction)
            if square <= 0:
                direction, square = gradient, norm
            previous = direction
            current = np.clip(current + factor * (target - value) / square * direction, -clip, clip)
    finally:
        search.mult = best_mult
        search.factor = factor
        search.stats["iterations"] = search.stats.get("iterations", 0) + done
    return done
