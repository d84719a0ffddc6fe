"""`schedkit warmup` reaches the blocking evaluation: `heads` (called from Python by
`evaluate_orders`) gets the signature real instances use, so no run compiles it in its budget."""

from __future__ import annotations

import numpy as np

import schedkit
from schedkit.jobshop.heuristics import blocking
from schedkit.jobshop.heuristics.blocking_kernels import heads
from schedkit.jobshop.heuristics.ig_graph import arcs, machine_arc
from schedkit.warmup import warm_ups


def test_blocking_warm_up_is_found_by_warmup():
    assert blocking.warm_up in warm_ups("jobshop")


def test_a_real_blocking_instance_needs_no_new_signature_after_warm_up():
    blocking.warm_up()
    before = {kernel: len(kernel.signatures) for kernel in (heads, arcs, machine_arc)}
    assert before[heads] >= 1
    instance = schedkit.load("instances/jobshop/classic/ft06", blocking=True)
    start = np.zeros(instance.operations, np.int64)
    blocking.evaluate_orders(instance, *blocking.machine_orders(instance, start))
    assert {kernel: len(kernel.signatures) for kernel in before} == before
