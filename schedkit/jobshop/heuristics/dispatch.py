"""One Giffler–Thompson dispatching kernel for every rule, active or non-delay, classic or flexible.

At each step every job's next operation gets its *chosen alternative*: the one completing
earliest given the job's and the machines' ready times (for a classic job shop, its only one).
- Active (Giffler–Thompson): take the smallest such completion C* and its machine M*; the
  conflict set is the operations whose chosen machine is M* and that can start before C*.
- Non-delay: take the smallest start S* and its machine M*; the conflict set is the operations
  whose chosen machine is M* and that can start at S*.
The rule's priority picks one operation of the conflict set (smallest key; ties to the lowest
job index) and schedules it at its earliest start on M*.

Rules are small priority functions selected by a code (`_key`): SPT / LPT (duration of the
chosen alternative), MWKR / LWKR (work left in the job, the shortest alternative of each
operation, current one included), MOR / LOR (operations left), FIFO (time the operation became
ready), EDD (job due date; without due dates the release date plus the job's total work), and
RANDOM (the kernel stream of `schedkit.common.rng`, its state threaded through; no global generator).
The kernel polls `stop` (one uint8, `deadline.stop_flag`) at each step: once it is 1 it returns at
once, the operations not scheduled yet at start 0 on their first alternative (an abandoned run's).
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import next_random

SPT, LPT, MWKR, LWKR, MOR, LOR, FIFO, EDD, RANDOM = range(9)
RULES = {"spt": SPT, "lpt": LPT, "mwkr": MWKR, "lwkr": LWKR, "mor": MOR, "lor": LOR,
         "fifo": FIFO, "edd": EDD, "random": RANDOM}
_INF = np.iinfo(np.int64).max


def kernel_state(seed: int) -> np.uint64:
    """The kernel's first random state for `seed` (the mixing the rules have always used, so a
    seed gives the same `random` schedules as before the shared RNG)."""
    return np.uint64((int(seed) * 2654435761 + 1) % 2**64)


@njit(cache=True, nogil=True)
def priority_key(rule: int, duration: int, work_left: int, ops_left: int, ready: int, due: int,
         noise: np.uint64) -> int:
    """The priority of one candidate under `rule`: the smallest key is dispatched first."""
    if rule == SPT:
        return duration
    if rule == LPT:
        return -duration
    if rule == MWKR:
        return -work_left
    if rule == LWKR:
        return work_left
    if rule == MOR:
        return -ops_left
    if rule == LOR:
        return ops_left
    if rule == FIFO:
        return ready
    if rule == EDD:
        return due
    return np.int64(noise >> np.uint64(2))  # type: ignore[return-value]


@njit(cache=True, nogil=True)
def work_left(job_ptr: np.ndarray, op_ptr: np.ndarray, alt_duration: np.ndarray) -> np.ndarray:
    """Per operation: the job's work from it to its end, each operation at its shortest alternative."""
    n_ops = op_ptr.size - 1
    out = np.zeros(n_ops, np.int64)
    for j in range(job_ptr.size - 1):
        total = 0
        for o in range(job_ptr[j + 1] - 1, job_ptr[j] - 1, -1):
            shortest = alt_duration[op_ptr[o]]
            for a in range(op_ptr[o] + 1, op_ptr[o + 1]):
                shortest = min(shortest, alt_duration[a])
            total += shortest
            out[o] = total
    return out


@njit(cache=True, nogil=True)
def dispatch(job_ptr: np.ndarray, op_ptr: np.ndarray, alt_machine: np.ndarray, alt_duration: np.ndarray,
             release: np.ndarray, due: np.ndarray, work: np.ndarray, machines: int, rule: int,
             nondelay: bool, state: np.uint64, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One schedule: (start time, chosen alternative id) per operation id. `work` is `work_left`,
    `state` the random state (`kernel_state(seed)`), `stop` the stop flag."""
    n = job_ptr.size - 1
    n_ops = op_ptr.size - 1
    start = np.zeros(n_ops, np.int64)
    chosen = op_ptr[:-1].copy()
    next_op = job_ptr[:-1].copy()
    job_ready = release.copy()
    machine_ready = np.zeros(machines, np.int64)
    cand_alt = np.empty(n, np.int64)
    cand_start = np.empty(n, np.int64)
    stale = np.ones(n, np.bool_)
    used = -1  # the machine the previous step scheduled on: its candidates are stale
    for _ in range(n_ops):
        if stop[0]:
            break
        best_time = _INF
        target = -1
        for j in range(n):
            o = next_op[j]
            if o == job_ptr[j + 1]:
                continue
            if stale[j] or alt_machine[cand_alt[j]] == used:  # earliest-completing alternative
                best_end = _INF
                for a in range(op_ptr[o], op_ptr[o + 1]):
                    s = max(job_ready[j], machine_ready[alt_machine[a]])
                    if s + alt_duration[a] < best_end:
                        best_end = s + alt_duration[a]
                        cand_alt[j] = a
                        cand_start[j] = s
                stale[j] = op_ptr[o + 1] - op_ptr[o] > 1  # flexible: any machine may change it
            a = cand_alt[j]
            time = cand_start[j] if nondelay else cand_start[j] + alt_duration[a]
            if time < best_time:
                best_time = time
                target = alt_machine[a]
        pick = -1
        pick_key = _INF
        for j in range(n):
            o = next_op[j]
            if o == job_ptr[j + 1]:
                continue
            a = cand_alt[j]
            if alt_machine[a] != target:
                continue
            if nondelay:
                if cand_start[j] != best_time:
                    continue
            elif cand_start[j] >= best_time and cand_start[j] + alt_duration[a] > best_time:
                continue  # starts after C* (a zero-length operation ending at C* stays in)
            state, _ = next_random(state)
            key = priority_key(rule, alt_duration[a], work[o], job_ptr[j + 1] - o, job_ready[j], due[j],
                               state)
            if key < pick_key:
                pick_key = key
                pick = j
        o = next_op[pick]
        a = cand_alt[pick]
        start[o] = cand_start[pick]
        chosen[o] = a
        end = cand_start[pick] + alt_duration[a]
        job_ready[pick] = end
        machine_ready[target] = end
        next_op[pick] += 1
        stale[pick] = True
        used = target
    return start, chosen
