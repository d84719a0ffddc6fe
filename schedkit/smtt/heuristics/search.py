"""Python drivers around the SMTT kernels: best starting rule and time-bounded iterated dynasearch.

Kernels cannot read the clock, so the iterated search runs in chunks of iterations and
checks the deadline between chunks; without a deadline the iteration count alone stops it,
which keeps a run deterministic for a given seed. Every kernel also gets the solve's stop flag
(`deadline.stop_flag`): raised when the hard deadline abandons the run, it ends them early.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from schedkit.common.rng import seed_state
from schedkit.deadline import stop_flag
from schedkit.smtt.heuristics import local as smtt_local
from schedkit.smtt.heuristics import rules as smtt_rules
from schedkit.smtt.heuristics.kernels import weighted_tardiness

ATC_K_GRID = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5)
AUGMENT_MAX_JOBS = 400  # augmentation is O(n^3): fine up to a few hundred jobs
CHUNK_SECONDS = 0.02  # how long the search runs between two looks at the clock


Candidate = tuple[object, Callable[[], np.ndarray]]


def _best_of(candidates: list[Candidate], p: np.ndarray, d: np.ndarray, w: np.ndarray,
             deadline: float) -> tuple[np.ndarray, object]:
    """Build candidates in order (at least one) while the last one's time still fits before the
    deadline (the O(n²) rules take seconds each from 10,000 jobs on); the best and its tag."""
    best_sequence, best_tag, best_value = None, None, -1
    last = 0.0
    for tag, build in candidates:
        started = time.perf_counter()
        if best_sequence is not None and started + last > deadline:
            break
        sequence = build()
        value = weighted_tardiness(sequence, p, d, w)
        if best_sequence is None or value < best_value:
            best_sequence, best_tag, best_value = sequence, tag, value
        last = time.perf_counter() - started
    assert best_sequence is not None
    return best_sequence, best_tag


def atc_best_k(p: np.ndarray, d: np.ndarray, w: np.ndarray, deadline: float
               ) -> tuple[np.ndarray, float]:
    """ATC over the look-ahead grid 0.5..4.5 (Vepsalainen & Morton's range); the best sequence."""
    stop = stop_flag()

    def atc(k: float) -> Callable[[], np.ndarray]:
        return lambda: smtt_rules.dispatch(p, d, w, smtt_rules.ATC, k, False, stop)

    candidates: list[Candidate] = [(k, atc(k)) for k in ATC_K_GRID]
    sequence, k = _best_of(candidates, p, d, w, deadline)
    return sequence, float(k)  # type: ignore[arg-type]


def best_rule(p: np.ndarray, d: np.ndarray, w: np.ndarray, deadline: float,
              augment_max_jobs: int = AUGMENT_MAX_JOBS) -> tuple[np.ndarray, str]:
    """The best sequence among the dispatching rules (cheap ones first, deadline permitting);
    the O(n³) augmented rules only up to `augment_max_jobs` jobs."""
    stop = stop_flag()

    def dispatch(rule: int, augment: bool) -> Callable[[], np.ndarray]:
        return lambda: smtt_rules.dispatch(p, d, w, rule, 0.0, augment, stop)

    candidates: list[Candidate] = [
        ("edd", lambda: smtt_rules.edd(p, d, w)),
        ("wspt", lambda: smtt_rules.wspt(p, d, w)),
        ("mdd", dispatch(smtt_rules.MDD, False)),
        ("mddc", dispatch(smtt_rules.MDDC, False)),
        ("atc", lambda: atc_best_k(p, d, w, deadline)[0]),
    ]
    if p.size <= augment_max_jobs:
        candidates.append(("mddc-aug", dispatch(smtt_rules.MDDC, True)))
        candidates.append(("mdd-aug", dispatch(smtt_rules.MDD, True)))
    sequence, name = _best_of(candidates, p, d, w, deadline)
    return sequence, str(name)


def iterated_dynasearch(
    p: np.ndarray,
    d: np.ndarray,
    w: np.ndarray,
    start: np.ndarray,
    iterations: int,
    seed: int,
    deadline: float,
    kick: int = 3,
    improved: Callable[[np.ndarray], None] | None = None,
) -> tuple[np.ndarray, int, int]:
    """Descend from `start`, then iterate kicks + descents; returns (sequence, value, iterations).
    `improved` sees the sequence after each descent step and each better chunk (a step takes
    seconds from 5,000 jobs on, so the guard gets what the descent has reached)."""
    current = start.astype(np.int64).copy()
    stop = stop_flag()
    while time.perf_counter() < deadline and not smtt_local.dynasearch_steps(current, p, d, w, 1, stop)[1]:
        if improved is not None:  # the clock is read before each step: one takes 0.1-0.2 s at
            improved(current)  # 1,500 jobs, past the share a short limit leaves bnb's upper bound
    best = current.copy()
    state = seed_state(seed)
    done = 0
    step = 1  # grows so that each chunk takes about CHUNK_SECONDS between clock checks
    value = weighted_tardiness(best, p, d, w)
    reached = int(value)
    while done < iterations and value > 0 and time.perf_counter() < deadline:
        step = min(step, iterations - done)
        started = time.perf_counter()
        value, next_state = smtt_local.iterated_dynasearch(
            best, current, p, d, w, step, kick, state, stop
        )
        state = np.uint64(next_state)  # numba hands a uint64 back as a Python int
        if improved is not None and value < reached:
            improved(best)
        reached = min(reached, int(value))
        done += step
        per_iteration = (time.perf_counter() - started) / step
        step = max(1, min(2 * step, int(CHUNK_SECONDS / max(per_iteration, 1e-7))))
    return best, int(value), done


def warm_start(instance, time_budget: float = 1.0, iterations: int = 200, seed: int = 0) -> np.ndarray:
    """A good sequence fast: best rule, then iterated dynasearch within `time_budget` seconds."""
    deadline = time.perf_counter() + time_budget
    start, _ = best_rule(instance.p, instance.d, instance.w, deadline)
    sequence, _, _ = iterated_dynasearch(
        instance.p, instance.d, instance.w, start, iterations, seed, deadline
    )
    return sequence
