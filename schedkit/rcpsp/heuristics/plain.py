"""The RCPSP path without numba: what a method uses while its kernels still compile.

On a cold numba cache a process's first RCPSP call compiles the SGS kernels (about 10 s), so a
short time limit used to end `unknown`. Until they are ready, methods run the kernels' own code
as plain Python (`common.compile.python_twin`; a few milliseconds for one pass on 300
activities): the precedence windows, and one serial SGS pass with the LFT rule, or, when that
pass (about n² steps) would outlast the time left, the activities one after another.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.common.compile import compiled_or_twin, python_twin
from schedkit.common.rng import seed_state
from schedkit.rcpsp.heuristics import kernels as rcpsp_kernels
from schedkit.rcpsp.model import RCPSPInstance

kernels: Any = rcpsp_kernels
# The serial pass as plain Python takes about this per activity pair (0.2-1.9 µs measured on
# 2,000 activities; the eligible set and the profile both grow with n): 20,000 activities
# took minutes under a 2 s limit when every size ran it.
SECONDS_PER_PAIR = 1e-6
LEAST = 0.1  # seconds the pass may take even when no time is left (within the allowance)
LFT_NOTE = "the numba kernels were still compiling: one serial SGS pass (LFT) run as plain Python"
SEQUENTIAL_NOTE = ("the numba kernels were still compiling: every activity after the other in a "
                   "topological order (the plain serial pass would outlast the time limit)")


def earliest_starts(instance: RCPSPInstance) -> np.ndarray:
    """Precedence-only earliest starts."""
    return compiled_or_twin(kernels.earliest_starts)(
        instance.order, instance.durations, instance.pred_ptr, instance.pred_idx)


def latest_starts(instance: RCPSPInstance, horizon: int) -> np.ndarray:
    """Precedence-only latest starts that finish everything by `horizon`."""
    return compiled_or_twin(kernels.latest_starts)(
        instance.order, instance.durations, instance.succ_ptr, instance.succ_idx, horizon)


def makespan(start: np.ndarray, durations: np.ndarray) -> int:
    """max_j start[j] + d[j] (0 for an empty project)."""
    return int((start + durations).max()) if durations.size else 0


def serial_lft(instance: RCPSPInstance) -> np.ndarray:
    """Starts of one serial SGS pass, eligible activities by latest finish time (then index),
    run as plain Python: the schedule `sgs-serial` gives with its default rule."""
    d = instance.durations
    priority = (latest_starts(instance, int(d.sum())) + d).astype(np.float64)
    start, _ = python_twin(kernels.serial_sgs)(
        d, instance.pred_ptr, instance.pred_idx, instance.succ_ptr, instance.succ_idx,
        instance.demands, instance.capacities, priority, -1.0, seed_state(0))
    return start


def one_after_another(instance: RCPSPInstance) -> np.ndarray:
    """Starts that run the activities one at a time in a topological order: feasible for every
    plain project (no activity of positive duration demands more than a capacity), O(n)."""
    d = instance.durations[instance.order]
    start = np.empty(instance.n, dtype=np.int64)
    start[instance.order] = np.cumsum(d) - d
    return start


def fallback(instance: RCPSPInstance, left: float | None) -> tuple[np.ndarray, str]:
    """(starts, note) while the kernels compile: the serial LFT pass when about n² ·
    SECONDS_PER_PAIR fits `left` seconds (None: no limit) or LEAST, else `one_after_another`."""
    if left is None or instance.n ** 2 * SECONDS_PER_PAIR <= max(left, LEAST):
        return serial_lft(instance), LFT_NOTE
    return one_after_another(instance), SEQUENTIAL_NOTE
