"""Iterated greedy for the blocking job shop over the alternative graph (in the manner of
Pranzo & Pacciarelli 2016): destroy by taking d random operations out of the machine orders,
rebuild by putting them back one at a time (random order) at the position of their machine's
order that gives the smallest makespan without a deadlock (`blocking_kernels.heads`); accept
a worse result with the Ruiz–Stützle probability exp(-(new - current) / T).
"""

from __future__ import annotations

import numba
import numpy as np

from schedkit.common.rng import random_below, random_unit
from schedkit.jobshop.heuristics.blocking_kernels import heads

_INF = np.iinfo(np.int64).max


@numba.njit(cache=True)
def makespan(job_ptr: np.ndarray, job_of: np.ndarray, p: np.ndarray, release: np.ndarray,
             seq: np.ndarray, mach_ptr: np.ndarray, present: np.ndarray, head: np.ndarray) -> int:
    """The makespan of the (partial) machine orders; the largest int64 on a deadlock."""
    if not heads(job_ptr, job_of, p, release, seq, mach_ptr, present, head):
        return _INF
    value = 0
    for j in range(job_ptr.size - 1):
        o = job_ptr[j + 1] - 1
        value = max(value, head[o] + p[o])
    return value


@numba.njit(cache=True)
def _insert_best(x: int, lo: int, hi: int, job_ptr: np.ndarray, job_of: np.ndarray, p: np.ndarray,
                 release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, present: np.ndarray,
                 head: np.ndarray, rest: np.ndarray) -> int:
    """Put x back into seq[lo:hi] where the makespan is smallest; its value (_INF: nowhere)."""
    size = 0
    for i in range(lo, hi):
        if seq[i] != x:
            rest[size] = seq[i]
            size += 1
    present[x] = True
    best, best_at = _INF, -1
    for at in range(size + 1):
        if at < size and not present[rest[at]]:
            continue  # the same position as before the next present operation
        k = lo
        for i in range(size + 1):
            if i == at:
                seq[k] = x
                k += 1
            if i < size:
                seq[k] = rest[i]
                k += 1
        value = makespan(job_ptr, job_of, p, release, seq, mach_ptr, present, head)
        if value < best:
            best, best_at = value, at
    if best_at < 0:
        best_at = size
    k = lo
    for i in range(size + 1):
        if i == best_at:
            seq[k] = x
            k += 1
        if i < size:
            seq[k] = rest[i]
            k += 1
    return best


@numba.njit(cache=True)
def iterated_greedy(job_ptr: np.ndarray, job_of: np.ndarray, machine: np.ndarray, p: np.ndarray,
                    release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, current: int,
                    iterations: int, d_max: int, temperature: float, state: np.uint64,
                    best_seq: np.ndarray, best: int, lower_bound: int) -> tuple[int, int, int, np.uint64]:
    """Run `iterations` steps from the feasible orders `seq` (value `current`), changed in
    place; improvements over `best` go to `best_seq`. Returns (best, current, done, state)."""
    n_ops = p.size
    present = np.ones(n_ops, np.bool_)
    head = np.empty(n_ops, np.int64)
    rest = np.empty(n_ops, np.int64)
    trial = seq.copy()
    removed = np.empty(n_ops, np.int64)
    done = 0
    for _ in range(iterations):
        if best <= lower_bound:
            break
        done += 1
        trial[:] = seq
        state, d = random_below(state, d_max - 1)
        d = min(d + 2, n_ops)
        for i in range(d):  # d distinct random operations
            while True:
                state, o = random_below(state, n_ops)
                if present[o]:
                    break
            present[o] = False
            removed[i] = o
        value = _INF
        for i in range(d):
            x = removed[i]
            k = machine[x]
            value = _insert_best(x, mach_ptr[k], mach_ptr[k + 1], job_ptr, job_of, p, release, trial,
                                 mach_ptr, present, head, rest)
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
