"""Tabu search kernels for the classic job shop, makespan (Nowicki–Smutnicki N5 neighbourhood).

A solution is the processing order on each machine (`seq`, CSR by machine `mach_ptr`). Heads
(earliest starts) and tails (work after an operation's end) come from one topological pass
over job and machine arcs. A move swaps the first two or the last two operations of a block of
the critical path (not the first pair of the first block nor the last pair of the last one);
such swaps never create a cycle (a job's two consecutive operations on one machine are never
swapped: that would). Moves are ranked by Taillard's estimate of the makespan
through the swapped pair (recomputing only their heads and tails); the chosen move is applied
and everything recomputed. The reverse of a move is tabu for a random tenure; a tabu move is
allowed when its estimate beats the best makespan. After `stall` iterations without a new
best the search restarts from the best with a few random critical swaps.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import next_random


@njit(cache=True, nogil=True)
def heads_tails(seq: np.ndarray, mach_ptr: np.ndarray, job_prev: np.ndarray, job_next: np.ndarray,
                p: np.ndarray, release: np.ndarray, mprev: np.ndarray, mnext: np.ndarray,
                head: np.ndarray, tail: np.ndarray, order: np.ndarray) -> int:
    """Fill machine links, heads, tails and a topological order; return the makespan."""
    n = p.size
    for k in range(mach_ptr.size - 1):
        for i in range(mach_ptr[k], mach_ptr[k + 1]):
            o = seq[i]
            mprev[o] = seq[i - 1] if i > mach_ptr[k] else -1
            mnext[o] = seq[i + 1] if i + 1 < mach_ptr[k + 1] else -1
    indeg = np.zeros(n, np.int64)
    for o in range(n):
        indeg[o] = (job_prev[o] >= 0) + (mprev[o] >= 0)
    top = 0
    for o in range(n):
        if indeg[o] == 0:
            order[top] = o
            top += 1
    read = 0
    while read < top:
        o = order[read]
        read += 1
        for nxt in (job_next[o], mnext[o]):
            if nxt >= 0:
                indeg[nxt] -= 1
                if indeg[nxt] == 0:
                    order[top] = nxt
                    top += 1
    if top < n:  # a cycle: no schedule (never produced by the moves below)
        return np.iinfo(np.int64).max
    makespan = 0
    for i in range(n):
        o = order[i]
        h = release[o]
        if job_prev[o] >= 0:
            h = max(h, head[job_prev[o]] + p[job_prev[o]])
        if mprev[o] >= 0:
            h = max(h, head[mprev[o]] + p[mprev[o]])
        head[o] = h
        makespan = max(makespan, h + p[o])
    for i in range(n - 1, -1, -1):
        o = order[i]
        t = 0
        if job_next[o] >= 0:
            t = max(t, tail[job_next[o]] + p[job_next[o]])
        if mnext[o] >= 0:
            t = max(t, tail[mnext[o]] + p[mnext[o]])
        tail[o] = t
    return makespan


@njit(cache=True, nogil=True)
def _critical_path(head: np.ndarray, tail: np.ndarray, p: np.ndarray, job_prev: np.ndarray,
                   mprev: np.ndarray, release: np.ndarray, makespan: int, path: np.ndarray) -> int:
    """A critical path (first to last) into `path`; returns its length. Machine arcs preferred."""
    o = -1
    for x in range(p.size):
        if head[x] + p[x] == makespan and tail[x] == 0:
            o = x
            break
    length = 0
    while o >= 0:
        path[length] = o
        length += 1
        m = mprev[o]
        j = job_prev[o]
        if m >= 0 and head[m] + p[m] == head[o]:
            o = m
        elif j >= 0 and head[j] + p[j] == head[o]:
            o = j
        else:
            o = -1
    path[:length] = path[:length][::-1].copy()
    return length


@njit(cache=True, nogil=True)
def _estimate(u: int, v: int, head: np.ndarray, tail: np.ndarray, p: np.ndarray, job_prev: np.ndarray,
              job_next: np.ndarray, mprev: np.ndarray, mnext: np.ndarray, release: np.ndarray) -> int:
    """Makespan estimate after swapping adjacent u -> v on their machine (Taillard 1994)."""
    before = mprev[u]
    after = mnext[v]
    hv = release[v]
    if job_prev[v] >= 0:
        hv = max(hv, head[job_prev[v]] + p[job_prev[v]])
    if before >= 0:
        hv = max(hv, head[before] + p[before])
    hu = max(release[u], hv + p[v])
    if job_prev[u] >= 0:
        hu = max(hu, head[job_prev[u]] + p[job_prev[u]])
    tu = 0
    if job_next[u] >= 0:
        tu = max(tu, tail[job_next[u]] + p[job_next[u]])
    if after >= 0:
        tu = max(tu, tail[after] + p[after])
    tv = tu + p[u]
    if job_next[v] >= 0:
        tv = max(tv, tail[job_next[v]] + p[job_next[v]])
    return max(hv + p[v] + tv, hu + p[u] + tu)


@njit(cache=True, nogil=True)
def _swap(seq: np.ndarray, pos: np.ndarray, u: int, v: int) -> None:
    i, k = pos[u], pos[v]
    seq[i], seq[k] = v, u
    pos[u], pos[v] = k, i


@njit(cache=True, nogil=True)
def tabu_search(seq: np.ndarray, mach_ptr: np.ndarray, job_prev: np.ndarray, job_next: np.ndarray,
                p: np.ndarray, machine: np.ndarray, release: np.ndarray, tabu: np.ndarray,
                iterations: int, first_iteration: int, state: np.uint64, stall: int, lower_bound: int,
                best_seq: np.ndarray) -> tuple[int, int, np.uint64]:
    """Run `iterations` steps from `seq` (changed in place); the best order goes to `best_seq`.

    `tabu[u, v]` is the iteration until which putting u right before v again is forbidden;
    it persists between calls. `state` is the random state (schedkit.common.rng). Returns
    (best makespan, iterations done, random state)."""
    n = p.size
    mprev = np.empty(n, np.int64)
    mnext = np.empty(n, np.int64)
    head = np.empty(n, np.int64)
    tail = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    path = np.empty(n, np.int64)
    pos = np.empty(n, np.int64)
    for i in range(seq.size):
        pos[seq[i]] = i
    current = heads_tails(seq, mach_ptr, job_prev, job_next, p, release, mprev, mnext, head, tail, order)
    best = current
    best_seq[:] = seq
    since_best = 0
    done = 0
    for it in range(first_iteration, first_iteration + iterations):
        done += 1
        if best <= lower_bound:
            break
        length = _critical_path(head, tail, p, job_prev, mprev, release, current, path)
        move_u, move_v, move_value = -1, -1, np.iinfo(np.int64).max
        any_u, any_v, any_value = -1, -1, np.iinfo(np.int64).max
        moves = 0
        start = 0
        while start < length:
            end = start
            while end + 1 < length and machine[path[end + 1]] == machine[path[start]] \
                    and mnext[path[end]] == path[end + 1]:
                end += 1
            if end > start:  # a block path[start..end] of two or more
                for which in range(2):
                    if which == 0:
                        if start == 0:
                            continue
                        u, v = path[start], path[start + 1]
                    else:
                        if end == length - 1 or (end - start == 1 and start > 0):
                            continue
                        u, v = path[end - 1], path[end]
                    if job_next[u] == v:  # a job's consecutive operations on one machine
                        continue
                    moves += 1
                    value = _estimate(u, v, head, tail, p, job_prev, job_next, mprev, mnext, release)
                    state, _ = next_random(state)
                    value = value * 4 + np.int64(state >> np.uint64(62))  # type: ignore[assignment]  # tie-break
                    if value < any_value:
                        any_u, any_v, any_value = u, v, value
                    if (tabu[u, v] <= it or value // 4 < best) and value < move_value:
                        move_u, move_v, move_value = u, v, value
            start = end + 1
        if moves == 0:  # empty N5 neighbourhood: the schedule is optimal
            break
        if move_u < 0:
            move_u, move_v = any_u, any_v
        _swap(seq, pos, move_u, move_v)
        state, _ = next_random(state)
        tabu[move_v, move_u] = it + 8 + np.int64(state >> np.uint64(60)) + n // 100
        current = heads_tails(seq, mach_ptr, job_prev, job_next, p, release, mprev, mnext, head, tail, order)
        if current < best:
            best = current
            best_seq[:] = seq
            since_best = 0
        else:
            since_best += 1
        if since_best >= stall:  # restart from the best with a few random critical swaps
            seq[:] = best_seq
            for i in range(seq.size):
                pos[seq[i]] = i
            current = heads_tails(seq, mach_ptr, job_prev, job_next, p, release, mprev, mnext, head, tail,
                                  order)
            for _ in range(3):
                length = _critical_path(head, tail, p, job_prev, mprev, release, current, path)
                if length < 2:
                    break
                state, _ = next_random(state)
                i = np.int64(state >> np.uint64(33)) % (length - 1)  # type: ignore[assignment]
                u, v = path[i], path[i + 1]
                if machine[u] == machine[v] and mnext[u] == v and job_next[u] != v:
                    _swap(seq, pos, u, v)
                    current = heads_tails(seq, mach_ptr, job_prev, job_next, p, release, mprev, mnext, head,
                                          tail, order)
            since_best = 0
    return best, done, state
