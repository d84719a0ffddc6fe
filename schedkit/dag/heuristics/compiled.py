"""Numba compilation inside the budget: `ensure_compiled(deadline)` compiles (or loads from the
cache) the DAG kernels on a two-task graph, on a helper thread, and says whether they were ready
by `deadline` and how long it waited, so a method counts that against its time limit
(`stats["compile_seconds"]`) and, when they are not ready, answers without them
(heuristics/plain.py) while the compilation goes on."""

from __future__ import annotations

import math
from typing import Any

from schedkit.common.compile import compile_until
from schedkit.dag.heuristics import graph as dag_graph
from schedkit.dag.heuristics import kernels as dag_kernels
from schedkit.dag.heuristics import listsched
from schedkit.dag.model import DAGInstance

kernels: Any = dag_kernels
# The kernels the methods call from Python (the others are compiled into these).
ENTRY_POINTS = ("topological_positions", "average_delays", "upward_ranks", "longest_path",
                "downward_ranks", "optimistic_costs", "critical_path", "list_schedule")


def compiled() -> bool:
    """True when every kernel the DAG methods call has been compiled in this process."""
    return all(getattr(kernels, name).signatures for name in ENTRY_POINTS)


def _warm_kernels() -> None:
    """Every DAG kernel once, on a two-task graph (compiles them or loads them from the cache)."""
    tiny = DAGInstance(cost=[[1, 2], [2, 1]], edges=[[0, 1]], data=[1])
    graph = dag_graph.build(tiny)
    listsched.heft(graph)
    listsched.cpop(graph)
    listsched.peft(graph)
    kernels.longest_path(graph.topo, graph.succ_ptr, graph.succ_idx, tiny.cost.min(axis=1))


def ensure_compiled(deadline: float = math.inf) -> tuple[bool, float]:
    """(ready, seconds waited) for the DAG kernels: compiled on a helper thread, waited for
    until `deadline` (a perf_counter value; inf waits as long as it takes); (True, 0.0) once
    this process has them."""
    return compile_until("dag.heuristics", _warm_kernels, deadline, compiled)


def warm_up() -> float:
    """`schedkit warmup`'s hook: compile the kernels now, however long it takes; the seconds."""
    return ensure_compiled()[1]
