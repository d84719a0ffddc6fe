"""Exact VMR as a MIP in PuLP, solved by HiGHS or CBC (method `mip`).

The aggregated final-state model of `schedkit.vmr.solvers.aggregate` written linearly:
integer departures out[p, t] and arrivals in[p, t] per (placement, class), flow balance per
class, Σ out <= K, memory capacity per node, free_n = F·q_n + r_n with q_n integer and
0 <= r_n <= F − 1, touched-node indicators, at most one VM of an anti-affinity group per
machine, and the gain limit (Σ r_n >= initial − the most the departures can gain); minimise
Σ r_n. The warm start (greedy, the same MIP restricted to nodes with a non-zero residue, LNS)
is the MIP start. As with `cpsat`,
the solution is ordered by `realise`, and the solver's dual bound (rounded up to the residue
class of the total free CPU) is valid for ordered plans.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from schedkit.common.finish import integral_bound
from schedkit.common.highs_deadline import DeadlineControl, run_by
from schedkit.common.mip import RunControl, import_pulp, new_variable, run
from schedkit.deadline import offer
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
    WARM_START_SHARE,
    cpu_capacity,
    exact_result,
    min_model_seconds,
    per_class,
    plan_from_counts,
    proven_start,
    warm_start,
)

DETERMINISTIC_NODES_PER_SECOND = 20  # HiGHS nodes per second of budget with deterministic=True
DETERMINISTIC_DEFAULT_SECONDS = 30.0  # the budget a deterministic run without a time limit stands for
MIN_MODEL_SECONDS = 1.0  # less left after the warm start: building the model is not worth it


@dataclass
class _Model:
    problem: Any
    agg: Aggregate
    out: dict[tuple[int, int], Any] = field(default_factory=dict)
    inflow: dict[tuple[int, int], Any] = field(default_factory=dict)
    q: dict[int, Any] = field(default_factory=dict)
    r: dict[int, Any] = field(default_factory=dict)
    touched: dict[int, Any] = field(default_factory=dict)


def _variables(pulp: Any, model: _Model, a: VMRArrays, agg: Aggregate) -> None:
    """Integer departures (at most the VMs there and K) and arrivals (what fits and K)."""
    for (p, t), n in sorted(agg.count.items()):
        most = 0 if (p, t) in agg.fixed else min(n, a.limit)
        model.out[p, t] = new_variable(pulp, model.problem, f"out_{p}_{t}", lowBound=0,
                                       upBound=most, cat=pulp.LpInteger)
    for p, t, ub in agg.arrivals:
        model.inflow[p, t] = new_variable(pulp, model.problem, f"in_{p}_{t}", lowBound=0, upBound=ub,
                                          cat=pulp.LpInteger)


def _flow_and_budget(pulp: Any, model: _Model, agg: Aggregate, limit: int) -> None:
    """Per class arrivals = departures; Σ departures <= K."""
    outs, ins = per_class(model.out), per_class(model.inflow)
    for t in range(agg.classes):
        if outs.get(t) or ins.get(t):
            model.problem += pulp.lpSum(ins.get(t, [])) == pulp.lpSum(outs.get(t, [])), f"flow_{t}"
    model.problem += pulp.lpSum(model.out.values()) <= limit, "budget"


def _change(pulp: Any, model: _Model, keys: list[tuple[int, int]], amount: np.ndarray) -> Any:
    """Σ amount · arrivals − Σ amount · departures over `keys`, built from (variable,
    coefficient) pairs (each key's variables appear once; far faster than summing products)."""
    terms = [(model.inflow[p, t], int(amount[t])) for p, t in keys if (p, t) in model.inflow]
    terms += [(model.out[p, t], -int(amount[t])) for p, t in keys if (p, t) in model.out]
    return pulp.LpAffineExpression(terms)


def _nodes(pulp: Any, model: _Model, a: VMRArrays, agg: Aggregate, cap_cpu: np.ndarray,
           cap_mem: np.ndarray) -> int:
    """Memory fits; free CPU = F·q + r; touched indicators. Returns the constant objective part."""
    fragment = a.fragment
    constant = 0
    big = 2 * max(a.limit, 1)
    for n, keys in enumerate(agg.at_node):
        free0 = int(a.free_cpu0[n])
        if not keys:
            constant += free0 % fragment
            continue
        used_mem = int(cap_mem[n] - a.free_mem0[n])
        model.problem += used_mem + _change(pulp, model, keys, agg.class_mem) <= int(cap_mem[n]), f"mem_{n}"
        model.q[n] = new_variable(pulp, model.problem, f"q_{n}", lowBound=0,
                                  upBound=int(cap_cpu[n]) // fragment,
                                  cat=pulp.LpInteger)
        model.r[n] = new_variable(pulp, model.problem, f"r_{n}", lowBound=0, upBound=fragment - 1)
        model.problem += (fragment * model.q[n] + model.r[n]
                          == free0 - _change(pulp, model, keys, agg.class_cpu)), f"free_{n}"
        z = model.touched[n] = new_variable(pulp, model.problem, f"z_{n}", cat=pulp.LpBinary)
        moves = [model.inflow[k] for k in keys if k in model.inflow]
        moves += [model.out[k] for k in keys if k in model.out]
        model.problem += pulp.lpSum(moves) <= big * z, f"touch_{n}"
        r0 = free0 % fragment
        if r0:
            model.problem += model.r[n] + r0 * z >= r0, f"keep_{n}"
    return constant


def _gain_limit(pulp: Any, model: _Model, a: VMRArrays, agg: Aggregate, constant: int) -> None:
    """Σ r >= initial Σ r − Σ (gain of a class) · departures: a VM with h cores per node lowers
    Σ (free mod F) by at most F per node it occupies (nothing when F divides h), whatever the
    order (the migration bound, per departure). Valid for every final state; it gives the LP
    the migration bound at once (HiGHS alone on seven hard benchmark clusters, two or three
    seeds each: 55 s in all with it, 65 s without)."""
    fragment = a.fragment
    terms = []
    for (_, t), x in model.out.items():
        if agg.class_cpu[t] % fragment:
            terms.append((x, fragment * (2 if agg.class_double[t] else 1)))
    initial = int(np.sum(a.free_cpu0 % fragment))
    model.problem += (pulp.lpSum(model.r.values()) + constant + pulp.LpAffineExpression(terms)
                      >= initial), "gain_limit"


def _anti_affinity(pulp: Any, model: _Model, a: VMRArrays, agg: Aggregate) -> None:
    """At most one VM of a group per machine in the final state."""
    machines = int(a.machine_first.size) - 1
    for g, classes in agg.groups.items():
        for m in range(machines):
            places = list(machine_placements(a, m)) + list(pair_placements(a, m))
            present: list[Any] = []
            for p in places:
                for t in classes:
                    if (p, t) in model.inflow:
                        present.append(model.inflow[p, t])
                    if (p, t) in model.out:
                        present.append(1 - model.out[p, t])
            if len(present) > 1:
                model.problem += pulp.lpSum(present) <= 1, f"aa_{g}_{m}"


def _set_start(model: _Model, a: VMRArrays, plan: Plan) -> None:
    """The warm start's final state as the MIP start (none when a restricted model cannot
    express it)."""
    place = final_placement(a, plan)
    out, inflow = counts_of(a, place)
    if any(key in model.agg.fixed for key in out) or any(key not in model.inflow for key in inflow):
        return
    for key, x in model.out.items():
        x.setInitialValue(out.get(key, 0))
    for key, x in model.inflow.items():
        x.setInitialValue(inflow.get(key, 0))
    free = final_free(a, place)
    moved = {int(n) for key in set(out) | set(inflow) for n in (a.place_a[key[0]], a.place_b[key[0]])}
    for n, r in model.r.items():
        r.setInitialValue(int(free[n]) % a.fragment)
        model.q[n].setInitialValue(int(free[n]) // a.fragment)
        model.touched[n].setInitialValue(1 if n in moved else 0)


def _value(x: Any) -> int:
    return int(round(x.varValue)) if x.varValue is not None else 0


@dataclass
class Outcome:
    """What a MIP run gave: its plan (None if none), whether the plan reached the model's final
    state, the proven bound (None if none) and the run's stats."""

    found: Plan | None
    reached: bool
    bound: int | None
    stats: dict[str, Any]


def build_model(pulp: Any, instance: VMRInstance, a: VMRArrays, start: Plan,
                allowed: np.ndarray | None = None) -> _Model:
    """The MIP, with `start`'s final state as its MIP start; with `allowed` (a node mask) the
    restriction in which only those nodes gain or lose VMs (see `aggregate`)."""
    cap_cpu, cap_mem = cpu_capacity(instance)
    agg = aggregate(a, cap_cpu, cap_mem, allowed)
    model = _Model(pulp.LpProblem("vmr", pulp.LpMinimize), agg)
    _variables(pulp, model, a, agg)
    _flow_and_budget(pulp, model, agg, a.limit)
    constant = _nodes(pulp, model, a, agg, cap_cpu, cap_mem)
    _anti_affinity(pulp, model, a, agg)
    model.problem += pulp.lpSum(model.r.values()) + constant
    _gain_limit(pulp, model, a, agg, constant)
    _set_start(model, a, start)
    return model


def solve_model(pulp: Any, model: _Model, a: VMRArrays, options: SolveOptions, name: str = "highs",
                control: RunControl | None = None) -> Outcome:
    """Run the solver within the options' remaining time and turn its point into a plan."""
    # Objectives are congruent to the total free CPU modulo F: a bound within F − 1 proves.
    raw_bound, stats = run(pulp, model.problem, options, name, gap_abs=a.fragment - 0.001, control=control)
    stats.update(workers=options.workers, variables=len(model.out) + len(model.inflow))
    found, reached = None, False
    if stats.get("solver_has_solution", True) and any(x.varValue is not None for x in model.out.values()):
        out = {k: _value(x) for k, x in model.out.items() if _value(x)}
        inflow = {k: _value(x) for k, x in model.inflow.items() if _value(x)}
        try:
            found, reached = plan_from_counts(a, model.agg, out, inflow)
        except (IndexError, ValueError):  # counts that do not balance: ignore the solver's point
            found = None
    return Outcome(found, reached, integral_bound(raw_bound), stats)


def solve_by(pulp: Any, model: _Model, a: VMRArrays, options: SolveOptions, name: str = "highs",
             control: DeadlineControl | None = None) -> Outcome:
    """`solve_model` that returns by the options' deadline (HiGHS: see `deadline`); a HiGHS
    run still busy then gives no plan, and the dual bound it last reported."""
    if name != "highs":
        return solve_model(pulp, model, a, options, name)
    control = control if control is not None else DeadlineControl(options.deadline)
    free = replace(options, time_limit=None)  # DeadlineControl sets HiGHS's limit at its start
    outcome = run_by(options.deadline, control,
                     lambda: solve_model(pulp, model, a, free, name, control))
    if outcome is not None:
        return outcome
    constant = float(model.problem.objective.constant or 0)
    stats = {"solver": "highs", "solver_status": "cancelled at the deadline", "workers": options.workers}
    return Outcome(None, False, integral_bound(control.dual_bound + constant), stats)


def plan_nodes(a: VMRArrays, plan: Plan) -> np.ndarray:
    """Mask of the nodes `plan` moves VMs from or to (a restriction that keeps them can take
    the plan as its MIP start)."""
    mask = np.zeros(a.nodes, dtype=np.bool_)
    for p in np.concatenate((a.place0[plan.vm], plan.dst)).tolist():
        mask[a.place_a[p]] = True
        if a.place_b[p] >= 0:
            mask[a.place_b[p]] = True
    return mask


def restricted_outcome(pulp: Any, instance: VMRInstance, a: VMRArrays, start: Plan, deadline: float,
                       seed: int = 0, control: DeadlineControl | None = None, node_limit: int | None = None,
                       allowed: np.ndarray | None = None) -> Outcome:
    """The MIP restricted to the nodes whose free CPU is not a multiple of F (or to the
    `allowed` node mask), solved by `deadline`, warm-started from `start` when the restriction
    can express it. A node at residue 0 can be neither end of a migration that gains, and on
    every benchmark cluster the optimum touches no other node, while the restricted model is a
    third of the whole: a fast primal heuristic (its bound is not a bound of the whole problem).
    The nodes `start` touches are allowed too, so that it is the MIP start (on a 300-machine
    cluster the root bound of this model is often the optimum already; without an incumbent
    HiGHS's own first plans are poor)."""
    if allowed is None:
        allowed = ((a.free_cpu0 % a.fragment) != 0) | plan_nodes(a, start)
    model = build_model(pulp, instance, a, start, allowed=allowed)
    control = control if control is not None else DeadlineControl(deadline)
    control.deadline, control.node_limit = deadline, node_limit
    options = SolveOptions(time_limit=deadline - time.perf_counter() if deadline != float("inf") else None,
                           seed=seed, workers=1)
    return solve_by(pulp, model, a, options, "highs", control)


def restricted_plan(pulp: Any, instance: VMRInstance, a: VMRArrays, start: Plan, deadline: float,
                    seed: int = 0, control: DeadlineControl | None = None,
                    node_limit: int | None = None) -> Plan | None:
    """The plan of `restricted_outcome` (None if it found none)."""
    return restricted_outcome(pulp, instance, a, start, deadline, seed, control, node_limit).found


def node_work(seconds: float) -> int:
    """The fixed HiGHS node limit that stands for `seconds` with deterministic=True."""
    return max(1, int(DETERMINISTIC_NODES_PER_SECOND * seconds))


@register("vmr", "mip", exact=True, options={"solver": "highs", "deterministic": False},
          description="MIP (PuLP + HiGHS or CBC) of the aggregated final-state model, "
                      "started from greedy + LNS")
def solve_mip(instance: VMRInstance, options: SolveOptions) -> Result:
    """Best plan found and the solver's dual bound on Σ (free CPU mod F). `deterministic=True`
    (HiGHS): node limits and a fixed LNS iteration count stand in for the clock."""
    name = str(options.get("solver", "highs")).lower()
    deterministic = deterministic_flag(options)
    pulp = import_pulp(name)
    a, ready, compile_stats = arrays_then_compile(instance, options)
    if not ready:
        return unmoved_result(instance, a, compile_stats)
    limit = options.time_limit if options.time_limit is not None else DETERMINISTIC_DEFAULT_SECONDS
    cap = options.deadline  # the clock still caps a deterministic run (stats say when it cut)

    def polish(plan: Plan, deadline: float) -> Plan | None:
        if not deterministic and deadline - time.perf_counter() < min_model_seconds(a, MIN_MODEL_SECONDS):
            return None  # the restricted model alone takes most of a short share to build
        nodes = node_work(WARM_START_SHARE * limit) if deterministic else None
        return restricted_plan(pulp, instance, a, plan, cap if deterministic else deadline, options.seed,
                               node_limit=nodes)

    start = warm_start(instance, a, options, polish if name == "highs" else None, deterministic)
    stats: dict[str, Any] = {"workers": options.workers, "solver": name, **compile_stats}
    if deterministic:
        stats["deterministic"] = True
    done = proven_start(instance, a, start, stats)
    if done is not None:
        return done
    offer(exact_result(instance, a, start, None, False, None, {**stats, "offered": "the warm start"}))
    remaining = options.remaining()
    if remaining is not None and remaining < min_model_seconds(a, MIN_MODEL_SECONDS) and not deterministic:
        stats["solver_status"] = "not run: too little time left for the model"
        return exact_result(instance, a, start, None, False, None, stats)
    model = build_model(pulp, instance, a, start)
    control = DeadlineControl(cap, node_work(limit) if deterministic else None)
    outcome = solve_by(pulp, model, a, options, name, control)
    stats.update(outcome.stats)
    if deterministic:
        stats["deterministic"] = True
        stats["cut_by_time"] = "time" in str(stats.get("solver_status", "")).lower() or "cancel" in str(
            stats.get("solver_status", "")).lower()
    return exact_result(instance, a, start, outcome.found, outcome.reached, outcome.bound, stats)
