"""Start windows of an RCPSP for a trial horizon T, tightened by cheap propagation.

Every schedule of makespan <= T starts activity j within [est_j, lst_j]: the heads and tails
of the precedence network, then, until nothing changes, the longest paths again, the
disjunctive pairs (two activities whose demands exceed a capacity together and that no path
orders run one after the other) and energetic reasoning per resource (the work that must
fall into a time interval fits its capacity; heads and deadlines adjusted where an activity
cannot take its extreme position). An empty window refutes T. Used by bounds_cg.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from schedkit.common.kernel_cache import njit
from schedkit.errors import ProblemTooLarge
from schedkit.rcpsp.model import RCPSPInstance

NONE = -(2**40)  # no path (a distance below every real one)
MAX_ROUNDS = 50
MAX_ACTIVITIES = 1_000  # the distance matrix is n x n


@dataclass(frozen=True)
class Network:
    """What the windows of every horizon share: durations, demands, capacities, the
    start-to-start longest paths (NONE: no path) and the disjunctive pairs."""

    d: np.ndarray
    q: np.ndarray
    c: np.ndarray
    dist: np.ndarray
    clash: np.ndarray  # clash[i, j]: no path joins i and j and they exceed a capacity together
    head: np.ndarray  # earliest start with the horizon unbounded
    tail: np.ndarray  # longest path from the start of j to the project's end


def network(instance: RCPSPInstance) -> Network:
    """The distances (longest paths over a reverse topological order) and the pairs;
    ProblemTooLarge beyond MAX_ACTIVITIES or where the work sums could pass int64."""
    n, d = instance.n, instance.durations.astype(np.int64)
    if instance.lags is not None:
        raise ProblemTooLarge("the feasible-subset bound takes no time lags (RCPSP/max)")
    span = int(d.sum()) + 1
    if n > MAX_ACTIVITIES or (n + 1) * span * int(instance.capacities.max(initial=1)) >= 2**62:
        raise ProblemTooLarge(f"the feasible-subset bound takes at most {MAX_ACTIVITIES} activities "
                              "and work sums below 2^62")
    dist = np.full((n, n), NONE, dtype=np.int64)
    for i in instance.order[::-1].tolist():
        dist[i, i] = 0
        for s in instance.successors[i].tolist():
            dist[i] = np.maximum(dist[i], np.where(dist[s] > NONE, dist[s] + d[i], NONE))
    q, c = instance.demands.astype(np.int64), instance.capacities.astype(np.int64)
    related = (dist > NONE) | (dist.T > NONE)
    busy = d > 0
    over = np.zeros((n, n), dtype=bool)
    for k in range(c.size):
        over |= (q[:, k][:, None] + q[:, k][None, :]) > c[k]
    clash = over & ~related & busy[:, None] & busy[None, :]
    head = np.max(np.where(dist > NONE, 0, NONE) + dist, axis=0) if n else np.zeros(0, np.int64)
    head = np.maximum(head, 0)
    tail = np.max(np.where(dist > NONE, dist + d[None, :], NONE), axis=1)
    return Network(d, q, c, dist, clash, head, tail)


def _paths(net: Network, est: np.ndarray, lst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Heads pushed forward and latest starts pulled back along the longest paths."""
    reach = net.dist > NONE
    est = np.max(np.where(reach, est[:, None] + net.dist, NONE), axis=0)
    lst = np.min(np.where(reach, lst[None, :] - net.dist, -NONE), axis=1)
    return est, lst


def _pairs(net: Network, est: np.ndarray, lst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A clashing pair where i cannot end before j's latest start runs j first."""
    d = net.d
    first = net.clash & ((est + d)[:, None] > lst[None, :])  # first[i, j]: j before i
    est = np.maximum(est, np.max(np.where(first, (est + d)[None, :], NONE), axis=1))
    lst = np.minimum(lst, np.min(np.where(first, lst[:, None] - d[None, :], -NONE), axis=0))
    return est, lst


@njit(cache=True, nogil=True)
def _energy_kernel(d, q, c, est, lst, starts, ends):  # type: ignore[no-untyped-def]
    """Energetic reasoning over [a, b) for a in starts, b in ends: (est, lst, consistent)."""
    n, kinds = d.size, c.size
    new_est, new_lst = est.copy(), lst.copy()
    low = np.zeros(n, dtype=np.int64)
    for a in starts:
        for b in ends:
            if b <= a:
                continue
            length = b - a
            for j in range(n):
                low[j] = max(0, min(min(length, d[j]), min(est[j] + d[j] - a, b - lst[j])))
            for k in range(kinds):
                work = 0
                for j in range(n):
                    work += low[j] * q[j, k]
                room = c[k] * length - work
                if room < 0:
                    return new_est, new_lst, False
                for j in range(n):
                    if q[j, k] == 0 or d[j] == 0:
                        continue
                    slack = room + low[j] * q[j, k]
                    left = max(0, min(est[j] + d[j], b) - max(est[j], a))
                    if left * q[j, k] > slack:
                        new_est[j] = max(new_est[j], b - slack // q[j, k])
                    right = max(0, min(lst[j] + d[j], b) - max(lst[j], a))
                    if right * q[j, k] > slack:
                        new_lst[j] = min(new_lst[j], a + slack // q[j, k] - d[j])
    return new_est, new_lst, True


def _energy(net: Network, est: np.ndarray, lst: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray] | None:
    """Energetic reasoning over the intervals [a, b) with a a head or latest start and b an
    earliest or latest end; None when some interval holds more work than its capacity."""
    busy = net.d > 0
    starts = np.unique(np.concatenate([est[busy], lst[busy]]))
    ends = np.unique(np.concatenate([est[busy] + net.d[busy], lst[busy] + net.d[busy]]))
    new_est, new_lst, consistent = _energy_kernel(net.d, net.q, net.c, est, lst, starts, ends)
    return (new_est, new_lst) if consistent else None


def propagate(net: Network, est: np.ndarray, lst: np.ndarray, energy: bool = True,
              until: float = float("inf")) -> tuple[np.ndarray, np.ndarray] | None:
    """The windows after paths, pairs and (with `energy`) energetic reasoning to a fixpoint, or
    as far as they got by perf_counter() `until` (still valid, only wider); None: some window
    empties."""
    for _ in range(MAX_ROUNDS):
        if time.perf_counter() > until:
            break
        before = (est.copy(), lst.copy())
        est, lst = _pairs(net, *_paths(net, est, lst))
        if np.any(est > lst):
            return None
        if energy:
            tightened = _energy(net, est, lst)
            if tightened is None:
                return None
            est, lst = tightened
            if np.any(est > lst):
                return None
        if np.array_equal(est, before[0]) and np.array_equal(lst, before[1]):
            break
    return est, lst


def _shave(net: Network, est: np.ndarray, lst: np.ndarray, energy: bool, until: float
           ) -> tuple[np.ndarray, np.ndarray] | None:
    """One pass of shaving: each busy activity's head moves past the starts whose trial window
    [est, est + step) propagation refutes (steps halving), its latest start likewise."""
    for j in np.flatnonzero(net.d > 0).tolist():
        for side in (0, 1):
            step = max(1, int(lst[j] - est[j] + 1) // 2)
            while step >= 1 and est[j] <= lst[j] and time.perf_counter() < until:
                trial_est, trial_lst = est.copy(), lst.copy()
                if side == 0:
                    trial_lst[j] = min(lst[j], est[j] + step - 1)
                else:
                    trial_est[j] = max(est[j], lst[j] - step + 1)
                if propagate(net, trial_est, trial_lst, energy) is None:
                    if side == 0:
                        est[j] += step
                    else:
                        lst[j] -= step
                    found = propagate(net, est, lst, energy)
                    if found is None:
                        return None
                    est, lst = found
                else:
                    step //= 2
    return est, lst


def windows(net: Network, horizon: int, energy: bool = True, shaving: int = 0,
            until: float = float("inf")) -> tuple[np.ndarray, np.ndarray] | None:
    """(est, lst) for makespan <= horizon after propagation to a fixpoint and up to `shaving`
    passes of shaving (cut short at perf_counter() `until`: the windows so far); None: refuted."""
    found = propagate(net, net.head.copy(), horizon - net.tail, energy, until)
    for _ in range(shaving):
        if found is None:
            break
        before = found[0].copy(), found[1].copy()
        found = _shave(net, found[0].copy(), found[1].copy(), energy, until)
        if found is not None and np.array_equal(found[0], before[0]) and np.array_equal(found[1], before[1]):
            break
    return found
