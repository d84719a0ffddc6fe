"""Compiled kernels of the successive sublimation DP (Tanaka, Fujikuma & Araki 2009), for any n.

Time-indexed Lagrangian relaxation: an arc is job j finishing at t, costing
arc[t, j] = K·w_j·(t − d_j)+ − μ_j (K the integer scale of the multipliers μ). `forward` and
`backward` find least paths over the times 0..T (T = Σp), with or without the adjacency
restriction (stage 1 without, stage 2 with: no job twice in a row, no pair against a known
precedence, no pair an adjacent interchange would improve). `sublimate` is stage 3: the same
DP over states (t, last job, subset of the modifier jobs M already processed), where a job of M
appears at most once and known precedences among M hold, states whose cost plus the stage-2
lower bound on the rest reaches the upper bound dropped. States live in flat arrays chained per
time and found through an open-addressing hash table.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit

INF = np.int64(1 << 62)
ONE = np.uint64(1)
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
FULL_STATES = 1  # why `sublimate` stopped early
FULL_ARCS = 2


@njit(cache=True, nogil=True, inline="always")
def adjacent(i, j, t, p, costs, before):  # pragma: no cover - compiled
    """May i come directly before j, j finishing at t (stage-2 restriction)?"""
    if i == j or before[j, i]:
        return False
    s = t - p[j]
    start = s - p[i]
    if start < 0:
        return False
    if before[i, j]:
        return True
    kept = costs[s, i] + costs[t, j]
    swapped = costs[start + p[j], j] + costs[t, i]
    return kept < swapped or (kept == swapped and i < j)


@njit(cache=True, nogil=True)
def _rank_finite(values, order):  # pragma: no cover - compiled
    """Write the indices of the finite entries of `values` into `order`, cheapest first (ties
    by index); return how many. Insertion sort for few entries, argsort beyond."""
    c = 0
    for j in range(values.size):
        if values[j] < INF:
            order[c] = j
            c += 1
    if c > 24:
        picked = order[:c].copy()
        ranked = np.argsort(values[picked], kind="mergesort")
        for r in range(c):
            order[r] = picked[ranked[r]]
        return c
    for a in range(1, c):
        j = order[a]
        v = values[j]
        r = a
        while r > 0 and values[order[r - 1]] > v:
            order[r] = order[r - 1]
            r -= 1
        order[r] = j
    return c


@njit(cache=True, nogil=True)
def arc_costs(costs, mult, scale, arc):  # pragma: no cover - compiled
    """arc[t, j] = scale·costs[t, j] − mult[j]."""
    for t in range(costs.shape[0]):
        for j in range(costs.shape[1]):
            arc[t, j] = scale * costs[t, j] - mult[j]


@njit(cache=True, nogil=True)
def forward(p, costs, before, ok, arc, adjacency, f, order, count, first, stop):  # pragma: no cover
    """f[t, j] for t in first..stop−1: least cost of a path 0 -> t whose last arc is j
    finishing at t; order[t] the finite f[t, :] sorted, count[t] how many (without the
    adjacency restriction only the cheapest, count 1 or 0). Rows before
    `first` must be done (call with first = 1 after setting f to INF)."""
    n = p.size
    for t in range(max(1, first), stop):
        for j in range(n):
            s = t - p[j]
            if s < 0 or not ok[t, j]:
                continue
            best = INF
            if s == 0:
                best = 0
            else:
                for r in range(count[s]):
                    i = order[s, r]
                    if not adjacency or adjacent(i, j, t, p, costs, before):
                        best = f[s, i]
                        break
            if best < INF:
                f[t, j] = best + arc[t, j]
        if adjacency:
            count[t] = _rank_finite(f[t], order[t])
        else:  # without the restriction the cheapest entry is all a later row reads
            best_j = 0
            for j in range(1, n):
                if f[t, j] < f[t, best_j]:
                    best_j = j
            order[t, 0] = best_j
            count[t] = 1 if f[t, best_j] < INF else 0


@njit(cache=True, nogil=True)
def backward(p, costs, before, ok, arc, adjacency, g, first, stop):  # pragma: no cover - compiled
    """g[s, i] for s = first down to stop+1: least cost of a path s -> T after i finished at
    s. Rows after `first` must be done (start with g = INF, g[T, :] = 0, first = T − 1)."""
    n = p.size
    horizon = g.shape[0] - 1
    arcs = np.empty(n, dtype=np.int64)
    ranked = np.empty(n, dtype=np.int64)
    for s in range(first, max(stop, 0), -1):
        for j in range(n):
            u = s + p[j]
            if u > horizon or not ok[u, j] or g[u, j] >= INF:
                arcs[j] = INF
            else:
                arcs[j] = arc[u, j] + g[u, j]
        c = _rank_finite(arcs, ranked)
        for i in range(n):
            if not ok[s, i]:
                continue
            for r in range(c):
                j = ranked[r]
                if not adjacency or adjacent(i, j, s + p[j], p, costs, before):
                    g[s, i] = arcs[j]
                    break


@njit(cache=True, nogil=True)
def path_counts(p, costs, before, arc, adjacency, f, counts):  # pragma: no cover - compiled
    """How often each job occurs on a least path of `f`; False when there is none."""
    path = least_path(p, costs, before, arc, adjacency, f)
    counts[:] = 0
    for j in path:
        counts[j] += 1
    return path.size > 0


@njit(cache=True, nogil=True)
def eliminate(f, g, ok, total_mult, limit):  # pragma: no cover - compiled
    """Delete every arc whose best path through it exceeds `limit`; the number deleted."""
    removed = 0
    for t in range(1, ok.shape[0]):
        for j in range(ok.shape[1]):
            if ok[t, j] and (f[t, j] >= INF or g[t, j] >= INF or f[t, j] + g[t, j] + total_mult > limit):
                ok[t, j] = False
                removed += 1
    return removed


@njit(cache=True, nogil=True, inline="always")
def _slot(t, j, lo, hi, n, mask):  # pragma: no cover - compiled
    key = np.uint64(t * n + j) * GOLDEN ^ (lo * np.uint64(0xC2B2AE3D27D4EB4F)) ^ (
        hi * np.uint64(0x165667B19E3779F9))
    return np.int64((key ^ (key >> np.uint64(29))) & np.uint64(mask))


@njit(cache=True, nogil=True)
def find(t, j, lo, hi, n, st_t, st_j, st_s, table):  # pragma: no cover - compiled
    """Index of state (t, j, subset (lo, hi)) in a table, −1 when absent."""
    mask = table.size - 1
    slot = _slot(t, j, lo, hi, n, mask)
    while True:
        y = table[slot]
        if y < 0:
            return -1
        if st_t[y] == t and st_j[y] == j and st_s[y, 0] == lo and st_s[y, 1] == hi:
            return y
        slot = (slot + 1) & mask


@njit(cache=True, nogil=True)
def _candidates(i, s, p, costs, before, ok, cand, cand_len):  # pragma: no cover - compiled
    """cand[i, :cand_len[i]]: the jobs j that may follow i finished at s whatever the subset
    done (arc kept, adjacency restriction; i < 0: the root, row n)."""
    n = p.size
    horizon = ok.shape[0] - 1
    row = n if i < 0 else i
    c = 0
    for j in range(n):
        u = s + p[j]
        if u > horizon or not ok[u, j]:
            continue
        if i >= 0 and not adjacent(i, j, u, p, costs, before):
            continue
        cand[row, c] = j
        c += 1
    cand_len[row] = c


@njit(cache=True, nogil=True)
def sublimate(p, costs, before, ok, arc, g, member, pred_m, succ_m, limit, first, stop,
              st_t, st_j, st_s, st_v, st_pred, st_next, st_e0, st_e1, targets, edges, head,
              table, count, prev_t, prev_j, prev_s, prev_h, prev_table, prev_full, must, cannot,
              budget, cand, cand_len, stamp):  # pragma: no cover - compiled
    """Stage 3 forward DP over times first..stop−1 (each time's states are final once reached),
    ending after the first time that brings the states expanded in this call to `budget`; the
    arcs between states are recorded on the way (state x: targets[st_e0[x]:st_e1[x]]; the
    root, at time 0, is row `capacity` of st_e0 / st_e1).

    A subset of M is two uint64 words (lo, hi): st_s[x] = (lo, hi). member[j]: the words of
    j's bit in M (zeros when j is not a modifier); pred_m[j] / succ_m[j]: the words of the
    known predecessors / successors of j within M. A new state (and an arc) is kept when its cost
    plus a lower bound on the rest stays <= limit: g at its arc in the first round, later the
    exact rest of its projection (t, j, subset ∩ previous M) in the previous round (absent:
    dropped); an arc dropped so cannot be on a path better than the limit for any multipliers.
    must[u] / cannot[u]: modifiers that have to be / cannot be done at time u (their windows).
    The successors a last job allows at a time are cached (cand, cand_len, stamp: −1 at the
    start of a build). Returns (states, the time not yet processed, arcs, FULL_STATES or
    FULL_ARCS when those arrays are full, else 0); when full the caller enlarges them and calls
    again from that time with those arcs (the time is redone whole).
    """
    n = p.size
    capacity = st_t.size
    mask = table.size - 1
    expanded = 0
    for s in range(first, stop):
        mark = edges
        if expanded >= budget:
            return count, s, edges, 0
        if s == 0:
            x = -1
        else:
            x = head[s]
            if x < 0:
                continue
        while True:
            if s == 0:
                i = -1
                lo = np.uint64(0)
                hi = np.uint64(0)
                value = np.int64(0)
                row = n
            else:
                i = st_j[x]
                lo = st_s[x, 0]
                hi = st_s[x, 1]
                value = st_v[x]
                row = i
            if stamp[row] != s:
                _candidates(i, s, p, costs, before, ok, cand, cand_len)
                stamp[row] = s
            e0 = edges
            for c in range(cand_len[row]):
                j = cand[row, c]
                if ((pred_m[j, 0] & ~lo) | (pred_m[j, 1] & ~hi)) != 0 or \
                        ((succ_m[j, 0] & lo) | (succ_m[j, 1] & hi)) != 0:
                    continue
                if ((lo & member[j, 0]) | (hi & member[j, 1])) != 0:
                    continue
                new_lo = lo | member[j, 0]
                new_hi = hi | member[j, 1]
                u = s + p[j]
                if ((must[u, 0] & ~new_lo) | (must[u, 1] & ~new_hi)) != 0 or \
                        ((cannot[u, 0] & new_lo) | (cannot[u, 1] & new_hi)) != 0:
                    continue
                v = value + arc[u, j]
                if prev_table.size > 1:
                    y = find(u, j, new_lo & prev_full[0], new_hi & prev_full[1], n, prev_t,
                             prev_j, prev_s, prev_table)
                    if y < 0 or v + prev_h[y] > limit:
                        continue
                elif v + g[u, j] > limit:
                    continue
                if edges >= targets.size:
                    return count, s, mark, FULL_ARCS
                slot = _slot(u, j, new_lo, new_hi, n, mask)
                while True:
                    y = table[slot]
                    if y < 0:
                        if count >= capacity:
                            return count, s, mark, FULL_STATES
                        y = count
                        count += 1
                        st_t[y] = u
                        st_j[y] = j
                        st_s[y, 0] = new_lo
                        st_s[y, 1] = new_hi
                        st_v[y] = v
                        st_pred[y] = x
                        st_next[y] = head[u]
                        st_e0[y] = 0
                        st_e1[y] = 0
                        head[u] = y
                        table[slot] = y
                        break
                    if st_t[y] == u and st_j[y] == j and st_s[y, 0] == new_lo and \
                            st_s[y, 1] == new_hi:
                        if v < st_v[y]:
                            st_v[y] = v
                            st_pred[y] = x
                        break
                    slot = (slot + 1) & mask
                targets[edges] = y
                edges += 1
            at = capacity if s == 0 else x
            st_e0[at] = e0
            st_e1[at] = edges
            expanded += 1
            if s == 0:
                break
            x = st_next[x]
            if x < 0:
                break
    return count, stop, edges, 0


@njit(cache=True, nogil=True)
def time_order(head, st_next, order):  # pragma: no cover - compiled
    """order: the states by time (chained per time from head), earliest first; how many."""
    r = 0
    for s in range(head.size):
        x = head[s]
        while x >= 0:
            order[r] = x
            r += 1
            x = st_next[x]
    return r


@njit(cache=True, nogil=True)
def rehash(st_t, st_j, st_s, count, n, table):  # pragma: no cover - compiled
    """Fill an empty (all −1) table with the first `count` states (n: the number of jobs)."""
    mask = table.size - 1
    for y in range(count):
        slot = _slot(st_t[y], st_j[y], st_s[y, 0], st_s[y, 1], n, mask)
        while table[slot] >= 0:
            slot = (slot + 1) & mask
        table[slot] = y


@njit(cache=True, nogil=True)
def read_path(st_j, st_pred, last, n):  # pragma: no cover - compiled
    """The jobs on the path ending in state `last`, in order, and how often each occurs."""
    length = 0
    x = last
    while x >= 0:
        length += 1
        x = st_pred[x]
    path = np.empty(length, dtype=np.int64)
    counts = np.zeros(n, dtype=np.int64)
    x = last
    for k in range(length - 1, -1, -1):
        path[k] = st_j[x]
        counts[st_j[x]] += 1
        x = st_pred[x]
    return path, counts


@njit(cache=True, nogil=True)
def window_masks(p, ok, jobs, must, cannot):  # pragma: no cover - compiled
    """must[u]: the words of the modifiers (jobs[b] has bit b % 64 of word b // 64) that can
    no longer finish after u within their remaining arcs; cannot[u]: those that cannot have
    finished by u."""
    horizon = ok.shape[0] - 1
    must[:] = 0
    cannot[:] = 0
    for b in range(jobs.size):
        k = jobs[b]
        word = b // 64
        bit = ONE << np.uint64(b % 64)
        first = horizon + 1
        last = -1
        for t in range(horizon + 1):
            if ok[t, k]:
                if first > horizon:
                    first = t
                last = t
        for u in range(horizon + 1):
            if u + p[k] > last:
                must[u, word] |= bit
            if u < first:
                cannot[u, word] |= bit


@njit(cache=True, nogil=True)
def eliminate_states(st_v, h, alive, count, limit):  # pragma: no cover - compiled
    """Mark dead every state whose best path through it exceeds `limit`; how many."""
    removed = 0
    for x in range(count):
        if alive[x] and (st_v[x] >= INF or h[x] >= INF or st_v[x] + h[x] > limit):
            alive[x] = False
            removed += 1
    return removed


@njit(cache=True, nogil=True)
def best_live_final(st_v, st_s, st_next, head, horizon, full, alive):  # pragma: no cover
    """The cheapest live state at time T that processed every modifier job (−1: none)."""
    best = -1
    x = head[horizon]
    while x >= 0:
        if alive[x] and st_s[x, 0] == full[0] and st_s[x, 1] == full[1] and st_v[x] < INF and \
                (best < 0 or st_v[x] < st_v[best]):
            best = x
        x = st_next[x]
    return best


@njit(cache=True, nogil=True)
def relax_edges(st_t, st_j, arc, st_v, st_pred, alive, by_time, st_e0, st_e1, targets, first,
                stop):  # pragma: no cover - compiled
    """Forward DP over the recorded arcs for new arc costs, states by_time[first:stop] (the
    root's arcs, row st_e0.size − 1, when first == 0; st_v must be INF before the first call)."""
    if first == 0:
        root = st_e0.size - 1
        for e in range(st_e0[root], st_e1[root]):
            y = targets[e]
            v = arc[st_t[y], st_j[y]]
            if alive[y] and v < st_v[y]:
                st_v[y] = v
                st_pred[y] = -1
    for r in range(first, stop):
        x = by_time[r]
        value = st_v[x]
        if not alive[x] or value >= INF:
            continue
        for e in range(st_e0[x], st_e1[x]):
            y = targets[e]
            if alive[y]:
                v = value + arc[st_t[y], st_j[y]]
                if v < st_v[y]:
                    st_v[y] = v
                    st_pred[y] = x


@njit(cache=True, nogil=True)
def rest_edges(st_t, st_j, st_s, arc, h, alive, by_time, st_e0, st_e1, targets, horizon, full,
               first, stop):  # pragma: no cover - compiled
    """h[x]: least cost from state x to the end over the recorded arcs (INF for dead states),
    for by_time[r], r from stop − 1 down to first (the later ones must be done)."""
    for r in range(stop - 1, first - 1, -1):
        x = by_time[r]
        if not alive[x]:
            h[x] = INF
        elif st_t[x] == horizon:
            h[x] = 0 if st_s[x, 0] == full[0] and st_s[x, 1] == full[1] else INF
        else:
            best = INF
            for e in range(st_e0[x], st_e1[x]):
                y = targets[e]
                if alive[y] and h[y] < INF:
                    v = arc[st_t[y], st_j[y]] + h[y]
                    if v < best:
                        best = v
            h[x] = best


@njit(cache=True, nogil=True)
def relax_free(p, costs, ok, mult, scale, f1, last, counts):  # pragma: no cover - compiled
    """Stage 1 in one pass: f1[t] the least cost of a path 0 -> t (arc scale·costs[t, j] −
    mult[j], no adjacency restriction), last[t] its last job; counts the jobs on the least path
    to T. Returns f1[T] (Σμ not included; INF when no path)."""
    n = p.size
    horizon = costs.shape[0] - 1
    f1[0] = 0
    for t in range(1, horizon + 1):
        best = INF
        best_j = -1
        for j in range(n):
            s = t - p[j]
            if s >= 0 and ok[t, j] and f1[s] < INF:
                v = f1[s] + scale * costs[t, j] - mult[j]
                if v < best:
                    best = v
                    best_j = j
        f1[t] = best
        last[t] = best_j
    counts[:] = 0
    if f1[horizon] >= INF:
        return INF
    t = horizon
    while t > 0:
        j = last[t]
        counts[j] += 1
        t -= p[j]
    return f1[horizon]


@njit(cache=True, nogil=True)
def eliminate_free(p, costs, ok, mult, scale, f1, total_mult, limit):  # pragma: no cover
    """Stage-1 arc elimination after `relax_free` (f1 for `mult`): the least cost g1[t] of a
    path t -> T without the adjacency restriction, then every arc (t, j) whose best path
    f1[t − p_j] + arc + g1[t] + Σμ exceeds `limit` is deleted from `ok`; how many."""
    n = p.size
    horizon = costs.shape[0] - 1
    g1 = np.full(horizon + 1, INF, dtype=np.int64)
    g1[horizon] = 0
    for s in range(horizon - 1, -1, -1):
        best = INF
        for j in range(n):
            t = s + p[j]
            if t <= horizon and ok[t, j] and g1[t] < INF:
                v = g1[t] + scale * costs[t, j] - mult[j]
                if v < best:
                    best = v
        g1[s] = best
    removed = 0
    for t in range(1, horizon + 1):
        for j in range(n):
            if not ok[t, j]:
                continue
            s = t - p[j]
            if (s < 0 or f1[s] >= INF or g1[t] >= INF
                    or f1[s] + scale * costs[t, j] - mult[j] + g1[t] + total_mult > limit):
                ok[t, j] = False
                removed += 1
    return removed


@njit(cache=True, nogil=True)
def free_path(p, last):  # pragma: no cover - compiled
    """The jobs of the least stage-1 path to T (after `relax_free`), in order."""
    t = last.size - 1
    length = 0
    while t > 0:
        t -= p[last[t]]
        length += 1
    path = np.empty(length, dtype=np.int64)
    t = last.size - 1
    for r in range(length - 1, -1, -1):
        path[r] = last[t]
        t -= p[last[t]]
    return path


@njit(cache=True, nogil=True)
def least_path(p, costs, before, arc, adjacency, f):  # pragma: no cover - compiled
    """The jobs of a least path of `f` (after `forward`), in order; empty when there is none."""
    n = p.size
    t = f.shape[0] - 1
    j = -1
    for r in range(n):
        if f[t, r] < INF and (j < 0 or f[t, r] < f[t, j]):
            j = r
    reversed_path = np.empty(t + 1, dtype=np.int64)
    length = 0
    if j < 0:
        return reversed_path[:0]
    while True:
        reversed_path[length] = j
        length += 1
        s = t - p[j]
        if s == 0:
            break
        target = f[t, j] - arc[t, j]
        previous = -1
        for i in range(n):
            if f[s, i] == target and (not adjacency or adjacent(i, j, t, p, costs, before)):
                previous = i
                break
        if previous < 0:
            return reversed_path[:0]
        j = previous
        t = s
    return reversed_path[:length][::-1].copy()


@njit(cache=True, nogil=True, inline="always")
def _keep_live_arcs(alive, arc_from, arc_to, targets, x):  # pragma: no cover - compiled
    """Drop the arcs of state x (or the root) into dead states, keeping their order."""
    e = arc_from[x]
    for a in range(arc_from[x], arc_to[x]):
        if alive[targets[a]]:
            targets[e] = targets[a]
            e += 1
    arc_to[x] = e


@njit(cache=True, nogil=True)
def compact(alive, by_time, ordered, arc_from, arc_to, targets):  # pragma: no cover - compiled
    """Drop the dead states from by_time[:ordered] and the arcs into dead states from every
    live state's (and the root's, the last row) arc range; the live states left in by_time."""
    _keep_live_arcs(alive, arc_from, arc_to, targets, arc_from.size - 1)
    r = 0
    for q in range(ordered):
        x = by_time[q]
        if not alive[x]:
            continue
        by_time[r] = x
        r += 1
        _keep_live_arcs(alive, arc_from, arc_to, targets, x)
    return r
