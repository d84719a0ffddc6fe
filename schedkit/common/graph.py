"""Precedence graphs as edge arrays: topological order and longest paths, for every family."""

from __future__ import annotations

from collections import deque

import numpy as np

from schedkit.errors import InvalidInstance


def topological_order(n: int, edges: np.ndarray) -> np.ndarray:
    """Kahn's order of nodes 0..n-1 under `edges` (m × 2: source, target), smallest index first
    among ready nodes (FIFO); InvalidInstance naming one cycle when there is none."""
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    successors: list[list[int]] = [[] for _ in range(n)]
    indegree = np.zeros(n, dtype=np.int64)
    for source, target in edges.tolist():
        successors[source].append(target)
        indegree[target] += 1
    ready = deque(int(i) for i in np.flatnonzero(indegree == 0))
    order: list[int] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for target in successors[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    if len(order) < n:
        raise InvalidInstance(f"the precedences hold a cycle: {' -> '.join(map(str, find_cycle(n, edges)))}")
    return np.asarray(order, dtype=np.int64)


def find_cycle(n: int, edges: np.ndarray) -> list[int]:
    """One directed cycle as a closed node list [a, b, ..., a]; [] when the graph is acyclic."""
    successors: list[list[int]] = [[] for _ in range(n)]
    for source, target in np.asarray(edges, dtype=np.int64).reshape(-1, 2).tolist():
        successors[source].append(target)
    colour = [0] * n  # 0 new, 1 on the stack, 2 done
    parent = [-1] * n
    for root in range(n):
        if colour[root]:
            continue
        stack = [(root, 0)]
        colour[root] = 1
        while stack:
            node, k = stack.pop()
            if k < len(successors[node]):
                stack.append((node, k + 1))
                nxt = successors[node][k]
                if colour[nxt] == 1:
                    cycle = [node]
                    while cycle[-1] != nxt:
                        cycle.append(parent[cycle[-1]])
                    return [*reversed(cycle), node]
                if colour[nxt] == 0:
                    colour[nxt], parent[nxt] = 1, node
                    stack.append((nxt, 0))
            else:
                colour[node] = 2
    return []
