"""Cheap lower bounds on Σ wj·Tj from numpy and plain Python alone (no kernel to compile), for the
answers exact methods give when their own search ran out of time.

- WSPT: Tj >= Cj − dj, and Smith's order minimises Σ wj·Cj, so Σ wj·Tj >= Σ wj·Cj(WSPT) − Σ wj·dj.
- Assignment: the job at position k completes at least at its own p plus the k − 1 smallest other
  processing times, and its cost grows with its completion: the least-cost assignment of jobs
  to positions at those completions is a bound (Hungarian method, up to ASSIGNMENT_MAX_JOBS).
- Pairing: beyond, with equal weights the least assignment to the completions S_k (the k
  smallest processing times) pairs them with the due dates in EDD order (Chu 1992); times the
  least weight it bounds the weighted sum too.

Every exact method's answer gets the best of them when its own bound is weaker or missing
(`strengthen`, applied by `compiling.within_budget` and `auto`).
"""

from __future__ import annotations

import numpy as np

from schedkit.common.finish import finish
from schedkit.result import Result
from schedkit.smtt.model import SMTTInstance

ASSIGNMENT_MAX_JOBS = 40  # the Hungarian method in plain Python: O(n³), some 30 ms at 40 jobs
SAFE_INT64 = 2**62
CHEAP_MAX_JOBS = 100_000  # beyond, the sorts and sums take a good part of a second: bound 0
_last: tuple[SMTTInstance, int] | None = None  # the last instance `cheap_bound` bounded, and its bound


def _weighted_sum(w: np.ndarray, x: np.ndarray) -> int:
    """Σ w·x exactly: in int64 when no partial sum can overflow it, else in Python integers."""
    reach = int(np.abs(w).max(initial=0)) * int(np.abs(x).max(initial=0)) * max(1, w.size)
    if reach < SAFE_INT64:
        return int(np.dot(w.astype(np.int64), x.astype(np.int64)))
    return sum(wj * xj for wj, xj in zip(w.tolist(), x.tolist(), strict=True))


def wspt_bound(instance: SMTTInstance) -> int:
    """max(0, Σ wj·(Cj − min(dj, Σp))) in Smith's order (largest w/p first, zero weights last):
    a job due after Σp is never late."""
    p, d, w = instance.p, instance.d, instance.w
    if instance.n == 0:
        return 0
    order = np.argsort(np.where(w > 0, p / np.maximum(w, 1), np.inf), kind="stable")
    completion = np.cumsum(p[order])
    return max(0, _weighted_sum(w[order], completion - np.minimum(d[order], completion[-1])))


def pairing_bound(instance: SMTTInstance) -> int:
    """min w · Σ max(0, S_k − d_[k]): S_k the k smallest processing times, d_[k] the k-th due date."""
    if instance.n == 0:
        return 0
    late = np.maximum(0, np.cumsum(np.sort(instance.p)) - np.sort(instance.d))
    return int(instance.w.min()) * _weighted_sum(np.ones(instance.n, dtype=np.int64), late)


def _position_costs(instance: SMTTInstance) -> list[list[int]]:
    """cost[k][j]: w_j · max(0, p_j + the k smallest other processing times − d_j)."""
    p, d, w = instance.p.tolist(), instance.d.tolist(), instance.w.tolist()
    n = len(p)
    ranked = sorted(range(n), key=lambda j: p[j])
    rank = {job: r for r, job in enumerate(ranked)}
    prefix = [0]
    for job in ranked:
        prefix.append(prefix[-1] + p[job])
    costs = []
    for k in range(n):  # k other jobs before: the k smallest, skipping j itself when among them
        row = []
        for j in range(n):
            others = prefix[k] if k <= rank[j] else prefix[k + 1] - p[j]
            row.append(w[j] * max(0, p[j] + others - d[j]))
        costs.append(row)
    return costs


def least_assignment(costs: list[list[int]]) -> int:
    """The least Σ costs[k][π(k)] over permutations π (Hungarian method with potentials)."""
    n = len(costs)
    infinity = 1 + 4 * sum(abs(cost) for row in costs for cost in row)  # above any reduced cost
    u, v = [0] * (n + 1), [0] * (n + 1)
    owner = [0] * (n + 1)  # owner[j]: the row (1-based) assigned to column j, 0 for none
    for row in range(1, n + 1):
        owner[0] = row
        column = 0
        least = [infinity] * (n + 1)
        previous = [0] * (n + 1)
        used = [False] * (n + 1)
        while owner[column]:
            used[column] = True
            i, delta, chosen = owner[column], infinity, 0
            for j in range(1, n + 1):
                if used[j]:
                    continue
                reduced = costs[i - 1][j - 1] - u[i] - v[j]
                if reduced < least[j]:
                    least[j], previous[j] = reduced, column
                if least[j] < delta:
                    delta, chosen = least[j], j
            for j in range(n + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            column = chosen
        while column:
            before = previous[column]
            owner[column] = owner[before]
            column = before
    return sum(costs[owner[j] - 1][j - 1] for j in range(1, n + 1))


def assignment_bound(instance: SMTTInstance) -> int:
    """The least assignment of jobs to positions at their earliest possible completions."""
    return least_assignment(_position_costs(instance)) if instance.n else 0


def lower_bound(instance: SMTTInstance) -> int:
    """The best of the bounds above that fit the size (see the module)."""
    best = max(wspt_bound(instance), pairing_bound(instance))
    if instance.n <= ASSIGNMENT_MAX_JOBS:
        best = max(best, assignment_bound(instance))
    return best


def cheap_bound(instance: SMTTInstance) -> int:
    """`lower_bound` up to CHEAP_MAX_JOBS jobs, else 0 (the last instance's is kept)."""
    global _last
    last = _last
    if last is not None and last[0] is instance:
        return last[1]
    bound = lower_bound(instance) if instance.n <= CHEAP_MAX_JOBS else 0
    _last = (instance, bound)
    return bound


def strengthen(instance: SMTTInstance, result: Result) -> Result:
    """A `feasible` answer with no bound or a weaker one than `cheap_bound` gets that bound
    (`optimal` when it meets the objective; stats["cheap_bound"] says so)."""
    if result.status != "feasible" or result.objective is None:
        return result
    bound = cheap_bound(instance)
    if result.bound is not None and result.bound >= bound:
        return result
    return finish(result.objective, bound, False, result.solution, {**result.stats, "cheap_bound": bound})
