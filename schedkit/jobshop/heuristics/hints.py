"""A caller's schedule as a warm start (`cpsat`'s `hint` option): its machine orders, rebuilt
as the earliest schedule that keeps them, classic or blocking (None when they cannot be kept)."""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.common.numbers import MAX_VALUE, is_whole
from schedkit.errors import SchedkitError
from schedkit.jobshop.heuristics.blocking import (
    BlockingSchedule,
    evaluate_orders,
    leave_times,
    machine_orders,
)
from schedkit.jobshop.heuristics.blocking import objective as blocking_objective
from schedkit.jobshop.heuristics.rules import Schedule, objective
from schedkit.jobshop.heuristics.tabu import _arrays, sequences
from schedkit.jobshop.heuristics.tabu_kernels import heads_tails
from schedkit.jobshop.model import JobShopInstance


def _whole_numbers(values: Any) -> np.ndarray:
    """`values` (a list, tuple or array) as int64; ValueError unless each is an integer within
    ±2^62: text is no list, booleans and fractions are no whole numbers."""
    if not isinstance(values, list | tuple | np.ndarray):
        raise ValueError(f"{type(values).__name__} is not a list")
    if not all(is_whole(v, 1 - MAX_VALUE, MAX_VALUE - 1) for v in values):
        raise ValueError("not whole numbers")
    return np.array([int(v) for v in values], dtype=np.int64)


def hint_starts(instance: JobShopInstance, hint: Any) -> np.ndarray:
    """Start per operation id from a JobShopSolution, a Result or nested lists of starts."""
    hint = getattr(hint, "solution", hint)
    starts = getattr(hint, "start", hint)
    try:
        if not isinstance(starts, list | tuple | np.ndarray):
            raise ValueError(f"{type(starts).__name__} is not a list")
        jobs = [_whole_numbers(job) for job in starts]
    except ValueError as error:
        raise SchedkitError("cpsat: option hint must be a solution or per-job lists of starts "
                            "(whole numbers)") from error
    flat = np.concatenate(jobs) if jobs else np.zeros(0, dtype=np.int64)
    if flat.size != instance.operations:
        raise SchedkitError(f"cpsat: hint has {flat.size} starts for {instance.operations} operations")
    return flat


def classic_from_hint(instance: JobShopInstance, hint: Any) -> Schedule | None:
    """The semi-active schedule of the hint's machine orders (classic shops only)."""
    if instance.flexible:
        return None
    start = hint_starts(instance, hint)
    alt = instance.op_ptr[:-1].copy()
    job_prev, job_next, release, _, p, mach_ptr = _arrays(instance)
    seq = sequences(instance, Schedule(start, alt, 0, "hint"))
    head = np.empty_like(p)
    value = heads_tails(seq, mach_ptr, job_prev, job_next, p, release, np.empty_like(p),
                        np.empty_like(p), head, np.empty_like(p), np.empty_like(p))
    if value == np.iinfo(np.int64).max:
        return None
    return Schedule(head, alt, objective(instance, head, alt), "hint")


def blocking_from_hint(instance: JobShopInstance, hint: Any) -> BlockingSchedule | None:
    """The earliest blocking schedule of the hint's machine orders (None on a deadlock)."""
    start = hint_starts(instance, hint)
    seq, mach_ptr = machine_orders(instance, start)
    head = evaluate_orders(instance, seq, mach_ptr)
    if head is None:
        return None
    return BlockingSchedule(head, leave_times(instance, head), blocking_objective(instance, head), "hint")


def pinned_operations(instance: JobShopInstance, pinned: Any) -> np.ndarray:
    """Option `pinned` as operation ids (empty when None); SchedkitError when out of range."""
    if pinned is None:
        return np.zeros(0, dtype=np.int64)
    try:
        ops = _whole_numbers(pinned)
    except ValueError as error:
        raise SchedkitError("cpsat: option pinned must list operation ids (whole numbers)") from error
    if ops.size and (ops.min() < 0 or ops.max() >= instance.operations):
        raise SchedkitError(f"cpsat: pinned operation ids must lie in 0..{instance.operations - 1}")
    return ops
