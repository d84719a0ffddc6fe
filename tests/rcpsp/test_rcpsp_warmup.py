"""`schedkit warmup` reaches the genetic algorithm's kernels: its 1 s runs ask for them only once
the SGS kernels are ready, which on a cold cache they were not, so `ga` compiled them in its
first call after `make run`."""

from __future__ import annotations

import schedkit
from schedkit.rcpsp.heuristics import compiled, ga_kernels
from schedkit.warmup import warm_ups


def test_the_rcpsp_warm_up_is_found_by_warmup():
    assert compiled.warm_up in warm_ups("rcpsp")


def test_a_ga_run_needs_no_new_signature_after_warm_up():
    compiled.warm_up()
    kernels = (ga_kernels.initialise, ga_kernels.generations)  # called from Python (the rest inside)
    before = {kernel: len(kernel.signatures) for kernel in kernels}
    assert min(before.values()) >= 1
    project = schedkit.load("instances/rcpsp/j30/j301_1.sm")
    result = schedkit.solve(project, "ga", schedules=200, seed=0, workers=1)
    assert schedkit.check(project, result).feasible
    assert {kernel: len(kernel.signatures) for kernel in kernels} == before
