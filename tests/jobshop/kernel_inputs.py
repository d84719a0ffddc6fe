"""Inputs of the iterated-greedy kernels for the move tests (`ig_insert`, `ig_slide`)."""

from __future__ import annotations

import numpy as np

from schedkit.jobshop.heuristics.ig_graph import new_work
from schedkit.jobshop.model import JobShopInstance


def kernel_arrays(instance: JobShopInstance) -> tuple[np.ndarray, ...]:
    """job_ptr, job_of, machine, p, release of an instance (writable copies)."""
    return (instance.job_ptr.copy(), instance.job_of(), instance.alt_machine.copy(),
            instance.alt_duration.copy(), instance.release_or_zero().copy())


def job_out(instance: JobShopInstance, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    """`present` with job j's operations out, and the scratch head, tail and work."""
    n = instance.operations
    present = np.ones(n, np.bool_)
    present[instance.job_ptr[j]:instance.job_ptr[j + 1]] = False
    return present, np.empty(n, np.int64), np.empty(n, np.int64), new_work(n)
