"""The LNS ruin that drops related migrations (all those at the nodes of a few of them)."""

from __future__ import annotations

import numpy as np

from schedkit.heuristics import vmr_kernels as kernels
from schedkit.heuristics.vmr_arrays import build_arrays
from schedkit.heuristics.vmr_search import static_tuple
from tests.vmr.conftest import two_machines


def test_drop_related_marks_exactly_the_migrations_at_the_seed_nodes():
    """With one migration in the plan touching nodes {0, 2} and one touching {1, 3}, a ruin
    seeded on either drops it and keeps the other (they share no node); a third migration
    into node 2 is dropped together with the first. Guards the node test of the ruin."""
    x = two_machines(3)
    a = build_arrays(x)  # VMs a, b, c, d on nodes 0, 1, 2, 3
    st = static_tuple(a)
    plan_vm = np.array([0, 1, 3], dtype=np.int64)  # a: 0 -> 2, b: 1 -> 3, d: 3 -> 2
    plan_dst = np.array([2, 3, 2], dtype=np.int64)
    seen = set()
    for seed in range(20):
        kernels.seed_kernels(seed)
        drop = np.zeros(3, dtype=np.bool_)
        kernels._drop_related(drop, plan_vm, plan_dst, 3, st, a.place0, 1)
        seen.add(tuple(drop.tolist()))
    # seeds on a or d hit nodes {0, 2} or {3, 2}: a and d share node 2, d and b share node 3
    assert seen <= {(True, False, True), (True, True, True), (False, True, True)}
    assert (True, False, True) in seen  # seeded on a: b (nodes 1, 3) is kept
