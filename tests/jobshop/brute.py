"""An independent brute-force optimum of tiny job shops (tests only): classic and flexible with
buffers, classic blocking with swaps; release dates, due dates, weights, every objective.

The rules are re-stated from the model's docstring, no package code. An optimal schedule of a
regular objective is the earliest one for its machine choices and machine orders (a longest
path through job arcs and machine-order arcs; a positive cycle is a deadlock), so enumerating
every choice and every order finds the optimum. Zero-length operations overlap nothing: with
buffers they are in no order. Blocking: a zero-length operation that is not its job's last
either holds its machine for no time (its job moves on at once: in no order) or is ordered
like the others; a last one never holds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

Job = list[list[tuple[int, int]]]  # per operation its (machine, duration) alternatives


def _earliest(count: int, arcs: list[tuple[int, int, int]], low: list[int]) -> list[int] | None:
    """Least starts >= `low` meeting start[b] >= start[a] + length; None on a positive cycle."""
    start = list(low)
    for _ in range(count + 1):
        changed = False
        for a, b, length in arcs:
            if start[a] + length > start[b]:
                start[b] = start[a] + length
                changed = True
        if not changed:
            return start
    return None


def _value(objective: str, completion: list[int], release: list[int], due: list[int] | None,
           weight: list[int]) -> int:
    if objective == "makespan":
        return max(completion)
    if objective == "weighted_tardiness":
        assert due is not None
        return sum(w * max(0, c - d) for w, c, d in zip(weight, completion, due, strict=True))
    return sum(w * (c - r) for w, c, r in zip(weight, completion, release, strict=True))


def _orders(groups: list[list[int]]) -> Iterator[tuple[tuple[int, ...], ...]]:
    return itertools.product(*(itertools.permutations(group) for group in groups))


def optimum(jobs: list[Job] | list[list[tuple[int, int]]], machines: int, release: list[int] | None = None,
            due: list[int] | None = None, weight: list[int] | None = None,
            objective: str = "makespan", blocking: bool = False) -> int:
    """The least objective over every feasible schedule (a job shop always has one); an
    operation is its alternatives or one (machine, duration) pair."""
    jobs = [[[op] if isinstance(op[0], int) else list(op) for op in job] for job in jobs]
    n = len(jobs)
    release = release or [0] * n
    weight = weight or [1] * n
    ops = [(j, k) for j, job in enumerate(jobs) for k in range(len(job))]
    index = {op: i for i, op in enumerate(ops)}
    last = {index[j, len(job) - 1] for j, job in enumerate(jobs)}
    low = [release[j] for j, _ in ops]
    best: int | None = None
    for choice in itertools.product(*(jobs[j][k] for j, k in ops)):
        p = [d for _, d in choice]
        arcs = [(index[j, k], index[j, k + 1], p[index[j, k]])
                for j, job in enumerate(jobs) for k in range(len(job) - 1)]
        held_zero = [i for i in range(len(ops)) if p[i] == 0 and i not in last] if blocking else []
        for mask in itertools.product((False, True), repeat=len(held_zero)):
            extra = [(i + 1, i, 0) for i, free in zip(held_zero, mask, strict=True) if free]
            ordered = [i for i in range(len(ops)) if p[i] > 0 or (
                blocking and i in held_zero and not mask[held_zero.index(i)])]
            groups = [[i for i in ordered if choice[i][0] == m] for m in range(machines)]
            for orders in _orders(groups):
                more = list(extra)
                for order in orders:
                    for a, b in itertools.pairwise(order):
                        if not blocking or a in last:  # b starts once a has ended
                            more.append((a, b, p[a]))
                        else:
                            more.append((a + 1, b, 0))  # b starts once a's job has moved on
                start = _earliest(len(ops), arcs + more, low)
                if start is None:
                    continue
                completion = [start[index[j, len(job) - 1]] + p[index[j, len(job) - 1]]
                              for j, job in enumerate(jobs)]
                value = _value(objective, completion, release, due, weight)
                best = value if best is None else min(best, value)
    assert best is not None
    return best


def optimum_of(instance: object) -> int:
    """`optimum` of a JobShopInstance (read through its public fields only)."""
    def listed(values: object) -> list[int] | None:
        return None if values is None else [int(v) for v in values]  # type: ignore[attr-defined]

    return optimum(instance.jobs(), instance.m, listed(instance.release),  # type: ignore[attr-defined]
                   listed(instance.due), listed(instance.weight),  # type: ignore[attr-defined]
                   instance.objective, instance.blocking)  # type: ignore[attr-defined]
