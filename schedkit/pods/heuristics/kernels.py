"""The default kube-scheduler's cycle as a numba kernel: queue, filter, score, preempt.

Queue: pending pods by priority (highest first), then creation order. Filter
(NodeResourcesFit and the static filters folded into `eligible`): the node may take the pod
and has its CPU, memory and a pod slot free. Score, as kube-scheduler's default profile
(each plugin weight 1, MaxNodeScore 100, integer arithmetic as in Go):

- NodeResourcesFit LeastAllocated: per resource (alloc − req)·100 / alloc, 0 when req > alloc,
  req = the node's non-zero requests + the pod's (a zero CPU request counts 100m, a zero
  memory request 200 MiB, as the scheduler's scoring does); mean over CPU and memory (weights
  1, integer division). MostAllocated instead: min(req, alloc)·100 / alloc.
- NodeResourcesBalancedAllocation: fractions f = min(1, requested / alloc) with the real
  requests, std = |f_cpu − f_mem| / 2, score = int((1 − std)·100).

The highest total wins, ties by node name. DefaultPreemption when no node passes the
filter: on each eligible node, remove every movable pod of lower priority; if the pod then
fits, reprieve the removed ones, most important first (higher priority, then earlier
creation), while it still fits; the rest are the victims. The node is chosen by the lowest
highest victim priority, then the fewest victims of that priority, then the fewest victims,
then name. Victims return to the queue (their controllers recreate them) and may bind
elsewhere later; a victim has a lower priority than its preemptor, so every pod is
dequeued at most once and the cycle ends.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit

MAX_NODE_SCORE = 100
DEFAULT_MILLI_CPU = 100  # scheduler's non-zero default for scoring
DEFAULT_MEMORY = 200 * 1024 * 1024


@njit(cache=True, nogil=True)
def _fit_score(requested: int, allocatable: int, most: bool) -> int:
    if allocatable == 0:
        return -1  # resource skipped
    if most:
        return min(requested, allocatable) * MAX_NODE_SCORE // allocatable
    if requested > allocatable:
        return 0
    return (allocatable - requested) * MAX_NODE_SCORE // allocatable


@njit(cache=True, nogil=True)
def node_score(
    n: int,
    p: int,
    node_cpu: np.ndarray,
    node_mem: np.ndarray,
    used_cpu: np.ndarray,
    used_mem: np.ndarray,
    nz_cpu: np.ndarray,
    nz_mem: np.ndarray,
    pod_cpu: np.ndarray,
    pod_mem: np.ndarray,
    pod_nz_cpu: np.ndarray,
    pod_nz_mem: np.ndarray,
    most: bool,
) -> int:
    """NodeResourcesFit (Least- or MostAllocated) + BalancedAllocation of pod p on node n."""
    total = 0
    weights = 0
    s = _fit_score(nz_cpu[n] + pod_nz_cpu[p], node_cpu[n], most)
    if s >= 0:
        total += s
        weights += 1
    s = _fit_score(nz_mem[n] + pod_nz_mem[p], node_mem[n], most)
    if s >= 0:
        total += s
        weights += 1
    fit = total // weights if weights > 0 else 0
    fractions = np.zeros(2)
    k = 0
    if node_cpu[n] > 0:
        fractions[k] = min(1.0, (used_cpu[n] + pod_cpu[p]) / node_cpu[n])
        k += 1
    if node_mem[n] > 0:
        fractions[k] = min(1.0, (used_mem[n] + pod_mem[p]) / node_mem[n])
        k += 1
    std = abs(fractions[0] - fractions[1]) / 2.0 if k == 2 else 0.0
    balanced = int((1.0 - std) * MAX_NODE_SCORE)
    return fit + balanced


@njit(cache=True, nogil=True)
def _fits(
    p: int, n: int, free_cpu: int, free_mem: int, free_slots: int, pod_cpu: np.ndarray, pod_mem: np.ndarray
) -> bool:
    return pod_cpu[p] <= free_cpu and pod_mem[p] <= free_mem and free_slots >= 1


@njit(cache=True, nogil=True)
def _preempt(
    p: int,
    assign: np.ndarray,
    eligible: np.ndarray,
    node_cpu: np.ndarray,
    node_mem: np.ndarray,
    node_slots: np.ndarray,
    used_cpu: np.ndarray,
    used_mem: np.ndarray,
    count: np.ndarray,
    pod_cpu: np.ndarray,
    pod_mem: np.ndarray,
    prio: np.ndarray,
    order: np.ndarray,
    movable: np.ndarray,
    node_rank: np.ndarray,
    stop: np.ndarray,
) -> tuple[int, np.ndarray]:
    """The node DefaultPreemption picks for pod p and its victims' mask (-1 if none works, or
    once `stop` is raised)."""
    n_pods = assign.size
    best = -1
    best_key = (0, 0, 0, 0)
    best_victims = np.zeros(n_pods, dtype=np.bool_)
    for n in range(node_cpu.size):
        if stop[0]:
            return -1, best_victims
        if not eligible[p, n]:
            continue
        free_cpu = node_cpu[n] - used_cpu[n]
        free_mem = node_mem[n] - used_mem[n]
        free_slots = node_slots[n] - count[n]
        found = []
        for q in range(n_pods):
            if assign[q] == n and movable[q] and prio[q] < prio[p]:
                found.append(q)
                free_cpu += pod_cpu[q]
                free_mem += pod_mem[q]
                free_slots += 1
        if len(found) == 0 or not _fits(p, n, free_cpu, free_mem, free_slots, pod_cpu, pod_mem):
            continue
        candidates = np.array(found, dtype=np.int64)
        importance = np.argsort(order[candidates], kind="mergesort")
        candidates = candidates[importance]
        keys = -prio[candidates]
        candidates = candidates[np.argsort(keys, kind="mergesort")]  # higher priority, then earlier
        victims = np.zeros(n_pods, dtype=np.bool_)
        top = -(2**62)
        at_top = 0
        total = 0
        for v in candidates:
            cpu = free_cpu - pod_cpu[v]
            mem = free_mem - pod_mem[v]
            if _fits(p, n, cpu, mem, free_slots - 1, pod_cpu, pod_mem):
                free_cpu, free_mem, free_slots = cpu, mem, free_slots - 1  # reprieved
            else:
                victims[v] = True
                total += 1
                if prio[v] > top:
                    top = int(prio[v])
                    at_top = 1
                elif prio[v] == top:
                    at_top += 1
        key = (top, at_top, total, node_rank[n])
        if best < 0 or key < best_key:
            best, best_key, best_victims = n, key, victims
    return best, best_victims


@njit(cache=True, nogil=True)
def kube_schedule(
    assign0: np.ndarray,
    eligible: np.ndarray,
    node_cpu: np.ndarray,
    node_mem: np.ndarray,
    node_slots: np.ndarray,
    node_rank: np.ndarray,
    pod_cpu: np.ndarray,
    pod_mem: np.ndarray,
    prio: np.ndarray,
    order: np.ndarray,
    movable: np.ndarray,
    most: bool,
    preemption: bool,
    stop: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Run the scheduling cycle over every pending pod; returns (node per pod, preemptions).
    Once `stop` (`deadline.stop_flag`) is raised the cycle ends: the pods not reached yet keep
    their state (still a valid placement)."""
    n_nodes = node_cpu.size
    n_pods = assign0.size
    assign = assign0.copy()
    used_cpu = np.zeros(n_nodes, dtype=np.int64)
    used_mem = np.zeros(n_nodes, dtype=np.int64)
    nz_cpu = np.zeros(n_nodes, dtype=np.int64)
    nz_mem = np.zeros(n_nodes, dtype=np.int64)
    count = np.zeros(n_nodes, dtype=np.int64)
    pod_nz_cpu = np.where(pod_cpu == 0, DEFAULT_MILLI_CPU, pod_cpu)
    pod_nz_mem = np.where(pod_mem == 0, DEFAULT_MEMORY, pod_mem)
    for q in range(n_pods):
        n = assign[q]
        if n >= 0:
            used_cpu[n] += pod_cpu[q]
            used_mem[n] += pod_mem[q]
            nz_cpu[n] += pod_nz_cpu[q]
            nz_mem[n] += pod_nz_mem[q]
            count[n] += 1
    queue = np.argsort(order, kind="mergesort")
    queue = queue[np.argsort(-prio[queue], kind="mergesort")]
    queued = assign < 0
    preemptions = 0
    for p in queue:
        if stop[0]:
            break
        if not queued[p]:
            continue
        queued[p] = False
        best = -1
        best_score = -1
        for n in range(n_nodes):
            if not eligible[p, n]:
                continue
            if not _fits(
                p,
                n,
                node_cpu[n] - used_cpu[n],
                node_mem[n] - used_mem[n],
                node_slots[n] - count[n],
                pod_cpu,
                pod_mem,
            ):
                continue
            s = node_score(
                n,
                p,
                node_cpu,
                node_mem,
                used_cpu,
                used_mem,
                nz_cpu,
                nz_mem,
                pod_cpu,
                pod_mem,
                pod_nz_cpu,
                pod_nz_mem,
                most,
            )
            if s > best_score or (s == best_score and node_rank[n] < node_rank[best]):
                best, best_score = n, s
        if best < 0 and preemption:
            best, victims = _preempt(
                p,
                assign,
                eligible,
                node_cpu,
                node_mem,
                node_slots,
                used_cpu,
                used_mem,
                count,
                pod_cpu,
                pod_mem,
                prio,
                order,
                movable,
                node_rank,
                stop,
            )
            if best >= 0:
                preemptions += 1
                for v in np.flatnonzero(victims):
                    used_cpu[best] -= pod_cpu[v]
                    used_mem[best] -= pod_mem[v]
                    nz_cpu[best] -= pod_nz_cpu[v]
                    nz_mem[best] -= pod_nz_mem[v]
                    count[best] -= 1
                    assign[v] = -1
                    queued[v] = True
        if best >= 0:
            assign[p] = best
            used_cpu[best] += pod_cpu[p]
            used_mem[best] += pod_mem[p]
            nz_cpu[best] += pod_nz_cpu[p]
            nz_mem[best] += pod_nz_mem[p]
            count[best] += 1
    return assign, preemptions
