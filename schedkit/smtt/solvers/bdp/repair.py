"""Upper bounds from relaxed paths (a Lagrangian heuristic): a relaxed least path repeats some
jobs and misses others; keep each job's first occurrence, insert the missing ones at their
cheapest places (in due-date order), then descend with dynasearch."""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.smtt.heuristics.local import dynasearch


@njit(cache=True, nogil=True)
def insert_missing(path, p, d, w):  # pragma: no cover - compiled
    """A sequence of all jobs from `path`: first occurrences kept in order, each missing job
    (earliest due date first) inserted where it adds the least weighted tardiness."""
    n = p.size
    seen = np.zeros(n, dtype=np.bool_)
    sequence = np.empty(n, dtype=np.int64)
    m = 0
    for j in path:
        if not seen[j]:
            seen[j] = True
            sequence[m] = j
            m += 1
    missing = np.empty(n - m, dtype=np.int64)
    r = 0
    for j in range(n):
        if not seen[j]:
            missing[r] = j
            r += 1
    missing = missing[np.argsort(d[missing], kind="mergesort")]
    completion = np.empty(n, dtype=np.int64)
    shifted = np.empty(n + 1, dtype=np.int64)  # shifted[k]: extra cost of positions k.. when
    for j in missing:                           # the job goes in front of position k
        now = 0
        for k in range(m):
            now += p[sequence[k]]
            completion[k] = now
        shifted[m] = 0
        for k in range(m - 1, -1, -1):
            i = sequence[k]
            late = completion[k] + p[j] - d[i]
            extra = w[i] * late if late > 0 else 0
            late = completion[k] - d[i]
            if late > 0:
                extra -= w[i] * late
            shifted[k] = shifted[k + 1] + extra
        best, where = np.int64(-1), 0
        for k in range(m + 1):
            start = completion[k - 1] if k > 0 else 0
            late = start + p[j] - d[j]
            cost = shifted[k] + (w[j] * late if late > 0 else 0)
            if best < 0 or cost < best:
                best, where = cost, k
        for k in range(m, where, -1):
            sequence[k] = sequence[k - 1]
        sequence[where] = j
        m += 1
    return sequence


@njit(cache=True, nogil=True)
def repair(path, p, d, w, stop):  # pragma: no cover - compiled
    """`insert_missing`, then a dynasearch descent (ended early by `stop`, the solve's stop flag);
    (sequence, its weighted tardiness)."""
    sequence = insert_missing(path, p, d, w)
    value = dynasearch(sequence, p, d, w, stop)
    return sequence, value
