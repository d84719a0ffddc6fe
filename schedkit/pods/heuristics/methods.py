"""`kube-default`: the default kube-scheduler's behaviour on a cluster (see `pods_kernels`).

The scheduler kernel compiles (or loads from the cache) on a one-node cluster the first time a
process needs it, on a helper thread waited for until the deadline; `stats["compile_seconds"]`
says how long. Not ready by then (a cold numba cache): the method returns the plan that changes
nothing (`unchanged`), with `stats["compiling"]` and a `note`, while the compilation goes on.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from schedkit.common.compile import MARGIN, compile_until
from schedkit.deadline import dropped, offer_better, stop_flag, stopped
from schedkit.errors import InvalidOption
from schedkit.pods.heuristics import kernels as pods_kernels
from schedkit.pods.model import Node, Pod, PodsInstance, PodsSolution
from schedkit.pods.objective import objective, placement_stats
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

kernels: Any = pods_kernels  # numba dispatchers: their call signatures are not typed

SCORINGS = ("LeastAllocated", "MostAllocated")
UNCHANGED_NOTE = ("the numba kernel was still compiling: the plan that changes nothing (running "
                  "pods stay on their nodes, pending pods stay pending)")


def check_scoring(scoring: str) -> None:
    """InvalidOption unless `scoring` is one of SCORINGS (checked before any compilation)."""
    if scoring not in SCORINGS:
        raise InvalidOption(f"kube-default: scoring must be one of {', '.join(SCORINGS)}, got {scoring!r}")


def kube_default(
    instance: PodsInstance, scoring: str = "LeastAllocated", preemption: bool = True
) -> tuple[np.ndarray, int]:
    """(node index per pod, -1 unplaced; number of preemptions) of the default scheduler."""
    check_scoring(scoring)
    names = [node.name for node in instance.nodes]
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(np.array(names), kind="stable")] = np.arange(len(names))
    assign, preemptions = kernels.kube_schedule(
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
        stop_flag(),
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


def compiled() -> bool:
    """True when this process has compiled the scheduler kernel."""
    return bool(kernels.kube_schedule.signatures)


def ensure_compiled(deadline: float = math.inf) -> tuple[bool, float]:
    """(ready, seconds waited) for the scheduler kernel: compiled on a helper thread, waited
    for until `deadline` (a perf_counter value; inf waits as long as it takes); (True, 0.0)
    once this process has it."""
    return compile_until("pods.heuristics", _warm_kernels, deadline, compiled)


def warm_up() -> float:
    """`schedkit warmup`'s hook: compile the kernel now, however long it takes; the seconds."""
    return ensure_compiled()[1]


def unchanged(instance: PodsInstance) -> np.ndarray:
    """Node index per pod (-1 unplaced) of the plan that changes nothing: running pods stay,
    pending pods stay pending. Valid: the model refuses a current state that does not fit."""
    return np.array(instance.pod_node, dtype=np.int64)


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
    check_scoring(str(options.get("scoring")))
    plain = None
    if math.isfinite(options.deadline):  # before the compile wait and the cycle (100,000 pods:
        # `unknown` at every limit, the plan was built after a wait that ended 0.05 s before it)
        plain = placement_result(instance, unchanged(instance), preemptions=0, workers=1)
        offer_better(replace(plain, stats={**plain.stats, "offered": "the plan that changes nothing"}))
    ready, seconds = ensure_compiled(options.deadline - MARGIN)
    if not ready:
        plain = plain or placement_result(instance, unchanged(instance), preemptions=0, workers=1)
        return replace(plain, stats={**plain.stats, "compiling": True, "note": UNCHANGED_NOTE,
                                     "compile_seconds": round(seconds, 6)})
    nodes, preemptions = kube_default(instance, str(options.get("scoring")), bool(options.get("preemption")))
    if stopped():
        return dropped({"workers": 1})
    return placement_result(instance, nodes, preemptions=preemptions, workers=1,
                            compile_seconds=round(seconds, 6))
