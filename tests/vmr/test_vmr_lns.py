"""The LNS ruin that drops related migrations (all those at the nodes of a few of them)."""

from __future__ import annotations

import numpy as np

from schedkit.vmr.heuristics import kernels
from schedkit.vmr.heuristics.arrays import build_arrays
from schedkit.vmr.heuristics.search import new_rng, static_tuple
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
        drop = np.zeros(3, dtype=np.bool_)
        kernels._drop_related(drop, plan_vm, plan_dst, 3, st, a.place0, 1, new_rng(seed))
        seen.add(tuple(drop.tolist()))
    # seeds on a or d hit nodes {0, 2} or {3, 2}: a and d share node 2, d and b share node 3
    assert seen <= {(True, False, True), (True, True, True), (False, True, True)}
    assert (True, False, True) in seen  # seeded on a: b (nodes 1, 3) is kept


def test_prune_drops_a_migration_the_plan_does_not_need():
    """a -> node 2, b -> node 2 reach the optimum 12 on two_machines; d -> node 0 added after
    them changes nothing (node 3 loses 12 of residue, node 0 gains 12). Pruning leaves two
    migrations at objective 12, from every random start. Guards that prune frees budget and
    never worsens the plan."""
    x = two_machines(3)
    a = build_arrays(x)
    st = static_tuple(a)
    init = (a.free_cpu0, a.free_mem0, a.group_count0, a.place0)
    for seed in range(5):
        state = (a.free_cpu0.copy(), a.free_mem0.copy(), a.group_count0.copy(), a.place0.copy(),
                 np.zeros(a.place0.size, dtype=np.uint8))
        plan_vm = np.array([0, 1, 3], dtype=np.int64)
        plan_dst = np.array([2, 2, 0], dtype=np.int64)
        length, value = kernels._prune(plan_vm, plan_dst, 3, 12, st, a.fragment, init, state, new_rng(seed))
        assert (length, value) == (2, 12)
        assert kernels.objective(state[0], a.fragment) == 12
