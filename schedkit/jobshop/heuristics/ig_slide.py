"""Joint reinsertion of one whole job for iterated greedy on blocking job shops ("slide").

Putting a removed job back one operation at a time (`ig_kernels._insert_best`) places each
operation without its job successor's position: a blocking operation then holds its machine
until a successor placed late, which the estimate cannot see. Here the job goes back as a block:
for a start t (each distinct start of the other operations, and the job's release), its
operations are planned at t, t + p_1, t + p_1 + p_2, ... and each goes into its machine's order
before the first operation that starts at or after its planned time (starts of the schedule
without the job). Each candidate is evaluated exactly (`ig_graph.longest`; a deadlock is
skipped); the least makespan wins, the earliest t on ties. One candidate starts after every
other operation (the job last on each of its machines): it cannot deadlock.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.jobshop.heuristics.ig_graph import longest

_INF = np.iinfo(np.int64).max


@njit(cache=True, nogil=True)
def _put(o: int, plan: int, j: int, lo: int, hi: int, trial: np.ndarray, job_of: np.ndarray,
         present: np.ndarray, base: np.ndarray) -> None:
    """Move o within trial[lo:hi] before the first present operation of another job whose
    start is at or after `plan` (the starts along a machine order never decrease, so o stays
    after its job's operations placed before it)."""
    w = lo
    for i in range(lo, hi):
        if trial[i] != o:
            trial[w] = trial[i]
            w += 1
    at = hi - 1
    for i in range(lo, hi - 1):
        e = trial[i]
        if job_of[e] != j and present[e] and base[e] >= plan:
            at = i
            break
    for i in range(hi - 1, at, -1):
        trial[i] = trial[i - 1]
    trial[at] = o


@njit(cache=True, nogil=True)
def slide_job(j: int, job_ptr: np.ndarray, job_of: np.ndarray, machine: np.ndarray, p: np.ndarray,
              release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, present: np.ndarray,
              head: np.ndarray, tail: np.ndarray, work: tuple, trial: np.ndarray,
              out: np.ndarray) -> int:
    """Job j's operations are absent from `present` (the others present and feasible in
    `seq`): put them back jointly at the best start (module docstring) into `out` (a copy of
    seq changed); returns its makespan (_INF only when seq without j deadlocks). Leaves j present."""
    first, last = job_ptr[j], job_ptr[j + 1]
    c0 = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, False, work)
    for o in range(first, last):
        present[o] = True
    if c0 < 0:
        return _INF
    base = head.copy()
    times = np.empty(p.size + 2, np.int64)
    times[0], times[1] = release[j], max(release[j], c0 + 1)  # the latter: the job after all (no deadlock)
    count = 2
    for o in range(p.size):
        if job_of[o] != j and present[o]:
            times[count] = base[o]
            count += 1
    times = np.sort(times[:count])
    plan = np.empty(last - first, np.int64)
    best = _INF
    prev = -1
    for c in range(count):
        t = times[c]
        if t == prev or t < release[j]:
            continue
        prev = t
        for o in range(first, last):
            plan[o - first] = t
            t += p[o]
        trial[:] = seq
        for i in range(first, last):
            present[i] = False
        for o in range(first, last):
            k = machine[o]
            _put(o, plan[o - first], j, mach_ptr[k], mach_ptr[k + 1], trial, job_of, present, base)
        for o in range(first, last):
            present[o] = True
        value = longest(job_ptr, job_of, p, release, trial, mach_ptr, present, head, tail, False, work)
        if 0 <= value < best:
            best = value
            out[:] = trial
    return best
