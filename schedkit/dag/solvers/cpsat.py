"""Exact DAG scheduling with OR-Tools CP-SAT (method `cpsat`).

Variables: per task a start S_i and end E_i in [0, H] (H = the makespan of the warm start,
the best of HEFT, PEFT and CPOP; HEFT on ties), per task and processor a literal x[i, k]
and an optional interval [S_i, E_i) of length cost[i, k] present when x[i, k].
Constraints: each task on exactly one processor; E_i = S_i + Σ_k cost[i, k]·x[i, k]; no
overlap of the present intervals of positive length on each processor (zero-length ones
occupy nothing);
S_j >= E_i on every edge, and S_j >= E_i + delay when the tasks are on different processors
(without a network: one implication per processor, "j on k and i not on k"; with one: one per
processor pair, as delays differ); on identical processors, the task at topological place r
uses a processor index <= r (relabelling processors by first use keeps an optimum).
Objective: makespan C >= E_i, C >= the instance's lower bound, and C >= each processor's
total work (redundant; it gives the linear relaxation the load argument).
The warm start is the hint (on identical processors renumbered by first use, so that it
satisfies the symmetry cuts). The model must be built by BUILD_SHARE of the time left after the
warm start (solvers/build_deadline.py: its loops look at the clock every 1,000 tasks or edges);
past that the warm start comes back unsolved (`solver_status` "model not built within the time
limit"): 40,000 tasks on 2 processors took 2.9 s to build, and 0.6 s more to hand to CP-SAT.
The model uses no numba kernel: when the kernels are still compiling after max(1 s, 20 % of
the limit) (a cold cache: common.compile.wait_until), the heuristics run as plain Python
(their twins) on graphs whose pass fits the time left (heuristics/methods.py, `twin_fits`),
beyond it the warm start is the one-processor schedule of heuristics/plain.py, and the
compilation goes on beside CP-SAT.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from schedkit.common.compile import wait_until
from schedkit.common.cpsat import CP_MODEL, import_cp_model, new_solver
from schedkit.common.finish import finish, integral_bound
from schedkit.dag.heuristics import graph as dag_graph
from schedkit.dag.heuristics import listsched as dag_listsched
from schedkit.dag.heuristics import plain
from schedkit.dag.heuristics.compiled import ensure_compiled
from schedkit.dag.heuristics.graph import Graph
from schedkit.dag.heuristics.methods import (
    TWIN_NOTE,
    heft_schedule,
    makespan,
    schedule_result,
    twin_fits,
)
from schedkit.dag.model import DAGInstance, topological_order
from schedkit.dag.solvers.build_deadline import OutOfTime, build_until, polled
from schedkit.deadline import dropped, offer, stopped
from schedkit.errors import ProblemTooLarge, SchedkitError
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

MAX_LITERALS = 200_000  # task-processor literals plus conditional precedences


class Variables:
    """S, E, x and the optional intervals of one model."""

    def __init__(self, model: Any, instance: DAGInstance, horizon: int, until: float) -> None:
        self.start: list[Any] = []
        self.end: list[Any] = []
        self.on: list[list[Any]] = []
        self.interval: list[list[Any]] = []
        processors = range(instance.p)
        for i in polled(range(instance.n), until):
            start, end = model.NewIntVar(0, horizon, f"S{i}"), model.NewIntVar(0, horizon, f"E{i}")
            on = [model.NewBoolVar(f"x{i},{k}") for k in processors]
            self.start.append(start)
            self.end.append(end)
            self.on.append(on)
            self.interval.append([model.NewOptionalIntervalVar(start, int(instance.cost[i, k]), end, on[k],
                                                               f"I{i},{k}") for k in processors])


def _one_processor_each(model: Any, v: Variables, instance: DAGInstance, until: float) -> None:
    """Exactly one processor per task; the end follows from the chosen cost."""
    for i in polled(range(instance.n), until):
        model.AddExactlyOne(v.on[i])
        model.Add(v.end[i] == v.start[i] + sum(int(c) * x for c, x in
                                               zip(instance.cost[i], v.on[i], strict=True)))


def _no_overlap_on_processors(model: Any, v: Variables, instance: DAGInstance, until: float) -> None:
    """One task at a time on each processor; zero-cost ones left out (CP-SAT would keep even an
    empty interval out of the inside of another)."""
    for k in range(instance.p):
        model.AddNoOverlap([v.interval[i][k] for i in polled(range(instance.n), until)
                            if instance.cost[i, k] > 0])


def _precedences(model: Any, v: Variables, instance: DAGInstance, until: float) -> None:
    """Successors start after the end, plus the delay when on another processor."""
    bandwidth, latency = instance.network_arrays()
    p = instance.p
    for (a, b), size in polled(zip(instance.edges.tolist(), instance.data.tolist(), strict=True), until):
        model.Add(v.start[b] >= v.end[a])
        if not instance.has_network:
            if size > 0:
                for k in range(p):
                    model.Add(v.start[b] >= v.end[a] + size).OnlyEnforceIf(
                        [v.on[b][k], v.on[a][k].Not()])
            continue
        for k in range(p):
            for target in range(p):
                delay = int(latency[k]) + -(-size // int(bandwidth[k, target]))
                if k != target and delay > 0:
                    model.Add(v.start[b] >= v.end[a] + delay).OnlyEnforceIf(
                        [v.on[a][k], v.on[b][target]])


def identical_processors(instance: DAGInstance) -> bool:
    """Equal cost columns, one latency and one off-diagonal bandwidth: processors interchangeable."""
    bandwidth, latency = instance.network_arrays()
    off = bandwidth[~np.eye(instance.p, dtype=bool)]
    return bool(np.all(instance.cost == instance.cost[:, :1]) and np.all(latency == latency[0])
                and np.all(off == off[0]) if off.size else True)


def _processor_symmetry(model: Any, v: Variables, instance: DAGInstance, until: float) -> None:
    """Identical processors: the task at topological place r goes on a processor <= r."""
    if not identical_processors(instance):
        return
    for place, task in polled(enumerate(topological_order(instance.n, instance.edges)), until):
        for k in range(place + 1, instance.p):
            model.Add(v.on[task][k] == 0)


def relabel_by_first_use(instance: DAGInstance, processor: np.ndarray) -> np.ndarray:
    """Processors renumbered in the order the topological order first uses them: on identical
    processors the same schedule, and one that satisfies `_processor_symmetry` (the hint)."""
    label: dict[int, int] = {}
    for task in topological_order(instance.n, instance.edges):
        label.setdefault(int(processor[task]), len(label))
    return np.array([label[int(k)] for k in processor], np.int64)


def _makespan(model: Any, v: Variables, instance: DAGInstance, horizon: int, until: float) -> Any:
    """C >= every end and >= the lower bound; minimised."""
    c = model.NewIntVar(min(instance.lower_bound(), horizon), horizon, "C")
    for end in polled(v.end, until):
        model.Add(c >= end)
    model.Minimize(c)
    return c


def _processor_loads(model: Any, v: Variables, instance: DAGInstance, c: Any, until: float) -> None:
    """Redundant: each processor's total work fits before the makespan (a linear cut the
    no-overlap constraints imply but do not state)."""
    for k in range(instance.p):
        model.Add(sum(int(instance.cost[i, k]) * v.on[i][k] for i in polled(range(instance.n), until)) <= c)


def _hint(model: Any, v: Variables, instance: DAGInstance, processor: np.ndarray,
          start: np.ndarray, c: Any, until: float) -> None:
    for i in polled(range(instance.n), until):
        model.AddHint(v.start[i], int(start[i]))
        model.AddHint(v.end[i], int(start[i] + instance.cost[i, processor[i]]))
        for k in range(instance.p):
            model.AddHint(v.on[i][k], k == processor[i])
    model.AddHint(c, makespan(instance, processor, start))


def warm_start(instance: DAGInstance, graph: Graph | None) -> tuple[str, np.ndarray, np.ndarray]:
    """The shortest of the HEFT, PEFT and CPOP schedules (HEFT on ties): (name, processor,
    start); without `graph` (the kernels still compiling) the one-processor schedule."""
    if graph is None:
        return ("one-processor", *plain.one_processor(instance))
    cpop = dag_listsched.cpop(graph)
    found = [("heft", *heft_schedule(graph)), ("peft", *dag_listsched.peft(graph)),
             ("cpop", cpop[0], cpop[1])]
    return min(found, key=lambda item: makespan(instance, item[1], item[2]))


def _model(cp_model: Any, instance: DAGInstance, horizon: int, processor: np.ndarray, start: np.ndarray,
           until: float) -> tuple[Any, Variables, Any]:
    """(model, variables, makespan variable), hinted with the schedule (processor, start) of
    makespan `horizon`; OutOfTime when the clock reaches `until` first."""
    if identical_processors(instance):
        processor = relabel_by_first_use(instance, processor)
    model = cp_model.CpModel()
    v = Variables(model, instance, horizon, until)
    _one_processor_each(model, v, instance, until)
    _no_overlap_on_processors(model, v, instance, until)
    _precedences(model, v, instance, until)
    _processor_symmetry(model, v, instance, until)
    c = _makespan(model, v, instance, horizon, until)
    _processor_loads(model, v, instance, c, until)
    _hint(model, v, instance, processor, start, c, until)
    return model, v, c


def _size(instance: DAGInstance) -> int:
    p = instance.p
    return instance.n * p + instance.m * (p * p if instance.has_network else p)


@register("dag", "cpsat", exact=True, options={},
          description="OR-Tools CP-SAT: optional intervals per processor, communication delays, "
          "warm start from HEFT (or PEFT/CPOP when shorter)")
def solve_cpsat(instance: DAGInstance, options: SolveOptions) -> Result:
    """Optimal or best-found schedule from CP-SAT within the time limit."""
    if _size(instance) > MAX_LITERALS:  # before importing OR-Tools: a refusal costs nothing
        raise ProblemTooLarge(f"cpsat: {instance.n} tasks x {instance.p} processors with "
                              f"{instance.m} edges needs about {_size(instance):,} literals (the "
                              f"limit is {MAX_LITERALS:,}); use heft, cpop or peft")
    if options.time_limit is not None and CP_MODEL not in sys.modules:  # a fresh process's import
        offer(schedule_result(instance, None, *plain.one_processor(instance),  # takes 1-3 s
                              offered="the one-processor schedule, before the solver's import"))
    cp_model = import_cp_model()
    ready, seconds = ensure_compiled(wait_until(options))  # inside the budget
    graph = dag_graph.build(instance) if ready or twin_fits(instance, options) else None
    warm, processor, start = warm_start(instance, graph)
    if stopped():  # abandoned: the kernels returned early, and nobody reads the answer
        return dropped({"workers": options.workers})
    horizon = makespan(instance, processor, start)
    offer(schedule_result(instance, graph, processor.copy(), start.copy(), offered="the warm start"))
    warm_stats: dict[str, Any] = {"warm_start": horizon, "warm_start_method": warm,
                                  "compile_seconds": round(seconds, 6)}
    if graph is None:
        warm_stats.update(compiling=True, note=plain.NOTE)
    elif not ready:
        warm_stats.update(compiling=True, note=TWIN_NOTE)
    try:
        model, v, c = _model(cp_model, instance, horizon, processor, start, build_until(options))
    except OutOfTime:  # the warm start, as offered
        return schedule_result(instance, graph, processor, start, workers=options.workers,
                               solver_status="model not built within the time limit", **warm_stats)
    if stopped():  # abandoned while the model was built (up to MAX_LITERALS: seconds)
        return dropped({"workers": options.workers})

    solver = new_solver(cp_model, options.workers, options.seed, options.remaining())
    status = solver.Solve(model)
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        raise SchedkitError(f"cpsat: CP-SAT reports the model {solver.StatusName(status)} although "
                            "the warm start satisfies it; this is a bug in schedkit")
    stats = {"workers": options.workers, "solver_status": solver.StatusName(status),
             "branches": int(solver.NumBranches()), "conflicts": int(solver.NumConflicts()), **warm_stats}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        processor = np.array([next(k for k in range(instance.p) if solver.BooleanValue(v.on[i][k]))
                              for i in range(instance.n)], np.int64)
        start = np.array([solver.Value(s) for s in v.start], np.int64)
    result = schedule_result(instance, graph, processor, start, **stats)
    assert result.objective is not None and result.bound is not None
    found = integral_bound(solver.BestObjectiveBound()) if status != cp_model.UNKNOWN else None
    bound = max(int(result.bound), found if found is not None else 0)
    if bound > result.objective:
        raise SchedkitError(f"cpsat: bound {bound} above the makespan {result.objective}; a bug")
    return finish(result.objective, bound, status == cp_model.OPTIMAL, result.solution, result.stats)
