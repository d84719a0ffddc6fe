"""Turning a final placement (what the exact models return) into an ordered plan."""

from __future__ import annotations

import numpy as np
import pytest

import schedkit
from schedkit.vmr.heuristics.arrays import build_arrays
from schedkit.vmr.heuristics.search import realise, to_solution
from schedkit.vmr.model import VMRInstance


def _swap_cluster(limit: int) -> VMRInstance:
    """Three one-node machines of 6 cores: x (6) fills pm0, y (6) fills pm1, pm2 is empty."""
    return VMRInstance(
        machine_ids=["pm0", "pm1", "pm2"], node_machine=[0, 1, 2], node_cpu=[6, 6, 6],
        node_mem=[8, 8, 8], vm_ids=["x", "y"], vm_cpu=[6, 6], vm_mem=[1, 1], vm_node0=[0, 1],
        vm_node1=[-1, -1], migration_limit=limit, fragment_size=4, name="swap",
    )


def test_swap_needs_a_temporary_hop():
    """Swapping x and y fits no order directly; with K = 3 one VM hops through pm2 first and
    the plan reaches the target, and the checker accepts it."""
    x = _swap_cluster(3)
    a = build_arrays(x)
    plan, reached = realise(a, np.array([1, 0]))
    assert reached and plan.length == 3
    final = a.place0.copy()
    for v, d in zip(plan.vm.tolist(), plan.dst.tolist(), strict=True):
        final[v] = d  # in order: the hop, then the VM's last move
    assert final.tolist() == [1, 0]
    report = schedkit.check(x, to_solution(x, a, plan))
    assert report.feasible and report.objective == plan.objective


@pytest.mark.parametrize("limit", [1, 2])
def test_unreachable_target_is_repaired(limit):
    """Without budget for the hop the target is not reached, and the plan returned is still
    valid (what could be carried out, topped up greedily)."""
    x = _swap_cluster(limit)
    a = build_arrays(x)
    plan, reached = realise(a, np.array([1, 0]))
    assert not reached
    report = schedkit.check(x, to_solution(x, a, plan))
    assert report.feasible and report.objective == plan.objective


@pytest.mark.parametrize("method", ["greedy", "lns", "cpsat", "mip"])
def test_generated_cluster_with_anti_affinity(method):
    """A generated 15-machine cluster with anti-affinity groups: every method's plan passes the
    checker and respects K."""
    x = schedkit.generate.vmr(15, 0.93, seed=7, migration_limit=5, anti_affinity_groups=3)
    result = schedkit.solve(x, method, time_limit=2, workers=1)
    report = schedkit.check(x, result)
    assert report.feasible, report.violations
    assert len(result.solution.migrations) <= 5
