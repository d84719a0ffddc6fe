"""The CP-SAT model of a blocking job shop with swaps (as in the OptalCP reference model).

Per operation a start variable and an interval of variable size >= its duration that ends
where the job's next operation starts (the last operation's interval has its fixed duration):
the machine is held from start to leave. One no-overlap per machine over these intervals
(half-open, so a machine left at t can be taken at t: swaps are allowed). Starts are bounded
by heads (release plus work before) and, for the makespan, tails and the upper bound.
With `orders`, also one literal per pair of operations of positive duration on a machine
("a before b": b starts once a has left, else the reverse): redundant with the no-overlap, but
CP-SAT branches on them and its LP sees them; it proves 10x5 shops (la01) in seconds where the
no-overlap alone stays at the trivial bound. A zero-duration operation gets none, and its
interval is on the no-overlap only while it holds the machine (a last one never is): empty, it
may sit inside another's, so neither order need hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.jobshop.model import JobShopInstance


@dataclass
class BlockingModel:
    """The CpModel and its variables by operation id."""

    model: Any
    start: list[Any]
    hold: list[Any]  # per operation: its holding-time variable (or a constant for last ones)
    intervals: list[Any] = field(default_factory=list)  # None: a last operation of length 0
    makespan: Any = None
    goal: Any = None
    orders: list[tuple[int, int, Any]] = field(default_factory=list)  # (a, b, "a before b")


def horizon(instance: JobShopInstance) -> int:
    """A makespan every blocking schedule can reach: the jobs one after another."""
    return int(instance.release_or_zero().max() + instance.alt_duration.sum())


def _heads_tails(instance: JobShopInstance) -> tuple[np.ndarray, np.ndarray]:
    p = instance.alt_duration
    head = np.zeros(instance.operations, np.int64)
    tail = np.zeros(instance.operations, np.int64)
    release = instance.release_or_zero()
    for j in range(instance.n):
        first, last = int(instance.job_ptr[j]), int(instance.job_ptr[j + 1])
        t = int(release[j])
        for o in range(first, last):
            head[o] = t
            t += int(p[o])
        t = 0
        for o in range(last - 1, first - 1, -1):
            t += int(p[o])
            tail[o] = t
    return head, tail


def orders_fit(instance: JobShopInstance, most: int) -> bool:
    """Whether order literals suit: some pair, and at most `most` pairs of operations of positive
    duration on a machine (the only ones that get literals)."""
    positive = instance.alt_duration > 0
    counts = np.bincount(instance.alt_machine[positive], minlength=instance.m)
    pairs = int((counts * (counts - 1) // 2).sum())
    return 0 < pairs <= most


def build(cp_model: Any, instance: JobShopInstance, upper: int | None = None,
          orders: bool = False) -> BlockingModel:
    """The whole model; `upper` bounds the makespan (default `horizon`); `orders` adds the
    order literals (for operations of positive duration)."""
    upper = horizon(instance) if upper is None else upper
    model = cp_model.CpModel()
    head, tail = _heads_tails(instance)
    p = instance.alt_duration
    tighten = instance.objective == "makespan"
    start = []
    for o in range(instance.operations):
        latest = upper - int(tail[o]) if tighten else upper
        start.append(model.new_int_var(int(head[o]), max(int(head[o]), latest), f"s{o}"))
    bm = BlockingModel(model, start, [])
    last = set((instance.job_ptr[1:] - 1).tolist())
    by_machine: list[list[Any]] = [[] for _ in range(instance.m)]
    for o in range(instance.operations):
        if o in last:
            hold: Any = int(p[o])
            interval = model.new_fixed_size_interval_var(start[o], int(p[o]), f"i{o}") if p[o] else None
        elif p[o] > 0:
            hold = model.new_int_var(int(p[o]), max(int(p[o]), upper), f"h{o}")
            interval = model.new_interval_var(start[o], hold, start[o + 1], f"i{o}")
        else:
            hold, interval = _zero_length_hold(model, start[o], start[o + 1], upper, o)
        bm.hold.append(hold)
        bm.intervals.append(interval)
        if interval is not None:
            by_machine[int(instance.alt_machine[o])].append(interval)
    for intervals in by_machine:
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    if orders:
        _orders(bm, instance, last)
    _objective(bm, instance, upper, sorted(last))
    return bm


def _zero_length_hold(model: Any, start: Any, leave: Any, upper: int, o: int) -> tuple[Any, Any]:
    """A zero-length operation's hold and an interval present only while it holds its machine
    (CP-SAT keeps even an empty interval out of the inside of another; the checker does not)."""
    hold = model.new_int_var(0, max(0, upper), f"h{o}")
    held = model.new_bool_var(f"held{o}")
    model.add(leave == start + hold)
    model.add(hold >= 1).only_enforce_if(held)
    model.add(hold == 0).only_enforce_if(~held)
    return hold, model.new_optional_interval_var(start, hold, leave, held, f"i{o}")


def _orders(bm: BlockingModel, instance: JobShopInstance, last: set[int]) -> None:
    """Per pair (a, b) of positive duration on a machine a literal: true, b starts once a has
    left; false, the reverse."""
    model, p, start = bm.model, instance.alt_duration, bm.start

    def leave(o: int) -> Any:
        return start[o] + int(p[o]) if o in last else start[o + 1]

    for k in range(instance.m):
        ops = np.flatnonzero((instance.alt_machine == k) & (p > 0)).tolist()
        for i, a in enumerate(ops):
            for b in ops[i + 1:]:
                before = model.new_bool_var(f"o{a}_{b}")
                model.add(start[b] >= leave(a)).only_enforce_if(before)
                model.add(start[a] >= leave(b)).only_enforce_if(~before)
                bm.orders.append((a, b, before))


def _objective(bm: BlockingModel, instance: JobShopInstance, upper: int, last: list[int]) -> None:
    model, p = bm.model, instance.alt_duration
    ends = [bm.start[o] + int(p[o]) for o in last]
    if instance.objective == "makespan":
        bm.makespan = model.new_int_var(0, upper, "makespan")
        model.add_max_equality(bm.makespan, ends)
        bm.goal = bm.makespan
    elif instance.objective == "weighted_tardiness":
        weight, due = instance.weight_or_one(), instance.due
        terms = []
        for j, end in enumerate(ends):
            t = model.new_int_var(0, max(0, upper - int(due[j])), f"T{j}")
            model.add(t >= end - int(due[j]))
            terms.append(int(weight[j]) * t)
        bm.goal = sum(terms)
    else:  # flow variables, not Σ w·(C − r) written out: CP-SAT keeps its constant as a double
        weight, release = instance.weight_or_one(), instance.release_or_zero()
        terms = []
        for j, end in enumerate(ends):
            f = model.new_int_var(0, max(0, upper - int(release[j])), f"F{j}")
            model.add(f == end - int(release[j]))
            terms.append(int(weight[j]) * f)
        bm.goal = sum(terms)
    model.minimize(bm.goal)


def hint(bm: BlockingModel, instance: JobShopInstance, start: np.ndarray, leave: np.ndarray,
         model: Any = None) -> None:
    """The schedule as the hint of `model` (default bm's own; cleared first)."""
    model = bm.model if model is None else model
    model.clear_hints()
    for o, (s, out) in enumerate(zip(start.tolist(), leave.tolist(), strict=True)):
        model.add_hint(model.get_int_var_from_proto_index(bm.start[o].index), s)
        if not isinstance(bm.hold[o], int):
            model.add_hint(model.get_int_var_from_proto_index(bm.hold[o].index), out - s)
    for a, b, before in bm.orders:
        first = (start[a], leave[a]) <= (start[b], leave[b])
        model.add_hint(model.get_bool_var_from_proto_index(before.index), bool(first))
    if bm.makespan is not None:
        end = start + instance.alt_duration
        value = int(end[instance.job_ptr[1:] - 1].max())
        model.add_hint(model.get_int_var_from_proto_index(bm.makespan.index), value)


def read(bm: BlockingModel, values: Any) -> np.ndarray:
    """Start per operation from a solver response's solution values."""
    return np.array([values[s.index] for s in bm.start], dtype=np.int64)
