"""RCPSP numba kernels: time windows, schedule generation schemes and justification.

Every kernel takes the project as arrays: durations `d` (n), successors and predecessors in
CSR form (`*_ptr` of n+1 offsets into `*_idx`), demands `q` (n x K) and capacities `c` (K).
Resource usage is kept as a step profile (heuristics/profile.py; the parallel SGS needs only the
usage at its clock), so the work grows with the number of activities, never with the horizon.

Priorities: the smaller the value, the earlier an activity is chosen; ties go to the lower
index. Random choices draw from the explicit uint64 `state` of schedkit.common.rng, threaded
through and returned (deterministic kernels pass it back unused), so a seed reproduces every
schedule.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import random_unit
from schedkit.rcpsp.heuristics.profile import book, earliest_fit, new_profile, ready_time


@njit(cache=True, nogil=True)
def earliest_starts(order, d, pred_ptr, pred_idx):  # type: ignore[no-untyped-def]
    """Precedence-only earliest starts (forward pass over a topological `order`)."""
    es = np.zeros(d.size, dtype=np.int64)
    for j in order:
        for a in range(pred_ptr[j], pred_ptr[j + 1]):
            i = pred_idx[a]
            if es[i] + d[i] > es[j]:
                es[j] = es[i] + d[i]
    return es


@njit(cache=True, nogil=True)
def latest_starts(order, d, succ_ptr, succ_idx, horizon):  # type: ignore[no-untyped-def]
    """Precedence-only latest starts that still finish everything by `horizon` (backward pass)."""
    n = d.size
    ls = np.empty(n, dtype=np.int64)
    for k in range(n - 1, -1, -1):
        j = order[k]
        latest = horizon - d[j]
        for a in range(succ_ptr[j], succ_ptr[j + 1]):
            s = succ_idx[a]
            if ls[s] - d[j] < latest:
                latest = ls[s] - d[j]
        ls[j] = latest
    return ls


@njit(cache=True, nogil=True)
def successor_totals(order, succ_ptr, succ_idx):  # type: ignore[no-untyped-def]
    """Number of (direct and indirect) successors of each activity, via bitsets."""
    n = order.size
    words = (n + 63) // 64
    reach = np.zeros((n, words), dtype=np.uint64)
    totals = np.zeros(n, dtype=np.int64)
    one = np.uint64(1)
    for k in range(n - 1, -1, -1):
        j = order[k]
        for a in range(succ_ptr[j], succ_ptr[j + 1]):
            s = succ_idx[a]
            reach[j, s // 64] |= one << np.uint64(s % 64)
            for w in range(words):
                reach[j, w] |= reach[s, w]
        count = 0
        for w in range(words):
            x = reach[j, w]
            while x:
                x &= x - one
                count += 1
        totals[j] = count
    return totals


@njit(cache=True, nogil=True)
def first_eligible(pred_ptr, n):  # type: ignore[no-untyped-def]
    """(predecessors left per activity, eligible activities in candidates[:m], m) before any
    activity is scheduled: the start of every list-building pass."""
    left = np.empty(n, dtype=np.int64)
    candidates = np.empty(n, dtype=np.int64)
    m = 0
    for j in range(n):
        left[j] = pred_ptr[j + 1] - pred_ptr[j]
        if left[j] == 0:
            candidates[m] = j
            m += 1
    return left, candidates, m


@njit(cache=True, nogil=True)
def pick(candidates, m, priority, alpha, state):  # type: ignore[no-untyped-def]
    """(position in candidates[:m] of the chosen activity, state): the best priority when
    alpha < 0, else regret-biased random: weight (max priority - priority + 1) ** alpha."""
    best = 0
    for p in range(1, m):
        a, b = candidates[p], candidates[best]
        if priority[a] < priority[b] or (priority[a] == priority[b] and a < b):
            best = p
    if alpha < 0.0 or m == 1:
        return best, state
    worst = priority[candidates[0]]
    for p in range(1, m):
        if priority[candidates[p]] > worst:
            worst = priority[candidates[p]]
    total = 0.0
    for p in range(m):
        total += (worst - priority[candidates[p]] + 1.0) ** alpha
    state, unit = random_unit(state)
    draw = unit * total
    for p in range(m):
        draw -= (worst - priority[candidates[p]] + 1.0) ** alpha
        if draw <= 0.0:
            return p, state
    return m - 1, state


@njit(cache=True, nogil=True)
def serial_sgs(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, priority, alpha, state):  # type: ignore[no-untyped-def]
    """Serial SGS: n times pick an eligible activity (all predecessors scheduled) and start it
    at its earliest precedence- and resource-feasible time. Returns (starts, state)."""
    n = d.size
    times, usage, steps = new_profile(n, c.size)
    start = np.full(n, -1, dtype=np.int64)
    left, candidates, m = first_eligible(pred_ptr, n)
    for _ in range(n):
        p, state = pick(candidates, m, priority, alpha, state)
        j = candidates[p]
        m -= 1
        candidates[p] = candidates[m]
        t = ready_time(j, start, d, pred_ptr, pred_idx)
        t = earliest_fit(times, usage, steps, q, c, j, t, d[j])
        steps = book(times, usage, steps, q, j, t, d[j], 1)
        start[j] = t
        for a in range(succ_ptr[j], succ_ptr[j + 1]):
            s = succ_idx[a]
            left[s] -= 1
            if left[s] == 0:
                candidates[m] = s
                m += 1
    return start, state


@njit(cache=True, nogil=True)
def _start_at_clock(j, t, d, q, c, succ_ptr, succ_idx, start, left, ready, waiting, running,
                    candidates, m):  # type: ignore[no-untyped-def]
    """Start j at clock t if it fits the usage at the clock; successors eligible at t join
    candidates[m:]. Returns (started, m)."""
    if d[j] > 0:
        for k in range(c.size):
            if running[k] + q[j, k] > c[k]:
                return False, m
        for k in range(c.size):
            running[k] += q[j, k]
    start[j] = t
    waiting[j] = False
    for a in range(succ_ptr[j], succ_ptr[j + 1]):
        s = succ_idx[a]
        left[s] -= 1
        if t + d[j] > ready[s]:
            ready[s] = t + d[j]
        if left[s] == 0:
            waiting[s] = True
            if ready[s] <= t:  # a zero-duration predecessor: eligible now
                candidates[m] = s
                m += 1
    return True, m


@njit(cache=True, nogil=True)
def _in_priority_order(candidates, m, priority):  # type: ignore[no-untyped-def]
    """candidates[:m] sorted by (priority, id) in place: the order of m picks with alpha < 0."""
    ids = np.sort(candidates[:m])
    by_priority = np.argsort(priority[ids], kind="mergesort")  # stable: ties by id
    candidates[:m] = ids[by_priority]


@njit(cache=True, nogil=True)
def parallel_sgs(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, priority, alpha, state):  # type: ignore[no-untyped-def]
    """Parallel SGS: advance a clock over completion times; at each time start, in priority
    order, every eligible activity (predecessors finished) that fits. Every activity starts at
    or before the clock, so usage never rises after it: fitting at the clock is fitting for the
    whole duration, and the usage at the clock (`running`) replaces a profile (a pass of 3000
    activities took 1.7 s with one, rescanning it for every waiting activity at every step).
    With alpha < 0 the eligible activities are collected in priority order instead of picked
    one by one (O(m) each: 4,000 unrelated activities took 29 s). Returns (starts, state)."""
    n = d.size
    start = np.full(n, -1, dtype=np.int64)
    left = np.empty(n, dtype=np.int64)
    ready = np.zeros(n, dtype=np.int64)  # max finish of the scheduled predecessors
    waiting = np.zeros(n, dtype=np.bool_)  # all predecessors scheduled, not itself
    candidates = np.empty(n, dtype=np.int64)
    running = np.zeros(c.size, dtype=np.int64)  # usage at the clock
    for j in range(n):
        left[j] = pred_ptr[j + 1] - pred_ptr[j]
        waiting[j] = left[j] == 0
    scan = np.arange(n)  # candidates are collected in this order: by id, or
    if alpha < 0.0:  # by (priority, id), the order in which they are picked
        scan = np.argsort(priority, kind="mergesort")
    done = 0
    t = 0
    while done < n:
        m = 0
        for j in scan:
            if waiting[j] and ready[j] <= t:
                candidates[m] = j
                m += 1
        if alpha < 0.0:
            p = 0
            while p < m:
                started, grown = _start_at_clock(candidates[p], t, d, q, c, succ_ptr, succ_idx,
                                                 start, left, ready, waiting, running, candidates, m)
                p += 1
                done += started
                if grown > m:  # eligible now: among the rest, in priority order
                    _in_priority_order(candidates[p:], grown - p, priority)
                    m = grown
            m = 0
        while m > 0:
            p, state = pick(candidates, m, priority, alpha, state)
            j = candidates[p]
            m -= 1
            candidates[p] = candidates[m]
            started, m = _start_at_clock(j, t, d, q, c, succ_ptr, succ_idx, start, left, ready,
                                         waiting, running, candidates, m)
            done += started
        following = -1
        for j in range(n):
            if start[j] >= 0 and start[j] + d[j] > t and (following < 0 or start[j] + d[j] < following):
                following = start[j] + d[j]
        if following < 0:
            following = t + 1  # unreachable for valid data; keeps the loop finite
        for j in range(n):  # those ending by the new clock leave the usage
            if start[j] >= 0 and d[j] > 0 and t < start[j] + d[j] <= following:
                for k in range(c.size):
                    running[k] -= q[j, k]
        t = following
    return start, state


@njit(cache=True, nogil=True)
def makespan(start, d):  # type: ignore[no-untyped-def]
    """max_j start[j] + d[j]."""
    best = 0
    for j in range(d.size):
        if start[j] + d[j] > best:
            best = start[j] + d[j]
    return best


@njit(cache=True, nogil=True)
def justify(start, d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, state):  # type: ignore[no-untyped-def]
    """One forward-backward pass (double justification, Valls et al. 2005): right-justify by
    a serial SGS on the reversed project in order of decreasing finish time, then left-justify
    by a serial SGS in order of the right-justified starts. Never lengthens the schedule.
    Returns (starts, state)."""
    n = d.size
    by_finish = np.empty(n, dtype=np.float64)
    for j in range(n):
        by_finish[j] = -float(start[j] + d[j])
    backward, state = serial_sgs(d, succ_ptr, succ_idx, pred_ptr, pred_idx, q, c, by_finish, -1.0,
                                 state)
    span = makespan(backward, d)
    by_start = np.empty(n, dtype=np.float64)
    for j in range(n):
        by_start[j] = float(span - backward[j] - d[j])
    return serial_sgs(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, by_start, -1.0, state)


@njit(cache=True, nogil=True)
def sample_batch(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, priority, alpha,
                 parallel, improve, schedules, state):  # type: ignore[no-untyped-def]
    """Build regret-biased random schedules until `schedules` SGS passes are spent; with
    `improve`, justify each until it stops improving (each pass counts). Returns the best
    starts, its makespan, the passes used and the state."""
    best = np.empty(0, dtype=np.int64)
    best_span = -1
    used = 0
    while used < schedules:
        if parallel:
            start, state = parallel_sgs(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, priority,
                                        alpha, state)
        else:
            start, state = serial_sgs(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, priority,
                                      alpha, state)
        used += 1
        span = makespan(start, d)
        while improve and used + 2 <= schedules:
            better, state = justify(start, d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, state)
            used += 2
            better_span = makespan(better, d)
            if better_span >= span:
                break
            start, span = better, better_span
        if best_span < 0 or span < best_span:
            best, best_span = start, span
    return best, best_span, used, state
