"""SMTT local search kernels: adjacent pairwise interchange, insertion, and dynasearch.

Dynasearch (Congram, Potts & van de Velde 2002) finds, by dynamic programming over
positions, the best set of independent moves on disjoint segments; besides their swaps
we also allow the two insertion moves of the enhanced neighbourhood of Grosso, Della
Croce & Tadei (2004): the first job of a segment to its end, the last job to its front.
Moves on disjoint segments do not interact because each keeps its segment's total length.
All kernels work in place on `sequence` and return the new objective. They poll `stop` (a
one-element uint8 array, `deadline.stop_flag`) and, once it is 1, return at once with the moves
made so far (a move is applied whole or not at all).
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.common.rng import next_random
from schedkit.smtt.heuristics.kernels import weighted_tardiness

SWAP = 1
FORWARD = 2  # first job of the segment moves to its end
BACKWARD = 3  # last job of the segment moves to its front
DENSE_GAIN_CELLS = 2_000_000  # n × (p range) up to which swaps are priced in O(1)
FORWARD_CELLS = 16_000_000  # n × (longest move + 1) of the forward-cost table (128 MB): moves span
# every segment up to 4,000 jobs, beyond at most FORWARD_CELLS / n positions (an n² table was
# 12.8 GB at 40,000 jobs)
STOPPED = np.iinfo(np.int64).max  # what a dynasearch pass returns when stopped: no improvement


@njit(cache=True, nogil=True)
def _cost(job, completion, d, w):  # pragma: no cover - compiled
    late = completion - d[job]
    return w[job] * late if late > 0 else 0


@njit(cache=True, nogil=True)
def adjacent_interchange(sequence, p, d, w, stop):  # pragma: no cover - compiled
    """First-improvement descent over swaps of neighbours; returns the local optimum's value."""
    n = sequence.size
    improved = True
    while improved and not stop[0]:
        improved = False
        time = 0
        for k in range(n - 1):
            a = sequence[k]
            b = sequence[k + 1]
            before = _cost(a, time + p[a], d, w) + _cost(b, time + p[a] + p[b], d, w)
            after = _cost(b, time + p[b], d, w) + _cost(a, time + p[a] + p[b], d, w)
            if after < before:
                sequence[k] = b
                sequence[k + 1] = a
                improved = True
            time += p[sequence[k]]
    return weighted_tardiness(sequence, p, d, w)


@njit(cache=True, nogil=True)
def insertion(sequence, p, d, w, stop):  # pragma: no cover - compiled
    """Best-improvement descent over 'remove one job, reinsert it elsewhere'."""
    n = sequence.size
    completion = np.empty(n, dtype=np.int64)
    while True:
        time = 0
        for k in range(n):
            time += p[sequence[k]]
            completion[k] = time
        best_delta = 0
        best_from = -1
        best_to = -1
        for i in range(n):
            if stop[0]:
                return weighted_tardiness(sequence, p, d, w)
            job = sequence[i]
            # forward: job i goes after position j > i; jobs i+1..j move earlier by p[job]
            delta = -_cost(job, completion[i], d, w)
            for j in range(i + 1, n):
                other = sequence[j]
                delta += _cost(other, completion[j] - p[job], d, w) - _cost(
                    other, completion[j], d, w
                )
                total = delta + _cost(job, completion[j], d, w)
                if total < best_delta:
                    best_delta, best_from, best_to = total, i, j
            # backward: job i goes before position j < i; jobs j..i-1 move later by p[job]
            delta = -_cost(job, completion[i], d, w)
            for j in range(i - 1, -1, -1):
                other = sequence[j]
                delta += _cost(other, completion[j] + p[job], d, w) - _cost(
                    other, completion[j], d, w
                )
                start = completion[j] - p[other]
                total = delta + _cost(job, start + p[job], d, w)
                if total < best_delta:
                    best_delta, best_from, best_to = total, i, j
        if best_from < 0:
            return weighted_tardiness(sequence, p, d, w)
        job = sequence[best_from]
        if best_to > best_from:
            for k in range(best_from, best_to):
                sequence[k] = sequence[k + 1]
        else:
            for k in range(best_from, best_to, -1):
                sequence[k] = sequence[k - 1]
        sequence[best_to] = job


@njit(cache=True, nogil=True)
def _swap_tables(sequence, p, d, w, completion, reach, tables, gains, near_early, near_tardy):  # noqa: E501
    """Prefix sums that price the middle of a swap in O(1 + jobs near their due date).

    A swap shifts the jobs between the two swapped ones by delta = p[tail] - p[head], with
    |delta| < reach. A job late by L >= 0 gains w·delta when delta > 0; a job late by
    L >= reach loses w·|delta| when delta < 0; only jobs with |L| < reach need a closer look,
    and `near_early` / `near_tardy` chain to the next such position.
    Rows of `tables`: 0 cost at current completion, 1 weight of jobs with L >= 0,
    2 weight of jobs with L >= reach, 3 w·L of jobs with 0 < L < reach (the most they can
    gain), all prefix sums over positions.
    """
    n = sequence.size
    tables[:, 0] = 0
    for k in range(n):
        job = sequence[k]
        late = completion[k] - d[job]
        tables[0, k + 1] = tables[0, k] + (w[job] * late if late > 0 else 0)
        tables[1, k + 1] = tables[1, k] + (w[job] if late >= 0 else 0)
        tables[2, k + 1] = tables[2, k] + (w[job] if late >= reach else 0)
        tables[3, k + 1] = tables[3, k] + (w[job] * late if 0 < late < reach else 0)
    near_early[n] = n
    near_tardy[n] = n
    for k in range(n - 1, -1, -1):
        late = completion[k] - d[sequence[k]]
        near_early[k] = k if -reach < late < 0 else near_early[k + 1]
        near_tardy[k] = k if 0 < late < reach else near_tardy[k + 1]
    if gains.shape[2] < reach:
        return
    # Dense prefix sums over positions, per shift size s < reach: gains[0, k, s] is what
    # near-early jobs before k add when shifted later by s, gains[1, k, s] what near-tardy
    # jobs before k save when shifted earlier by s. Then a swap's middle costs O(1).
    for k in range(n):
        job = sequence[k]
        late = completion[k] - d[job]
        for s in range(reach):
            gains[0, k + 1, s] = gains[0, k, s]
            gains[1, k + 1, s] = gains[1, k, s]
        if -reach < late < 0:
            for s in range(-late + 1, reach):
                gains[0, k + 1, s] += w[job] * (late + s)
        elif 0 < late < reach:
            for s in range(1, reach):
                gains[1, k + 1, s] += w[job] * min(late, s)


@njit(cache=True, nogil=True, inline="always")
def _swap_middle(sequence, d, w, completion, first, stop, delta, limit, tables, gains,
                 near_early, near_tardy):  # pragma: no cover - compiled
    """Cost of positions first..stop-1 once shifted by `delta`; once an O(1) lower bound
    reaches `limit` (the swap cannot win), that bound is returned instead."""
    value = tables[0, stop] - tables[0, first]
    if delta > 0:
        value += delta * (tables[1, stop] - tables[1, first])
        if value >= limit:
            return value
        if gains.shape[2] > delta:
            return value + gains[0, stop, delta] - gains[0, first, delta]
        k = near_early[first]
        while k < stop:
            job = sequence[k]
            late = completion[k] - d[job] + delta
            if late > 0:
                value += w[job] * late
            k = near_early[k + 1]
    elif delta < 0:
        value += delta * (tables[2, stop] - tables[2, first])
        if value - (tables[3, stop] - tables[3, first]) >= limit:
            return value - (tables[3, stop] - tables[3, first])
        if gains.shape[2] > -delta:
            return value - (gains[1, stop, -delta] - gains[1, first, -delta])
        k = near_tardy[first]
        while k < stop:
            job = sequence[k]
            late = completion[k] - d[job]
            value -= w[job] * min(late, -delta)
            k = near_tardy[k + 1]
    return value


@njit(cache=True, nogil=True)
def _forward_costs(sequence, p, d, w, completion, forward, stop):  # pragma: no cover - compiled
    """forward[i, last - i]: cost of segment [i, last] after its first job moves to its end, for
    segments up to the table's width.

    For a fixed first job the others all shift earlier by the same amount, so each row is
    one running sum: O(n · width) in all.
    """
    n = sequence.size
    width = forward.shape[1] - 1
    for i in range(n - 1):
        if stop[0]:
            return
        head = sequence[i]
        shifted = 0
        for last in range(i + 1, min(n, i + width + 1)):
            shifted += _cost(sequence[last], completion[last] - p[head], d, w)
            forward[i, last - i] = shifted + _cost(head, completion[last], d, w)


@njit(cache=True, nogil=True)
def _dynasearch_pass(sequence, p, d, w, work, forward, tables, gains, stop):  # pragma: no cover
    """One dynasearch step over positions; returns the best compound move's value (STOPPED when
    `stop` was raised on the way).

    best[j] is the least cost of positions < j. Segments are processed by their last
    position, so best[i] is final when used. `work` rows: completion, best, move, start,
    near_early, near_tardy.
    """
    n = sequence.size
    completion, best, move, start = work[0], work[1], work[2], work[3]
    near_early, near_tardy = work[4], work[5]
    width = forward.shape[1] - 1  # the longest move spans width + 1 positions
    time = 0
    for k in range(n):
        time += p[sequence[k]]
        completion[k] = time
    reach = p.max() - p.min() + 1
    _forward_costs(sequence, p, d, w, completion, forward, stop)
    _swap_tables(sequence, p, d, w, completion, reach, tables, gains, near_early, near_tardy)
    best[0] = 0
    for last in range(n):
        if stop[0]:
            return STOPPED
        j = last + 1
        tail = sequence[last]
        best[j] = best[last] + _cost(tail, completion[last], d, w)
        move[j] = 0
        start[j] = last
        backward_shifted = 0  # jobs i..last-1 moved later by p[tail]
        for i in range(last - 1, max(-1, last - width - 1), -1):
            head = sequence[i]
            begin = completion[i] - p[head]
            backward_shifted += _cost(head, completion[i] + p[tail], d, w)
            value = best[i] + _cost(tail, begin + p[tail], d, w) + backward_shifted
            if value < best[j]:
                best[j], move[j], start[j] = value, BACKWARD, i
            value = best[i] + forward[i, last - i]
            if value < best[j]:
                best[j], move[j], start[j] = value, FORWARD, i
            if last - i >= 2:
                value = best[i] + _cost(tail, begin + p[tail], d, w) + _cost(head, completion[last], d, w)
                if value < best[j]:
                    value += _swap_middle(
                        sequence, d, w, completion, i + 1, last, p[tail] - p[head],
                        best[j] - value, tables, gains, near_early, near_tardy,
                    )
                    if value < best[j]:
                        best[j], move[j], start[j] = value, SWAP, i
    return best[n]


@njit(cache=True, nogil=True)
def _apply_moves(sequence, move, start):  # pragma: no cover - compiled
    """Apply the independent moves the last dynasearch pass chose, walking back from n."""
    j = sequence.size
    while j > 0:
        kind = move[j]
        first = start[j]
        last = j - 1
        if kind == SWAP:
            sequence[first], sequence[last] = sequence[last], sequence[first]
        elif kind == FORWARD:
            job = sequence[first]
            for k in range(first, last):
                sequence[k] = sequence[k + 1]
            sequence[last] = job
        elif kind == BACKWARD:
            job = sequence[last]
            for k in range(last, first, -1):
                sequence[k] = sequence[k - 1]
            sequence[first] = job
        j = first if kind != 0 else j - 1


@njit(cache=True, nogil=True)
def forward_width(n):  # pragma: no cover - compiled
    """The longest move (positions between its two ends): every one up to FORWARD_CELLS / n."""
    return max(1, min(n - 1, FORWARD_CELLS // max(1, n)))


@njit(cache=True, nogil=True)
def dynasearch_steps(sequence, p, d, w, max_steps, stop):  # pragma: no cover - compiled
    """At most `max_steps` improving dynasearch steps; returns (value, local optimum reached)."""
    n = sequence.size
    work = np.zeros((6, n + 1), dtype=np.int64)
    forward = np.zeros((n, forward_width(n) + 1), dtype=np.int64)
    tables = np.zeros((4, n + 1), dtype=np.int64)
    reach = p.max() - p.min() + 1
    dense = reach if n * reach <= DENSE_GAIN_CELLS else 1
    gains = np.zeros((2, n + 1, dense), dtype=np.int64)
    current = weighted_tardiness(sequence, p, d, w)
    for _ in range(max_steps):
        if current == 0:
            return current, True
        value = _dynasearch_pass(sequence, p, d, w, work, forward, tables, gains, stop)
        if value >= current:  # a stopped pass too: its moves are not all chosen
            return current, True
        _apply_moves(sequence, work[2], work[3])
        current = value
    return current, current == 0


@njit(cache=True, nogil=True)
def dynasearch(sequence, p, d, w, stop):  # pragma: no cover - compiled
    """Descent with the dynasearch neighbourhood until no compound move improves."""
    return dynasearch_steps(sequence, p, d, w, np.iinfo(np.int64).max, stop)[0]


@njit(cache=True, nogil=True)
def iterated_dynasearch(best_sequence, current, p, d, w, iterations, kick, state, stop):  # pragma: no cover
    """`iterations` rounds of: kick `current` with `kick` random swaps of nearby jobs, descend,
    accept if no worse; `best_sequence` keeps the best seen. Returns (best value, state)."""
    n = current.size
    best_value = weighted_tardiness(best_sequence, p, d, w)
    current_value = weighted_tardiness(current, p, d, w)
    trial = current.copy()
    reach = max(2, min(n - 1, 10))  # a kick swaps jobs at most this far apart
    for _ in range(iterations):
        if best_value == 0 or n < 2 or stop[0]:
            break
        trial[:] = current
        for _k in range(kick):
            state, r = next_random(state)
            i = r % (n - 1)
            state, r = next_random(state)
            j = min(n - 1, i + 1 + r % reach)
            trial[i], trial[j] = trial[j], trial[i]
        value = dynasearch(trial, p, d, w, stop)
        if value <= current_value:
            current[:] = trial
            current_value = value
            if value < best_value:
                best_sequence[:] = trial
                best_value = value
    return best_value, state
