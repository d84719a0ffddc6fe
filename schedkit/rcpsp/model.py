"""Resource-constrained project scheduling (RCPSP, PS|prec|Cmax): instance and solution.

Activities j = 0..n-1 (in file order, PSPLIB's dummy source and sink included as ordinary
activities of duration 0) have an integer duration d[j] >= 0, a list of successors (0-based)
and a demand q[j, k] >= 0 on each renewable resource k = 0..K-1 of capacity c[k] >= 0. A
solution gives every activity an integer start S[j] >= 0 such that S[j] >= S[i] + d[i] for
each arc i -> j, and at every time t the activities in progress
(S[j] <= t < S[j] + d[j]) use at most c[k] of each resource. The objective is the makespan
max_j (S[j] + d[j]).

The constructor refuses what has no schedule or no meaning: a successor id outside 0..n-1, an
arc to itself, a cycle (named by its activities) and a demand above a capacity (named by
activity and resource): a demand above capacity is infeasible, so it is an error here rather
than an `infeasible` status later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from schedkit.common.arrays import integer_array
from schedkit.errors import InvalidInstance

FAMILY = "rcpsp"
MAX_ACTIVITIES = 100_000
MAX_RESOURCES = 1_000
MAX_DURATION = 10**7
MAX_AMOUNT = 10**9


def _successor_lists(successors: Any, n: int) -> tuple[np.ndarray, ...]:
    """One read-only int64 array per activity; ids checked against 0..n-1, no self arcs."""
    if isinstance(successors, np.ndarray | str) or not isinstance(successors, Sequence):
        raise InvalidInstance("successors must be a list with one list of activity ids per activity")
    if len(successors) != n:
        raise InvalidInstance(
            f"successors has {len(successors)} entries but there are {n} activities: one list each"
        )
    lists = []
    for j, row in enumerate(successors):
        array = integer_array(f"successors[{j}]", list(row), 1)
        outside = np.flatnonzero((array < 0) | (array >= n))
        if outside.size:
            raise InvalidInstance(
                f"activity {j} lists successor {array[outside[0]]}, an unknown activity id "
                f"(ids are 0..{n - 1})"
            )
        if np.any(array == j):
            raise InvalidInstance(f"activity {j} lists itself as a successor")
        if np.unique(array).size != array.size:
            values, counts = np.unique(array, return_counts=True)
            raise InvalidInstance(f"activity {j} lists successor {values[counts > 1][0]} twice")
        lists.append(np.sort(array))
        lists[-1].setflags(write=False)
    return tuple(lists)


def topological_order(successors: Sequence[np.ndarray]) -> np.ndarray:
    """Activities so that every arc goes forward (Kahn, smallest id first among the ready);
    InvalidInstance naming the activities of one cycle when there is none."""
    n = len(successors)
    indegree = np.zeros(n, dtype=np.int64)
    for row in successors:
        np.add.at(indegree, row, 1)
    ready = sorted(np.flatnonzero(indegree == 0).tolist(), reverse=True)
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for j in successors[i].tolist():
            indegree[j] -= 1
            if indegree[j] == 0:
                ready.append(j)
        ready.sort(reverse=True)
    if len(order) < n:
        cycle = _find_cycle(successors, indegree > 0)
        path = " -> ".join(str(j) for j in cycle + [cycle[0]])
        raise InvalidInstance(f"the precedences contain a cycle: activities {path}")
    return np.asarray(order, dtype=np.int64)


def _find_cycle(successors: Sequence[np.ndarray], left: np.ndarray) -> list[int]:
    """One cycle among the activities Kahn could not order (each has a predecessor there)."""
    predecessor = {}
    for i in np.flatnonzero(left).tolist():
        for j in successors[i].tolist():
            if left[j]:
                predecessor[j] = i
    # Walk back from any remaining activity until one repeats: that closes a cycle.
    node = int(np.flatnonzero(left)[0])
    seen: dict[int, int] = {}
    walk: list[int] = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = predecessor[node]
    cycle = walk[seen[node]:]
    cycle.reverse()  # predecessor walk goes backwards; report it along the arcs
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


@dataclass(frozen=True, eq=False)
class RCPSPInstance:
    """An RCPSP project: `durations` (n), `successors` (n lists of 0-based ids), `capacities`
    (K) and `demands` (n x K), all int64 and read-only once built.

    `name` identifies the instance in tables; `meta` carries what a file says beyond the model
    (PSPLIB header fields such as the horizon or the MPM time), preserved by the writers.
    Derived arrays for kernels: `succ_ptr`/`succ_idx` and `pred_ptr`/`pred_idx` (CSR),
    `order` (a topological order).
    """

    durations: Any  # int64 arrays once built; lists are accepted
    successors: Any
    capacities: Any
    demands: Any
    name: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    family = FAMILY

    def __post_init__(self) -> None:
        d = integer_array("durations", self.durations, 1)
        n = d.size
        if n == 0:
            raise InvalidInstance("a project needs at least one activity (durations is empty)")
        if n > MAX_ACTIVITIES:
            raise InvalidInstance(f"{n} activities is beyond the supported maximum of {MAX_ACTIVITIES}")
        c = integer_array("capacities", self.capacities, 1)
        if c.size > MAX_RESOURCES:
            raise InvalidInstance(f"{c.size} resources is beyond the supported maximum {MAX_RESOURCES}")
        q = integer_array("demands", self.demands, 2) if c.size else np.zeros((n, 0), dtype=np.int64)
        if q.shape != (n, c.size):
            raise InvalidInstance(
                f"demands has shape {q.shape} but there are {n} activities and {c.size} resources: "
                "one row per activity, one column per resource"
            )
        if np.any(d < 0) or np.any(d > MAX_DURATION):
            j = int(np.flatnonzero((d < 0) | (d > MAX_DURATION))[0])
            raise InvalidInstance(f"durations[{j}] = {d[j]}: durations must lie in 0..{MAX_DURATION}")
        if np.any(c < 0) or np.any(c > MAX_AMOUNT):
            k = int(np.flatnonzero((c < 0) | (c > MAX_AMOUNT))[0])
            raise InvalidInstance(f"capacities[{k}] = {c[k]}: capacities must lie in 0..{MAX_AMOUNT}")
        if np.any(q < 0):
            j, k = (int(v) for v in np.argwhere(q < 0)[0])
            raise InvalidInstance(f"demands[{j}][{k}] = {q[j, k]}: demands must be non-negative")
        over = q > c[None, :]
        if np.any(over):
            j, k = (int(v) for v in np.argwhere(over)[0])
            raise InvalidInstance(
                f"activity {j} demands {q[j, k]} of resource {k} but its capacity is {c[k]}: "
                "no schedule exists"
            )
        successors = _successor_lists(self.successors, n)
        order = topological_order(successors)
        for name, value in (("durations", d), ("successors", successors), ("capacities", c),
                            ("demands", q), ("name", str(self.name)),
                            ("meta", MappingProxyType(dict(self.meta)))):
            object.__setattr__(self, name, value)
        self._derive(order)

    def _derive(self, order: np.ndarray) -> None:
        """CSR successor and predecessor arrays and the topological order, for the kernels."""
        successors = self.successors
        n = len(successors)
        counts = np.array([row.size for row in successors], dtype=np.int64)
        succ_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=succ_ptr[1:])
        succ_idx = np.concatenate(successors) if succ_ptr[-1] else np.zeros(0, dtype=np.int64)
        tails = np.repeat(np.arange(n, dtype=np.int64), counts)
        by_head = np.lexsort((tails, succ_idx))
        pred_idx = tails[by_head]
        pred_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(succ_idx, minlength=n), out=pred_ptr[1:])
        for name, value in (("succ_ptr", succ_ptr), ("succ_idx", succ_idx.astype(np.int64)),
                            ("pred_ptr", pred_ptr), ("pred_idx", pred_idx.astype(np.int64)),
                            ("order", order)):
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    succ_ptr: np.ndarray = field(init=False, repr=False, compare=False)
    succ_idx: np.ndarray = field(init=False, repr=False, compare=False)
    pred_ptr: np.ndarray = field(init=False, repr=False, compare=False)
    pred_idx: np.ndarray = field(init=False, repr=False, compare=False)
    order: np.ndarray = field(init=False, repr=False, compare=False)

    @property
    def n(self) -> int:
        """Number of activities (dummies included)."""
        return int(self.durations.size)

    @property
    def resources(self) -> int:
        """Number of renewable resources."""
        return int(self.capacities.size)

    @property
    def arcs(self) -> int:
        """Number of precedence arcs."""
        return int(self.succ_idx.size)

    def replace(self, **changes: Any) -> RCPSPInstance:
        """A new, re-validated instance with some fields changed."""
        fields: dict[str, Any] = {
            "durations": self.durations, "successors": self.successors,
            "capacities": self.capacities, "demands": self.demands,
            "name": self.name, "meta": self.meta,
        }
        fields.update(changes)
        return RCPSPInstance(**fields)

    def to_dict(self) -> dict[str, Any]:
        """The project's JSON shape; successors are 0-based activity ids."""
        return {
            "family": FAMILY,
            "name": self.name,
            "durations": self.durations.tolist(),
            "successors": [row.tolist() for row in self.successors],
            "capacities": self.capacities.tolist(),
            "demands": self.demands.tolist(),
            "meta": dict(self.meta),
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RCPSPInstance):
            return NotImplemented
        return (
            np.array_equal(self.durations, other.durations)
            and len(self.successors) == len(other.successors)
            and all(np.array_equal(a, b) for a, b in zip(self.successors, other.successors, strict=True))
            and np.array_equal(self.capacities, other.capacities)
            and np.array_equal(self.demands, other.demands)
            and self.name == other.name
            and dict(self.meta) == dict(other.meta)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"RCPSPInstance(name={self.name!r}, activities={self.n}, "
                f"resources={self.resources}, arcs={self.arcs})")


@dataclass(frozen=True)
class RCPSPSolution:
    """A schedule: `start[j]` is the start time of activity j (file order, dummies included)."""

    start: tuple[int, ...]

    def __init__(self, start: Sequence[int] | np.ndarray) -> None:
        object.__setattr__(self, "start", tuple(int(s) for s in start))

    def to_dict(self) -> dict[str, Any]:
        """`{"start": [start time per activity, in file order]}`."""
        return {"start": list(self.start)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RCPSPSolution:
        """Read `{"start": [...]}`; InvalidInstance when the field is missing or not integers."""
        start = data.get("start") if isinstance(data, Mapping) else None
        if not isinstance(start, list) or not all(
            isinstance(s, int) and not isinstance(s, bool) for s in start
        ):
            raise InvalidInstance('an RCPSP solution is {"start": [integer start per activity]}')
        return cls(start)
