"""Resource use on a time grid, for the genetic algorithm's decoding: `free[t, k]` is what is
left of resource k in period t. Faster than the step profile (heuristics/profile.py) when the
horizon is short, so the GA uses it when the serial SGS's horizon Σd is at most GRID_PER_ACTIVITY
periods per activity and the grid at most GRID_CELLS cells; otherwise the profile, whose work
does not grow with durations.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.rcpsp.heuristics.profile import ready_time

GRID_PER_ACTIVITY = 64
GRID_CELLS = 1 << 22  # 32 MiB of int64


@njit(cache=True, nogil=True)
def new_grid(d, c):  # type: ignore[no-untyped-def]
    """A full grid of Σd + 1 periods when it is worth it, else an empty one (use the profile).
    A serial SGS never ends later than Σd."""
    horizon = 0
    for j in range(d.size):
        horizon += d[j]
    rows = horizon + 1
    if horizon > GRID_PER_ACTIVITY * d.size or rows * max(1, c.size) > GRID_CELLS:
        rows = 0
    free = np.empty((rows, c.size), dtype=np.int64)
    for t in range(rows):
        for k in range(c.size):
            free[t, k] = c[k]
    return free


@njit(cache=True, nogil=True)
def grid_decode(order, d, pred_ptr, pred_idx, q, c, free, start):  # type: ignore[no-untyped-def]
    """Serial SGS over a precedence-feasible list on the grid `free` (full on entry, and again
    on return): each activity at its earliest feasible start. Fills `start`; returns the
    makespan."""
    resources = c.size
    span = 0
    for j in order:
        t = ready_time(j, start, d, pred_ptr, pred_idx)
        length = d[j]
        if length > 0:
            tau = t
            while tau < t + length:  # each period looked at once: a clash restarts after it
                fits = True
                for k in range(resources):
                    if free[tau, k] < q[j, k]:
                        fits = False
                        break
                tau += 1
                if not fits:
                    t = tau
            for tau in range(t, t + length):
                for k in range(resources):
                    free[tau, k] -= q[j, k]
        start[j] = t
        if t + length > span:
            span = t + length
    for tau in range(span):
        for k in range(resources):
            free[tau, k] = c[k]
    return span
