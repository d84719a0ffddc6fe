"""Giffler–Thompson dispatching kernels for every rule, active or non-delay: `dispatch` for any shop,
`dispatch_classic` for classic ones (the same schedules, a step costing one machine's waiting
jobs and a heap update instead of a pass over every job: 10^6 operations x 1,000 jobs took seconds).

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
The kernels poll `stop` (one uint8, `deadline.stop_flag`) at each step: once it is 1 it returns at
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


def work_left(job_ptr: np.ndarray, op_ptr: np.ndarray, alt_duration: np.ndarray) -> np.ndarray:
    """Per operation: the job's work from it to its end, each operation at its shortest alternative
    (numpy: as a kernel it ran as plain Python wherever nothing had compiled it: 1 s at 10^6)."""
    shortest = np.minimum.reduceat(alt_duration, op_ptr[:-1]).astype(np.int64)
    after = np.zeros(shortest.size + 1, np.int64)  # after[o]: the work of operations o.. (every job)
    after[:-1] = np.cumsum(shortest[::-1])[::-1]
    ends = np.repeat(job_ptr[1:], np.diff(job_ptr))
    return after[:-1] - after[ends]


@njit(cache=True, nogil=True)
def dispatch(job_ptr: np.ndarray, op_ptr: np.ndarray, alt_machine: np.ndarray, alt_duration: np.ndarray,
             release: np.ndarray, due: np.ndarray, work: np.ndarray, machines: int, rule: int,
             nondelay: bool, state: np.uint64, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One schedule: (start time, chosen alternative id) per operation id. `work` is `work_left`,
    `state` the random state (`kernel_state(seed)`), `stop` the stop flag. Any shop, by a pass over
    every job at each step (flexible shops need it: a step on one machine may change every job's
    earliest-completing alternative); `dispatch_classic` gives a classic shop's schedules faster."""
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


# ---- classic shops: per machine its waiting jobs, the machines in an indexed heap ----------------
# A kernel of its own (not called by `dispatch`): each compiles only when its shop kind runs, as
# cold compile time counts in time limits; few functions for the same reason. `_settle` is inlined:
# called, it doubled a 15 x 15 shop's run (25 µs inlined, against `dispatch`'s 13 µs).
@njit(cache=True, nogil=True, inline="always")
def _settle(machine: int, head: np.ndarray, after: np.ndarray, job_ready: np.ndarray,
            machine_ready: np.ndarray, next_op: np.ndarray, op_ptr: np.ndarray, alt_duration: np.ndarray,
            nondelay: bool, best: np.ndarray, first: np.ndarray, heap: np.ndarray, place: np.ndarray) -> None:
    """Recompute the machine's earliest start (non-delay) or completion (active) over its waiting
    jobs with the lowest job reaching it (the list is in job order), then restore the heap of
    machines by (time, job) around it: up, then down."""
    time_, job = _INF, job_ready.size
    j = head[machine]
    while j >= 0:
        time = max(job_ready[j], machine_ready[machine])
        if not nondelay:
            time += alt_duration[op_ptr[next_op[j]]]
        if time < time_:
            time_, job = time, j
        j = after[j]
    best[machine], first[machine] = time_, job
    i = place[machine]
    while i > 0:
        parent = heap[(i - 1) // 2]
        if not (time_ < best[parent] or (time_ == best[parent] and job < first[parent])):
            break
        heap[i], place[parent] = parent, i
        i = (i - 1) // 2
    while 2 * i + 1 < heap.size:
        child = 2 * i + 1
        other = child + 1
        if other < heap.size and (best[heap[other]] < best[heap[child]] or (
                best[heap[other]] == best[heap[child]] and first[heap[other]] < first[heap[child]])):
            child = other
        below = heap[child]
        if not (best[below] < time_ or (best[below] == time_ and first[below] < job)):
            break
        heap[i], place[below] = below, i
        i = child
    heap[i], place[machine] = machine, i


@njit(cache=True, nogil=True)
def dispatch_classic(job_ptr: np.ndarray, op_ptr: np.ndarray, alt_machine: np.ndarray,
                     alt_duration: np.ndarray, release: np.ndarray, due: np.ndarray, work: np.ndarray,
                     machines: int, rule: int, nondelay: bool, state: np.uint64,
                     stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`dispatch`'s schedules of a classic shop (one alternative per operation): each machine
    lists the jobs whose next operation it runs (in job order) with their earliest (time, job);
    a heap of machines gives the step's C* (or S*) and M*; a step costs M*'s list and
    log(machines), not every job."""
    n = job_ptr.size - 1
    n_ops = op_ptr.size - 1
    start = np.zeros(n_ops, np.int64)
    chosen = op_ptr[:-1].copy()
    next_op = job_ptr[:-1].copy()
    job_ready = release.copy()
    machine_ready = np.zeros(machines, np.int64)
    head = np.full(machines, -1, np.int64)  # per machine its first waiting job, `after` the next one
    after = np.full(n, -1, np.int64)
    best = np.full(machines, _INF, np.int64)
    first = np.full(machines, n, np.int64)
    heap = np.arange(machines)
    place = np.arange(machines)
    for j in range(n - 1, -1, -1):  # each list in job order without a walk
        machine = alt_machine[op_ptr[job_ptr[j]]]
        after[j], head[machine] = head[machine], j
    for machine in range(machines):
        _settle(machine, head, after, job_ready, machine_ready, next_op, op_ptr, alt_duration, nondelay,
                best, first, heap, place)
    for _ in range(n_ops):
        if stop[0]:
            break
        target = heap[0]
        best_time = best[target]
        pick, pick_key, previous, pick_previous = -1, _INF, -1, -1
        j = head[target]
        while j >= 0:
            o = next_op[j]
            a = op_ptr[o]
            begin = max(job_ready[j], machine_ready[target])
            if nondelay:
                take = begin == best_time
            else:  # starts before C* (a zero-length operation ending at C* stays in)
                take = begin < best_time or begin + alt_duration[a] <= best_time
            if take:
                state, _ = next_random(state)
                key = priority_key(rule, alt_duration[a], work[o], job_ptr[j + 1] - o, job_ready[j], due[j],
                                   state)
                if key < pick_key:
                    pick, pick_key, pick_previous = j, key, previous
            previous = j
            j = after[j]
        if pick_previous < 0:  # out of the target's list
            head[target] = after[pick]
        else:
            after[pick_previous] = after[pick]
        o = next_op[pick]
        a = op_ptr[o]
        start[o] = max(job_ready[pick], machine_ready[target])
        chosen[o] = a
        job_ready[pick] = machine_ready[target] = start[o] + alt_duration[a]
        next_op[pick] += 1
        if next_op[pick] < job_ptr[pick + 1]:  # into its next machine's list, in job order
            machine = alt_machine[op_ptr[next_op[pick]]]
            if head[machine] < 0 or head[machine] > pick:
                after[pick], head[machine] = head[machine], pick
            else:
                i = head[machine]
                while after[i] >= 0 and after[i] < pick:
                    i = after[i]
                after[pick], after[i] = after[i], pick
            if machine != target:
                _settle(machine, head, after, job_ready, machine_ready, next_op, op_ptr, alt_duration,
                        nondelay, best, first, heap, place)
        _settle(target, head, after, job_ready, machine_ready, next_op, op_ptr, alt_duration, nondelay,
                best, first, heap, place)
    return start, chosen
