"""Pricing for the feasible-subset LP (bounds_cg.py): the heaviest set of activities that may
run together, by depth-first branch and bound (numba).

A set may run together when no path joins two of its members and its demands fit every
capacity. Candidates come heaviest first; the bound is the weight so far plus the weights of
the candidates still open.
"""

from __future__ import annotations

import numpy as np

from schedkit.common.kernel_cache import njit

MAX_NODES = 2_000_000  # per call: past it, the sum of all weights is the upper bound


@njit(cache=True, nogil=True)
def _search(w, q, cap, rel, max_nodes):  # type: ignore[no-untyped-def]
    """(best weight, membership of the best set, stopped early) over candidates sorted by weight."""
    m, kinds = w.size, cap.size
    rest = np.zeros(m + 1)
    for i in range(m - 1, -1, -1):
        rest[i] = rest[i + 1] + w[i]
    left = np.zeros((m + 1, kinds), dtype=np.int64)
    left[0] = cap
    total = np.zeros(m + 1)
    take = np.zeros(m, dtype=np.bool_)
    state = np.zeros(m + 1, dtype=np.int8)
    best, chosen, nodes, i = 0.0, np.zeros(m, dtype=np.bool_), 0, 0
    while i >= 0:
        if state[i] == 0:
            if total[i] > best:
                best = total[i]
                chosen[:] = False
                chosen[:i] = take[:i]
            if i == m or total[i] + rest[i] <= best + 1e-12:
                i -= 1
                continue
            nodes += 1
            if nodes > max_nodes:
                return best, chosen, True
            state[i] = 1
            fits = True
            for j in range(i):
                if take[j] and rel[i, j]:
                    fits = False
                    break
            for k in range(kinds):
                if q[i, k] > left[i, k]:
                    fits = False
            if fits:
                take[i] = True
                left[i + 1] = left[i] - q[i]
                total[i + 1] = total[i] + w[i]
                state[i + 1] = 0
                i += 1
                continue
        if state[i] == 1:
            state[i] = 2
            take[i] = False
            left[i + 1] = left[i]
            total[i + 1] = total[i]
            state[i + 1] = 0
            i += 1
            continue
        take[i] = False
        i -= 1
    return best, chosen, False


def heaviest_set(weights: np.ndarray, demands: np.ndarray, capacities: np.ndarray,
                 related: np.ndarray) -> tuple[float, list[int], float]:
    """(weight, members, upper bound on the best weight) over the candidates 0..m-1; the bound
    equals the weight unless the search stopped at MAX_NODES."""
    order = np.argsort(-weights, kind="stable")
    best, chosen, stopped = _search(np.ascontiguousarray(weights[order], dtype=np.float64),
                                    np.ascontiguousarray(demands[order], dtype=np.int64),
                                    np.ascontiguousarray(capacities, dtype=np.int64),
                                    np.ascontiguousarray(related[np.ix_(order, order)]), MAX_NODES)
    members = order[chosen].tolist()
    upper = float(weights.sum()) if stopped else float(best)
    return float(best), members, upper
