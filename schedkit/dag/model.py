"""Heterogeneous DAG scheduling: a task graph on unrelated processors, objective makespan.

Tasks i = 0..n-1 cost `cost[i, k] >= 0` time units on processor k = 0..p-1 (unrelated
processors: any matrix). Edge e = (edges[e, 0] -> edges[e, 1]) carries `data[e] >= 0`.
When the two tasks run on different processors k != l the successor waits

    delay(e, k, l) = latency[k] + ceil(data[e] / bandwidth[k, l])

after the predecessor's finish; on the same processor it waits 0. Without a network
(`bandwidth` and `latency` omitted) bandwidth is 1 and latency 0, so `data[e]` *is* the
communication cost, as in the HEFT paper's example. The division rounds up: that is the
model's definition (kept in integers for CP-SAT), not a silent rounding of input data.

A schedule gives each task a processor and an integer start; a processor runs one task at a
time (zero-cost tasks occupy no time), no preemption. Objective: makespan = max finish.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common import arguments
from schedkit.common.arrays import integer_array
from schedkit.errors import InvalidInstance

FAMILY = "dag"
MAX_TASKS = 1_000_000
MAX_PROCESSORS = 4096
MAX_COST_CELLS = 50_000_000  # tasks x processors a reader or generator builds from a count
MAX_VALUE = 10**9  # every cost, data size, bandwidth and latency; sums stay far below 2**63


def find_cycle(n: int, edges: np.ndarray) -> list[int] | None:
    """One directed cycle as a task list (first task repeated at the end), None when acyclic."""
    successors: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges.tolist():
        successors[a].append(b)
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    for root in range(n):
        if state[root]:
            continue
        stack = [(root, 0)]
        path = [root]
        state[root] = 1
        while stack:
            node, position = stack[-1]
            if position < len(successors[node]):
                stack[-1] = (node, position + 1)
                nxt = successors[node][position]
                if state[nxt] == 1:
                    return path[path.index(nxt):] + [nxt]
                if state[nxt] == 0:
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return None


def _listed(field: str, values: Any) -> list[Any]:
    """A list, tuple or 1-D array as a list (text is no list: 'P12' gave processors P, 1, 2)."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence):
        raise InvalidInstance(f"{field} must be a list, got {type(values).__name__}")
    return list(values)


def _task_ids(values: Any) -> list[Any]:
    """Task ids as the file formats take them, text or Python ints: np.int64 ids made dump()
    fail ('int64 is not JSON serializable'), None or a list wrote a file load() refuses."""
    ids = _listed("task_ids", values)
    for k, task in enumerate(ids):
        if isinstance(task, numbers.Integral) and not isinstance(task, bool | np.bool_):
            ids[k] = int(task)
        elif not isinstance(task, str):
            raise InvalidInstance(f"task_ids[{k}] = {task!r:.40} is not a string or integer id")
    return ids


@dataclass(frozen=True, eq=False)
class DAGInstance:
    """A task graph: `cost` (n x p), `edges` (m x 2, task indices, kept sorted by source then
    target with `data` alongside), `data` (m), optional
    `bandwidth` (p x p, >= 1) and `latency` (p); all int64 and read-only once built.

    `task_ids` are the names files use for the tasks (default 1..n), `processors` the
    processor names (default P1..Pp); `meta` keeps what a file says besides (e.g. the
    reference makespans of the HEFT paper's example).
    """

    cost: Any
    edges: Any = None
    data: Any = None
    bandwidth: Any = None
    latency: Any = None
    task_ids: Sequence[Any] | None = None
    processors: Sequence[str] | None = None
    name: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    family = FAMILY

    def __post_init__(self) -> None:
        cost = integer_array("cost", self.cost, 2, limit=MAX_VALUE)
        n, p = cost.shape
        if n == 0:
            raise InvalidInstance("an instance needs at least one task (cost is empty)")
        if p == 0:
            raise InvalidInstance("an instance needs at least one processor (cost has no columns)")
        if n > MAX_TASKS or p > MAX_PROCESSORS:
            raise InvalidInstance(f"{n} tasks x {p} processors is beyond the supported "
                                  f"{MAX_TASKS} x {MAX_PROCESSORS}")
        ids = list(range(1, n + 1)) if self.task_ids is None else _task_ids(self.task_ids)
        names = [f"P{k + 1}" for k in range(p)] if self.processors is None else [
            str(x) for x in _listed("processors", self.processors)]
        if len(ids) != n:
            raise InvalidInstance(f"task_ids lists {len(ids)} tasks but cost has {n} rows")
        if len({str(t) for t in ids}) != n:
            raise InvalidInstance("task_ids repeat a task id")
        if len(names) != p:
            raise InvalidInstance(f"processors lists {len(names)} names but cost has {p} columns")
        if len(set(names)) != p:  # a Gantt row, a solution's processor, must name one
            twice = next(x for x in names if names.count(x) > 1)
            raise InvalidInstance(f"processors name {twice!r} twice")
        negative = np.argwhere(cost < 0)
        if negative.size:
            i, k = (int(v) for v in negative[0])
            raise InvalidInstance(f"cost of task {ids[i]} on processor {names[k]} is {cost[i, k]}: "
                                  "computation costs must be non-negative")
        edges = integer_array("edges", [] if self.edges is None else self.edges, 2, limit=MAX_VALUE)
        if edges.size == 0:
            edges = np.zeros((0, 2), dtype=np.int64)
        if edges.shape[1] != 2:
            raise InvalidInstance(f"edges must be pairs (source, target), got shape {edges.shape}")
        m = edges.shape[0]
        data = np.zeros(m, np.int64) if self.data is None else self.data
        data = integer_array("data", data, 1, limit=MAX_VALUE)
        if data.size != m:
            raise InvalidInstance(f"data has {data.size} entries but there are {m} edges")
        self._check_edges(edges, data, ids, n)
        order = np.lexsort((edges[:, 1], edges[:, 0]))  # edges are a set: kept sorted
        edges, data = edges[order], data[order]
        bandwidth, latency = self._network(p)
        for key, value in (("cost", cost), ("edges", edges), ("data", data),
                           ("bandwidth", bandwidth), ("latency", latency)):
            if value is not None:
                value.setflags(write=False)
            object.__setattr__(self, key, value)
        object.__setattr__(self, "task_ids", tuple(ids))
        object.__setattr__(self, "processors", tuple(names))
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "meta", arguments.meta(self.meta))

    @staticmethod
    def _check_edges(edges: np.ndarray, data: np.ndarray, ids: list[Any], n: int) -> None:
        """Endpoints exist, data is non-negative, no edge repeats, and the graph has no cycle."""
        outside = np.argwhere((edges < 0) | (edges >= n))
        if outside.size:
            e, side = (int(v) for v in outside[0])
            raise InvalidInstance(f"edges[{e}] {'target' if side else 'source'} index "
                                  f"{edges[e, side]} is no task (tasks are 0..{n - 1})")
        if np.any(data < 0):
            e = int(np.flatnonzero(data < 0)[0])
            raise InvalidInstance(f"edge {ids[edges[e, 0]]} -> {ids[edges[e, 1]]} has data / "
                                  f"communication cost {data[e]}: it must be non-negative")
        keys = edges[:, 0] * n + edges[:, 1]
        unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
        if unique.size != keys.size:
            e = int(first[np.flatnonzero(counts > 1)[0]])
            raise InvalidInstance(f"edge {ids[edges[e, 0]]} -> {ids[edges[e, 1]]} is listed twice")
        cycle = find_cycle(n, edges)
        if cycle is not None:
            named = " -> ".join(str(ids[i]) for i in cycle)
            raise InvalidInstance(f"the task graph has a cycle: {named}")

    def _network(self, p: int) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Validated bandwidth (p x p, >= 1) and latency (p, >= 0), or None where not given."""
        bandwidth = latency = None
        if self.bandwidth is not None:
            bandwidth = integer_array("bandwidth", self.bandwidth, 2, limit=MAX_VALUE)
            if bandwidth.shape != (p, p):
                raise InvalidInstance(f"bandwidth must be {p} x {p}, got {bandwidth.shape}")
            if np.any(bandwidth < 1):
                k, to = (int(v) for v in np.argwhere(bandwidth < 1)[0])
                raise InvalidInstance(f"bandwidth[{k}][{to}] = {bandwidth[k, to]}: must be at least 1")
        if self.latency is not None:
            latency = integer_array("latency", self.latency, 1, limit=MAX_VALUE)
            if latency.size != p:
                raise InvalidInstance(f"latency has {latency.size} entries for {p} processors")
            if np.any(latency < 0):
                k = int(np.flatnonzero(latency < 0)[0])
                raise InvalidInstance(f"latency[{k}] = {latency[k]}: must be non-negative")
        return bandwidth, latency

    @property
    def n(self) -> int:
        """Number of tasks."""
        return int(self.cost.shape[0])

    @property
    def p(self) -> int:
        """Number of processors."""
        return int(self.cost.shape[1])

    @property
    def m(self) -> int:
        """Number of edges."""
        return int(self.edges.shape[0])

    @property
    def has_network(self) -> bool:
        """True when bandwidth or latency is given (delays depend on the processor pair)."""
        return self.bandwidth is not None or self.latency is not None

    def network_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(bandwidth, latency) as the kernels use them: ones and zeros where not given."""
        p = self.p
        bandwidth = np.ones((p, p), np.int64) if self.bandwidth is None else self.bandwidth
        latency = np.zeros(p, np.int64) if self.latency is None else self.latency
        return bandwidth, latency

    def cheapest_path(self) -> int:
        """Longest path with every task at its cheapest cost and no communication
        (Topcuoglu et al.'s CP_MIN, the denominator of the SLR)."""
        cheapest = self.cost.min(axis=1)
        longest = cheapest.copy()
        before = np.zeros(self.n, np.int64)  # the longest path into a task, once all its predecessors ended
        for ready, out in frontiers(self.n, self.edges):
            longest[ready] = cheapest[ready] + before[ready]
            np.maximum.at(before, self.edges[out, 1], longest[self.edges[out, 0]])
        return int(longest.max())

    def lower_bound(self, cheapest_path: int | None = None) -> int:
        """max(cheapest_path, ⌈Σ cheapest costs / p⌉): no schedule is shorter. A caller that
        has the cheapest path already (from a kernel) passes it."""
        total = int(self.cost.min(axis=1).sum())
        path = self.cheapest_path() if cheapest_path is None else int(cheapest_path)
        return max(path, -(-total // self.p))

    def metrics(self, makespan: int, cheapest_path: int | None = None) -> dict[str, float | None]:
        """SLR = makespan / Σ cheapest costs on the critical path (costs at their minimum,
        no communication: Topcuoglu et al.'s CP_MIN); speedup = best single-processor time /
        makespan; efficiency = speedup / p. None where a denominator is 0."""
        cp_min = self.cheapest_path() if cheapest_path is None else int(cheapest_path)
        sequential = int(self.cost.sum(axis=0).min())
        slr = makespan / cp_min if cp_min > 0 else None
        speedup = sequential / makespan if makespan > 0 else None
        return {
            "slr": slr,
            "speedup": speedup,
            "efficiency": None if speedup is None else speedup / self.p,
        }

    def replace(self, **changes: Any) -> DAGInstance:
        """A new, re-validated instance with some fields changed."""
        fields: dict[str, Any] = {
            "cost": self.cost, "edges": self.edges, "data": self.data,
            "bandwidth": self.bandwidth, "latency": self.latency, "task_ids": self.task_ids,
            "processors": self.processors, "name": self.name, "meta": self.meta,
        }
        fields = arguments.changed(fields, changes, "DAGInstance")
        return DAGInstance(**fields)

    def to_dict(self) -> dict[str, Any]:
        """The project's JSON shape: the HEFT-example layout (`task_ids`, `processors`,
        `computation_cost` by task id, `edges` as [source id, target id, data]) plus `family`,
        and `bandwidth` / `latency` when there is a network."""
        ids = list(self.task_ids or ())
        record: dict[str, Any] = {
            "family": FAMILY,
            "name": self.name,
            "task_ids": ids,
            "processors": list(self.processors or ()),
            "computation_cost": {str(t): row for t, row in zip(ids, self.cost.tolist(), strict=True)},
            "edges": [[ids[a], ids[b], c] for (a, b), c in
                      zip(self.edges.tolist(), self.data.tolist(), strict=True)],
        }
        if self.bandwidth is not None:
            record["bandwidth"] = self.bandwidth.tolist()
        if self.latency is not None:
            record["latency"] = self.latency.tolist()
        record["meta"] = dict(self.meta)
        return record

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DAGInstance):
            return NotImplemented

        def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
            return (a is None and b is None) or (
                a is not None and b is not None and np.array_equal(a, b))

        return (
            np.array_equal(self.cost, other.cost)
            and np.array_equal(self.edges, other.edges)
            and np.array_equal(self.data, other.data)
            and same(self.bandwidth, other.bandwidth)
            and same(self.latency, other.latency)
            and self.task_ids == other.task_ids
            and self.processors == other.processors
            and self.name == other.name
            and dict(self.meta) == dict(other.meta)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        network = ", network" if self.has_network else ""
        return (f"DAGInstance(name={self.name!r}, tasks={self.n}, edges={self.m}, "
                f"processors={self.p}{network})")


def topological_order(n: int, edges: np.ndarray) -> list[int]:
    """Kahn's order, first-in first-out, sources in index order: the deterministic order
    that breaks rank ties in every heuristic."""
    indegree = [0] * n
    successors: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges.tolist():
        successors[a].append(b)
        indegree[b] += 1
    queue = [i for i in range(n) if indegree[i] == 0]
    head = 0
    while head < len(queue):
        task = queue[head]
        head += 1
        for b in successors[task]:
            indegree[b] -= 1
            if indegree[b] == 0:
                queue.append(b)
    return queue


def frontiers(n: int, edges: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Kahn's algorithm a frontier at a time, in numpy (O(n + m) in bulk, not per task: 200,000
    tasks in a fraction of a second, where `topological_order` takes seconds under load): per
    round (the tasks whose predecessors all came before, in index order; the indices of their
    out-edges)."""
    sources = edges[:, 0].astype(np.int64, copy=False)
    by_source = np.argsort(sources, kind="stable")
    first = np.searchsorted(sources[by_source], np.arange(n + 1))
    indegree = np.bincount(edges[:, 1], minlength=n).astype(np.int64) if edges.size else np.zeros(n, np.int64)
    ready = np.flatnonzero(indegree == 0)
    while ready.size:
        counts = first[ready + 1] - first[ready]
        starts = np.repeat(first[ready] - np.cumsum(counts) + counts, counts)
        out = by_source[starts + np.arange(int(counts.sum()))]
        yield ready, out
        targets = edges[out, 1]
        np.subtract.at(indegree, targets, 1)
        ready = np.unique(targets[indegree[targets] == 0])


@dataclass(frozen=True)
class DAGSolution:
    """Per task (by index) its processor index and integer start time."""

    processor: tuple[int, ...]
    start: tuple[int, ...]

    def __init__(self, processor: Sequence[int] | np.ndarray, start: Sequence[int] | np.ndarray) -> None:
        object.__setattr__(self, "processor", arguments.whole_numbers("processor", processor))
        object.__setattr__(self, "start", arguments.whole_numbers("start", start))

    def to_dict(self) -> dict[str, Any]:
        """`{"processor": [per task, 0-based], "start": [per task]}`."""
        return {"processor": list(self.processor), "start": list(self.start)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DAGSolution:
        """Read the solution JSON; InvalidInstance when a field is missing or not integers."""
        if not isinstance(data, Mapping):
            raise InvalidInstance('a DAG solution is {"processor": [...], "start": [...]}')
        for key in ("processor", "start"):
            values = data.get(key)
            if not isinstance(values, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in values
            ):
                raise InvalidInstance(f'a DAG solution needs "{key}": a list of integers, one per task')
        return cls(data["processor"], data["start"])
