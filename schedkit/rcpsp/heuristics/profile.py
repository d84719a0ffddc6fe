"""A resource profile as a step function, for numba kernels: breakpoints `times[0..m)` and the
usage `usage[p, k]` of resource k on [times[p], times[p+1]) (the last step runs to infinity at
zero). Its size grows with the scheduled activities (two breakpoints each), never with the
horizon, so a duration of 10^7 costs what a duration of 1 does.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit


@njit(cache=True, nogil=True)
def ready_time(j, start, d, pred_ptr, pred_idx):  # type: ignore[no-untyped-def]
    """The earliest start of j that its (already scheduled) predecessors allow, from 0."""
    t = 0
    for a in range(pred_ptr[j], pred_ptr[j + 1]):
        i = pred_idx[a]
        if start[i] + d[i] > t:
            t = start[i] + d[i]
    return t


@njit(cache=True, nogil=True)
def new_profile(n, resources):  # type: ignore[no-untyped-def]
    """(times, usage, m) for up to n activities: one step from 0 at zero usage."""
    times = np.zeros(2 * n + 2, dtype=np.int64)
    usage = np.zeros((2 * n + 2, resources), dtype=np.int64)
    return times, usage, 1


@njit(cache=True, nogil=True)
def _step(times, m, t):  # type: ignore[no-untyped-def]
    """The step holding time t (t >= times[0]): the largest p with times[p] <= t."""
    low, high = 0, m - 1
    while low < high:
        middle = (low + high + 1) // 2
        if times[middle] <= t:
            low = middle
        else:
            high = middle - 1
    return low


@njit(cache=True, nogil=True)
def _idle(q, j):  # type: ignore[no-untyped-def]
    """True when activity j uses no resource."""
    busy = 0
    for k in range(q.shape[1]):
        busy += q[j, k] > 0
    return busy == 0


@njit(cache=True, nogil=True)
def last_clash(times, usage, m, q, c, j, t, length):  # type: ignore[no-untyped-def]
    """-1 when activity j fits on [t, t + length), else the end of the last step in that window
    where it does not (no start before it can fit either)."""
    if length == 0 or _idle(q, j):
        return -1
    p = _step(times, m, t)
    end = t + length
    clash = -1
    while p < m and times[p] < end:
        for k in range(c.size):
            if usage[p, k] + q[j, k] > c[k]:
                clash = p
                break
        p += 1
    if clash < 0:
        return -1
    return times[clash + 1]


@njit(cache=True, nogil=True)
def earliest_fit(times, usage, m, q, c, j, t, length):  # type: ignore[no-untyped-def]
    """The earliest start >= t at which activity j fits the profile for `length` time units."""
    while True:
        after = last_clash(times, usage, m, q, c, j, t, length)
        if after < 0:
            return t
        t = after


@njit(cache=True, nogil=True)
def _split(times, usage, m, t):  # type: ignore[no-untyped-def]
    """Make t a breakpoint (copying the usage of the step it falls in); returns (m, its index)."""
    p = _step(times, m, t)
    if times[p] == t:
        return m, p
    for r in range(m, p + 1, -1):
        times[r] = times[r - 1]
        usage[r, :] = usage[r - 1, :]
    times[p + 1] = t
    usage[p + 1, :] = usage[p, :]
    return m + 1, p + 1


@njit(cache=True, nogil=True)
def book(times, usage, m, q, j, t, length, sign):  # type: ignore[no-untyped-def]
    """Add (sign 1) or remove (sign -1) activity j's demands on [t, t + length); returns m."""
    if length == 0 or _idle(q, j):
        return m
    m, first = _split(times, usage, m, t)
    m, last = _split(times, usage, m, t + length)
    for p in range(first, last):
        for k in range(q.shape[1]):
            usage[p, k] += sign * q[j, k]
    return m
