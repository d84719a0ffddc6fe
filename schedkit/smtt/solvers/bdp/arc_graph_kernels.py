"""Compiled kernels of the sparse stage-2 passes: once arc elimination has left few arcs
(job j finishing at t) in the time-indexed table, the stage-2 DP runs over an explicit graph
of the live arcs, an edge b -> a when the job of b may directly precede the job of a
(`ssdp_kernels.adjacent`). Arcs are numbered by time, then job; the edges into arc a are
src[start[a]:start[a + 1]], in increasing source order.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from schedkit.smtt.solvers.bdp.ssdp_kernels import INF, adjacent


@njit(cache=True, nogil=True)
def live_arcs(ok):  # pragma: no cover - compiled
    """(arc_t, arc_j, row) of the arcs with ok[t, j], t >= 1, by time then job; the arcs
    finishing at t are row[t]..row[t + 1] − 1."""
    horizon = ok.shape[0] - 1
    n = ok.shape[1]
    total = 0
    for t in range(1, horizon + 1):
        for j in range(n):
            if ok[t, j]:
                total += 1
    arc_t = np.empty(total, dtype=np.int32)
    arc_j = np.empty(total, dtype=np.int32)
    row = np.zeros(horizon + 2, dtype=np.int64)
    a = 0
    for t in range(horizon + 1):
        row[t] = a
        if t == 0:
            continue
        for j in range(n):
            if ok[t, j]:
                arc_t[a] = t
                arc_j[a] = j
                a += 1
    row[horizon + 1] = a
    return arc_t, arc_j, row


@njit(cache=True, nogil=True)
def edge_estimate(p, arc_t, arc_j, row):  # pragma: no cover - compiled
    """Σ over the arcs of the arcs finishing when they start: at least the edge count."""
    total = 0
    for a in range(arc_t.size):
        s = arc_t[a] - p[arc_j[a]]
        if s >= 1:
            total += row[s + 1] - row[s]
    return total


@njit(cache=True, nogil=True)
def build_edges(p, costs, before, arc_t, arc_j, row, capacity):  # pragma: no cover - compiled
    """(start, src, count) of the edges between the arcs; count > capacity when they did not
    fit in `capacity` (then start and src are incomplete)."""
    m = arc_t.size
    start = np.zeros(m + 1, dtype=np.int64)
    src = np.empty(capacity, dtype=np.int32)
    e = 0
    for a in range(m):
        start[a] = e
        t = arc_t[a]
        j = arc_j[a]
        s = t - p[j]
        if s < 1:
            continue
        for b in range(row[s], row[s + 1]):
            if adjacent(arc_j[b], j, t, p, costs, before):
                if e >= capacity:
                    return start, src, capacity + 1
                src[e] = b
                e += 1
    start[m] = e
    return start, src, e


@njit(cache=True, nogil=True)
def arc_values(costs, mult, scale, arc_t, arc_j, value):  # pragma: no cover - compiled
    """value[a] = scale·costs[t, j] − mult[j] for every arc a = (t, j)."""
    for a in range(arc_t.size):
        j = arc_j[a]
        value[a] = scale * costs[arc_t[a], j] - mult[j]


@njit(cache=True, nogil=True)
def forward(p, arc_t, arc_j, value, start, src, f, pred):  # pragma: no cover - compiled
    """f[a]: least cost of a path from time 0 ending with arc a (INF: none); pred[a] the arc
    before it on one (the cheapest, then the lowest source; −1 at the start)."""
    for a in range(arc_t.size):
        pred[a] = -1
        if arc_t[a] == p[arc_j[a]]:
            f[a] = value[a]
            continue
        best = INF
        for e in range(start[a], start[a + 1]):
            b = src[e]
            if f[b] < best:
                best = f[b]
                pred[a] = b
        f[a] = best + value[a] if best < INF else INF


@njit(cache=True, nogil=True)
def backward(arc_t, horizon, value, start, src, g):  # pragma: no cover - compiled
    """g[a]: least cost of a path from arc a's finish to time T (INF: none), pushed from the
    last arc back."""
    for a in range(arc_t.size):
        g[a] = 0 if arc_t[a] == horizon else INF
    for a in range(arc_t.size - 1, -1, -1):
        if g[a] >= INF:
            continue
        through = value[a] + g[a]
        for e in range(start[a], start[a + 1]):
            b = src[e]
            if through < g[b]:
                g[b] = through
    return 0


@njit(cache=True, nogil=True)
def best_final(arc_t, horizon, row, f):  # pragma: no cover - compiled
    """The arc finishing at T with the least f (the lowest job on ties), −1 when none."""
    best = -1
    for a in range(row[horizon], row[horizon + 1]):
        if f[a] < INF and (best < 0 or f[a] < f[best]):
            best = a
    return best


@njit(cache=True, nogil=True)
def path_jobs(arc_j, pred, last):  # pragma: no cover - compiled
    """The jobs of the path ending with arc `last` (pred chain), in order."""
    length = 0
    a = last
    while a >= 0:
        length += 1
        a = pred[a]
    jobs = np.empty(length, dtype=np.int64)
    a = last
    for r in range(length - 1, -1, -1):
        jobs[r] = arc_j[a]
        a = pred[a]
    return jobs


@njit(cache=True, nogil=True)
def kill(arc_t, arc_j, f, g, total_mult, limit, ok, alive):  # pragma: no cover - compiled
    """Mark dead (alive False, ok False) every arc whose best path exceeds `limit`; how many."""
    removed = 0
    for a in range(arc_t.size):
        if f[a] >= INF or g[a] >= INF or f[a] + g[a] + total_mult > limit:
            alive[a] = False
            ok[arc_t[a], arc_j[a]] = False
            removed += 1
        else:
            alive[a] = True
    return removed


@njit(cache=True, nogil=True)
def compact(arc_t, arc_j, row, start, src, alive):  # pragma: no cover - compiled
    """The graph without the dead arcs: (arc_t, arc_j, row, start, src), renumbered."""
    m = arc_t.size
    new_index = np.full(m, -1, dtype=np.int64)
    kept = 0
    for a in range(m):
        if alive[a]:
            new_index[a] = kept
            kept += 1
    new_t = np.empty(kept, dtype=np.int32)
    new_j = np.empty(kept, dtype=np.int32)
    new_start = np.zeros(kept + 1, dtype=np.int64)
    e = 0
    for a in range(m):
        if not alive[a]:
            continue
        x = new_index[a]
        new_t[x] = arc_t[a]
        new_j[x] = arc_j[a]
        new_start[x] = e
        for r in range(start[a], start[a + 1]):
            b = src[r]
            if alive[b]:
                src[e] = new_index[b]  # e <= r: an in-place write behind the read
                e += 1
    new_start[kept] = e
    new_row = np.empty(row.size, dtype=np.int64)
    x = 0
    for t in range(row.size):
        while x < kept and new_t[x] < t:
            x += 1
        new_row[t] = x
    return new_t, new_j, new_row, new_start, src[:e].copy()
