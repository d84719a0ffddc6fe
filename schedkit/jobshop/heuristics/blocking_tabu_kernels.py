"""Tabu search kernel for the blocking job shop with swaps, makespan, over the alternative graph
(`ig_graph`), in the manner of Gröflin & Klinkert (2009) and Bürgy (2017).

A solution is the machine orders `seq` (CSR by machine `mach_ptr`). A move takes a critical
machine arc A -> B (A right before B on a machine, head[succ(A)] + l + tail[B] = makespan)
and puts B before A: B right before A (a swap), B one or two places further ahead, or A one or
two places further back (MOVE_KINDS). A move that closes a positive cycle (a deadlock) is
dropped; with `repair`, a deadlocking swap re-inserts a job instead: every other operation of
B's job (then of A's) is taken out and put back, in job order, at its best feasible position
(`ig_kernels._insert_best`), the swapped pair kept (on la31 from the best rule: 21 of 175
critical swaps are feasible as they stand, 2 more after a repair, at 0.3-5 ms each; without
repair a neighbour costs one longest-path pass, about 10 us). Every neighbour is evaluated
exactly (longest paths); the best one that is not tabu, or beats the best makespan
(aspiration), is taken. Putting A right before B again is tabu for a random tenure. After
`stall` iterations without a new best the search goes back to the best orders and makes a few
random swaps (a kick).
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import random_below
from schedkit.jobshop.heuristics.ig_graph import longest, machine_arc, new_work
from schedkit.jobshop.heuristics.ig_kernels import _insert_best

_INF = np.iinfo(np.int64).max
KICK_MOVES = 3  # random moves from the best orders after a stall
MOVE_KINDS = 5  # per critical arc: swap, B 2 or 3 places ahead, A 2 or 3 places back


@njit(cache=True, nogil=True)
def critical_pairs(job_ptr: np.ndarray, job_of: np.ndarray, p: np.ndarray, seq: np.ndarray,
                   mach_ptr: np.ndarray, head: np.ndarray, tail: np.ndarray, value: int,
                   pairs: np.ndarray) -> int:
    """Positions i of seq whose machine arc seq[i-1] -> seq[i] lies on a longest path (of
    length `value`) into `pairs`; returns their count."""
    count = 0
    for k in range(mach_ptr.size - 1):
        for i in range(mach_ptr[k] + 1, mach_ptr[k + 1]):
            src, length = machine_arc(job_ptr, job_of, p, seq[i - 1])
            if head[src] + length + tail[seq[i]] == value:
                pairs[count] = i
                count += 1
    return count


@njit(cache=True, nogil=True)
def _moves(pairs: np.ndarray, count: int, moves: np.ndarray) -> int:
    """Every kind of move on each critical arc position into `moves`; returns their count."""
    for c in range(count):
        for kind in range(MOVE_KINDS):
            moves[c * MOVE_KINDS + kind] = pairs[c] * MOVE_KINDS + kind
    return count * MOVE_KINDS


@njit(cache=True, nogil=True)
def _reinsert_job(j: int, keep: int, job_ptr: np.ndarray, job_of: np.ndarray, machine: np.ndarray,
                  p: np.ndarray, release: np.ndarray, trial: np.ndarray, mach_ptr: np.ndarray,
                  present: np.ndarray, scratch: tuple) -> int:
    """Job j's operations but `keep` out of `trial` and back one at a time (job order) at their
    best feasible place; the makespan, or _INF when one finds none (trial then unusable)."""
    head, tail, rest, work, key, tie, spot, after, before, stack = scratch
    if job_ptr[j + 1] - job_ptr[j] < 2:
        return _INF
    for o in range(job_ptr[j], job_ptr[j + 1]):
        if o != keep:
            present[o] = False
    value = known = _INF
    last = job_ptr[j + 1] - 1 if keep != job_ptr[j + 1] - 1 else job_ptr[j + 1] - 2
    for o in range(job_ptr[j], job_ptr[j + 1]):
        if o == keep:
            continue
        k = machine[o]
        value = _insert_best(o, mach_ptr[k], mach_ptr[k + 1], job_ptr, job_of, p, release, trial, mach_ptr,
                             present, head, tail, rest, work, key, tie, spot, after, before, stack,
                             -1 if known == _INF else known, o < last)
        known = value  # the next insertion starts from this graph (tails kept but for the last)
        if value == _INF:
            break
    for o in range(job_ptr[j], job_ptr[j + 1]):
        present[o] = True
    return value


@njit(cache=True, nogil=True)
def _shifted(move: int, seq: np.ndarray, mach_ptr: np.ndarray, machine: np.ndarray, trial: np.ndarray
             ) -> bool:
    """trial = seq with move (critical arc at position i = move // MOVE_KINDS, kind = move %
    MOVE_KINDS) applied; False when the machine has no room for it."""
    i, kind = move // MOVE_KINDS, move % MOVE_KINDS
    k = machine[seq[i]]
    if kind < 3:  # B = seq[i] to position i - 1 - kind
        to = i - 1 - kind
        if to < mach_ptr[k]:
            return False
        trial[:] = seq
        trial[to + 1:i + 1] = seq[to:i]
        trial[to] = seq[i]
        return True
    to = i + kind - 2  # A = seq[i - 1] to position i + 1 or i + 2
    if to >= mach_ptr[k + 1]:
        return False
    trial[:] = seq
    trial[i - 1:to] = seq[i:to + 1]
    trial[to] = seq[i - 1]
    return True


@njit(cache=True, nogil=True)
def neighbour(move: int, job_ptr: np.ndarray, job_of: np.ndarray, machine: np.ndarray, p: np.ndarray,
              release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, trial: np.ndarray,
              spare: np.ndarray, present: np.ndarray, scratch: tuple, repair: bool) -> int:
    """`trial` = seq with `move` applied (see `_shifted`), a deadlocking swap repaired by a job
    reinsertion with `repair`; its makespan, or _INF when it has no room or deadlocks."""
    head, work = scratch[0], scratch[3]
    i = move // MOVE_KINDS
    a, b = seq[i - 1], seq[i]
    if job_of[a] == job_of[b] or not _shifted(move, seq, mach_ptr, machine, trial):
        return _INF
    value = longest(job_ptr, job_of, p, release, trial, mach_ptr, present, head, scratch[1], False, work)
    if value >= 0:
        return value
    if not repair or move % MOVE_KINDS != 0:
        return _INF
    best = _INF
    for which in range(2):  # B's job, then A's
        spare[:] = seq
        spare[i - 1], spare[i] = b, a
        j, keep = (job_of[b], b) if which == 0 else (job_of[a], a)
        value = _reinsert_job(j, keep, job_ptr, job_of, machine, p, release, spare, mach_ptr, present,
                              scratch)
        if value < best and _pair_kept(spare, mach_ptr, machine[a], a, b):
            best = value
            trial[:] = spare
    return best


@njit(cache=True, nogil=True)
def _pair_kept(seq: np.ndarray, mach_ptr: np.ndarray, k: int, a: int, b: int) -> bool:
    """b still comes before a on machine k (a reinsertion may not undo the move)."""
    for i in range(mach_ptr[k], mach_ptr[k + 1]):
        if seq[i] == b:
            return True
        if seq[i] == a:
            return False
    return False


@njit(cache=True, nogil=True)
def new_scratch(n: int) -> tuple:
    """Work arrays for `neighbour`: head, tail, rest, longest's work, key, tie, spot, after,
    before, stack (the arguments of `ig_kernels._insert_best`)."""
    return (np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64), new_work(n),
            np.empty(n + 1, np.int64), np.empty(n + 1, np.int64), np.empty(n + 1, np.int64),
            np.empty(n, np.bool_), np.empty(n, np.bool_), np.empty(n, np.int64))


@njit(cache=True, nogil=True)
def tabu_search(job_ptr: np.ndarray, job_of: np.ndarray, machine: np.ndarray, p: np.ndarray,
                release: np.ndarray, seq: np.ndarray, mach_ptr: np.ndarray, tabu: np.ndarray,
                iterations: int, first_iteration: int, state: np.uint64, stall: int, since: int,
                max_moves: int, tenure: int, best_seq: np.ndarray, best: int, lower_bound: int,
                repair: bool) -> tuple[int, int, int, int, np.uint64]:
    """Run `iterations` steps from the feasible orders `seq` (changed in place); a new best
    (below `best`) goes to `best_seq`. `tabu[a, b]`: the iteration until which a right before b
    is forbidden (kept between calls); `since`: iterations since the last new best; at most
    `max_moves` random moves on critical arcs are tried per step. Returns (best, current, done, since,
    state)."""
    n = p.size
    present = np.ones(n, np.bool_)
    scratch = new_scratch(n)
    head, tail, work = scratch[0], scratch[1], scratch[3]
    pairs = np.empty(n, np.int64)
    moves = np.empty(n * MOVE_KINDS, np.int64)
    trial = np.empty_like(seq)
    spare = np.empty_like(seq)
    chosen = np.empty_like(seq)
    current = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, True, work)
    done = 0
    for it in range(first_iteration, first_iteration + iterations):
        if best <= lower_bound:
            break
        done += 1
        count = critical_pairs(job_ptr, job_of, p, seq, mach_ptr, head, tail, current, pairs)
        if count == 0:  # a longest path of job arcs only: no better orders
            break
        count = _moves(pairs, count, moves)
        for c in range(min(count, max_moves)):  # a random sample of max_moves moves, in random order
            state, r = random_below(state, count - c)
            moves[c], moves[c + r] = moves[c + r], moves[c]
        pick_value, pick, any_value, any_move = _INF, -1, _INF, -1
        for c in range(min(count, max_moves)):
            move = moves[c]
            value = neighbour(move, job_ptr, job_of, machine, p, release, seq, mach_ptr, trial, spare,
                              present, scratch, repair)
            if value == _INF:
                continue
            i = move // MOVE_KINDS
            a, b = seq[i - 1], seq[i]
            if value < any_value:
                any_value, any_move = value, move
            if (tabu[b, a] <= it or value < best) and value < pick_value:
                pick_value, pick = value, move
                chosen[:] = trial
        if pick < 0 and any_move >= 0:  # every move tabu: the best of them
            pick = any_move
            neighbour(any_move, job_ptr, job_of, machine, p, release, seq, mach_ptr, chosen, spare, present,
                      scratch, repair)
        since += 1
        if pick >= 0:
            a = seq[pick // MOVE_KINDS - 1]
            b = seq[pick // MOVE_KINDS]
            seq[:] = chosen
            state, r = random_below(state, tenure + 1)
            tabu[a, b] = it + tenure + r
        current = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, True, work)
        if current < best:
            best, since = current, 0
            best_seq[:] = seq
        if since >= stall or pick < 0:  # back to the best orders, then a few random moves
            seq[:] = best_seq
            current = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, True, work)
            for _ in range(KICK_MOVES):
                count = critical_pairs(job_ptr, job_of, p, seq, mach_ptr, head, tail, current, pairs)
                if count == 0:
                    break
                state, r = random_below(state, count)
                value = neighbour(pairs[r] * MOVE_KINDS, job_ptr, job_of, machine, p, release, seq, mach_ptr,
                                  trial, spare, present, scratch, repair)
                if value != _INF:
                    seq[:] = trial
                # neighbour overwrote the heads and tails
                current = longest(job_ptr, job_of, p, release, seq, mach_ptr, present, head, tail, True, work)
            since = 0
    return best, current, done, since, state
