"""The DAG path without numba: what a method answers while its kernels still compile.

On a cold numba cache a process's first DAG call compiles the list-scheduling kernels (several
seconds), so a short time limit used to end `unknown`. Until they are ready, methods answer
with the simplest valid schedule: every task on the processor of least total cost, in
topological order, back to back. One processor runs one task at a time and pays no
communication delay, so every edge holds; its makespan is that processor's total cost.
"""

from __future__ import annotations

import numpy as np

from schedkit.dag.model import DAGInstance, frontiers

NOTE = ("the numba kernels were still compiling: every task on the processor of least total "
        "cost, in topological order, back to back")


def one_processor(instance: DAGInstance) -> tuple[np.ndarray, np.ndarray]:
    """(processor, start) per task: all on the cheapest processor (lowest index on ties), each
    starting when the one before it in topological order (frontier by frontier) ends."""
    chosen = int(np.argmin(instance.cost.sum(axis=0)))
    order = np.concatenate([ready for ready, _ in frontiers(instance.n, instance.edges)])
    cost = instance.cost[order, chosen]
    start = np.empty(instance.n, np.int64)
    start[order] = np.cumsum(cost) - cost
    return np.full(instance.n, chosen, np.int64), start
