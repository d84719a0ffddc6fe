"""Kernels for the blocking job shop with swaps: a deadlock-free dispatching simulation and the
longest-path evaluation of machine orders over the alternative graph.

Simulation: at each event time every job either has not started, processes an operation,
holds a finished one (blocking its machine) or has left. A job whose operation is finished
wants the machine of its next operation (its last one leaves at once). Moves at time t, in
this order until none applies: a job wanting a free machine moves (when several want one,
the rule's smallest key wins, ties to the lowest job); a cycle of finished jobs, each wanting
the machine the next one holds, moves at once (a swap). Following "wants the machine held
by" from any waiting job ends at a free machine, at a processing job or in a cycle, so the
simulation never deadlocks; time then jumps to the next end or release.

Alternative graph (Mascis & Pacciarelli 2002): node o is operation o's start; its arcs come from
`ig_graph.arcs` (job arcs, and `ig_graph.machine_arc` per machine order). Zero-length cycles are
swaps (feasible); a positive cycle is a deadlock. Heads here by FIFO label correcting (a node
relaxed more than n times means a positive cycle), independent of `ig_graph`'s component pass.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import next_random
from schedkit.jobshop.heuristics.dispatch import priority_key
from schedkit.jobshop.heuristics.ig_graph import arcs, csr

_INF = np.iinfo(np.int64).max


@njit(cache=True, nogil=True)
def simulate_blocking(job_ptr: np.ndarray, machine: np.ndarray, duration: np.ndarray,
                      release: np.ndarray, due: np.ndarray, work: np.ndarray, machines: int,
                      rule: int, state: np.uint64,
                      stop: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.uint64]:
    """One blocking schedule: (start, leave) per operation id, and the random state. Polls `stop`
    (`deadline.stop_flag`) at each event: once it is 1, returns at once (the rest at -1)."""
    n = job_ptr.size - 1
    n_ops = machine.size
    start = np.full(n_ops, -1, np.int64)
    leave = np.full(n_ops, -1, np.int64)
    current = np.full(n, -1, np.int64)  # operation held (or being processed), -1 before entering
    done = np.zeros(n, np.bool_)
    ready_at = release.copy()  # when the job may move on (its operation's end, or its release)
    holder = np.full(machines, -1, np.int64)
    wanted = np.full(n, -1, np.int64)
    visit = np.zeros(n, np.int64)
    left = n
    t = 0
    if n > 0:
        t = release.min()
    stamp = 0
    while left > 0 and not stop[0]:
        moved = True
        while moved:
            moved = False
            # exits: a finished last operation leaves its machine
            for j in range(n):
                o = current[j]
                if not done[j] and o >= 0 and o == job_ptr[j + 1] - 1 and ready_at[j] <= t:
                    leave[o] = t
                    holder[machine[o]] = -1
                    done[j] = True
                    left -= 1
                    moved = True
            # what each movable job wants
            for j in range(n):
                wanted[j] = -1
                if done[j] or ready_at[j] > t:
                    continue
                nxt = job_ptr[j] if current[j] < 0 else current[j] + 1
                wanted[j] = nxt
            # a free machine goes to the best candidate wanting it
            for m in range(machines):
                if holder[m] >= 0:
                    continue
                pick = -1
                pick_key = _INF
                for j in range(n):
                    o = wanted[j]
                    if o < 0 or machine[o] != m:
                        continue
                    state, _ = next_random(state)
                    key = priority_key(rule, duration[o], work[o], job_ptr[j + 1] - o, ready_at[j], due[j],
                                       state)
                    if key < pick_key:
                        pick_key = key
                        pick = j
                if pick >= 0:
                    o = wanted[pick]
                    if current[pick] >= 0:
                        leave[current[pick]] = t
                        holder[machine[current[pick]]] = -1
                    holder[m] = pick
                    current[pick] = o
                    start[o] = t
                    ready_at[pick] = t + duration[o]
                    wanted[pick] = -1
                    moved = True
            if moved:
                continue
            # swaps: a cycle of waiting jobs, each wanting the machine the next one holds
            for j0 in range(n):
                if wanted[j0] < 0 or current[j0] < 0:
                    continue
                stamp += 1
                j = j0
                while j >= 0 and visit[j] != stamp and wanted[j] >= 0 and current[j] >= 0:
                    visit[j] = stamp
                    j = holder[machine[wanted[j]]]
                if j < 0 or visit[j] != stamp or wanted[j] < 0:
                    continue
                first = j  # on a cycle: move every job of it at once
                while True:
                    o = wanted[j]
                    leave[current[j]] = t
                    nxt_holder = holder[machine[o]]
                    current[j] = o
                    start[o] = t
                    ready_at[j] = t + duration[o]
                    wanted[j] = -1
                    j = nxt_holder
                    if j == first:
                        break
                for jj in range(n):  # machines now held by their new occupants
                    if not done[jj] and current[jj] >= 0:
                        holder[machine[current[jj]]] = jj
                moved = True
                break
        if left == 0:
            break
        nxt = _INF
        for j in range(n):
            if not done[j] and ready_at[j] > t and ready_at[j] < nxt:
                nxt = ready_at[j]
        if nxt == _INF:  # cannot happen: see the module docstring
            break
        t = nxt
    return start, leave, state


@njit(cache=True, nogil=True)
def heads(job_ptr: np.ndarray, job_of: np.ndarray, duration: np.ndarray, release: np.ndarray,
          seq: np.ndarray, mach_ptr: np.ndarray, present: np.ndarray, head: np.ndarray) -> bool:
    """Earliest starts under machine orders `seq` (CSR by machine; only operations with
    `present` set are sequenced) into `head`; False on a positive cycle (a deadlock)."""
    n_ops = duration.size
    src = np.empty(2 * n_ops, np.int64)  # a job arc and at most one machine arc per operation
    dst = np.empty(2 * n_ops, np.int64)
    weight = np.empty(2 * n_ops, np.int64)
    edges = arcs(job_ptr, job_of, duration, seq, mach_ptr, present, src, dst, weight)
    count = np.empty(n_ops + 1, np.int64)
    target = np.empty(2 * n_ops, np.int64)
    length = np.empty(2 * n_ops, np.int64)
    csr(n_ops, edges, src, dst, weight, count, target, length)
    queue = np.empty(n_ops, np.int64)
    queued = np.ones(n_ops, np.bool_)
    relaxed = np.zeros(n_ops, np.int64)
    for o in range(n_ops):
        head[o] = release[job_of[o]] if o == job_ptr[job_of[o]] else 0
        queue[o] = o
    read, size = 0, n_ops
    while size > 0:
        o = queue[read]
        read = (read + 1) % n_ops
        size -= 1
        queued[o] = False
        for e in range(count[o], count[o + 1]):
            nxt = target[e]
            if head[o] + length[e] > head[nxt]:
                head[nxt] = head[o] + length[e]
                relaxed[nxt] += 1
                if relaxed[nxt] > n_ops:
                    return False
                if not queued[nxt]:
                    queued[nxt] = True
                    queue[(read + size) % n_ops] = nxt
                    size += 1
    return True
