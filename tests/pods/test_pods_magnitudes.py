"""Pods objectives stay far below 2^53: each CP-SAT stage counts pods (placed, weighted by at
most 2·pods + 1, minus moves), at most about 8·10^12 for the 2·10^6 pod-node pairs cpsat
takes; the scalar objective (digits per tier) is Python's exact integer. CPU (≤ 10^12) and
memory (≤ 2^60) enter only integer capacity constraints, their sums refused beyond 2^62. The
largest amounts and priorities keep the brute-force optimum."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

import schedkit
from schedkit.pods.model import PodsInstance
from tests.pods.test_pods_claims import _claims_hold, brute_optimum, edgy_clusters

CPU = 2 * 10**11  # node cpu 0..4 becomes up to 8·10^11 (the limit: 10^12)
MEMORY = 2**58  # memory 0..3 becomes up to 3·2^58 (the limit: 2^60)
PRIORITY = 2**30  # priorities 0..2 become up to 2^31 (the limit)


def scaled(x: PodsInstance) -> PodsInstance:
    """Every CPU and memory amount and every priority of `x` multiplied alike."""
    nodes = tuple(replace(n, cpu=n.cpu * CPU, memory=n.memory * MEMORY) for n in x.nodes)
    pods = tuple(replace(p, cpu=p.cpu * CPU, memory=p.memory * MEMORY, priority=p.priority * PRIORITY)
                 for p in x.pods)
    return replace(x, nodes=nodes, pods=pods)


@settings(max_examples=10, deadline=None)
@given(edgy_clusters())
def test_largest_amounts_and_priorities_keep_every_claim(x):
    """cpsat on the scaled cluster: claims true against the brute force of the scaled one."""
    big = scaled(x)
    _claims_hold(big, schedkit.solve(big, "cpsat", workers=1, time_limit=60.0), brute_optimum(big))
