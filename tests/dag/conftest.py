"""DAG fixtures: the HEFT paper's example and a brute-force optimum for tiny graphs."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import schedkit
from schedkit.dag.model import DAGInstance

DATA = Path(__file__).resolve().parent.parent / "data" / "dag"
FIG2 = DATA / "topcuoglu2002_fig2.json"


@pytest.fixture(scope="session")
def fig2() -> DAGInstance:
    """Topcuoglu et al. (2002), Fig. 2: 10 tasks, 3 processors."""
    return schedkit.load(FIG2)


def _delay(x: DAGInstance, e: int, k: int, target: int) -> int:
    if k == target:
        return 0
    bw = 1 if x.bandwidth is None else int(x.bandwidth[k, target])
    lat = 0 if x.latency is None else int(x.latency[k])
    return lat + -(-int(x.data[e]) // bw)


def brute_force_makespan(x: DAGInstance) -> int:
    """Optimum by enumeration (n <= 5): every order of the tasks that respects the edges and
    every assignment, each task appended at its earliest time. Sorting an optimal schedule
    by start time gives such an order whose appended schedule is no longer."""
    n, p = x.n, x.p
    edges = x.edges.tolist()
    preds: list[list[int]] = [[] for _ in range(n)]
    for e, (_, b) in enumerate(edges):
        preds[b].append(e)
    best = None
    for order in itertools.permutations(range(n)):
        place = {t: i for i, t in enumerate(order)}
        if any(place[a] > place[b] for a, b in edges):
            continue
        for assign in itertools.product(range(p), repeat=n):
            free = [0] * p
            finish = [0] * n
            for t in order:
                k = assign[t]
                ready = max([finish[edges[e][0]] + _delay(x, e, assign[edges[e][0]], k)
                             for e in preds[t]], default=0)
                begin = max(ready, free[k]) if x.cost[t, k] > 0 else ready
                finish[t] = begin + int(x.cost[t, k])
                if x.cost[t, k] > 0:
                    free[k] = finish[t]
            value = max(finish)
            best = value if best is None else min(best, value)
    assert best is not None
    return best
