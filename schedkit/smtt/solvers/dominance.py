"""Precedences between SMTT jobs that some optimal sequence respects (Emmons-type dominance).

Exact models fix these pairs up front, which removes most of the search (at n = 20 about 170
of the 190 pairs are fixed). Each rule derives "i before j" from an exchange argument on a
sequence that has j before i, using what the precedences found so far imply: E[j] =
p(B_j) + p_j, the earliest completion of j (B_j: jobs known to precede j), and L[i] =
P − p(A_i), the latest completion of i (A_i: jobs known to follow i).

1. Swap (Emmons' first theorem; weighted form of Rinnooy Kan, Lageweg & Lenstra 1975):
   p_i <= p_j, w_i >= w_j and d_i <= max(d_j, E[j]) -- exchanging j and i loses nothing.
2. Move (Emmons' second and third theorems and their weighted forms, in one test): moving
   j to right after i costs j no more than i gains, for every completion time i can have.
   This covers d_j >= L[i] (j stays on time) and w_j = 0 (j costs nothing anywhere).

Pairs are decided one at a time and the transitive closure is updated at once, so each new
pair is derived from the relations already found (no cycles; ties go in index order). The
rules were checked against the 800 published optima of smtt_n20 and, exhaustively, against
an unrestricted DP on every instance of small grids (n = 4 and 5, ties, zero weights,
negative and far due dates): the best sequence respecting them is always optimal.
"""

from __future__ import annotations

import math
import time

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.deadline import stop_flag

CHUNK_SECONDS = 0.01  # with a deadline: about the time between two looks at the clock


@njit(cache=True, nogil=True)
def _add(before, earliest, latest, p, i, j, above, below):  # pragma: no cover - compiled
    """Record i -> j and everything it implies; keep E and L in step with the closure.

    `above` and `below` are scratch arrays of length n for the jobs up to i and from j on.
    """
    n = p.size
    count_above = 0
    count_below = 0
    for a in range(n):
        if a == i or before[a, i]:
            above[count_above] = a
            count_above += 1
        if a == j or before[j, a]:
            below[count_below] = a
            count_below += 1
    for x in range(count_above):
        a = above[x]
        for y in range(count_below):
            b = below[y]
            if not before[a, b]:
                before[a, b] = True
                earliest[b] += p[a]
                latest[a] -= p[b]


@njit(cache=True, nogil=True)
def _move_pays(i, j, p, d, w, earliest, latest):  # pragma: no cover - compiled
    """Rule 2: moving j (now before i) to right after i costs j no more than i gains.

    With c the old completion of i, c in [max(E_i, E_j + p_i), L_i], i gains
    w_i·min(p_j, (c − d_i)+) and j loses at most w_j·((c − d_j)+ − (E_j − d_j)+). Both sides
    are piecewise linear in c, so checking the ends and the kinks d_i, d_i + p_j, d_j suffices.
    """
    low = max(earliest[i], earliest[j] + p[i])
    high = latest[i]
    already = max(0, earliest[j] - d[j])
    for c in (low, high, d[i], d[i] + p[j], d[j]):
        if low <= c <= high:
            gain = w[i] * min(p[j], max(0, c - d[i]))
            loss = w[j] * (max(0, c - d[j]) - already)
            if gain < loss:
                return False
    return True


@njit(cache=True, nogil=True)
def _dominates(i, j, p, d, w, earliest, latest):  # pragma: no cover - compiled
    """True when one of the rules proves that i may go before j."""
    if w[j] == 0 or d[j] >= latest[i]:  # quick cases of rule 2
        return True
    if w[i] >= w[j] and p[i] <= p[j] and d[i] <= max(d[j], earliest[j]):
        return True
    return _move_pays(i, j, p, d, w, earliest, latest)


@njit(cache=True, nogil=True)
def _sweep(before, earliest, latest, p, d, w, above, below, first, last, stop):  # pragma: no cover
    """Rows first..last − 1 of one round of the rules: 1 when a pair was added, else 0; −1 once
    `stop` (the solve's stop flag) is raised (checked before each row)."""
    n = p.size
    changed = 0
    for i in range(first, last):
        if stop[0]:
            return -1
        for j in range(i + 1, n):
            if before[i, j] or before[j, i]:
                continue
            if _dominates(i, j, p, d, w, earliest, latest):
                _add(before, earliest, latest, p, i, j, above, below)
                changed = 1
            elif _dominates(j, i, p, d, w, earliest, latest):
                _add(before, earliest, latest, p, j, i, above, below)
                changed = 1
    return changed


def _rows_next(rows: int, seconds: float) -> int:
    """Rows for the next sweep: about CHUNK_SECONDS' worth at the pace of the last one, at most
    twice as many."""
    return max(1, min(2 * rows, int(rows * CHUNK_SECONDS / max(seconds, 1e-7))))


def precedence_matrix(p: np.ndarray, d: np.ndarray, w: np.ndarray, stop: np.ndarray,
                      deadline: float = math.inf) -> np.ndarray:
    """before[i, j] is True when i precedes j in some optimal sequence (transitively closed).

    All returned pairs hold together in one optimal sequence. Rules are re-applied until
    nothing changes, since every new pair tightens E and L for the next round, or until `stop`
    (the solve's stop flag) is raised or `deadline` (a perf_counter value) comes: then the
    pairs found so far, valid as well. Kernels cannot read the clock, so a finite deadline has
    the rows swept in chunks of about CHUNK_SECONDS, the clock read before each (the same pairs
    in the same order: only where the sweeps pause changes).
    """
    p, d, w = (np.ascontiguousarray(a, dtype=np.int64) for a in (p, d, w))
    n = p.size
    before = np.zeros((n, n), dtype=np.bool_)
    earliest = p.copy()
    latest = np.full(n, int(p.sum()), dtype=np.int64)
    above = np.empty(n, dtype=np.int64)
    below = np.empty(n, dtype=np.int64)
    timed = deadline != math.inf
    rows = 1 if timed else max(1, n)
    changed = True
    while changed:
        changed = False
        first = 0
        while first < n:
            started = time.perf_counter() if timed else 0.0
            if started >= deadline:
                return before
            last = min(n, first + rows)
            found = _sweep(before, earliest, latest, p, d, w, above, below, first, last, stop)
            if found < 0:
                return before
            changed = changed or found == 1
            if timed:
                rows = _rows_next(rows, time.perf_counter() - started)
            first = last
    return before


def precedences(p: np.ndarray, d: np.ndarray, w: np.ndarray, deadline: float = math.inf) -> np.ndarray:
    """The transitively closed boolean matrix of safe precedences for p, d, w (see
    `precedence_matrix`): all of them, or those found by `deadline` (a perf_counter value) or
    before the solve's stop flag was raised."""
    return precedence_matrix(p, d, w, stop_flag(), deadline)


def completion_windows(p: np.ndarray, before: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(earliest, latest) completion of each job in any sequence respecting `before`."""
    p = np.asarray(p, dtype=np.int64)
    earliest = p + before.T.astype(np.int64) @ p
    latest = int(p.sum()) - before.astype(np.int64) @ p
    return earliest, latest


@njit(cache=True, nogil=True)
def _consistent_order(sequence, before):  # pragma: no cover - compiled
    n = sequence.size
    rank = np.empty(n, dtype=np.int64)
    for k in range(n):
        rank[sequence[k]] = k
    waiting = np.zeros(n, dtype=np.int64)  # unscheduled predecessors of each job
    for i in range(n):
        for j in range(n):
            if before[i, j]:
                waiting[j] += 1
    done = np.zeros(n, dtype=np.bool_)
    result = np.empty(n, dtype=np.int64)
    for k in range(n):
        best = -1
        for j in range(n):
            if not done[j] and waiting[j] == 0 and (best < 0 or rank[j] < rank[best]):
                best = j
        result[k] = best
        done[best] = True
        for j in range(n):
            if before[best, j]:
                waiting[j] -= 1
    return result


def consistent_order(sequence: np.ndarray, before: np.ndarray) -> np.ndarray:
    """`sequence` reordered to respect `before`: each time, the earliest job of `sequence`
    whose known predecessors are all placed (a start the exact models accept as is)."""
    return _consistent_order(np.ascontiguousarray(sequence, dtype=np.int64), before)
