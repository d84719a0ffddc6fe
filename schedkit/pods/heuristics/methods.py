"""`kube-default`: the default kube-scheduler's behaviour on a cluster (see `pods_kernels`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from schedkit.common.compile import compile_once
from schedkit.errors import InvalidOption
from schedkit.pods.heuristics.kernels import kube_schedule
from schedkit.pods.model import Node, Pod, PodsInstance, PodsSolution, objective, placement_stats
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

SCORINGS = ("LeastAllocated", "MostAllocated")


def kube_default(
    instance: PodsInstance, scoring: str = "LeastAllocated", preemption: bool = True
) -> tuple[np.ndarray, int]:
    """(node index per pod, -1 unplaced; number of preemptions) of the default scheduler."""
    if scoring not in SCORINGS:
        raise InvalidOption(f"kube-default: scoring must be one of {', '.join(SCORINGS)}, got {scoring!r}")
    names = [node.name for node in instance.nodes]
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(np.array(names), kind="stable")] = np.arange(len(names))
    assign, preemptions = kube_schedule(
        instance.pod_node,
        instance.eligible,
        instance.node_cpu,
        instance.node_memory,
        instance.node_max_pods,
        rank,
        instance.pod_cpu,
        instance.pod_memory,
        instance.pod_priority,
        instance.pod_order,
        instance.pod_movable,
        scoring == "MostAllocated",
        bool(preemption),
    )
    return assign, int(preemptions)


def _warm_kernels() -> None:
    """The scheduler kernel once on a one-node cluster with a preemption (compiles or loads it)."""
    tiny = PodsInstance(
        nodes=(Node("n", cpu=1000, memory=1000, max_pods=1),),
        pods=(Pod("low", cpu=1000, memory=1000, node="n"), Pod("high", cpu=1000, memory=1000, priority=1)),
    )
    for scoring in SCORINGS:
        kube_default(tiny, scoring)


def compile_kernels() -> float:
    """Seconds spent compiling (or loading) the scheduler kernel in this call; 0.0 once it is."""
    return compile_once("pods.heuristics", _warm_kernels)


def placement_result(instance: PodsInstance, nodes: np.ndarray, **stats: Any) -> Result:
    """A Result for a placement: objective 0 (all placed, nothing disturbed) is a proof."""
    value = objective(instance, nodes)
    solution = PodsSolution.from_array(instance, nodes)
    return Result(
        status="optimal" if value == 0 else "feasible",
        objective=value,
        bound=0 if value == 0 else None,
        solution=solution,
        stats={**placement_stats(instance, nodes), "plan": solution.plan(instance), **stats},
    )


@register(
    "pods",
    "kube-default",
    exact=False,
    options={"scoring": "LeastAllocated", "preemption": True},
    description="default kube-scheduler: priority queue, NodeResourcesFit filter, LeastAllocated "
    "(or scoring=MostAllocated) + BalancedAllocation, DefaultPreemption",
)
def solve_kube_default(instance: PodsInstance, options: SolveOptions) -> Result:
    """One scheduling pass over the pending pods, as kube-scheduler would bind them."""
    seconds = compile_kernels()
    nodes, preemptions = kube_default(instance, str(options.get("scoring")), bool(options.get("preemption")))
    return placement_result(instance, nodes, preemptions=preemptions, workers=1,
                            compile_seconds=round(seconds, 6))
