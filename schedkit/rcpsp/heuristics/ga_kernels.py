"""Numba kernels of the activity-list genetic algorithm (heuristics/ga.py): the whole
generation loop runs compiled, Python only hands over chunks of generations and checks the clock.

An individual is a precedence-feasible activity list (row of `lists`), the schedule it decodes
to (row of `starts`), its makespan (`spans`) and a hash of that schedule (`hashes`, to keep
duplicates out). The population is kept sorted by makespan. Decoding is the serial SGS taking
the activities in list order, followed by forward-backward improvement: double justification
(Valls, Ballestín & Quintanilla 2005), repeated while it shortens the schedule; the final
forward pass's order becomes the list (Lamarckian), so a list always decodes to its schedule.

Every forward or backward SGS pass counts as one schedule, as in Kolisch & Hartmann's
benchmarking convention. Randomness: the explicit uint64 state of schedkit.common.rng.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import random_below, random_unit
from schedkit.rcpsp.heuristics.grid import grid_decode, new_grid
from schedkit.rcpsp.heuristics.kernels import first_eligible, pick
from schedkit.rcpsp.heuristics.profile import book, earliest_fit, ready_time

PEAK_SHARE = 0.5  # of the children made by the peak crossover (the rest: two-point)
ROUNDS = 1  # double justifications per child (more: only while each shortens; 1 was best per pass)
_HASH_PRIME = np.uint64(1099511628211)


@njit(cache=True, nogil=True)
def decode(order, d, pred_ptr, pred_idx, q, c, times, usage, free, start):  # type: ignore[no-untyped-def]
    """Serial SGS over a precedence-feasible list (each activity after its `pred` ones): every
    activity at its earliest feasible start, on the time grid `free` unless it is empty (then
    on the step profile `times`/`usage`). Fills `start`; returns the makespan. Called with the
    successor arrays as `pred_*`, it schedules the reversed project (backward pass)."""
    if free.shape[0] > 0:
        return grid_decode(order, d, pred_ptr, pred_idx, q, c, free, start)
    times[0] = 0
    for k in range(usage.shape[1]):
        usage[0, k] = 0
    m = 1
    span = 0
    for j in order:
        t = ready_time(j, start, d, pred_ptr, pred_idx)
        t = earliest_fit(times, usage, m, q, c, j, t, d[j])
        m = book(times, usage, m, q, j, t, d[j], 1)
        start[j] = t
        if t + d[j] > span:
            span = t + d[j]
    return span


@njit(cache=True, nogil=True)
def justify(order, start, d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, times, usage, free,
            new_order, new_start):  # type: ignore[no-untyped-def]
    """Double justification of the schedule `start` of list `order`: right-justify (backward
    pass in order of decreasing finish), then left-justify (forward pass in order of the
    right-justified starts). Writes the forward pass's list and schedule into `new_order` and
    `new_start`; returns its makespan (never above the input's)."""
    n = d.size
    sequence = np.empty(n, dtype=np.int64)
    key = np.empty(n, dtype=np.int64)
    back_order = np.empty(n, dtype=np.int64)
    back_start = np.empty(n, dtype=np.int64)
    for p in range(n):  # ties: later in the list first (a successor of zero-duration i)
        j = order[n - 1 - p]
        sequence[p] = j
        key[p] = -(start[j] + d[j])
    rank = np.argsort(key, kind="mergesort")
    for p in range(n):
        back_order[p] = sequence[rank[p]]
    back_span = decode(back_order, d, succ_ptr, succ_idx, q, c, times, usage, free, back_start)
    for p in range(n):  # ties: later in the backward pass first
        j = back_order[n - 1 - p]
        sequence[p] = j
        key[p] = back_span - back_start[j] - d[j]
    rank = np.argsort(key, kind="mergesort")
    for p in range(n):
        new_order[p] = sequence[rank[p]]
    return decode(new_order, d, pred_ptr, pred_idx, q, c, times, usage, free, new_start)


@njit(cache=True, nogil=True)
def schedule_hash(start):  # type: ignore[no-untyped-def]
    """A 64-bit FNV-style hash of a schedule (to recognise duplicates)."""
    h = np.uint64(14695981039346656037)
    for t in start:
        h = (h ^ np.uint64(t)) * _HASH_PRIME
    return h


@njit(cache=True, nogil=True)
def evaluate(order, start, d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, times, usage, free,
             new_order, new_start, limit):  # type: ignore[no-untyped-def]
    """Decode `order` into `start`, then justify while it shortens the schedule, ROUNDS times
    at most (the first justification is kept on a tie), within `limit` SGS passes (at least
    1). `order` and `start` end as the improved list and schedule.
    Returns (makespan, passes used)."""
    span = decode(order, d, pred_ptr, pred_idx, q, c, times, usage, free, start)
    used = 1
    first = True
    rounds = 0
    while used + 2 <= limit and rounds < ROUNDS:
        rounds += 1
        better = justify(order, start, d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, times,
                         usage, free, new_order, new_start)
        used += 2
        if better < span or (first and better == span):
            order[:] = new_order
            start[:] = new_start
        if better >= span:
            break
        span = better
        first = False
    return span, used


@njit(cache=True, nogil=True)
def random_list(priority, alpha, pred_ptr, succ_ptr, succ_idx, out, state):  # type: ignore[no-untyped-def]
    """A precedence-feasible list by regret-biased random choice among the eligible activities
    (`alpha` < 0: always the best priority). Fills `out`; returns the state."""
    n = out.size
    left, candidates, m = first_eligible(pred_ptr, n)
    for p in range(n):
        chosen, state = pick(candidates, m, priority, alpha, state)
        j = candidates[chosen]
        m -= 1
        candidates[chosen] = candidates[m]
        out[p] = j
        for a in range(succ_ptr[j], succ_ptr[j + 1]):
            s = succ_idx[a]
            left[s] -= 1
            if left[s] == 0:
                candidates[m] = s
                m += 1
    return state


@njit(cache=True, nogil=True)
def two_point(mother, father, first, second, child, taken):  # type: ignore[no-untyped-def]
    """Hartmann's two-point crossover: positions [0, first) from the mother, up to `second`
    the father's next activities in his order, the rest in the mother's order."""
    n = mother.size
    taken[:] = False
    p = 0
    for k in range(first):
        child[p] = mother[k]
        taken[mother[k]] = True
        p += 1
    for k in range(n):
        if p >= second:
            break
        j = father[k]
        if not taken[j]:
            child[p] = j
            taken[j] = True
            p += 1
    for k in range(n):
        j = mother[k]
        if not taken[j]:
            child[p] = j
            taken[j] = True
            p += 1


@njit(cache=True, nogil=True)
def peak(mother, mother_start, mother_span, father, energy, width, child, taken):  # type: ignore[no-untyped-def]
    """Peak crossover in the manner of Valls, Ballestín & Quintanilla (2008): the `width`
    consecutive activities of the mother's list with the highest resource work per unit of the
    time they span (her densest piece) keep her order and place; the activities before them
    (a precedence-closed prefix) and after them follow the father's order."""
    n = mother.size
    best, best_score = 0, -1.0
    work = 0.0
    for p in range(width):
        work += energy[mother[p]]
    for s in range(n - width + 1):
        if s > 0:
            work += energy[mother[s + width - 1]] - energy[mother[s - 1]]
        end = mother_span if s + width >= n else mother_start[mother[s + width]]
        spread = end - mother_start[mother[s]]
        score = work / (spread if spread > 0 else 1)
        if score > best_score:
            best, best_score = s, score
    taken[:] = False
    for p in range(best):
        taken[mother[p]] = True  # the prefix: marked, placed in the father's order
    p = 0
    for k in range(n):
        j = father[k]
        if taken[j]:
            child[p] = j
            p += 1
    for k in range(best, best + width):
        child[p] = mother[k]
        taken[mother[k]] = True
        p += 1
    for k in range(n):
        j = father[k]
        if not taken[j]:
            child[p] = j
            taken[j] = True
            p += 1


@njit(cache=True, nogil=True)
def _is_successor(succ_ptr, succ_idx, i, j):  # type: ignore[no-untyped-def]
    found = False
    for a in range(succ_ptr[i], succ_ptr[i + 1]):
        found = found or succ_idx[a] == j
    return found


@njit(cache=True, nogil=True)
def mutate(child, rate, succ_ptr, succ_idx, state):  # type: ignore[no-untyped-def]
    """Hartmann's mutation: each position, with probability `rate`, swaps with the next one
    unless the first is a direct predecessor of the second (the list stays feasible)."""
    for p in range(child.size - 1):
        state, unit = random_unit(state)
        if unit < rate and not _is_successor(succ_ptr, succ_idx, child[p], child[p + 1]):
            child[p], child[p + 1] = child[p + 1], child[p]
    return state


@njit(cache=True, nogil=True)
def initialise(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, priority, alpha, lists, starts,
               spans, hashes, first, count, fresh, limit, state):  # type: ignore[no-untyped-def]
    """Fill individuals first..first+count-1 with a regret-biased random list (individual 0:
    the deterministic priority rule), or, unless `fresh`, keep a row of `lists` whose first
    entry is non-negative (a given list). Each is decoded and improved within `limit` passes
    in all; rows beyond the budget are left as they were.
    Returns (individuals filled, passes used, state)."""
    n = d.size
    times = np.zeros(2 * n + 2, dtype=np.int64)
    usage = np.zeros((2 * n + 2, c.size), dtype=np.int64)
    free = new_grid(d, c)
    new_order = np.empty(n, dtype=np.int64)
    new_start = np.empty(n, dtype=np.int64)
    used = 0
    filled = 0
    for r in range(first, first + count):
        if used >= limit:
            break
        if fresh or lists[r, 0] < 0:
            state = random_list(priority, -1.0 if r == 0 else alpha, pred_ptr, succ_ptr,
                                succ_idx, lists[r], state)
        span, spent = evaluate(lists[r], starts[r], d, pred_ptr, pred_idx, succ_ptr, succ_idx, q,
                               c, times, usage, free, new_order, new_start, limit - used)
        used += spent
        spans[r] = span
        hashes[r] = schedule_hash(starts[r])
        filled += 1
    return filled, used, state


@njit(cache=True, nogil=True)
def _tournament(size, state):  # type: ignore[no-untyped-def]
    """The better (lower rank) of two random individuals of a population sorted by makespan."""
    state, a = random_below(state, size)
    state, b = random_below(state, size)
    return state, min(a, b)


@njit(cache=True, nogil=True)
def _survivors(lists, starts, spans, hashes, child_lists, child_starts, child_spans,
               child_hashes, made):  # type: ignore[no-untyped-def]
    """Keep the best `size` of parents and children (children first on ties), skipping a
    schedule already kept unless there are too few distinct ones."""
    size, n = lists.shape
    total = size + made
    key = np.empty(total, dtype=np.int64)
    for r in range(made):
        key[r] = child_spans[r]
    for r in range(size):
        key[made + r] = spans[r]
    rank = np.argsort(key, kind="mergesort")
    chosen = np.empty(size, dtype=np.int64)
    used = np.zeros(total, dtype=np.bool_)
    kept = 0
    for sweep in range(2):
        for p in range(total):
            if kept == size:
                break
            r = rank[p]
            if used[r]:
                continue
            h = child_hashes[r] if r < made else hashes[r - made]
            twin = False
            if sweep == 0:
                for k in range(kept):
                    other = chosen[k]
                    if key[other] == key[r] and (child_hashes[other] if other < made
                                                 else hashes[other - made]) == h:
                        twin = True
                        break
            if not twin:
                chosen[kept] = r
                used[r] = True
                kept += 1
    new_lists = np.empty((size, n), dtype=np.int64)
    new_starts = np.empty((size, n), dtype=np.int64)
    new_spans = np.empty(size, dtype=np.int64)
    new_hashes = np.empty(size, dtype=np.uint64)
    for k in range(size):
        r = chosen[k]
        if r < made:
            new_lists[k] = child_lists[r]
            new_starts[k] = child_starts[r]
            new_hashes[k] = child_hashes[r]
        else:
            new_lists[k] = lists[r - made]
            new_starts[k] = starts[r - made]
            new_hashes[k] = hashes[r - made]
        new_spans[k] = key[r]
    lists[:] = new_lists
    starts[:] = new_starts
    spans[:] = new_spans
    hashes[:] = new_hashes


@njit(cache=True, nogil=True)
def generations(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c, energy, priority, alpha, lists,
                starts, spans, hashes, count, limit, bound, rate, patience, stall, state):  # type: ignore[no-untyped-def]
    """Run up to `count` generations on the population (sorted by makespan, updated in place)
    within `limit` SGS passes, stopping at the makespan `bound`. A generation makes as many
    children as there are individuals: tournament parents, peak or two-point crossover,
    mutation at `rate`, decode and improve; the best distinct ones survive. After `patience`
    generations in a row without a better best (`stall` counts them across calls), every
    individual but the best is replaced by a new regret-biased random one (a restart).
    Returns (generations run, passes used, stall, state)."""
    size, n = lists.shape
    times = np.zeros(2 * n + 2, dtype=np.int64)
    usage = np.zeros((2 * n + 2, c.size), dtype=np.int64)
    free = new_grid(d, c)
    new_order = np.empty(n, dtype=np.int64)
    new_start = np.empty(n, dtype=np.int64)
    taken = np.zeros(n, dtype=np.bool_)
    child_lists = np.empty((size, n), dtype=np.int64)
    child_starts = np.empty((size, n), dtype=np.int64)
    child_spans = np.empty(size, dtype=np.int64)
    child_hashes = np.empty(size, dtype=np.uint64)
    done = 0
    used = 0
    while done < count and used < limit and spans[0] > bound:
        made = 0
        while made < size and used < limit:
            state, a = _tournament(size, state)
            state, b = _tournament(size, state)
            if a == b and size > 1:
                b = (a + 1) % size
            child = child_lists[made]
            state, unit = random_unit(state)
            if n < 2:
                child[:] = lists[a]
            elif unit < PEAK_SHARE:
                state, width = random_below(state, max(1, n // 2 - n // 4 + 1))
                peak(lists[a], starts[a], spans[a], lists[b], energy, n // 4 + width if n >= 4
                     else 1, child, taken)
            else:
                state, first = random_below(state, n)
                state, second = random_below(state, n)
                if first > second:
                    first, second = second, first
                two_point(lists[a], lists[b], first, second + 1, child, taken)
            state = mutate(child, rate, succ_ptr, succ_idx, state)
            span, spent = evaluate(child, child_starts[made], d, pred_ptr, pred_idx, succ_ptr,
                                   succ_idx, q, c, times, usage, free, new_order, new_start,
                                   limit - used)
            used += spent
            child_spans[made] = span
            child_hashes[made] = schedule_hash(child_starts[made])
            made += 1
        best = spans[0]
        _survivors(lists, starts, spans, hashes, child_lists, child_starts, child_spans,
                   child_hashes, made)
        done += 1
        stall = 0 if spans[0] < best else stall + 1
        if stall >= patience and size > 1 and used < limit:
            stall = 0
            _, spent, state = initialise(d, pred_ptr, pred_idx, succ_ptr, succ_idx, q, c,
                                         priority, alpha, lists, starts, spans, hashes, 1,
                                         size - 1, True, limit - used, state)
            used += spent
            _survivors(lists, starts, spans, hashes, child_lists, child_starts, child_spans,
                       child_hashes, 0)
    return done, used, stall, state
