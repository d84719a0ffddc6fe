"""Fewer moves for free: rename interchangeable nodes in a placement so more pods stay put.

Nodes with the same allocatable CPU, memory and pod slots, the same eligibility for every pod
and no immovable pod on them are interchangeable: the pods a placement puts on one can go to
any other. A placement found for its pod counts alone (CP-SAT's count stages) moves pods
arbitrarily among such nodes; renaming them, greedily pairing the placement's node with the
current node that shares most pods with it (a pod of a higher tier outweighing all of the tiers
below), keeps those pods where they run. Counts and
feasibility are unchanged; only moves turn into stays.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from schedkit.pods.model import PodsInstance


def interchangeable_groups(instance: PodsInstance) -> list[list[int]]:
    """Groups (of two or more) of interchangeable nodes."""
    fixed_nodes = set(instance.pod_node[(instance.pod_node >= 0) & ~instance.pod_movable].tolist())
    groups: dict[tuple[int, int, int, bytes], list[int]] = defaultdict(list)
    for n in range(instance.n_nodes):
        if n in fixed_nodes:
            continue
        key = (
            int(instance.node_cpu[n]),
            int(instance.node_memory[n]),
            int(instance.node_max_pods[n]),
            instance.eligible[:, n].tobytes(),
        )
        groups[key].append(n)
    return [group for group in groups.values() if len(group) > 1]


def relabel(instance: PodsInstance, assign: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """`assign` with each group's nodes renamed to keep the most running pods in place."""
    out = assign.copy()
    current = instance.pod_node
    # A stay of a higher tier outweighs every stay of the tiers below it (the objective's order).
    base = 2 * instance.n_pods + 1
    rank = {int(t): k for k, t in enumerate(instance.tiers.tolist()[::-1])}
    weight = [base ** rank[int(p)] for p in instance.pod_priority.tolist()]
    allowed = instance.allowed()
    for group in groups:
        index = {n: k for k, n in enumerate(group)}
        overlap = np.zeros((len(group), len(group)), dtype=object)  # [placement node, current node]
        for p in np.flatnonzero(np.isin(assign, group) & np.isin(current, group)).tolist():
            overlap[index[int(assign[p])], index[int(current[p])]] += weight[p]
        mapping = {}
        free_rows, free_cols = set(range(len(group))), set(range(len(group)))
        while free_rows:
            best = max((overlap[i, j], -i, -j) for i in free_rows for j in free_cols)
            i, j = -best[1], -best[2]
            mapping[group[i]] = group[j]
            free_rows.discard(i)
            free_cols.discard(j)
        candidate = out.copy()
        for p in np.flatnonzero(np.isin(assign, group)).tolist():
            candidate[p] = mapping[int(assign[p])]
        placed = candidate >= 0
        if np.all(allowed[np.flatnonzero(placed), candidate[placed]]):
            out = candidate
    return out
