"""The lexicographic objective of a placement (per priority tier: unplaced, then disturbance),
its scalar encoding, and the placement figures every method reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # model.py re-exports these functions: a runtime import would be circular
    from schedkit.pods.model import PodsInstance


def objective_vector(instance: PodsInstance, nodes: np.ndarray) -> list[tuple[int, int, int]]:
    """Per tier (priority, unplaced pods of priority >= it, disturbance of running pods of priority >= it)."""
    prio = instance.pod_priority
    current = instance.pod_node
    placed = nodes >= 0
    disturbance = np.where(current >= 0, np.where(~placed, 1, np.where(nodes != current, 2, 0)), 0)
    rows = []
    for tier in instance.tiers.tolist():
        mask = prio >= tier
        rows.append((int(tier), int(np.sum(mask & ~placed)), int(np.sum(disturbance[mask]))))
    return rows


def encode(vector: Sequence[tuple[int, int, int]], n_pods: int) -> int:
    """The scalar objective of a vector: digits (unplaced, disturbance) per tier in base 2n+1."""
    base = 2 * n_pods + 1
    value = 0
    for _, unplaced, disturbance in vector:
        value = (value * base + unplaced) * base + disturbance
    return value


def objective(instance: PodsInstance, nodes: np.ndarray) -> int:
    """The scalar objective of a placement given as node indices per pod."""
    return encode(objective_vector(instance, nodes), instance.n_pods)


def placement_stats(instance: PodsInstance, nodes: np.ndarray) -> dict[str, Any]:
    """The figures every method reports: placed per priority, moves, evictions, the vector."""
    current = instance.pod_node
    running = current >= 0
    placed_per_priority = {
        str(t): int(np.sum((nodes >= 0) & (instance.pod_priority == t))) for t in instance.tiers.tolist()
    }
    return {
        "placed": int(np.sum(nodes >= 0)),
        "pending": int(np.sum(nodes < 0)),
        "moves": int(np.sum(running & (nodes >= 0) & (nodes != current))),
        "evictions": int(np.sum(running & (nodes < 0))),
        "binds": int(np.sum(~running & (nodes >= 0))),
        "placed_per_priority": placed_per_priority,
        "vector": [
            {"priority": t, "unplaced": u, "disturbance": d} for t, u, d in objective_vector(instance, nodes)
        ],
    }
