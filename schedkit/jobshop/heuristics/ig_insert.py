"""Exact reinsertion of one whole job for iterated greedy on blocking job shops ("insert").

A job-insertion move over the alternative graph in the manner of Gröflin & Klinkert (2009): the
other operations keep their machine orders, the job chooses its position on each of its machines,
and a choice is feasible when the graph has no positive cycle. Two stages, every candidate
evaluated exactly (`ig_graph.longest`, not `ig_kernels`' head/tail estimate):
1. its operations go back in job order, each at the position of its machine's order with the
   least makespan of the graph so far (the job's later operations still out: they follow on
   its job arcs but hold no machine), ties broken by the least sum of heads (the least delay
   caused); when no position of an operation is free of deadlock the move fails;
2. descent: each operation of the job in turn is taken out and put back at its best position
   with everything else in place, until a sweep changes nothing (at most MAX_SWEEPS sweeps).
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.jobshop.heuristics.ig_graph import longest, place

_INF = np.iinfo(np.int64).max
MAX_SWEEPS = 3  # descent sweeps over the job's operations at most (a bound on the work; not tuned)


@njit(cache=True, nogil=True)
def _move(x: int, at: int, lo: int, hi: int, seq: np.ndarray, rest: np.ndarray) -> int:
    """seq[lo:hi] = rest[:at] + [x] + rest[at:] where rest = seq[lo:hi] without x (filled here);
    returns len(rest)."""
    size = 0
    for i in range(lo, hi):
        if seq[i] != x:
            rest[size] = seq[i]
            size += 1
    place(x, at, lo, size, seq, rest)
    return size


@njit(cache=True, nogil=True)
def best_position(x: int, lo: int, hi: int, job_ptr: np.ndarray, job_of: np.ndarray, p: np.ndarray,
                  release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, present: np.ndarray,
                  head: np.ndarray, tail: np.ndarray, work: tuple, rest: np.ndarray) -> int:
    """Put x into seq[lo:hi] (its machine's order) at the position of least exact makespan (ties:
    least sum of heads, then the earliest position) with `present` as given for the others; x
    ends present. Returns that makespan, _INF when every position deadlocks (x then last)."""
    present[x] = True
    size = _move(x, 0, lo, hi, seq, rest)
    best, best_sum, best_at = _INF, _INF, size
    for at in range(size + 1):  # rest (the order without x) stays as _move left it
        if at > 0:
            place(x, at, lo, size, seq, rest)
        if at < size and not present[rest[at]]:  # the same place as before the next present one
            continue
        value = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, False, work)
        if value < 0:
            continue
        total = 0
        for o in range(p.size):
            total += head[o]
        if value < best or (value == best and total < best_sum):
            best, best_sum, best_at = value, total, at
    place(x, best_at, lo, size, seq, rest)
    return best


@njit(cache=True, nogil=True)
def insert_job(j: int, job_ptr: np.ndarray, job_of: np.ndarray, machine: np.ndarray, p: np.ndarray,
               release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, present: np.ndarray,
               head: np.ndarray, tail: np.ndarray, work: tuple, rest: np.ndarray) -> int:
    """Job j's operations are absent from `present` (the others present and feasible in `seq`):
    put them back in seq by the two stages of the module docstring; returns the makespan, _INF
    when stage 1 finds no feasible position for one of them (seq then unusable). Leaves j present."""
    first, last = job_ptr[j], job_ptr[j + 1]
    value = _INF
    for o in range(first, last):
        k = machine[o]
        value = best_position(o, mach_ptr[k], mach_ptr[k + 1], job_ptr, job_of, p, release, seq,
                              mach_ptr, present, head, tail, work, rest)
        if value == _INF:
            for r in range(o + 1, last):
                present[r] = True
            return _INF
    for _ in range(MAX_SWEEPS):
        before = value
        for o in range(first, last):
            k = machine[o]
            present[o] = False
            value = best_position(o, mach_ptr[k], mach_ptr[k + 1], job_ptr, job_of, p, release, seq,
                                  mach_ptr, present, head, tail, work, rest)
        if value >= before:
            break
    return value

