"""Redundant no_overlap constraints for the RCPSP CP-SAT model: cliques of activities no two of
which can run at once (joined by a path, or demanding more than a capacity together).

CP-SAT's cumulative already reasons disjunctively over the activities of ONE resource that
pairwise exceed its capacity; a clique here may mix resources and precedences (i clashes with j
on resource 1, j with k on resource 2, i precedes k), which no single cumulative sees, so the
no_overlap's edge finding and detectable precedences prune more.
"""

from __future__ import annotations

import numpy as np

from schedkit.rcpsp.solvers.cpsat_resources import clashes

MIN_CLIQUE = 3  # a pair is already an order literal or a precedence
MAX_CLIQUES_PER_ACTIVITY = 1  # one greedy clique grown from each activity (duplicates dropped)


def conflicts(demands: np.ndarray, capacities: np.ndarray, durations: np.ndarray,
              dist: np.ndarray) -> np.ndarray:
    """conflict[i, j]: i and j (both of positive duration, i != j) never overlap: a path joins
    them (dist >= 0 either way) or their demands together exceed some capacity."""
    clash = clashes(demands, capacities)
    ordered = (dist >= 0) | (dist.T >= 0)
    busy = durations > 0
    conflict = (clash | ordered) & busy[:, None] & busy[None, :]
    np.fill_diagonal(conflict, False)
    return conflict


def greedy_cliques(conflict: np.ndarray, clash: np.ndarray, weight: np.ndarray) -> list[list[int]]:
    """One maximal clique of `conflict` grown from each vertex (adding the heaviest candidate
    first), kept when it has >= MIN_CLIQUE members and at least one `clash` pair (a clique of
    precedences alone adds nothing); duplicates removed, sorted members."""
    n = conflict.shape[0]
    seen: set[tuple[int, ...]] = set()
    cliques: list[list[int]] = []
    for v in np.argsort(-weight, kind="stable").tolist():
        members = [v]
        candidates = conflict[v].copy()
        while candidates.any():
            pool = np.flatnonzero(candidates)
            u = int(pool[np.argmax(weight[pool])])
            members.append(u)
            candidates &= conflict[u]
        key = tuple(sorted(members))
        if len(key) < MIN_CLIQUE or key in seen:
            continue
        index = np.array(key)
        if not clash[np.ix_(index, index)].any():
            continue
        seen.add(key)
        cliques.append(list(key))
    assert len(cliques) <= n * MAX_CLIQUES_PER_ACTIVITY
    return cliques


def no_overlap_cliques(demands: np.ndarray, capacities: np.ndarray, durations: np.ndarray,
                       dist: np.ndarray) -> list[list[int]]:
    """The cliques of activities that pairwise never overlap, for redundant no_overlaps
    (weight: duration, so long activities anchor the cliques)."""
    clash = clashes(demands, capacities)
    conflict = conflicts(demands, capacities, durations, dist)
    return greedy_cliques(conflict, clash & conflict, durations.astype(np.float64)
                          + conflict.sum(axis=1) / (conflict.shape[0] + 1.0))
