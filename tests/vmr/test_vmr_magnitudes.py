"""VMR objectives stay far below 2^53: Σ (free CPU mod F) is under nodes · F ≤ nodes · 2^16,
so 2^53 would take 1.4·10^11 nodes. Capacities and demands near the model's 10^9 enter CP-SAT
as integers and HiGHS as coefficients: on tiny clusters scaled up every claim still holds
against the brute force of ordered plans."""

from __future__ import annotations

from hypothesis import given, settings

import schedkit
from schedkit.vmr.model import VMRInstance
from tests.vmr.conftest import brute_force
from tests.vmr.test_vmr_claims import odd_clusters

CPU = 10**8 + 1  # cores 0..8 become up to 8·10^8 + 8; odd, so free CPU mod F still varies
MEMORY = 2 * 10**8 + 1  # memory 0..4 becomes up to 8·10^8 + 4


def scaled(x: VMRInstance) -> VMRInstance:
    """CPU and memory of every node and VM multiplied alike (split VMs keep even halves)."""
    return x.replace(node_cpu=x.node_cpu * CPU, vm_cpu=x.vm_cpu * CPU, node_mem=x.node_mem * MEMORY,
                     vm_mem=x.vm_mem * MEMORY)


@settings(max_examples=10, deadline=None)
@given(odd_clusters())
def test_amounts_near_1e9_keep_every_claim(x):
    """cpsat and the mip (2 s each, as in test_vmr_claims: nothing asserted depends on speed)."""
    big = scaled(x)
    optimum = brute_force(big)
    for method in ("cpsat", "mip"):
        result = schedkit.solve(big, method, workers=1, time_limit=2.0)
        report = schedkit.check(big, result)
        assert report.feasible, report.violations
        assert report.objective == result.objective >= optimum
        assert result.bound is None or result.bound <= optimum
        assert result.status != "optimal" or result.objective == optimum


def test_vms_one_over_a_node_of_1e9_are_not_put_together():
    """VMs of 5·10^8 and 5·10^8 + 1 on nodes of 10^9: one more than fits, by 1 part in 10^9."""
    x = VMRInstance(machine_ids=["m0", "m1", "m2"], node_machine=[0, 1, 2], node_cpu=[10**9] * 3,
                    node_mem=[10] * 3, vm_ids=["a", "b", "c"], vm_cpu=[5 * 10**8, 5 * 10**8 + 1, 12345],
                    vm_mem=[1, 1, 1], vm_node0=[0, 1, 2], vm_node1=[-1, -1, -1], migration_limit=2,
                    fragment_size=65536)
    optimum = brute_force(x)
    for method, options in (("cpsat", {}), ("mip", {}), ("mip", {"solver": "cbc"})):
        result = schedkit.solve(x, method, workers=1, time_limit=2.0, **options)
        report = schedkit.check(x, result)
        assert report.feasible, report.violations
        assert report.objective == result.objective >= optimum
        assert result.bound is None or result.bound <= optimum
        assert result.status != "optimal" or result.objective == optimum
