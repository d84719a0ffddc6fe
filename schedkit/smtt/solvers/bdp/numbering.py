"""The job numbering of the stages: a linear extension of the precedences, EDD among free jobs.

The adjacency restriction breaks a tie (both orders of an adjacent pair cost the same) by job
number. When the numbering extends the precedences, a run of tied or precedence-ordered pairs
climbs in number, so no job can come back within it: in the on-time region (every order costs
0) the relaxed path can no longer cycle through the same jobs (standin100#38: 68, 79, 82, 92,
96, 54, 68, ... with 96 -> 54 a precedence). Due dates first: on-time runs in EDD order.
"""

from __future__ import annotations

import heapq

import numpy as np


def stage_order(d: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Jobs in the stages' numbering (job k of the stages is job order[k]): every job after
    its predecessors in `before`, the earliest due date first among those free (then index)."""
    n = d.size
    waiting = before.sum(axis=0).astype(np.int64)  # predecessors not yet numbered
    free = [(int(d[j]), j) for j in range(n) if waiting[j] == 0]
    heapq.heapify(free)
    order = []
    while free:
        _, j = heapq.heappop(free)
        order.append(j)
        for k in np.flatnonzero(before[j]):
            waiting[k] -= 1
            if waiting[k] == 0:
                heapq.heappush(free, (int(d[k]), int(k)))
    if len(order) != n:
        raise ValueError("the precedences have a cycle")
    return np.array(order, dtype=np.int64)
