"""The resource constraints both RCPSP CP-SAT models (plain and with time lags) share."""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.rcpsp.model import RCPSPInstance


def add_cumulatives(model: Any, instance: RCPSPInstance, intervals: list[Any]) -> None:
    """At every time each resource serves at most its capacity."""
    q, d = instance.demands, instance.durations
    for k, capacity in enumerate(instance.capacities.tolist()):
        users = [j for j in np.flatnonzero(q[:, k] > 0).tolist() if d[j] > 0]
        if users:
            model.add_cumulative([intervals[j] for j in users], [int(q[j, k]) for j in users],
                                 int(capacity))
