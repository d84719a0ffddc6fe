"""Temporal analysis of RCPSP/max time lags: the longest-path distances between activities, the
earliest starts, and a cycle of positive length when one makes the lags unsatisfiable.

The lag graph has an arc i -> j of length l_ij for every time lag (S[j] >= S[i] + l_ij). With
starts >= 0, a schedule that meets the lags exists exactly when no cycle has positive length
(resources aside); then D[i, j], the longest path length from i to j (NO_PATH without one),
gives S[j] >= S[i] + D[i, j] in every schedule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schedkit.common.compile import compiled_or_twin
from schedkit.common.kernel_cache import njit
from schedkit.errors import ProblemTooLarge
from schedkit.rcpsp.model import RCPSPInstance

NO_PATH = -(2**62)
MAX_DISTANCE_ACTIVITIES = 1_500  # the distance matrix is n x n and Floyd-Warshall n^3
# Above this, Floyd-Warshall as plain Python (while the kernels compile) takes seconds: the
# compiled kernel is waited for instead.
MAX_TWIN_ACTIVITIES = 100


@njit(cache=True, nogil=True)
def _bellman_ford(n, succ_ptr, succ_idx, lag_idx):  # type: ignore[no-untyped-def]
    """Longest paths from a virtual source joined to every activity at length 0 (so starts
    >= 0): (earliest starts, an activity on or behind a positive cycle or -1, predecessors)."""
    es = np.zeros(n, dtype=np.int64)
    before = np.full(n, -1, dtype=np.int64)
    changed = -1
    for _ in range(n + 1):
        changed = -1
        for i in range(n):
            for a in range(succ_ptr[i], succ_ptr[i + 1]):
                j = succ_idx[a]
                if es[i] + lag_idx[a] > es[j]:
                    es[j] = es[i] + lag_idx[a]
                    before[j] = i
                    changed = j
        if changed < 0:
            break
    return es, changed, before


@njit(cache=True, nogil=True)
def _floyd(n, succ_ptr, succ_idx, lag_idx, no_path):  # type: ignore[no-untyped-def]
    """All-pairs longest path lengths (no_path where none; 0 on the diagonal)."""
    dist = np.full((n, n), no_path, dtype=np.int64)
    for i in range(n):
        dist[i, i] = 0
        for a in range(succ_ptr[i], succ_ptr[i + 1]):
            j = succ_idx[a]
            if lag_idx[a] > dist[i, j]:
                dist[i, j] = lag_idx[a]
    for k in range(n):
        for i in range(n):
            if dist[i, k] == no_path:
                continue
            for j in range(n):
                if dist[k, j] != no_path and dist[i, k] + dist[k, j] > dist[i, j]:
                    dist[i, j] = dist[i, k] + dist[k, j]
    return dist


@dataclass(frozen=True)
class Temporal:
    """The outcome of the analysis: `cycle` (activities, closed: [a, ..., a]) and its
    `cycle_length` when the lags are unsatisfiable; else `earliest` starts and `distances`."""

    earliest: np.ndarray | None
    distances: np.ndarray | None
    cycle: list[int] | None = None
    cycle_length: int = 0

    @property
    def feasible(self) -> bool:
        """No cycle of positive length."""
        return self.cycle is None


def _cycle(instance: RCPSPInstance, node: int, before: np.ndarray) -> tuple[list[int], int]:
    """The positive cycle Bellman-Ford's predecessors lead back to, along the arcs, and its length."""
    for _ in range(instance.n):  # walk back far enough to be on the cycle itself
        node = int(before[node])
    cycle = [node]
    walk = int(before[node])
    while walk != node:
        cycle.append(walk)
        walk = int(before[walk])
    cycle.reverse()
    cycle.append(cycle[0])
    length = 0
    for i, j in zip(cycle[:-1], cycle[1:], strict=True):
        row = instance.successors[i]
        lags = instance.lags[i] if instance.lags is not None else np.full(row.size, instance.durations[i])
        length += int(lags[row == j].max())
    return cycle, length


def analyse(instance: RCPSPInstance) -> Temporal:
    """Earliest starts and distances, or the positive cycle that makes the lags infeasible."""
    if instance.n > MAX_DISTANCE_ACTIVITIES:
        raise ProblemTooLarge(f"time lags: {instance.n} activities exceeds "
                              f"{MAX_DISTANCE_ACTIVITIES} (the distance matrix is n x n)")
    es, changed, before = compiled_or_twin(_bellman_ford)(instance.n, instance.succ_ptr,
                                                          instance.succ_idx, instance.lag_idx)
    if changed >= 0:
        cycle, length = _cycle(instance, int(changed), before)
        return Temporal(None, None, cycle, length)
    floyd = _floyd if instance.n > MAX_TWIN_ACTIVITIES else compiled_or_twin(_floyd)
    dist = floyd(instance.n, instance.succ_ptr, instance.succ_idx, instance.lag_idx, NO_PATH)
    return Temporal(es, dist)


def overload(instance: RCPSPInstance) -> str | None:
    """Why no schedule exists when an activity of positive duration demands more than a
    capacity (allowed in RCPSP/max projects only), else None."""
    over = (instance.demands > instance.capacities[None, :]) & (instance.durations[:, None] > 0)
    if not np.any(over):
        return None
    j, k = (int(v) for v in np.argwhere(over)[0])
    return (f"activity {j} demands {instance.demands[j, k]} of resource {k} but its capacity is "
            f"{instance.capacities[k]}")


def lag_horizon(instance: RCPSPInstance) -> int:
    """A time by which some feasible schedule ends, if any does: Σ_i max(d_i, largest lag out
    of i, 0) + max d (Bartusch, Möhring & Radermacher 1988 bound the starts by the sum)."""
    d = instance.durations
    total = 0
    for i in range(instance.n):
        lags = instance.lag_idx[instance.succ_ptr[i]:instance.succ_ptr[i + 1]]
        total += max(int(d[i]), int(lags.max()) if lags.size else 0, 0)
    return total + int(d.max())


def lag_lower_bound(instance: RCPSPInstance, temporal: Temporal) -> int:
    """max_j (earliest start + duration): the makespan of the lags alone."""
    assert temporal.earliest is not None
    return int(np.max(temporal.earliest + instance.durations))
