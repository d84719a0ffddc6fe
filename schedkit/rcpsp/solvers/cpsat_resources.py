"""The resource constraints both RCPSP CP-SAT models (plain and with time lags) share."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from schedkit.rcpsp.model import RCPSPInstance

CHECK_EVERY = 1_000  # redundant constraints added between looks at the build deadline


def past(until: float, count: int) -> bool:
    """True every CHECK_EVERY-th count once perf_counter() has passed `until`: the loops adding
    redundant constraints (up to n² of them, some 40 µs each) stop there."""
    return count % CHECK_EVERY == 0 and time.perf_counter() >= until


def add_cumulatives(model: Any, instance: RCPSPInstance, intervals: list[Any]) -> None:
    """At every time each resource serves at most its capacity."""
    q, d = instance.demands, instance.durations
    for k, capacity in enumerate(instance.capacities.tolist()):
        users = [j for j in np.flatnonzero(q[:, k] > 0).tolist() if d[j] > 0]
        if users:
            model.add_cumulative([intervals[j] for j in users], [int(q[j, k]) for j in users],
                                 int(capacity))


def clashes(demands: np.ndarray, capacities: np.ndarray) -> np.ndarray:
    """clash[i, j]: the demands of i and j together exceed some capacity. Built resource by
    resource over the activities that can clash there (demand plus the largest one above the
    capacity), so memory stays n x n whatever the number of resources (the n x n x K sum took
    gigabytes: 18 GB at 1500 activities and 1000 resources)."""
    n = demands.shape[0]
    clash = np.zeros((n, n), dtype=bool)
    for k, capacity in enumerate(capacities.tolist()):
        column = demands[:, k]
        if n == 0 or 2 * int(column.max()) <= capacity:
            continue
        candidates = np.flatnonzero(column + column.max() > capacity)
        values = column[candidates]
        clash[np.ix_(candidates, candidates)] |= values[:, None] + values[None, :] > capacity
    return clash
