"""Linear-time numba kernels of the first plan offered on a large shop (`early`): the round-robin
schedule (classic and flexible) and the job-after-job blocking schedule, the same schedules as
`plain.round_robin` and `plain.job_after_job_blocking` in milliseconds at a million operations.
Both poll `stop` (`deadline.stop_flag`) and return at once once it is 1 (an abandoned run's)."""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit


@njit(cache=True, nogil=True)
def round_robin_order(job_ptr: np.ndarray) -> np.ndarray:
    """Operation ids ordered by (position in the job, job): every job's first operation, then
    every job's second one, ... (a counting sort: linear, however long the longest job)."""
    n = job_ptr.size - 1
    longest = 0
    for j in range(n):
        longest = max(longest, job_ptr[j + 1] - job_ptr[j])
    first = np.zeros(longest + 1, np.int64)  # first[k]: how many operations come before layer k
    for j in range(n):
        for k in range(job_ptr[j + 1] - job_ptr[j]):
            first[k + 1] += 1
    for k in range(longest):
        first[k + 1] += first[k]
    order = np.empty(job_ptr[n], np.int64)
    for j in range(n):
        for k in range(job_ptr[j + 1] - job_ptr[j]):
            order[first[k]] = job_ptr[j] + k
            first[k] += 1
    return order


@njit(cache=True, nogil=True)
def round_robin_kernel(job_ptr: np.ndarray, op_ptr: np.ndarray, alt_machine: np.ndarray,
                       alt_duration: np.ndarray, release: np.ndarray, machines: int,
                       stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start, chosen alternative) per operation id of `plain.round_robin`'s schedule: operations
    in `round_robin_order`, each as early as its job and machine allow, on the alternative that
    ends first (the first such)."""
    n = job_ptr.size - 1
    n_ops = op_ptr.size - 1
    job_of = np.empty(n_ops, np.int64)
    for j in range(n):
        job_of[job_ptr[j]:job_ptr[j + 1]] = j
    start = np.zeros(n_ops, np.int64)
    chosen = op_ptr[:-1].copy()
    job_free = release.copy()
    machine_free = np.zeros(machines, np.int64)
    for o in round_robin_order(job_ptr):
        if stop[0]:
            break
        j = job_of[o]
        best = -1
        best_end = 0
        for a in range(op_ptr[o], op_ptr[o + 1]):
            end = max(job_free[j], machine_free[alt_machine[a]]) + alt_duration[a]
            if best < 0 or end < best_end:
                best, best_end = a, end
        start[o] = best_end - alt_duration[best]
        chosen[o] = best
        job_free[j] = best_end
        machine_free[alt_machine[best]] = best_end
    return start, chosen


@njit(cache=True, nogil=True)
def job_after_job_kernel(job_ptr: np.ndarray, alt_machine: np.ndarray, alt_duration: np.ndarray,
                         release: np.ndarray, machines: int, stop: np.ndarray) -> np.ndarray:
    """Start per operation id of `plain.job_after_job_blocking`'s schedule (classic shops: one
    alternative per operation): each job appended behind what the machines already hold."""
    n = job_ptr.size - 1
    machine_free = np.zeros(machines, np.int64)
    start = np.zeros(job_ptr[n], np.int64)
    for j in range(n):
        if stop[0]:
            break
        first, last = job_ptr[j], job_ptr[j + 1]
        if last == first:
            continue
        at = max(release[j], machine_free[alt_machine[first]])
        for o in range(first, last):
            start[o] = at
            done = at + alt_duration[o]
            if o + 1 < last:
                at = max(done, machine_free[alt_machine[o + 1]])
                machine_free[alt_machine[o]] = at  # held until the next operation starts
            else:
                machine_free[alt_machine[o]] = done
    return start
