"""Resource-constrained project scheduling (RCPSP, PS|prec|Cmax): instance and solution.

Activities j = 0..n-1 (in file order, PSPLIB's dummy source and sink included as ordinary
activities of duration 0) have an integer duration d[j] >= 0, a list of successors (0-based)
and a demand q[j, k] >= 0 on each renewable resource k = 0..K-1 of capacity c[k] >= 0. A
solution gives every activity an integer start S[j] >= 0 such that S[j] >= S[i] + d[i] for
each arc i -> j, and at every time t the activities in progress
(S[j] <= t < S[j] + d[j]) use at most c[k] of each resource. The objective is the makespan
max_j (S[j] + d[j]).

RCPSP/max (generalised precedences): with `lags`, arc i -> j carries its own time lag l_ij and
means S[j] >= S[i] + l_ij (negative: a maximum time lag S[i] <= S[j] - l_ij).

The constructor refuses what has no schedule or no meaning: a successor id outside 0..n-1, an
arc to itself, a cycle without lags (named by its activities) and a demand above a capacity by an
activity of positive duration (named by activity and resource; one of duration 0 is never in
progress): such a demand is infeasible, so it is an error here rather than an `infeasible`
status later. RCPSP/max projects are the exception: their benchmark sets
hold such projects as infeasible instances, so with lags the methods report `infeasible`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common import arguments
from schedkit.common.arrays import integer_array
from schedkit.common.graph import find_cycle, topological_order
from schedkit.errors import InvalidInstance

FAMILY = "rcpsp"
MAX_ACTIVITIES = 100_000
MAX_RESOURCES = 1_000
MAX_DURATION = 10**7
MAX_AMOUNT = 10**9
MAX_LAG = 10**9


def _successor_lists(successors: Any, n: int) -> tuple[np.ndarray, ...]:
    """One int64 array per activity in the order given; ids checked against 0..n-1, no self
    arcs, no arc twice."""
    if isinstance(successors, np.ndarray | str) or not isinstance(successors, Sequence):
        raise InvalidInstance("successors must be a list with one list of activity ids per activity")
    if len(successors) != n:
        raise InvalidInstance(
            f"successors has {len(successors)} entries but there are {n} activities: one list each"
        )
    lists = []
    for j, row in enumerate(successors):
        if isinstance(row, str | bytes | Mapping) or not isinstance(row, Iterable):  # list(0): TypeError
            raise InvalidInstance(f"successors[{j}] must be a list of activity ids, "
                                  f"got {arguments.shown(row)}")
        array = integer_array(f"successors[{j}]", row if isinstance(row, np.ndarray) else list(row), 1)
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
        lists.append(array)
    return tuple(lists)


def _sorted(successors: Sequence[np.ndarray], lags: Sequence[np.ndarray] | None
            ) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...] | None]:
    """Successor lists in increasing id order (lags permuted alongside), all read-only."""
    rows, lag_rows = [], []
    for j, row in enumerate(successors):
        by_id = np.argsort(row, kind="stable")
        rows.append(np.ascontiguousarray(row[by_id]))
        rows[-1].setflags(write=False)
        if lags is not None:
            lag_rows.append(np.ascontiguousarray(lags[j][by_id]))
            lag_rows[-1].setflags(write=False)
    return tuple(rows), (tuple(lag_rows) if lags is not None else None)


def precedence_order(successors: Sequence[np.ndarray]) -> np.ndarray:
    """A topological order of the arcs (schedkit.common.graph); InvalidInstance naming the
    activities of one cycle, smallest id first, when there is none."""
    n = len(successors)
    edges = _edges(successors)
    try:
        return topological_order(n, edges)
    except InvalidInstance:
        cycle = find_cycle(n, edges)[:-1]
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    path = " -> ".join(str(j) for j in cycle + [cycle[0]])
    raise InvalidInstance(f"the precedences contain a cycle: activities {path}")


def _edges(successors: Sequence[np.ndarray]) -> np.ndarray:
    """The arcs as an m x 2 array (source, target)."""
    counts = [row.size for row in successors]
    if not sum(counts):
        return np.zeros((0, 2), dtype=np.int64)
    tails = np.repeat(np.arange(len(successors), dtype=np.int64), counts)
    return np.column_stack([tails, np.concatenate(successors)])


def _ordered(successors: Sequence[Any]) -> None:
    """InvalidInstance for a successor set when lags are given: its iteration order is not the
    one its lags were written in, so lags were paired with the wrong arcs silently."""
    for j, row in enumerate(successors):
        if not isinstance(row, Sequence | np.ndarray):
            raise InvalidInstance(f"successors[{j}] is a {type(row).__name__}: with lags each successor "
                                  "list must be ordered (a list), one lag per entry")


def _lag_lists(lags: Any, successors: Sequence[np.ndarray]) -> tuple[np.ndarray, ...]:
    """One read-only int64 array per activity, as long as its successor list."""
    if isinstance(lags, np.ndarray | str) or not isinstance(lags, Sequence):
        raise InvalidInstance("lags must be a list with one list of time lags per activity "
                              "(one lag per successor)")
    if len(lags) != len(successors):
        raise InvalidInstance(f"lags has {len(lags)} entries but there are {len(successors)} "
                              "activities: one list each")
    rows = []
    for j, (row, succ) in enumerate(zip(lags, successors, strict=True)):
        array = integer_array(f"lags[{j}]", list(row) if isinstance(row, Sequence) and not
                              isinstance(row, str) else row, 1, MAX_LAG)
        if array.size != len(succ):
            raise InvalidInstance(f"activity {j} has {len(succ)} successors but {array.size} lags: "
                                  "one lag per successor")
        rows.append(array)
    return tuple(rows)


@dataclass(frozen=True, eq=False)
class RCPSPInstance:
    """An RCPSP project: `durations` (n), `successors` (n lists of 0-based ids), `capacities`
    (K) and `demands` (n x K), all int64 and read-only once built.

    `name` identifies the instance in tables; `meta` carries what a file says beyond the model
    (PSPLIB header fields such as the horizon or the MPM time), preserved by the writers.

    `lags` (optional, RCPSP/max): one integer per arc, parallel to `successors`, meaning
    start(j) >= start(i) + lag for arc i -> j; negative lags are maximum time lags in the
    other direction, so the arcs may then form cycles (a cycle of positive length has no
    schedule: methods report it as `infeasible`). Without lags every arc means
    start(j) >= start(i) + d[i] and the arcs must be acyclic.

    Derived arrays for kernels: `succ_ptr`/`succ_idx`, `lag_idx` (the lag of each arc in that
    order: d[i] without lags) and `pred_ptr`/`pred_idx` (CSR), `order` (a topological order;
    empty when lags close a cycle).
    """

    durations: Any  # int64 arrays once built; lists are accepted
    successors: Any
    capacities: Any
    demands: Any
    name: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)
    lags: Any = None

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
        over = (q > c[None, :]) & (d[:, None] > 0)  # a zero-duration activity is never in progress
        if np.any(over) and self.lags is None:
            j, k = (int(v) for v in np.argwhere(over)[0])
            raise InvalidInstance(
                f"activity {j} demands {q[j, k]} of resource {k} but its capacity is {c[k]}: "
                "no schedule exists"
            )
        successors = _successor_lists(self.successors, n)
        if self.lags is not None:
            _ordered(self.successors)
        lags = None if self.lags is None else _lag_lists(self.lags, successors)
        successors, lags = _sorted(successors, lags)
        if lags is None:
            order = precedence_order(successors)
        else:
            edges = _edges(successors)
            order = (np.zeros(0, dtype=np.int64) if find_cycle(n, edges)
                     else topological_order(n, edges))
        for name, value in (("durations", d), ("successors", successors), ("capacities", c),
                            ("demands", q), ("name", str(self.name)),
                            ("meta", arguments.meta(self.meta)), ("lags", lags)):
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
        if self.lags is None:
            lag_idx = self.durations[tails].astype(np.int64)
        else:
            lag_idx = np.concatenate(self.lags) if succ_ptr[-1] else np.zeros(0, dtype=np.int64)
        by_head = np.lexsort((tails, succ_idx))
        pred_idx = tails[by_head]
        pred_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(succ_idx, minlength=n), out=pred_ptr[1:])
        for name, value in (("succ_ptr", succ_ptr), ("succ_idx", succ_idx.astype(np.int64)),
                            ("lag_idx", np.ascontiguousarray(lag_idx, dtype=np.int64)),
                            ("pred_ptr", pred_ptr), ("pred_idx", pred_idx.astype(np.int64)),
                            ("order", order)):
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    succ_ptr: np.ndarray = field(init=False, repr=False, compare=False)
    succ_idx: np.ndarray = field(init=False, repr=False, compare=False)
    lag_idx: np.ndarray = field(init=False, repr=False, compare=False)
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
            "name": self.name, "meta": self.meta, "lags": self.lags,
        }
        fields = arguments.changed(fields, changes, "RCPSPInstance")
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
            **({} if self.lags is None else {"lags": [row.tolist() for row in self.lags]}),
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
            and (self.lags is None) == (other.lags is None)
            and (self.lags is None or all(np.array_equal(a, b) for a, b in
                                          zip(self.lags, other.lags, strict=True)))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        lags = "" if self.lags is None else ", lags"
        return (f"RCPSPInstance(name={self.name!r}, activities={self.n}, "
                f"resources={self.resources}, arcs={self.arcs}{lags})")


@dataclass(frozen=True)
class RCPSPSolution:
    """A schedule: `start[j]` is the start time of activity j (file order, dummies included)."""

    start: tuple[int, ...]

    def __init__(self, start: Sequence[int] | np.ndarray) -> None:
        object.__setattr__(self, "start", arguments.whole_numbers("start", start))

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
