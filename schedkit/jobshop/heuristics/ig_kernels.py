"""Iterated greedy for the blocking job shop over the alternative graph (in the manner of
Pranzo & Pacciarelli 2016): destroy by taking d random operations (or every operation of a
random job) out of the machine orders, rebuild by putting them back one at a time (random
order) at the position of their machine's order that gives the smallest makespan without a
deadlock; accept a worse result with the Ruiz–Stützle probability exp(-(new - current) / T).

Insertion is estimated, not tried: with x out of its machine's order, heads and tails
(`ig_graph.longest`) estimate the makespan of x between A and B (arc succ(A) -> x of
`ig_graph.machine_arc`) as max(C0, max(head_x, head_succ(A) + l_A) + max(tail_x, p_x + tail_B))
(it misses paths into succ(x) that avoid x; a tighter estimate with them did not do better);
a position closes a cycle through x when x reaches succ(A) or B reaches x (two searches):
those go last. Positions are checked in increasing estimate order, the first feasible wins.
That check's pass also yields the tails, so the next insertion of the same rebuild starts from it:
one longest-path pass per inserted operation.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import random_below, random_unit
from schedkit.jobshop.heuristics.ig_graph import longest, machine_arc, new_work, place, reach
from schedkit.jobshop.heuristics.ig_insert import insert_job
from schedkit.jobshop.heuristics.ig_slide import slide_job

_INF = np.iinfo(np.int64).max
_BIG = np.int64(1) << 50  # added to the estimate of a position that closes a cycle: tried last


@njit(cache=True, nogil=True)
def makespan(job_ptr: np.ndarray, job_of: np.ndarray, p: np.ndarray, release: np.ndarray,
             seq: np.ndarray, mach_ptr: np.ndarray, present: np.ndarray, head: np.ndarray) -> int:
    """The makespan of the (partial) machine orders; the largest int64 on a deadlock."""
    tail = np.empty_like(head)
    value = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, False,
                    new_work(p.size))
    return _INF if value < 0 else value


@njit(cache=True, nogil=True)
def _insert_best(x: int, lo: int, hi: int, job_ptr: np.ndarray, job_of: np.ndarray, p: np.ndarray,
                 release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, present: np.ndarray,
                 head: np.ndarray, tail: np.ndarray, rest: np.ndarray, work: tuple,
                 key: np.ndarray, tie: np.ndarray, spot: np.ndarray, after: np.ndarray,
                 before: np.ndarray, stack: np.ndarray, known: int = -1, tails: bool = False) -> int:
    """Put x (not present) back into seq[lo:hi] at the feasible position of least estimated
    makespan; its makespan (_INF: nowhere, x then left out). `known` >= 0: head, tail and
    work already hold the graph without x (the last call's, with `tails`) and its makespan, so
    no longest-path pass is needed first; `tails`: leave the result's tails for the next call."""
    size = 0
    for i in range(lo, hi):
        if seq[i] != x:
            rest[size] = seq[i]
            size += 1
    present[x] = False
    c0 = known
    if c0 < 0:
        c0 = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, True, work)
    if c0 < 0:
        return _INF
    reach(work[3], work[4], x, after, stack)  # reachable from x
    reach(work[6], work[7], x, before, stack)  # reaching x
    count = 0
    prev = -1  # the last present operation before the position
    for at in range(size + 1):
        if at < size and not present[rest[at]]:
            continue
        h = head[x]
        cycle = False  # a cycle: x reaches succ(prev), or the next operation reaches x
        if prev >= 0:
            src, length = machine_arc(job_ptr, job_of, p, prev)
            h = max(h, head[src] + length)
            cycle = after[src]
        t = tail[x]
        if at < size:
            t = max(t, p[x] + tail[rest[at]])
            cycle = cycle or before[rest[at]]
        key[count] = max(c0, h + t) + (_BIG if cycle else 0)
        tie[count] = h + t
        spot[count] = at
        count += 1
        if at < size:
            prev = rest[at]
    present[x] = True
    for _ in range(count):
        pick = -1
        for c in range(count):
            if spot[c] < 0:
                continue
            if pick < 0 or key[c] < key[pick] or (key[c] == key[pick] and tie[c] < tie[pick]):
                pick = c
        place(x, spot[pick], lo, size, seq, rest)
        value = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, tails, work)
        if value >= 0:
            return value
        spot[pick] = -1
    present[x] = False
    place(x, size, lo, size, seq, rest)
    return _INF


@njit(cache=True, nogil=True)  # nogil: `cpsat` runs one walk per worker in threads
def iterated_greedy(job_ptr: np.ndarray, job_of: np.ndarray, machine: np.ndarray, p: np.ndarray,
                    release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, current: int,
                    iterations: int, d_max: int, temperature: float, state: np.uint64,
                    best_seq: np.ndarray, best: int, lower_bound: int, job_share: float,
                    most_jobs: int, slide_share: float, insert_share: float
                    ) -> tuple[int, int, int, np.uint64]:
    """Run `iterations` steps from the feasible orders `seq` (value `current`), changed in
    place; improvements over `best` go to `best_seq`; a share `job_share` of the destructions
    take out 1..`most_jobs` whole jobs, a share `slide_share` of the one-job ones put it
    back as a block (`ig_slide`), a share `insert_share` by exact job insertion (`ig_insert`).
    Returns (best, current, done, state)."""
    n_ops = p.size
    n_jobs = job_ptr.size - 1
    present = np.ones(n_ops, np.bool_)
    head = np.empty(n_ops, np.int64)
    tail = np.empty(n_ops, np.int64)
    rest = np.empty(n_ops, np.int64)
    key = np.empty(n_ops + 1, np.int64)
    tie = np.empty(n_ops + 1, np.int64)
    spot = np.empty(n_ops + 1, np.int64)
    after = np.empty(n_ops, np.bool_)
    before = np.empty(n_ops, np.bool_)
    stack = np.empty(n_ops, np.int64)
    work = new_work(n_ops)
    trial = seq.copy()
    removed = np.empty(n_ops, np.int64)
    scratch = seq.copy()
    done = 0
    for _ in range(iterations):
        if best <= lower_bound:
            break
        done += 1
        trial[:] = seq
        state, u = random_unit(state)
        one_job = False
        if u < job_share and n_jobs > 1:
            count = 0  # extra jobs (no draw for one job: the random stream of one-job destructions)
            if most_jobs > 1 and n_jobs > 2:
                state, count = random_below(state, min(most_jobs, n_jobs - 1))
            d = 0
            for _ in range(count + 1):  # count + 1 distinct random jobs
                while True:
                    state, j = random_below(state, n_jobs)
                    if present[job_ptr[j]]:
                        break
                for o in range(job_ptr[j], job_ptr[j + 1]):
                    present[o] = False
                    removed[d] = o
                    d += 1
            one_job = count == 0
            for i in range(d - 1, 0, -1):  # random reinsertion order
                state, r = random_below(state, i + 1)
                removed[i], removed[r] = removed[r], removed[i]
        else:
            state, d = random_below(state, d_max - 1)
            d = min(d + 2, n_ops)
            for i in range(d):  # d distinct random operations
                while True:
                    state, o = random_below(state, n_ops)
                    if present[o]:
                        break
                present[o] = False
                removed[i] = o
        for i in range(d):
            present[removed[i]] = False
        value = _INF
        slide = insert = False
        if one_job and (slide_share > 0 or insert_share > 0):  # no draw otherwise: the old stream
            state, v = random_unit(state)
            slide = v < slide_share
            insert = not slide and v < slide_share + insert_share
        if insert:
            value = insert_job(job_of[removed[0]], job_ptr, job_of, machine, p, release, trial, mach_ptr,
                               present, head, tail, work, rest)
            if value == _INF:
                continue
            d = 0
        elif slide:
            value = slide_job(job_of[removed[0]], job_ptr, job_of, machine, p, release, seq, mach_ptr,
                              present, head, tail, work, scratch, trial)
            if value == _INF:
                continue
            d = 0
        known = -1  # the next insertion's graph is the last one's result (heads and tails kept)
        for i in range(d):
            x = removed[i]
            k = machine[x]
            value = _insert_best(x, mach_ptr[k], mach_ptr[k + 1], job_ptr, job_of, p, release, trial,
                                 mach_ptr, present, head, tail, rest, work, key, tie, spot,
                                 after, before, stack, known, i + 1 < d)
            known = value
            if value == _INF:
                for r in range(i, d):
                    present[removed[r]] = True
                break
        if value == _INF:
            continue
        accept = value <= current
        if not accept:
            state, u = random_unit(state)
            accept = u < np.exp(-(value - current) / temperature)
        if accept:
            seq[:] = trial
            current = value
            if value < best:
                best = value
                best_seq[:] = trial
    return best, current, done, state
