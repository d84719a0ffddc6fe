"""Compiled kernels of the sparse stage-2 passes: once arc elimination has left few arcs
(job j finishing at t) in the time-indexed table, the stage-2 DP runs over the live arcs
only. Arcs are numbered by time, then job (row[t]..row[t + 1] − 1 finish at t); mask[a] has
bit r set when the r-th arc of the row where a starts may directly precede a
(`ssdp_kernels.adjacent`), so a pass ranks each row once and scans it to the first allowed
arc, as the dense passes do, without an adjacency test.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.smtt.solvers.bdp.ssdp_kernels import INF, ONE, adjacent


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
def widest_row(row):  # pragma: no cover - compiled
    """The most arcs finishing at one time."""
    widest = 0
    for t in range(row.size - 1):
        widest = max(widest, row[t + 1] - row[t])
    return widest


@njit(cache=True, nogil=True)
def build_masks(p, costs, before, arc_t, arc_j, row, words):  # pragma: no cover - compiled
    """mask[a]: bit r set when the r-th arc of the row where arc a starts may directly precede
    it (`adjacent`)."""
    m = arc_t.size
    mask = np.zeros((m, words), dtype=np.uint64)
    for a in range(m):
        t = arc_t[a]
        j = arc_j[a]
        s = t - p[j]
        if s < 1:
            continue
        for b in range(row[s], row[s + 1]):
            if adjacent(arc_j[b], j, t, p, costs, before):
                r = b - row[s]
                mask[a, r >> 6] |= ONE << np.uint64(r & 63)
    return mask


@njit(cache=True, nogil=True)
def by_start(p, arc_t, arc_j, horizon):  # pragma: no cover - compiled
    """(arcs ordered by start time, CSR offsets per start time 0..T)."""
    m = arc_t.size
    offsets = np.zeros(horizon + 2, dtype=np.int64)
    for a in range(m):
        offsets[arc_t[a] - p[arc_j[a]] + 1] += 1
    for s in range(horizon + 1):
        offsets[s + 1] += offsets[s]
    fill = offsets[:-1].copy()
    order = np.empty(m, dtype=np.int64)
    for a in range(m):
        s = arc_t[a] - p[arc_j[a]]
        order[fill[s]] = a
        fill[s] += 1
    return order, offsets


@njit(cache=True, nogil=True, inline="always")
def _insert_ranked(keys, ranked, first, c, a):  # pragma: no cover - compiled
    """Insert item a into ranked[first:first + c], kept cheapest first by keys (stable)."""
    v = keys[a]
    r = first + c
    while r > first and keys[ranked[r - 1]] > v:
        ranked[r] = ranked[r - 1]
        r -= 1
    ranked[r] = a


@njit(cache=True, nogil=True, inline="always")
def _rank(keys, items, first, stop, ranked):  # pragma: no cover - compiled
    """ranked[first:first + c] = the items[first:stop] with finite keys, cheapest first (ties
    in item order); c."""
    c = 0
    for x in range(first, stop):
        a = items[x]
        if keys[a] >= INF:
            continue
        _insert_ranked(keys, ranked, first, c, a)
        c += 1
    return c


@njit(cache=True, nogil=True)
def arc_values(costs, mult, scale, arc_t, arc_j, value):  # pragma: no cover - compiled
    """value[a] = scale·costs[t, j] − mult[j] for every arc a = (t, j)."""
    for a in range(arc_t.size):
        j = arc_j[a]
        value[a] = scale * costs[arc_t[a], j] - mult[j]


@njit(cache=True, nogil=True)
def forward(p, arc_t, arc_j, row, mask, value, f, pred, ranked, count):  # pragma: no cover
    """f[a]: least cost of a path from time 0 ending with arc a (INF: none); pred[a] the arc
    before it (the cheapest allowed, the lowest job on ties; −1 at the start). ranked[row[t]:]
    holds the count[t] arcs of row t with finite f, cheapest first."""
    horizon = row.size - 2
    for t in range(1, horizon + 1):
        for a in range(row[t], row[t + 1]):
            pred[a] = -1
            s = t - p[arc_j[a]]
            if s == 0:
                f[a] = value[a]
                continue
            f[a] = INF
            base = row[s]
            for x in range(base, base + count[s]):
                b = ranked[x]
                r = b - base
                if (mask[a, r >> 6] >> np.uint64(r & 63)) & ONE:
                    f[a] = f[b] + value[a]
                    pred[a] = b
                    break
        c = 0
        first = row[t]
        for a in range(first, row[t + 1]):  # rank the row: insertion sort, stable
            if f[a] >= INF:
                continue
            _insert_ranked(f, ranked, first, c, a)
            c += 1
        count[t] = c


@njit(cache=True, nogil=True)
def backward(arc_t, row, mask, value, order, offsets, g, through, ranked):  # pragma: no cover
    """g[a]: least cost of a path from arc a's finish to time T (INF: none)."""
    horizon = row.size - 2
    for a in range(row[horizon], row[horizon + 1]):
        g[a] = 0
    for s in range(horizon - 1, 0, -1):
        for x in range(offsets[s], offsets[s + 1]):  # the arcs starting at s, all done
            a = order[x]
            through[a] = value[a] + g[a] if g[a] < INF else INF
        c = _rank(through, order, offsets[s], offsets[s + 1], ranked)
        for b in range(row[s], row[s + 1]):
            g[b] = INF
            r = b - row[s]
            word = r >> 6
            bit = ONE << np.uint64(r & 63)
            for x in range(offsets[s], offsets[s] + c):
                a = ranked[x]
                if mask[a, word] & bit:
                    g[b] = through[a]
                    break
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
def compact(p, arc_t, arc_j, row, mask, alive):  # pragma: no cover - compiled
    """The arcs left (alive) and their masks, renumbered: (arc_t, arc_j, row, mask)."""
    m = arc_t.size
    kept = 0
    for a in range(m):
        if alive[a]:
            kept += 1
    new_t = np.empty(kept, dtype=np.int32)
    new_j = np.empty(kept, dtype=np.int32)
    new_mask = np.zeros((kept, mask.shape[1]), dtype=np.uint64)
    x = 0
    for a in range(m):
        if not alive[a]:
            continue
        new_t[x] = arc_t[a]
        new_j[x] = arc_j[a]
        s = arc_t[a] - p[arc_j[a]]
        if s >= 1:
            r_new = 0
            for b in range(row[s], row[s + 1]):
                if not alive[b]:
                    continue
                r = b - row[s]
                if (mask[a, r >> 6] >> np.uint64(r & 63)) & ONE:
                    new_mask[x, r_new >> 6] |= ONE << np.uint64(r_new & 63)
                r_new += 1
        x += 1
    new_row = np.empty(row.size, dtype=np.int64)
    x = 0
    for t in range(row.size):
        while x < kept and new_t[x] < t:
            x += 1
        new_row[t] = x
    return new_t, new_j, new_row, new_mask
