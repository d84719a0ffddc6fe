"""DAG heuristic methods as registered in schedkit: `heft`, `cpop`, `peft`.

Each is one constructive pass (O(m·p) plus the insertion searches), with no improvement loop
for a time limit to stop. The result's bound is the instance's lower bound (critical path at
cheapest costs, total work / p); a makespan that meets it is optimal. The kernels compile on a
two-task graph the first time a process needs them; `stats["compile_seconds"]` says how long.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.common.compile import add_compile_seconds, compile_once
from schedkit.dag.heuristics import graph as dag_graph
from schedkit.dag.heuristics import listsched as dag_listsched
from schedkit.dag.heuristics.graph import Graph
from schedkit.dag.heuristics.kernels import longest_path
from schedkit.dag.model import DAGInstance, DAGSolution
from schedkit.registry import SolveOptions, register
from schedkit.result import Result


def makespan(instance: DAGInstance, processor: np.ndarray, start: np.ndarray) -> int:
    """Max finish time of a schedule."""
    return int((start + instance.cost[np.arange(instance.n), processor]).max())


def schedule_result(instance: DAGInstance, graph: Graph, processor: np.ndarray, start: np.ndarray,
                    **stats: Any) -> Result:
    """A Result with the makespan, the lower bound, and SLR / speedup / efficiency in stats."""
    value = makespan(instance, processor, start)
    cheapest = longest_path(graph.topo, graph.succ_ptr, graph.succ_idx, instance.cost.min(axis=1))
    bound = instance.lower_bound(cheapest)
    return Result(
        status="optimal" if value == bound else "feasible",
        objective=value,
        bound=bound,
        solution=DAGSolution(processor, start),
        stats={"workers": 1, **instance.metrics(value, cheapest), **stats},
    )


def _warm_kernels() -> None:
    """Every DAG kernel once, on a two-task graph (compiles them or loads them from the cache)."""
    tiny = DAGInstance(cost=[[1, 2], [2, 1]], edges=[[0, 1]], data=[1])
    graph = dag_graph.build(tiny)
    for processor, start in (heft_schedule(graph), dag_listsched.cpop(graph)[:2], dag_listsched.peft(graph)):
        schedule_result(tiny, graph, processor, start)


def compile_kernels() -> float:
    """Seconds spent compiling (or loading) the DAG kernels in this call; 0.0 once they are."""
    return compile_once("dag.heuristics", _warm_kernels)


def heft_schedule(graph: Graph) -> tuple[np.ndarray, np.ndarray]:
    """HEFT's (processor, start) per task: the warm start of the exact methods."""
    return dag_listsched.heft(graph)


@register("dag", "heft", exact=False,
          description="HEFT: upward rank, insertion-based earliest finish time (Topcuoglu et al. 2002)")
def solve_heft(instance: DAGInstance, options: SolveOptions) -> Result:
    """Heterogeneous earliest finish time."""
    seconds = compile_kernels()
    graph = dag_graph.build(instance)
    result = schedule_result(instance, graph, *heft_schedule(graph))
    return result.with_context(stats=add_compile_seconds(result.stats, seconds))


@register("dag", "cpop", exact=False,
          description="CPOP: critical path on one processor, the rest by earliest finish time")
def solve_cpop(instance: DAGInstance, options: SolveOptions) -> Result:
    """Critical path on a processor."""
    seconds = compile_kernels()
    graph = dag_graph.build(instance)
    processor, start, chosen = dag_listsched.cpop(graph)
    result = schedule_result(instance, graph, processor, start, critical_path_processor=chosen)
    return result.with_context(stats=add_compile_seconds(result.stats, seconds))


@register("dag", "peft", exact=False,
          description="PEFT: optimistic cost table rank, EFT + OCT processor choice (Arabnejad-Barbosa 2014)")
def solve_peft(instance: DAGInstance, options: SolveOptions) -> Result:
    """Predict earliest finish time."""
    seconds = compile_kernels()
    graph = dag_graph.build(instance)
    result = schedule_result(instance, graph, *dag_listsched.peft(graph))
    return result.with_context(stats=add_compile_seconds(result.stats, seconds))
