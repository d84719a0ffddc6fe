"""Exact VMR with OR-Tools CP-SAT (method `cpsat`) on the aggregated final-state model of
`schedkit.vmr.solvers.aggregate`: integer departures and arrivals per (placement, class),
free_n = F·q_n + r_n, minimise Σ r_n; hinted with the greedy + LNS warm start.

The model ignores migration order; its solution is ordered by `realise` (temporary hops when
K leaves room), and if it cannot be ordered, what can be carried out is kept and topped up
greedily. The reported bound is CP-SAT's bound on the final-state model, valid for ordered plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common.cpsat import new_solver
from schedkit.common.finish import integral_bound
from schedkit.deadline import offer
from schedkit.errors import SolverUnavailable
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.vmr.heuristics.arrays import VMRArrays
from schedkit.vmr.heuristics.methods import arrays_then_compile, deterministic_flag, unmoved_result
from schedkit.vmr.heuristics.search import Plan, final_placement
from schedkit.vmr.model import VMRInstance
from schedkit.vmr.solvers.aggregate import (
    Aggregate,
    aggregate,
    counts_of,
    final_free,
    machine_placements,
    pair_placements,
)
from schedkit.vmr.solvers.common import (
    cpu_capacity,
    exact_result,
    min_model_seconds,
    per_class,
    plan_from_counts,
    proven_start,
    warm_start,
)

MIN_MODEL_SECONDS = 1.5  # less left after the warm start: no model (it takes ~1 s to build on 300 machines)
POST_SECONDS = 0.4  # of the budget kept for reading the values, ordering the plan and the Result
DETERMINISTIC_WORK = 0.1  # CP-SAT deterministic time units per second of budget (deterministic=True;
# interleaved search spends 1-3 wall seconds per unit on the 2-core benchmark machine)
DETERMINISTIC_DEFAULT_SECONDS = 30.0  # the budget a deterministic run without a time limit stands for


@dataclass
class _Vars:
    out: dict[tuple[int, int], Any] = field(default_factory=dict)
    inflow: dict[tuple[int, int], Any] = field(default_factory=dict)
    q: dict[int, Any] = field(default_factory=dict)
    r: dict[int, Any] = field(default_factory=dict)
    touched: dict[int, Any] = field(default_factory=dict)


def _variables(model: Any, a: VMRArrays, agg: Aggregate) -> _Vars:
    """Departures bounded by the VMs there and K; arrivals by what fits on empty nodes and K."""
    v = _Vars()
    for (p, t), n in sorted(agg.count.items()):
        v.out[p, t] = model.NewIntVar(0, min(n, a.limit), f"out[{p},{t}]")
    for p, t, ub in agg.arrivals:
        v.inflow[p, t] = model.NewIntVar(0, ub, f"in[{p},{t}]")
    return v


def _flow(model: Any, v: _Vars, agg: Aggregate) -> None:
    """Every class: as many VMs arrive as leave."""
    outs, ins = per_class(v.out), per_class(v.inflow)
    for t in range(agg.classes):
        model.Add(sum(ins.get(t, [])) == sum(outs.get(t, [])))


def _budget(model: Any, v: _Vars, limit: int) -> None:
    """At most K migrations."""
    model.Add(sum(v.out.values()) <= limit)


def _change(v: _Vars, keys: list[tuple[int, int]], amount: np.ndarray) -> Any:
    """Σ amount[t]·(arrivals − departures) over the keys using one node."""
    terms = []
    for p, t in keys:
        if (p, t) in v.inflow:
            terms.append(int(amount[t]) * v.inflow[p, t])
        if (p, t) in v.out:
            terms.append(-int(amount[t]) * v.out[p, t])
    return sum(terms)


def _capacity_and_fragments(model: Any, v: _Vars, a: VMRArrays, agg: Aggregate,
                            cap_mem: np.ndarray, cap_cpu: np.ndarray) -> int:
    """Final memory fits; free CPU = F·q + r >= 0; touched nodes. Returns the constant part of
    the objective (nodes no migration can reach)."""
    fragment = a.fragment
    constant = 0
    for n, keys in enumerate(agg.at_node):
        free0 = int(a.free_cpu0[n])
        if not keys:
            constant += free0 % fragment
            continue
        used_mem = int(cap_mem[n] - a.free_mem0[n])
        model.Add(used_mem + _change(v, keys, agg.class_mem) <= int(cap_mem[n]))
        v.q[n] = model.NewIntVar(0, int(cap_cpu[n]) // fragment, f"q[{n}]")
        v.r[n] = model.NewIntVar(0, fragment - 1, f"r[{n}]")
        model.Add(fragment * v.q[n] + v.r[n] == free0 - _change(v, keys, agg.class_cpu))
        z = v.touched[n] = model.NewBoolVar(f"touched[{n}]")
        moves = [v.inflow[k] for k in keys if k in v.inflow] + [v.out[k] for k in keys if k in v.out]
        model.Add(sum(moves) <= 2 * max(a.limit, 1) * z)
        model.Add(sum(moves) >= 1).OnlyEnforceIf(z)
        r0 = free0 % fragment
        if r0:
            model.Add(v.r[n] + r0 * z >= r0)
    return constant


def _anti_affinity(model: Any, v: _Vars, a: VMRArrays, agg: Aggregate) -> None:
    """At most one VM of a group on each machine in the final state."""
    machines = int(a.machine_first.size) - 1
    for classes in agg.groups.values():
        members = set(classes)
        for m in range(machines):
            places = list(machine_placements(a, m)) + list(pair_placements(a, m))
            present = []
            for p in places:
                for t in members:
                    if (p, t) in v.inflow:
                        present.append(v.inflow[p, t])
                    if (p, t) in v.out:
                        present.append(1 - v.out[p, t])  # there initially unless it leaves
            if len(present) > 1:
                model.Add(sum(present) <= 1)


def _hint(model: Any, v: _Vars, a: VMRArrays, plan: Plan) -> None:
    """The warm start's final state as a complete hint."""
    place = final_placement(a, plan)
    out, inflow = counts_of(a, place)
    for key, x in v.out.items():
        model.AddHint(x, out.get(key, 0))
    for key, x in v.inflow.items():
        model.AddHint(x, inflow.get(key, 0))
    free = final_free(a, place)
    moved_nodes = {int(n) for key in set(out) | set(inflow) for n in (a.place_a[key[0]], a.place_b[key[0]])}
    for n, r in v.r.items():
        model.AddHint(r, int(free[n]) % a.fragment)
        model.AddHint(v.q[n], int(free[n]) // a.fragment)
        model.AddHint(v.touched[n], n in moved_nodes)


@register("vmr", "cpsat", exact=True, options={"deterministic": False},
          description="CP-SAT on the aggregated final-state model (free = F·q + r), hinted with greedy + LNS")
def solve_cpsat(instance: VMRInstance, options: SolveOptions) -> Result:
    """Best plan found and CP-SAT's proven bound on Σ (free CPU mod F)."""
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:
        raise SolverUnavailable("cpsat needs OR-Tools: pip install ortools") from error
    deterministic = deterministic_flag(options)
    a, ready, compile_stats = arrays_then_compile(instance, options)
    if not ready:
        return unmoved_result(instance, a, compile_stats)
    start = warm_start(instance, a, options, deterministic=deterministic)
    done = proven_start(instance, a, start, {"workers": options.workers, **compile_stats})
    if done is not None:
        return done
    offer(exact_result(instance, a, start, None, False, None,
                       {**compile_stats, "workers": options.workers, "offered": "the warm start"}))
    remaining = options.remaining()
    if remaining is not None and remaining < min_model_seconds(a, MIN_MODEL_SECONDS) and not deterministic:
        skipped = {**compile_stats, "workers": options.workers,
                   "solver_status": "not run: too little time left for the model"}
        return exact_result(instance, a, start, None, False, None, skipped)
    cap_cpu, cap_mem = cpu_capacity(instance)
    agg = aggregate(a, cap_cpu, cap_mem)
    model = cp_model.CpModel()
    v = _variables(model, a, agg)
    _flow(model, v, agg)
    _budget(model, v, a.limit)
    constant = _capacity_and_fragments(model, v, a, agg, cap_mem, cap_cpu)
    _anti_affinity(model, v, a, agg)
    model.minimize(sum(v.r.values()) + constant)
    _hint(model, v, a, start)
    remaining = options.remaining()
    solver = new_solver(cp_model, options.workers, options.seed,
                        None if remaining is None else remaining - POST_SECONDS)
    if deterministic:  # interleaved workers and deterministic time: the same search every run
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = DETERMINISTIC_WORK * (
            options.time_limit if options.time_limit is not None else DETERMINISTIC_DEFAULT_SECONDS)
    # The full LP relaxation (as in a MIP) is what proves these models: on the 300-machine,
    # 95 %, K = 50 cluster of the benchmark (seed 2), one thread, 60 s: objective 456 (optimal)
    # with bound 440 at level 2, against 504 with bound 376 at the default level.
    solver.parameters.linearization_level = 2
    # Every reachable objective is congruent to the total free CPU modulo F, so a bound within
    # F − 1 of the incumbent already proves it (see schedkit.vmr.bounds).
    solver.parameters.absolute_gap_limit = float(a.fragment - 1)
    status = solver.Solve(model)
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        raise RuntimeError(f"cpsat: CP-SAT reports the VMR model {solver.StatusName(status)}; "
                           "staying put is always feasible, so this is a bug in schedkit")  # exit 3
    stats: dict[str, Any] = {
        **compile_stats, "workers": options.workers, "solver_status": solver.StatusName(status),
        "variables": len(v.out) + len(v.inflow), "nodes": int(solver.NumBranches()),
    }
    found, reached = None, False
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out = {k: int(solver.Value(x)) for k, x in v.out.items() if solver.Value(x)}
        inflow = {k: int(solver.Value(x)) for k, x in v.inflow.items() if solver.Value(x)}
        found, reached = plan_from_counts(a, agg, out, inflow)
        stats["model_objective"] = int(round(solver.ObjectiveValue()))
    if deterministic:
        stats["deterministic"] = True
        stats["cut_by_time"] = solver.WallTime() >= solver.parameters.max_time_in_seconds - 0.05 and (
            status != cp_model.OPTIMAL)
    bound = integral_bound(solver.BestObjectiveBound())
    return exact_result(instance, a, start, found, reached, bound, stats)
