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


def critical_path(instance: RCPSPInstance) -> int:
    """Length of the longest path (LB0)."""
    es = earliest_starts(instance)
    return int(np.max(es + instance.durations))


def resource_bound(instance: RCPSPInstance) -> int:
    """max over resources of ceil(work / capacity) (LB1); 0 without resource use."""
    work = instance.durations @ instance.demands  # per resource
    best = 0
    for k, capacity in enumerate(instance.capacities.tolist()):
        if capacity > 0:
            best = max(best, -(-int(work[k]) // capacity))
    return best


def lower_bound(instance: RCPSPInstance) -> int:
    """max(LB0, LB1)."""
    return max(critical_path(instance), resource_bound(instance))
