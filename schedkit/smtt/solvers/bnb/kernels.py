"""numba kernels of the SMTT branch and bound: subproblems, reductions, bounds, search, rebuild.

Jobs are renumbered in EDD order (ties: shorter first) and ranked in SPT order (ties: EDD
order). Every job set that Lawler's decomposition and the reductions create is then
`{j in [a, b] : lo <= rank[j] < hi}`: splitting at the longest job (the highest rank) cuts
the EDD interval and lowers hi, and fixing the shortest job first raises lo. Normalised to
its first and last members and lowest and highest ranks, (a, b, lo, hi, t) names a
subproblem (the set started at t) canonically: that is the memo key.

`solve` returns the optimal value when it is below the threshold `ub` it is given, and
otherwise a lower bound that is at least `ub` (a fail-high, as in alpha-beta search); both
are memoised, exact values with the split that attains them. The search stops, unwinding
without storing anything half-done, once `stats[NODES]` reaches `stats[CAP]` or `stop[0]` (the
solve's stop flag) is raised; a later call with a higher cap resumes from the memo.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit

# Slots of the int64 `stats` array shared with the driver.
NODES, HITS, CAP, ABORTED, MAX_ENTRIES, FULL, BOUND_PRUNES = range(7)
STATS_SIZE = 7

# Memo `choice` codes besides a split (the EDD index of the last job before the longest).
CHOICE_NONE = -1  # a lower bound only
CHOICE_SPT = -2  # no job early in SPT order: SPT is optimal
CHOICE_EDD = -3  # no job tardy in EDD order

INFINITY = np.int64(2**62)


@njit(cache=True, nogil=True)
def _tardiness(completion, due):  # pragma: no cover - compiled
    return completion - due if completion > due else 0


@njit(cache=True, nogil=True)
def _members(a, b, lo, hi, rank):  # pragma: no cover - compiled
    """EDD indices of the set, in EDD order."""
    out = np.empty(max(0, b - a + 1), dtype=np.int64)
    m = 0
    for j in range(a, b + 1):
        if lo <= rank[j] < hi:
            out[m] = j
            m += 1
    return out[:m]


@njit(cache=True, nogil=True)
def _normalise(a, b, lo, hi, p, rank):  # pragma: no cover - compiled
    """The same set as (first member, last member, lowest rank, highest rank + 1), with its
    size and total processing time; (0, -1, 0, 0, 0, 0) when it is empty."""
    first = -1
    last = -1
    low = hi
    high = lo - 1
    size = 0
    total = np.int64(0)
    for j in range(a, b + 1):
        q = rank[j]
        if lo <= q < hi:
            if first < 0:
                first = j
            last = j
            low = min(low, q)
            high = max(high, q)
            size += 1
            total += p[j]
    if first < 0:
        return 0, -1, 0, 0, 0, total
    return first, last, low, high + 1, size, total


@njit(cache=True, nogil=True)
def _without(j, a, b, lo, hi, rank, spt):  # pragma: no cover - compiled
    """(a, b, lo, hi) normalised after removing member j from a set of two or more."""
    q = rank[j]
    if j == a:
        a += 1
        while not lo <= rank[a] < hi:
            a += 1
    if j == b:
        b -= 1
        while not lo <= rank[b] < hi:
            b -= 1
    if q == lo:
        lo += 1
        while not a <= spt[lo] <= b:
            lo += 1
    if q == hi - 1:
        hi -= 1
        while not a <= spt[hi - 1] <= b:
            hi -= 1
    return a, b, lo, hi


@njit(cache=True, nogil=True)
def _reduce(a, b, lo, hi, t, p, d, rank, spt, out, start):  # pragma: no cover - compiled
    """Fix jobs at the ends while a rule allows it; the normalised core, its start and the
    tardiness of the fixed jobs: (a, b, lo, hi, t, cost). With a non-empty `out`, writes
    the fixed jobs to out[start:] (first ones in front, last ones at the back).

    Last: a job due no earlier than the end of the set is never tardy there, and moving it
    last only moves the others forward. First: the shortest job f precedes every job j by
    Emmons' first condition, p_f <= p_j and d_f <= max(d_j, t + p_j), when that holds for
    all j: then swapping f with whatever job is first loses nothing.
    """
    a, b, lo, hi, size, total = _normalise(a, b, lo, hi, p, rank)
    cost = np.int64(0)
    fixed_first = 0
    fixed_last = 0
    while a < b:
        if d[b] >= t + total:
            if out.size > 0:
                out[start + size - 1 - fixed_last] = b
            fixed_last += 1
            total -= p[b]
            a, b, lo, hi = _without(b, a, b, lo, hi, rank, spt)
            continue
        f = spt[lo]
        first = True
        for j in range(a, f):  # the members due before f (EDD order: they come first)
            if d[j] >= d[f]:
                break
            if lo <= rank[j] < hi and d[f] > t + p[j]:
                first = False
                break
        if not first:
            break
        if out.size > 0:
            out[start + fixed_first] = f
        fixed_first += 1
        t += p[f]
        cost += _tardiness(t, d[f])
        total -= p[f]
        a, b, lo, hi = _without(f, a, b, lo, hi, rank, spt)
    if a == b:  # one job left
        if out.size > 0:
            out[start + fixed_first] = a
        cost += _tardiness(t + p[a], d[a])
        t += p[a]
        a, b, lo, hi = 0, -1, 0, 0
    return a, b, lo, hi, t, cost


@njit(cache=True, nogil=True)
def pair_bound(a, b, lo, hi, t, p, d, rank, spt):  # pragma: no cover - compiled
    """Σ max(0, C_i − d_(i)): the i-th SPT completion against the i-th smallest due date.

    Valid because the i-th completion of any order is at least the i-th SPT completion and
    pairing sorted completions with sorted due dates minimises a sum of convex terms. Both
    orders come from scans of the global SPT and EDD orders, without sorting.
    """
    completions = np.empty(max(0, min(b - a + 1, hi - lo)), dtype=np.int64)
    count = 0
    completion = t
    for q in range(lo, hi):
        j = spt[q]
        if a <= j <= b:
            completion += p[j]
            completions[count] = completion
            count += 1
    total = np.int64(0)
    i = 0
    for j in range(a, b + 1):
        if lo <= rank[j] < hi:
            total += _tardiness(completions[i], d[j])
            i += 1
    return total


@njit(cache=True, nogil=True)
def _easy_value(jobs, t, p, d, spt, a, b, lo, hi):  # pragma: no cover - compiled
    """(value, choice) when EDD has no tardy job or SPT has no early one; else (-1, NONE)."""
    completion = t
    on_time = True
    for i in range(jobs.size):
        completion += p[jobs[i]]
        if completion > d[jobs[i]]:
            on_time = False
            break
    if on_time:
        return np.int64(0), CHOICE_EDD
    completion = t
    value = np.int64(0)
    for q in range(lo, hi):
        j = spt[q]
        if a <= j <= b:
            completion += p[j]
            if completion < d[j]:
                return np.int64(-1), CHOICE_NONE
            value += completion - d[j]
    return value, CHOICE_SPT


@njit(cache=True, nogil=True)
def _lookup(memo, key):  # pragma: no cover - compiled
    """(value, exact, choice) memoised for key; exact is -1 when there is none."""
    if key in memo:
        return memo[key]
    return (np.int64(-1), np.int64(-1), np.int64(CHOICE_NONE))


@njit(cache=True, nogil=True)
def _store(memo, stats, key, value, exact, choice):  # pragma: no cover - compiled
    """Memoise, keeping the stronger of two lower bounds; nothing new once the memo is full."""
    old = _lookup(memo, key)
    if old[1] < 0:
        if len(memo) >= stats[MAX_ENTRIES]:
            stats[FULL] = 1
            return
    elif old[1] == 1 or (exact == 0 and old[0] >= value):
        return
    memo[key] = (value, exact, choice)


@njit(cache=True, nogil=True)
def _candidates(jobs, t, k, p, d):  # pragma: no cover - compiled
    """Positions of the longest job k allowed by Lawler and Potts–Van Wassenhove.

    k goes right after jobs[i] (i at or after k in EDD order), completing at C = t +
    p(jobs[..i]); kept only if C < d of the next job (else that job would rather precede
    k, by Emmons) and, unless jobs[i] is k itself, d of jobs[i] < C (else it can follow k
    at no cost, which is the position before). Returns (indices i, completion times C).
    """
    m = jobs.size
    index = np.empty(m, dtype=np.int64)
    finish = np.empty(m, dtype=np.int64)
    count = 0
    completion = t
    for i in range(m):
        j = jobs[i]
        completion += p[j]
        if j < k:
            continue
        if i < m - 1 and completion >= d[jobs[i + 1]]:
            continue
        if j != k and d[j] >= completion:
            continue
        index[count] = i
        finish[count] = completion
        count += 1
    if count == 0:  # the theorems rule this out; keep every position rather than none
        completion = t
        for i in range(m):
            completion += p[jobs[i]]
            if jobs[i] >= k:
                index[count] = i
                finish[count] = completion
                count += 1
    return index[:count], finish[:count]


@njit(cache=True, nogil=True)
def solve(a, b, lo, hi, t, ub, p, d, rank, spt, memo, stats, stop):  # pragma: no cover - compiled
    """Least total tardiness of the set (a, b, lo, hi) from t if below `ub`, else a lower
    bound >= ub; -1 when the node cap or `stop` stopped the search (stats[ABORTED] set)."""
    a, b, lo, hi, t, cost = _reduce(a, b, lo, hi, t, p, d, rank, spt, np.empty(0, dtype=np.int64), 0)
    if a > b:
        return cost
    ub -= cost
    key = (a, b, lo, hi, t)
    known = _lookup(memo, key)
    if known[1] == 1 or (known[1] == 0 and known[0] >= ub):
        stats[HITS] += 1
        return cost + known[0]
    if stats[NODES] >= stats[CAP] or stop[0]:
        stats[ABORTED] = 1
        return np.int64(-1)
    stats[NODES] += 1
    jobs = _members(a, b, lo, hi, rank)
    value, choice = _easy_value(jobs, t, p, d, spt, a, b, lo, hi)
    if value >= 0:
        _store(memo, stats, key, value, 1, choice)
        return cost + value
    k = spt[hi - 1]
    index, finish = _candidates(jobs, t, k, p, d)
    count = index.size
    last = jobs.size - 1
    if count == 1:  # a forced split (most nodes): the later side first, and no bounds
        i = index[0]
        tard_k = _tardiness(finish[0], d[k])
        right = np.int64(0)
        if i < last:
            right = solve(jobs[i + 1], b, lo, hi - 1, finish[0], ub - tard_k, p, d, rank, spt, memo, stats,
                          stop)
            if stats[ABORTED]:
                return np.int64(-1)
            if tard_k + right >= ub:
                _store(memo, stats, key, max(tard_k + right, known[0]), 0, CHOICE_NONE)
                return cost + tard_k + right
        left = solve(a, jobs[i], lo, hi - 1, t, ub - tard_k - right, p, d, rank, spt, memo, stats, stop)
        if stats[ABORTED]:
            return np.int64(-1)
        value = left + tard_k + right
        if value < ub:
            _store(memo, stats, key, value, 1, jobs[i])
        else:
            _store(memo, stats, key, max(value, known[0]), 0, CHOICE_NONE)
        return cost + value
    bound = max(pair_bound(a, b, lo, hi, t, p, d, rank, spt), known[0])
    if bound >= ub:
        stats[BOUND_PRUNES] += 1
        _store(memo, stats, key, bound, 0, CHOICE_NONE)
        return cost + bound
    tard_k = np.empty(count, dtype=np.int64)
    left_bound = np.empty(count, dtype=np.int64)
    right_bound = np.empty(count, dtype=np.int64)
    total_bound = np.empty(count, dtype=np.int64)
    for c in range(count):
        i = index[c]
        tard_k[c] = _tardiness(finish[c], d[k])
        left_bound[c] = pair_bound(a, jobs[i], lo, hi - 1, t, p, d, rank, spt)
        right_bound[c] = 0
        if i < last:
            right_bound[c] = pair_bound(jobs[i + 1], b, lo, hi - 1, finish[c], p, d, rank, spt)
        total_bound[c] = left_bound[c] + tard_k[c] + right_bound[c]
    order = np.argsort(total_bound, kind="mergesort")
    best = ub
    found = False
    lower = INFINITY
    best_split = CHOICE_NONE
    for o in range(count):
        c = order[o]
        i = index[c]
        if total_bound[c] >= best:
            lower = min(lower, total_bound[c])
            continue
        # The later side first: it is the more often tardy one, and the tighter bound.
        right = np.int64(0)
        if i < last:
            right = solve(jobs[i + 1], b, lo, hi - 1, finish[c], best - tard_k[c] - left_bound[c],
                          p, d, rank, spt, memo, stats, stop)
            if stats[ABORTED]:
                return np.int64(-1)
            if left_bound[c] + tard_k[c] + right >= best:
                lower = min(lower, left_bound[c] + tard_k[c] + right)
                continue
        left = solve(a, jobs[i], lo, hi - 1, t, best - tard_k[c] - right, p, d, rank, spt, memo, stats,
                     stop)
        if stats[ABORTED]:
            return np.int64(-1)
        value = left + tard_k[c] + right
        if value < best:
            best = value
            found = True
            best_split = jobs[i]
        else:
            lower = min(lower, value)
    if found:
        _store(memo, stats, key, best, 1, best_split)
        return cost + best
    lower = max(lower, bound)
    _store(memo, stats, key, lower, 0, CHOICE_NONE)
    return cost + lower


@njit(cache=True, nogil=True)
def _side_bound(a, b, lo, hi, t, p, d, rank, spt, memo):  # pragma: no cover - compiled
    """A lower bound of a set from t: its pair bound, or what the memo holds if larger."""
    a, b, lo, hi, t, cost = _reduce(a, b, lo, hi, t, p, d, rank, spt, np.empty(0, dtype=np.int64), 0)
    if a > b:
        return cost
    known = _lookup(memo, (a, b, lo, hi, t))
    return cost + max(pair_bound(a, b, lo, hi, t, p, d, rank, spt), known[0])


@njit(cache=True, nogil=True)
def known_bound(a, b, lo, hi, t, p, d, rank, spt, memo):  # pragma: no cover - compiled
    """A lower bound from what the memo holds: the set's own, or the least over the longest
    job's positions of the bounds of the two sides, whichever is larger."""
    a, b, lo, hi, t, cost = _reduce(a, b, lo, hi, t, p, d, rank, spt, np.empty(0, dtype=np.int64), 0)
    if a > b:
        return cost
    own = max(pair_bound(a, b, lo, hi, t, p, d, rank, spt), _lookup(memo, (a, b, lo, hi, t))[0])
    jobs = _members(a, b, lo, hi, rank)
    k = spt[hi - 1]
    index, finish = _candidates(jobs, t, k, p, d)
    split = INFINITY
    for c in range(index.size):
        i = index[c]
        value = _side_bound(a, jobs[i], lo, hi - 1, t, p, d, rank, spt, memo)
        value += _tardiness(finish[c], d[k])
        if i < jobs.size - 1:
            value += _side_bound(jobs[i + 1], b, lo, hi - 1, finish[c], p, d, rank, spt, memo)
        split = min(split, value)
    return cost + max(own, split)


@njit(cache=True, nogil=True)
def rebuild(a, b, lo, hi, t, p, d, rank, spt, memo, stats, stop, out, start):  # pragma: no cover
    """Write an optimal order of the set from t into out[start:]; solves (without a
    threshold) any part the memo lacks. Returns the number of jobs written; once the node cap
    stops a solve (stats[ABORTED]), it unwinds leaving -1 in the places not written."""
    size = _normalise(a, b, lo, hi, p, rank)[4]
    if size == 0 or stats[ABORTED]:
        return size
    a, b, lo, hi, t, _ = _reduce(a, b, lo, hi, t, p, d, rank, spt, out, start)
    if a > b:
        return size
    key = (a, b, lo, hi, t)
    known = _lookup(memo, key)
    if known[1] != 1:
        solve(a, b, lo, hi, t, INFINITY, p, d, rank, spt, memo, stats, stop)
        known = _lookup(memo, key)
    choice = known[2] if known[1] == 1 else _best_split(a, b, lo, hi, t, p, d, rank, spt, memo, stats,
                                                        stop)
    if stats[ABORTED]:
        return size
    jobs = _members(a, b, lo, hi, rank)
    position = start
    while out[position] >= 0:  # past the jobs fixed first
        position += 1
    if choice == CHOICE_EDD:
        for i in range(jobs.size):
            out[position + i] = jobs[i]
    elif choice == CHOICE_SPT:
        for q in range(lo, hi):
            j = spt[q]
            if a <= j <= b:
                out[position] = j
                position += 1
    else:
        k = spt[hi - 1]
        position += rebuild(a, choice, lo, hi - 1, t, p, d, rank, spt, memo, stats, stop, out, position)
        out[position] = k
        finish = t
        for i in range(jobs.size):
            finish += p[jobs[i]]
            if jobs[i] == choice:
                break
        rebuild(choice + 1, b, lo, hi - 1, finish, p, d, rank, spt, memo, stats, stop, out, position + 1)
    return size


@njit(cache=True, nogil=True)
def _best_split(a, b, lo, hi, t, p, d, rank, spt, memo, stats, stop):  # pragma: no cover - compiled
    """The choice at a core the memo had no room for, found by solving its sides."""
    jobs = _members(a, b, lo, hi, rank)
    value, choice = _easy_value(jobs, t, p, d, spt, a, b, lo, hi)
    if value >= 0:
        return choice
    k = spt[hi - 1]
    index, finish = _candidates(jobs, t, k, p, d)
    best = INFINITY
    best_split = CHOICE_NONE
    for c in range(index.size):
        i = index[c]
        total = solve(a, jobs[i], lo, hi - 1, t, INFINITY, p, d, rank, spt, memo, stats, stop)
        total += _tardiness(finish[c], d[k])
        if i < jobs.size - 1:
            total += solve(jobs[i + 1], b, lo, hi - 1, finish[c], INFINITY, p, d, rank, spt, memo, stats,
                           stop)
        if total < best:
            best = total
            best_split = jobs[i]
    return best_split
