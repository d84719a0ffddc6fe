"""Numba kernels for DAG list scheduling (HEFT, CPOP, PEFT) over CSR adjacency arrays.

Graph arrays: `succ_ptr`/`succ_idx`/`succ_edge` and `pred_ptr`/`pred_idx`/`pred_edge` (CSR:
the neighbours of task i are idx[ptr[i]:ptr[i+1]], with the index of the edge, into `data`,
alongside). Delay of edge e from processor k to l != k: lat[k] + ceil(data[e] / bw[k, l]).

Determinism: every tie is broken by a fixed rule. Among tasks of equal priority the one
earlier in `topo_pos` (Kahn's first-in first-out order, sources by index) goes first, which
keeps any priority that never increases along an edge a topological order; among processors
of equal score the lowest index wins.

The long kernels (average_delays, optimistic_costs, list_schedule) poll `stop` (one uint8,
`deadline.stop_flag`) per edge or task: once it is 1 they return at once, unfinished.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit

RELATIVE_TOLERANCE = 1e-9  # for "priority equals |CP|" on float sums (CPOP)
MAX_BANDWIDTH_GROUPS = 64  # beyond, average_delays goes pair by pair


@njit(cache=True, nogil=True)
def topological_positions(n: int, succ_ptr: np.ndarray, succ_idx: np.ndarray) -> np.ndarray:
    """pos[i] = place of task i in Kahn's FIFO order (sources in index order); -1 on a cycle."""
    indegree = np.zeros(n, np.int64)
    for e in range(succ_idx.size):
        indegree[succ_idx[e]] += 1
    queue = np.empty(n, np.int64)
    tail = 0
    for i in range(n):
        if indegree[i] == 0:
            queue[tail] = i
            tail += 1
    head = 0
    while head < tail:
        task = queue[head]
        head += 1
        for e in range(succ_ptr[task], succ_ptr[task + 1]):
            b = succ_idx[e]
            indegree[b] -= 1
            if indegree[b] == 0:
                queue[tail] = b
                tail += 1
    pos = np.full(n, -1, np.int64)
    for place in range(tail):
        pos[queue[place]] = place
    return pos


@njit(cache=True, nogil=True)
def average_delays(data: np.ndarray, bw: np.ndarray, lat: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """c̄[e]: the delay of edge e averaged over ordered processor pairs k != l (0 with one
    processor). Without a network (bw all 1, lat all 0) this is data[e] itself. The pairs are
    grouped by bandwidth (the sum is the same integer): edges x distinct bandwidths, not edges x
    processors² (300 edges on 4096 processors took 13 s)."""
    p = lat.size
    out = np.zeros(data.size, np.float64)
    if p == 1:
        return out
    pairs = p * (p - 1)
    latency = 0
    for k in range(p):
        latency += lat[k] * (p - 1)
    speeds, counts = _bandwidth_groups(bw, MAX_BANDWIDTH_GROUPS)
    if latency == 0 and speeds.size == 1 and speeds[0] == 1:  # no network: exactly the data
        for e in range(data.size):
            out[e] = data[e]
        return out
    for e in range(data.size):
        if stop[0]:
            break
        total = latency
        if speeds.size == 0:  # too many distinct bandwidths: pair by pair
            for k in range(p):
                for to in range(p):
                    if k != to:
                        total += (data[e] + bw[k, to] - 1) // bw[k, to]
        else:
            for g in range(speeds.size):
                total += counts[g] * ((data[e] + speeds[g] - 1) // speeds[g])
        out[e] = total / pairs
    return out


@njit(cache=True, nogil=True)
def _bandwidth_groups(bw: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct off-diagonal bandwidths and how many ordered pairs have each; empty arrays
    when there are more than `most`."""
    p = bw.shape[0]
    speeds = np.zeros(most, np.int64)
    counts = np.zeros(most, np.int64)
    found = 0
    for k in range(p):
        for to in range(p):
            if k == to:
                continue
            g = 0
            while g < found and speeds[g] != bw[k, to]:
                g += 1
            if g == found:
                if found == most:
                    return speeds[:0], counts[:0]
                speeds[g] = bw[k, to]
                found += 1
            counts[g] += 1
    return speeds[:found], counts[:found]


@njit(cache=True, nogil=True)
def upward_ranks(topo: np.ndarray, succ_ptr: np.ndarray, succ_idx: np.ndarray,
                 succ_edge: np.ndarray, wbar: np.ndarray, cbar: np.ndarray) -> np.ndarray:
    """rank_u(i) = w̄_i + max over successors j of (c̄_ij + rank_u(j)); `topo` lists the
    tasks in a topological order (walked backwards)."""
    rank = np.zeros(wbar.size, np.float64)
    for place in range(topo.size - 1, -1, -1):
        i = topo[place]
        best = 0.0
        for e in range(succ_ptr[i], succ_ptr[i + 1]):
            value = cbar[succ_edge[e]] + rank[succ_idx[e]]
            if value > best:
                best = value
        rank[i] = wbar[i] + best
    return rank


@njit(cache=True, nogil=True)
def longest_path(topo: np.ndarray, succ_ptr: np.ndarray, succ_idx: np.ndarray,
                 weight: np.ndarray) -> int:
    """Longest path by node weights alone (integers): CP_MIN with the cheapest costs."""
    length = np.zeros(weight.size, np.int64)
    best = 0
    for place in range(topo.size - 1, -1, -1):
        i = topo[place]
        tail = 0
        for e in range(succ_ptr[i], succ_ptr[i + 1]):
            if length[succ_idx[e]] > tail:
                tail = length[succ_idx[e]]
        length[i] = weight[i] + tail
        if length[i] > best:
            best = length[i]
    return best


@njit(cache=True, nogil=True)
def downward_ranks(topo: np.ndarray, pred_ptr: np.ndarray, pred_idx: np.ndarray,
                   pred_edge: np.ndarray, wbar: np.ndarray, cbar: np.ndarray) -> np.ndarray:
    """rank_d(i) = max over predecessors j of (rank_d(j) + w̄_j + c̄_ji); 0 for sources."""
    rank = np.zeros(wbar.size, np.float64)
    for place in range(topo.size):
        i = topo[place]
        best = 0.0
        for e in range(pred_ptr[i], pred_ptr[i + 1]):
            j = pred_idx[e]
            value = rank[j] + wbar[j] + cbar[pred_edge[e]]
            if value > best:
                best = value
        rank[i] = best
    return rank


@njit(cache=True, nogil=True)
def optimistic_costs(topo: np.ndarray, succ_ptr: np.ndarray, succ_idx: np.ndarray,
                     succ_edge: np.ndarray, cost: np.ndarray, cbar: np.ndarray,
                     stop: np.ndarray) -> np.ndarray:
    """PEFT's optimistic cost table: OCT(i, k) = max over successors j of
    min over processors w of (OCT(j, w) + cost(j, w) + (c̄_ij if w != k else 0)); 0 at exits.
    The inner minimum is min(A_j[k], min_w A_j[w] + c̄_ij) with A_j = OCT(j) + cost(j)."""
    n, p = cost.shape
    table = np.zeros((n, p), np.float64)
    for place in range(topo.size - 1, -1, -1):
        if stop[0]:
            break
        i = topo[place]
        for e in range(succ_ptr[i], succ_ptr[i + 1]):
            j = succ_idx[e]
            lowest = np.inf
            for w in range(p):
                value = table[j, w] + cost[j, w]
                if value < lowest:
                    lowest = value
            away = lowest + cbar[succ_edge[e]]
            for k in range(p):
                value = min(table[j, k] + cost[j, k], away)
                if value > table[i, k]:
                    table[i, k] = value
    return table


@njit(cache=True, nogil=True)
def critical_path(priority: np.ndarray, succ_ptr: np.ndarray, succ_idx: np.ndarray,
                  pred_ptr: np.ndarray) -> np.ndarray:
    """CPOP's critical path as a boolean mask: from the lowest-index source whose priority
    equals |CP| = max priority, repeatedly the lowest-index successor with that priority."""
    n = priority.size
    top = priority.max()
    slack = RELATIVE_TOLERANCE * max(1.0, abs(top))
    on_path = np.zeros(n, np.bool_)
    task = -1
    for i in range(n):
        if pred_ptr[i] == pred_ptr[i + 1] and priority[i] >= top - slack:
            task = i
            break
    while task >= 0:
        on_path[task] = True
        following = -1
        for e in range(succ_ptr[task], succ_ptr[task + 1]):
            j = succ_idx[e]
            if priority[j] >= top - slack and (following < 0 or j < following):
                following = j
        task = following
    return on_path


@njit(cache=True, nogil=True)
def _before(a: int, b: int, priority: np.ndarray, topo_pos: np.ndarray) -> bool:
    """Task a comes before b: higher priority, then earlier topological position."""
    if priority[a] != priority[b]:
        return priority[a] > priority[b]
    return topo_pos[a] < topo_pos[b]


@njit(cache=True, nogil=True)
def _push(heap: np.ndarray, size: int, task: int, priority: np.ndarray, topo_pos: np.ndarray) -> int:
    heap[size] = task
    child = size
    while child > 0:
        parent = (child - 1) // 2
        if not _before(heap[child], heap[parent], priority, topo_pos):
            break
        heap[child], heap[parent] = heap[parent], heap[child]
        child = parent
    return size + 1


@njit(cache=True, nogil=True)
def _pop(heap: np.ndarray, size: int, priority: np.ndarray, topo_pos: np.ndarray) -> int:
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    parent = 0
    while True:
        best = parent
        for child in (2 * parent + 1, 2 * parent + 2):
            if child < size and _before(heap[child], heap[best], priority, topo_pos):
                best = child
        if best == parent:
            break
        heap[parent], heap[best] = heap[best], heap[parent]
        parent = best
    return top


@njit(cache=True, nogil=True)
def _earliest_slot(starts: np.ndarray, ends: np.ndarray, count: int, ready: int,
                   length: int) -> tuple[int, int]:
    """Insertion policy: the earliest t >= ready with [t, t + length) free between the busy
    intervals (sorted, disjoint) of one processor; returns (t, insert position)."""
    if length == 0:
        return ready, -1
    low, high = 0, count
    while low < high:  # first interval ending after `ready`
        middle = (low + high) // 2
        if ends[middle] <= ready:
            low = middle + 1
        else:
            high = middle
    t = ready
    j = low
    while j < count:
        if t + length <= starts[j]:
            break
        if ends[j] > t:
            t = ends[j]
        j += 1
    return t, j


@njit(cache=True, nogil=True)
def list_schedule(priority: np.ndarray, topo_pos: np.ndarray,
                  pred_ptr: np.ndarray, pred_idx: np.ndarray, pred_edge: np.ndarray,
                  succ_ptr: np.ndarray, succ_idx: np.ndarray,
                  cost: np.ndarray, data: np.ndarray, bw: np.ndarray, lat: np.ndarray,
                  forced: np.ndarray, lookahead: np.ndarray,
                  stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ready-list scheduling with insertion: take the ready task of highest priority (ties:
    earlier topological position) and put it on the processor minimising its earliest finish
    time plus `lookahead[i, k]` (zeros for HEFT/CPOP, the OCT for PEFT), ties to the lowest
    index; `forced[i] >= 0` pins task i to that processor (CPOP's critical path).
    Returns (processor, start) per task."""
    n, p = cost.shape
    processor = np.full(n, -1, np.int64)
    start = np.zeros(n, np.int64)
    finish = np.zeros(n, np.int64)
    starts = np.empty((p, n), np.int64)
    ends = np.empty((p, n), np.int64)
    count = np.zeros(p, np.int64)
    waiting = np.empty(n, np.int64)
    for i in range(n):
        waiting[i] = pred_ptr[i + 1] - pred_ptr[i]
    heap = np.empty(n, np.int64)
    size = 0
    for i in range(n):
        if waiting[i] == 0:
            size = _push(heap, size, i, priority, topo_pos)
    while size > 0 and not stop[0]:
        task = _pop(heap, size, priority, topo_pos)
        size -= 1
        first, last = (forced[task], forced[task] + 1) if forced[task] >= 0 else (0, p)
        best_k, best_t, best_at, best_score = -1, 0, 0, np.inf
        for k in range(first, last):
            ready = 0
            for e in range(pred_ptr[task], pred_ptr[task + 1]):
                a = pred_idx[e]
                arrive = finish[a]
                if processor[a] != k:
                    source = processor[a]
                    size_e = data[pred_edge[e]]
                    arrive += lat[source] + (size_e + bw[source, k] - 1) // bw[source, k]
                if arrive > ready:
                    ready = arrive
            t, at = _earliest_slot(starts[k], ends[k], count[k], ready, cost[task, k])
            score = t + cost[task, k] + lookahead[task, k]
            if score < best_score:
                best_k, best_t, best_at, best_score = k, t, at, score
        processor[task] = best_k
        start[task] = best_t
        finish[task] = best_t + cost[task, best_k]
        if best_at >= 0:
            c = count[best_k]
            for q in range(c, best_at, -1):
                starts[best_k, q] = starts[best_k, q - 1]
                ends[best_k, q] = ends[best_k, q - 1]
            starts[best_k, best_at] = best_t
            ends[best_k, best_at] = finish[task]
            count[best_k] = c + 1
        for e in range(succ_ptr[task], succ_ptr[task + 1]):
            b = succ_idx[e]
            waiting[b] -= 1
            if waiting[b] == 0:
                size = _push(heap, size, b, priority, topo_pos)
    return processor, start
