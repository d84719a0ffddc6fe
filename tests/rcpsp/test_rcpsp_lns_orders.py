"""cpsat-lns keeps the fixed activities' order with few pairs: the kept pairs must imply every
pair of fixed activities that share a resource, one ending before the other starts."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from schedkit.rcpsp.model import RCPSPInstance
from schedkit.rcpsp.solvers.lns import _kept_orders
from tests.rcpsp.strategies import projects


def _every_order(instance: RCPSPInstance, start: np.ndarray, free: np.ndarray) -> set[tuple[int, int]]:
    """All the pairs, listed the plain way (what the kept pairs stand for)."""
    d = instance.durations
    fixed = np.ones(instance.n, dtype=bool)
    fixed[free] = False
    pairs = set()
    for i in range(instance.n):
        for j in range(instance.n):
            shared = bool(((instance.demands[i] > 0) & (instance.demands[j] > 0)).any())
            if (fixed[i] and fixed[j] and d[i] > 0 and d[j] > 0 and shared
                    and start[i] + d[i] <= start[j]):
                pairs.add((i, j))
    return pairs


def _reachable(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """reach[i, j]: a chain of pairs leads from i to j."""
    reach = np.zeros((n, n), dtype=bool)
    for i, j in pairs:
        reach[i, j] = True
    for k in range(n):
        reach |= reach[:, [k]] & reach[[k], :]
    return reach


@settings(max_examples=200, deadline=None)
@given(projects(max_activities=10, max_resources=3), st.data())
def test_kept_pairs_imply_every_pair(instance: RCPSPInstance, data: st.DataObject) -> None:
    start = np.array(data.draw(st.lists(st.integers(0, 12), min_size=instance.n, max_size=instance.n)),
                     dtype=np.int64)
    free = np.array(sorted(data.draw(st.sets(st.integers(0, instance.n - 1)))), dtype=np.int64)
    kept = _kept_orders(instance, start, free)
    every = _every_order(instance, start, free)
    assert set(kept) <= every
    reach = _reachable(instance.n, kept)
    assert all(reach[i, j] for i, j in every)


def test_few_pairs_on_a_long_shared_chain() -> None:
    """200 activities one after another on one resource: 199 pairs, not 19,900."""
    n = 200
    instance = RCPSPInstance([1] * n, [[] for _ in range(n)], [1], [[1]] * n, name="chain")
    kept = _kept_orders(instance, np.arange(n, dtype=np.int64), np.array([], dtype=np.int64))
    assert kept == [(i, i + 1) for i in range(n - 1)]
