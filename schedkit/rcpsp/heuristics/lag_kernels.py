"""Serial SGS for RCPSP/max with unscheduling steps, in the manner of Franck, Neumann & Schwindt
(2001, "Truncated branch-and-bound, schedule-construction, and schedule-improvement procedures
for resource-constrained project scheduling", OR Spektrum 23).

Activities are taken one by one among the eligible ones (no unscheduled activity must precede
them: D[i, j] > 0) and started at the earliest resource-feasible time in their current window
[ES, LS], which the scheduled activities' distances set. When none exists (a maximum lag from a
scheduled activity closes the window first), the activities that set LS are given a later
release date by the shortfall, every activity is unscheduled, and the pass starts again with the
raised release dates (the "unschedule all" variant). A pass gives up after `max_restarts`
restarts or when a release date passes the horizon, or at once (no schedule) when `stop[0]` is
raised: a pass of 1,500 activities can run for minutes of restarts.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.rcpsp.heuristics.kernels import pick
from schedkit.rcpsp.heuristics.profile import book, earliest_fit, new_profile


@njit(cache=True, nogil=True)
def _close(release, dist, no_path):  # type: ignore[no-untyped-def]
    """Raise release dates along the distances: r[k] >= r[i] + D[i, k]."""
    n = release.size
    for i in range(n):
        for k in range(n):
            if dist[i, k] != no_path and release[i] + dist[i, k] > release[k]:
                release[k] = release[i] + dist[i, k]


@njit(cache=True, nogil=True)
def lag_sgs(d, q, c, dist, earliest, horizon, priority, alpha, max_restarts, no_path, stop, state):  # type: ignore[no-untyped-def]
    """One pass: (starts, or an empty array when it gave up or was stopped; restarts used; state)."""
    n = d.size
    release = earliest.copy()
    start = np.full(n, -1, dtype=np.int64)
    es = np.empty(n, dtype=np.int64)
    ls = np.empty(n, dtype=np.int64)
    eligible = np.empty(n, dtype=np.int64)
    for restart in range(max_restarts + 1):
        times, usage, steps = new_profile(n, c.size)
        for j in range(n):
            start[j] = -1
            es[j] = release[j]
            ls[j] = horizon - d[j]
        failed = False
        for _ in range(n):
            if stop[0]:
                return np.zeros(0, dtype=np.int64), restart, state
            m = 0
            for j in range(n):
                if start[j] >= 0:
                    continue
                free = True
                for i in range(n):
                    if i != j and start[i] < 0 and dist[i, j] != no_path and dist[i, j] > 0:
                        free = False
                        break
                if free:
                    eligible[m] = j
                    m += 1
            p, state = pick(eligible, m, priority, alpha, state)
            j = eligible[p]
            t = earliest_fit(times, usage, steps, q, c, j, es[j], d[j])
            if t <= ls[j]:
                steps = book(times, usage, steps, q, j, t, d[j], 1)
                start[j] = t
                for k in range(n):
                    if start[k] < 0:
                        if dist[j, k] != no_path and t + dist[j, k] > es[k]:
                            es[k] = t + dist[j, k]
                        if dist[k, j] != no_path and t - dist[k, j] < ls[k]:
                            ls[k] = t - dist[k, j]
                continue
            # unscheduling step: delay the activities that set j's deadline by the shortfall
            shortfall = t - ls[j]
            for i in range(n):
                binding = start[i] >= 0 and dist[j, i] != no_path and start[i] - dist[j, i] == ls[j]
                if binding and start[i] + shortfall > release[i]:
                    release[i] = start[i] + shortfall
            _close(release, dist, no_path)
            for k in range(n):
                if release[k] + d[k] > horizon:
                    return np.zeros(0, dtype=np.int64), restart, state
            failed = True
            break
        if not failed:
            return start.copy(), restart, state
    return np.zeros(0, dtype=np.int64), max_restarts, state


@njit(cache=True, nogil=True)
def lag_sample(d, q, c, dist, earliest, horizon, priority, alpha, max_restarts, no_path,
               stop, passes, state):  # type: ignore[no-untyped-def]
    """`passes` passes (the first deterministic when alpha < 0 is not asked: all random):
    (best starts or empty, its makespan or -1, feasible passes, state)."""
    best = np.zeros(0, dtype=np.int64)
    best_span = -1
    found = 0
    for _ in range(passes):
        start, _, state = lag_sgs(d, q, c, dist, earliest, horizon, priority, alpha,
                                  max_restarts, no_path, stop, state)
        if start.size == 0:
            continue
        found += 1
        span = 0
        for j in range(d.size):
            span = max(span, start[j] + d[j])
        if best_span < 0 or span < best_span:
            best, best_span = start, span
    return best, best_span, found, state
