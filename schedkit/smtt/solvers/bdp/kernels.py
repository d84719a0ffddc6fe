"""The compiled kernels of `bdp`, in one module so that numba's cache (which watches only the
file of each function) never keeps a kernel compiled against an older helper.

Time-indexed relaxation: `cost_table`, `pair_masks`, `forward`, `backward`, `path_counts`,
`eliminate`. Layered DP over ideals: `expand`, `rehash`, `layer_bound`. States are uint64
masks (bit j: job j), hash tables use open addressing with linear probing; key 0 marks an
empty slot (the empty set only occurs in layer 0, which is never hashed).
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit

INF = np.int64(1 << 62)  # "no path"; sums of two finite values stay below 2^63
ONE = np.uint64(1)
GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing multiplier


@njit(cache=True, nogil=True, inline="always")
def cost(j, t, d, w):  # pragma: no cover - compiled
    """w_j·max(0, t − d_j): the weighted tardiness of j completing at t."""
    late = t - d[j]
    return w[j] * late if late > 0 else 0


@njit(cache=True, nogil=True, inline="always")
def adjacent_ok(i, j, t, p, d, w, before):  # pragma: no cover - compiled
    """May i come directly before j, j completing at t, in the canonical optimal sequence?

    Among the optimal sequences that respect `before`, the one reached by interchanging adjacent
    pairs while that lowers the cost, or keeps it and puts the lower index first, has no pair
    (i, j) with j forced before i, and none whose interchange would be such a step.
    """
    if i == j or before[j, i]:
        return False
    if before[i, j]:
        return True
    start = t - p[i] - p[j]
    kept = cost(i, start + p[i], d, w) + cost(j, t, d, w)
    swapped = cost(j, start + p[j], d, w) + cost(i, t, d, w)
    return kept < swapped or (kept == swapped and i < j)


@njit(cache=True, nogil=True)
def cost_table(p, d, w):  # pragma: no cover - compiled
    """costs[t, j] = w_j·(t − d_j)+ for t = 0..Σp: the kernels read costs from it."""
    n = p.size
    horizon = np.int64(0)
    for j in range(n):
        horizon += p[j]
    costs = np.empty((horizon + 1, n), dtype=np.int64)
    for t in range(horizon + 1):
        for j in range(n):
            costs[t, j] = cost(j, t, d, w)
    return costs


@njit(cache=True, nogil=True)
def pair_masks(p, costs, before):  # pragma: no cover - compiled
    """precede[t, j]: bit i set when i may directly precede j finishing at t (`adjacent_ok`);
    follow[s, i]: bit j set when j may directly follow i finishing at s."""
    n = p.size
    horizon = costs.shape[0] - 1
    precede = np.zeros((horizon + 1, n), dtype=np.uint64)
    follow = np.zeros((horizon + 1, n), dtype=np.uint64)
    for t in range(horizon + 1):
        for j in range(n):
            s = t - p[j]
            for i in range(n):
                start = s - p[i]
                if start < 0 or i == j or before[j, i]:
                    continue
                if not before[i, j]:  # the same test as adjacent_ok, on the table
                    kept = costs[s, i] + costs[t, j]
                    swapped = costs[start + p[j], j] + costs[t, i]
                    if kept > swapped or (kept == swapped and i > j):
                        continue
                precede[t, j] |= ONE << np.uint64(i)
                follow[s, i] |= ONE << np.uint64(j)
    return precede, follow


@njit(cache=True, nogil=True)
def _sort_finite(values, order):  # pragma: no cover - compiled
    """Indices of the finite entries of `values` into `order`, by value then index; their
    count and a mask of them."""
    count = 0
    mask = np.uint64(0)
    for j in range(values.size):
        v = values[j]
        if v >= INF:
            continue
        mask |= ONE << np.uint64(j)
        r = count
        while r > 0 and values[order[r - 1]] > v:
            order[r] = order[r - 1]
            r -= 1
        order[r] = j
        count += 1
    return count, mask


@njit(cache=True, nogil=True)
def forward(p, costs, precede, ok, mult, scale, f):  # pragma: no cover - compiled
    """f[t, j]: least relaxed cost of a path 0 -> t whose last arc is j finishing at t."""
    n = p.size
    horizon = f.shape[0] - 1
    f[:, :] = INF
    order = np.empty((horizon + 1, n), dtype=np.int64)  # finite f[s, :] by value
    count = np.zeros(horizon + 1, dtype=np.int64)
    finite = np.zeros(horizon + 1, dtype=np.uint64)
    for t in range(1, horizon + 1):
        for j in range(n):
            s = t - p[j]
            if s < 0 or not ok[t, j]:
                continue
            best = INF
            if s == 0:
                best = 0
            else:
                allowed = precede[t, j] & finite[s]
                if allowed != 0:
                    for r in range(count[s]):  # the cheapest allowed predecessor
                        i = order[s, r]
                        if (allowed >> np.uint64(i)) & ONE:
                            best = f[s, i]
                            break
            if best < INF:
                f[t, j] = best + scale * costs[t, j] - mult[j]
        count[t], finite[t] = _sort_finite(f[t], order[t])


@njit(cache=True, nogil=True)
def backward(p, costs, follow, ok, mult, scale, g):  # pragma: no cover - compiled
    """g[t, i]: least relaxed cost of a path t -> T when i is the job finishing at t."""
    n = p.size
    horizon = g.shape[0] - 1
    g[:, :] = INF
    g[horizon, :] = 0
    arcs = np.empty(n, dtype=np.int64)  # arcs[j]: j starting at s, then the best path on
    order = np.empty(n, dtype=np.int64)
    for s in range(horizon - 1, -1, -1):
        for j in range(n):
            u = s + p[j]
            if u > horizon or not ok[u, j] or g[u, j] >= INF:
                arcs[j] = INF
            else:
                arcs[j] = scale * costs[u, j] - mult[j] + g[u, j]
        count, finite = _sort_finite(arcs, order)
        for i in range(n):
            allowed = follow[s, i] & finite
            if allowed == 0:
                continue
            for r in range(count):  # the cheapest allowed successor
                j = order[r]
                if (allowed >> np.uint64(j)) & ONE:
                    g[s, i] = arcs[j]
                    break


@njit(cache=True, nogil=True)
def path_counts(p, costs, precede, mult, scale, f, counts):  # pragma: no cover - compiled
    """How often each job occurs on a shortest path of `f`; False when there is no path."""
    n = p.size
    t = f.shape[0] - 1
    j = -1
    for k in range(n):
        if f[t, k] < INF and (j < 0 or f[t, k] < f[t, j]):
            j = k
    if j < 0:
        return False
    counts[:] = 0
    while True:
        counts[j] += 1
        s = t - p[j]
        if s == 0:
            return True
        target = f[t, j] - (scale * costs[t, j] - mult[j])
        previous = -1
        for i in range(n):
            if f[s, i] == target and (precede[t, j] >> np.uint64(i)) & ONE:
                previous = i
                break
        j = previous
        t = s


@njit(cache=True, nogil=True)
def eliminate(f, g, ok, total_mult, limit):  # pragma: no cover - compiled
    """Delete every arc whose best path through it exceeds `limit`; the number deleted."""
    removed = 0
    for t in range(ok.shape[0]):
        for j in range(ok.shape[1]):
            if ok[t, j] and (f[t, j] >= INF or g[t, j] >= INF or f[t, j] + g[t, j] + total_mult > limit):
                ok[t, j] = False
                removed += 1
    return removed


@njit(cache=True, nogil=True)
def _insert(keys, values, lasts, shift, key, value, last):  # pragma: no cover - compiled
    """Merge (key, value, last) into the table; 1 if the key is new, else 0."""
    mask = keys.size - 1
    slot = np.int64((key * GOLDEN) >> shift)
    while True:
        stored = keys[slot]
        if stored == 0:
            keys[slot] = key
            values[slot] = value
            lasts[slot] = last
            return 1
        if stored == key:
            if value < values[slot]:
                values[slot] = value
                lasts[slot] = last
            elif value == values[slot]:
                lasts[slot] |= last
            return 0
        slot = (slot + 1) & mask


@njit(cache=True, nogil=True)
def rehash(keys, values, lasts, new_keys, new_values, new_lasts, shift):  # pragma: no cover
    """Move every entry of one table into an empty, larger one."""
    for slot in range(keys.size):
        if keys[slot] != 0:
            _insert(new_keys, new_values, new_lasts, shift, keys[slot], values[slot], lasts[slot])


@njit(cache=True, nogil=True)
def _may_follow(last, j, t, p, d, w, before):  # pragma: no cover - compiled
    """Some job of `last` may directly precede j finishing at t (no time tables)."""
    found = False
    for i in range(p.size):
        if (last >> np.uint64(i)) & ONE and adjacent_ok(i, j, t, p, d, w, before):
            found = True
            break
    return found


@njit(cache=True, nogil=True)
def _simple_rest(state, t, p, d, w, earliest):  # pragma: no cover - compiled
    """Σ over the jobs outside `state` of w_j·(max(t + p_j, E_j) − d_j)+ (no time table)."""
    total = np.int64(0)
    for j in range(p.size):
        if not (state >> np.uint64(j)) & ONE:
            total += cost(j, max(t + p[j], earliest[j]), d, w)
    return total


@njit(cache=True, nogil=True)
def expand(src_keys, src_values, src_lasts, first, stop, keys, values, lasts, shift, count,
           max_count, p, d, w, before, pred_masks, earliest, ok, costs, precede, g, mult, scale,
           limit, tabled):  # pragma: no cover - compiled
    """Insert the successors of source states first..stop−1 that pass every test.

    Returns (index of the first source state not expanded, entries in the table); it stops
    early when the table holds max_count entries so the caller can enlarge it.
    """
    n = p.size
    slots = keys.size - 1
    total_mult = np.int64(0)
    for j in range(n):
        total_mult += mult[j]
    for index in range(first, stop):
        if count >= max_count:
            return index, count
        state = src_keys[index]
        value = src_values[index]
        last = src_lasts[index]
        t = np.int64(0)
        rest = total_mult
        for j in range(n):
            if (state >> np.uint64(j)) & ONE:
                t += p[j]
                rest -= mult[j]
        for j in range(n):
            bit = ONE << np.uint64(j)
            if (state & bit) or (pred_masks[j] & ~state):
                continue
            u = t + p[j]
            if tabled:
                if not ok[u, j] or (state != 0 and (last & precede[u, j]) == 0):
                    continue
                new_value = value + costs[u, j]
                bound = new_value * scale + g[u, j] + rest - mult[j]
            else:
                if state != 0 and not _may_follow(last, j, u, p, d, w, before):
                    continue
                new_value = value + cost(j, u, d, w)
                bound = (new_value + _simple_rest(state | bit, u, p, d, w, earliest)) * scale
            if bound > limit:
                continue
            key = state | bit
            slot = np.int64((key * GOLDEN) >> shift)
            while True:  # open addressing, linear probing (the same merge as _insert)
                stored = keys[slot]
                if stored == 0:
                    keys[slot] = key
                    values[slot] = new_value
                    lasts[slot] = bit
                    count += 1
                    break
                if stored == key:
                    if new_value < values[slot]:
                        values[slot] = new_value
                        lasts[slot] = bit
                    elif new_value == values[slot]:
                        lasts[slot] |= bit
                    break
                slot = (slot + 1) & slots
    return stop, count


@njit(cache=True, nogil=True)
def layer_bound(src_keys, src_values, src_lasts, p, d, w, earliest, g, mult, scale,
                tabled):  # pragma: no cover - compiled
    """Least (scaled) lower bound over the states of one layer: F(S) + bound on the rest."""
    n = p.size
    best = INF
    for index in range(src_keys.size):
        state = src_keys[index]
        t = np.int64(0)
        rest = np.int64(0)
        for j in range(n):
            if (state >> np.uint64(j)) & ONE:
                t += p[j]
            else:
                rest += mult[j]
        if tabled:
            if state == 0:  # g needs a last job; the caller knows the root bound already
                continue
            tail = INF
            last = src_lasts[index]
            for i in range(n):
                if (last >> np.uint64(i)) & ONE:
                    tail = min(tail, g[t, i])
            if tail < INF:
                best = min(best, src_values[index] * scale + tail + rest)
        else:
            best = min(best, (src_values[index] + _simple_rest(state, t, p, d, w, earliest)) * scale)
    return best
