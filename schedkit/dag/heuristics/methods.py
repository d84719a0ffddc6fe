"""DAG heuristic methods as registered in schedkit: `heft`, `cpop`, `peft`.

Each is one constructive pass (O(m·p) plus the insertion searches), with no improvement loop
for a time limit to stop. The result's bound is the instance's lower bound (critical path at
cheapest costs, total work / p); a makespan that meets it is optimal. The kernels compile on a
two-task graph the first time a process needs them (heuristics/compiled.py), waited for until
max(1 s, 20 % of the limit); `stats["compile_seconds"]` says how long. Not ready by then: the
method runs the kernels as plain Python (their twins: the same schedule) on graphs up to
MAX_TWIN_TASKS whose pass fits the time left (`twin_fits`), and returns the one-processor
schedule of heuristics/plain.py beyond, with `stats["compiling"]` and a `note`; under a limit that
schedule is built and offered to the guard before the wait (`kernels_or_plain`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from schedkit.common.compile import compiled_or_twin, wait_until
from schedkit.dag.heuristics import graph as dag_graph
from schedkit.dag.heuristics import listsched as dag_listsched
from schedkit.dag.heuristics import plain
from schedkit.dag.heuristics.compiled import compiled, ensure_compiled
from schedkit.dag.heuristics.graph import Graph
from schedkit.dag.heuristics.kernels import longest_path
from schedkit.dag.model import DAGInstance, DAGSolution
from schedkit.deadline import dropped, offer_better, stopped
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

# While the kernels compile, graphs up to this size run them as plain Python (HEFT on 1,000
# tasks: about 0.1 s); larger ones get the one-processor schedule.
MAX_TWIN_TASKS = 2_000
# A twin pass takes about this per (task + edge) x processor (HEFT, PEFT and CPOP measured 2-11 µs
# from 300 tasks on 300 processors to 2,000 on 8): 2,000 tasks, 38,000 edges and 2,000 processors
# took 198 s under a 2 s limit when the task count alone decided.
TWIN_SECONDS_PER_UNIT = 6e-6
TWIN_LEAST = 0.1  # seconds a twin pass may take even when no time is left (within the allowance)
TWIN_NOTE = ("the numba kernels were still compiling: the heuristic ran as plain Python (the "
             "same schedule, slower)")


def makespan(instance: DAGInstance, processor: np.ndarray, start: np.ndarray) -> int:
    """Max finish time of a schedule."""
    return int((start + instance.cost[np.arange(instance.n), processor]).max())


def cheapest_path(instance: DAGInstance, graph: Graph | None) -> int:
    """The longest path at cheapest costs: by the kernel on `graph`, in plain Python without
    one (while the kernels compile)."""
    if graph is None:
        return instance.cheapest_path()
    path = compiled_or_twin(longest_path)  # its Python twin while the kernels compile
    return int(path(graph.topo, graph.succ_ptr, graph.succ_idx, instance.cost.min(axis=1)))


def schedule_result(instance: DAGInstance, graph: Graph | None, processor: np.ndarray,
                    start: np.ndarray, **stats: Any) -> Result:
    """A Result with the makespan, the lower bound, and SLR / speedup / efficiency in stats
    (`graph` None: computed without the kernels)."""
    value = makespan(instance, processor, start)
    cheapest = cheapest_path(instance, graph)
    bound = instance.lower_bound(cheapest)
    return Result(
        status="optimal" if value == bound else "feasible",
        objective=value,
        bound=bound,
        solution=DAGSolution(processor, start),
        stats={"workers": 1, **instance.metrics(value, cheapest), **stats},
    )


def plain_result(instance: DAGInstance, waited: float, **stats: Any) -> Result:
    """The one-processor schedule (heuristics/plain.py) as a heuristic's answer while the
    kernels still compile, after `waited` seconds."""
    processor, start = plain.one_processor(instance)
    return schedule_result(instance, None, processor, start, compiling=True, note=plain.NOTE,
                           compile_seconds=round(waited, 6), **stats)


def twin_fits(instance: DAGInstance, options: SolveOptions) -> bool:
    """Whether the kernels may run as plain Python (their twins): at most MAX_TWIN_TASKS tasks,
    and (n + m)·p·TWIN_SECONDS_PER_UNIT within the time left (or TWIN_LEAST)."""
    left = options.remaining()
    work = (instance.n + instance.m) * instance.p * TWIN_SECONDS_PER_UNIT
    return instance.n <= MAX_TWIN_TASKS and (left is None or work <= max(left, TWIN_LEAST))


def kernels_or_plain(instance: DAGInstance, options: SolveOptions) -> tuple[float, Result | None]:
    """Wait for the kernels up to max(1 s, 20 % of the limit): (seconds waited, None) when they
    are ready, or when the graph's pass fits the time left as plain Python (their twins,
    listsched.kernels, `twin_fits`); else (seconds waited, the one-processor schedule's Result).
    Under a limit, when the twins do not fit even before the wait, that schedule is the only
    answer without the kernels: built and offered to the guard before the wait (and before the
    compilation starts, which would slow it down), and returned as it is after, not built again
    in the time left."""
    early = None
    if options.time_limit is not None and not compiled() and not twin_fits(instance, options):
        early = plain_result(instance, 0.0, offered="the one-processor schedule, before the compile wait")
        offer_better(early)
    ready, waited = ensure_compiled(wait_until(options))
    if ready or twin_fits(instance, options):
        return waited, None
    if early is None:
        return waited, plain_result(instance, waited)
    stats = {key: value for key, value in early.stats.items() if key != "offered"}
    return waited, replace(early, stats={**stats, "compile_seconds": round(waited, 6)})


def compile_stats(seconds: float) -> dict[str, Any]:
    """`compile_seconds`, and `compiling` with a note when the kernels ran as plain Python."""
    if compiled():
        return {"compile_seconds": round(seconds, 6)}
    return {"compile_seconds": round(seconds, 6), "compiling": True, "note": TWIN_NOTE}


def _answer(instance: DAGInstance, graph: Graph, processor: np.ndarray, start: np.ndarray,
            **stats: Any) -> Result:
    """`schedule_result`, or `unknown` at once when the run was abandoned (its kernels returned
    early, and nobody reads the answer)."""
    if stopped():
        return dropped({"workers": 1})
    return schedule_result(instance, graph, processor, start, **stats)


def heft_schedule(graph: Graph) -> tuple[np.ndarray, np.ndarray]:
    """HEFT's (processor, start) per task: the warm start of the exact methods."""
    return dag_listsched.heft(graph)


@register("dag", "heft", exact=False,
          description="HEFT: upward rank, insertion-based earliest finish time (Topcuoglu et al. 2002)")
def solve_heft(instance: DAGInstance, options: SolveOptions) -> Result:
    """Heterogeneous earliest finish time."""
    seconds, fallback = kernels_or_plain(instance, options)
    if fallback is not None:
        return fallback
    graph = dag_graph.build(instance)
    return _answer(instance, graph, *heft_schedule(graph), **compile_stats(seconds))


@register("dag", "cpop", exact=False,
          description="CPOP: critical path on one processor, the rest by earliest finish time")
def solve_cpop(instance: DAGInstance, options: SolveOptions) -> Result:
    """Critical path on a processor."""
    seconds, fallback = kernels_or_plain(instance, options)
    if fallback is not None:
        return fallback
    graph = dag_graph.build(instance)
    processor, start, chosen = dag_listsched.cpop(graph)
    return _answer(instance, graph, processor, start, critical_path_processor=chosen,
                   **compile_stats(seconds))


@register("dag", "peft", exact=False,
          description="PEFT: optimistic cost table rank, EFT + OCT processor choice (Arabnejad-Barbosa 2014)")
def solve_peft(instance: DAGInstance, options: SolveOptions) -> Result:
    """Predict earliest finish time."""
    seconds, fallback = kernels_or_plain(instance, options)
    if fallback is not None:
        return fallback
    graph = dag_graph.build(instance)
    return _answer(instance, graph, *dag_listsched.peft(graph), **compile_stats(seconds))
