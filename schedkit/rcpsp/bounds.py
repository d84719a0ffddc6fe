"""RCPSP lower bounds on the makespan: the critical path and the resource (energy) bound.

LB0: the longest path in the precedence network (durations as lengths).
LB1: for each resource k, ceil(Σ_j d_j·q_jk / c_k): its work cannot be done faster at capacity.
Both are cheap and valid; the heuristics report max(LB0, LB1) as their `bound`, so a schedule
that reaches it is proven optimal.
"""

from __future__ import annotations

import numpy as np

from schedkit.rcpsp.heuristics.plain import earliest_starts
from schedkit.rcpsp.model import RCPSPInstance

WORK_BLOCK = 900  # activities: 900 · MAX_DURATION (10^7) · MAX_AMOUNT (10^9) < 2^63


def critical_path(instance: RCPSPInstance) -> int:
    """Length of the longest path (LB0)."""
    es = earliest_starts(instance)
    return int(np.max(es + instance.durations))


def work(instance: RCPSPInstance) -> list[int]:
    """Σ_j d_j·q_jk per resource k, exactly: it reaches 10^5 · 10^7 · 10^9 = 10^21, beyond int64
    (d @ q wrapped round silently), so blocks of WORK_BLOCK activities (each sum at most
    9·10^18) are added up as Python ints."""
    d, q = instance.durations, instance.demands
    totals = [0] * q.shape[1]
    for first in range(0, d.size, WORK_BLOCK):
        part = d[first:first + WORK_BLOCK] @ q[first:first + WORK_BLOCK]
        totals = [a + b for a, b in zip(totals, part.tolist(), strict=True)]
    return totals


def resource_bound(instance: RCPSPInstance) -> int:
    """max over resources of ceil(work / capacity) (LB1); 0 without resource use."""
    best = 0
    for total, capacity in zip(work(instance), instance.capacities.tolist(), strict=True):
        if capacity > 0:
            best = max(best, -(-total // capacity))
    return best


def lower_bound(instance: RCPSPInstance) -> int:
    """max(LB0, LB1)."""
    return max(critical_path(instance), resource_bound(instance))
