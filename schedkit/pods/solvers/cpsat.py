"""Lexicographic pod packing with OR-Tools CP-SAT (method `cpsat`).

Variables: x[p, n] for each pod p and node n it may end on (eligible, or its current node);
an immovable running pod is a constant on its node. Constraints: each pod on at most one
node; per node the CPU, memory and pod slots, and a cardinality cut (no more pods than the
smallest requests allow). Stages, from the highest priority tier τ down:

- place(τ): maximise the pods of priority >= τ placed, Σ x;
- disturb(τ): minimise their disturbance, Σ over running pods (1 + placed − 2·stays): 0 when
  a pod stays, 1 when evicted, 2 when moved;

each stage's value is fixed as a constraint for the stages after it. Where a tier has pods
to place, one solve maximises W·placed − disturbance (W above any disturbance), which is the
tier's two stages at once; a pure disturbance solve follows when that one is not proven. The
warm start is `kube-default`'s placement, given to every solve as a hint (then the
incumbent); while its kernel still compiles after max(1 s, 20 % of the limit) (a cold
numba cache: common.compile.wait_until), the plan that changes nothing instead (the model
itself uses no kernel). Every solution found is also tried with interchangeable nodes
renamed so that more pods stay (`pods_relabel`). The budget is split evenly over the tiers
still open (a tier the incumbent meets trivially — all placed, nothing disturbed — is proven
without a solve).
A tier's count is proven when CP-SAT proves its stage (or its bound leaves no better count)
and every stage before it is proven. The result's bound encodes the proven stages' values
and, at the first unproven stage, CP-SAT's bound on it (encoding in `model.pods`).
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common.compile import wait_until
from schedkit.common.cpsat import CP_MODEL, import_cp_model, new_solver
from schedkit.common.finish import finish
from schedkit.deadline import dropped, offer, stopped
from schedkit.errors import ProblemTooLarge
from schedkit.pods.heuristics.methods import (
    UNCHANGED_NOTE,
    check_scoring,
    ensure_compiled,
    kube_default,
    placement_result,
    unchanged,
)
from schedkit.pods.model import PodsInstance
from schedkit.pods.objective import encode, objective, objective_vector
from schedkit.pods.solvers.relabel import interchangeable_groups, relabel
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

MAX_VARIABLES = 2_000_000
INT64_SAFE = 2**62
RESERVE_SECONDS = 0.05  # below this much budget, no CP-SAT solve starts (its set-up alone is longer)
CHECK_EVERY = 2048  # model-building steps between two looks at the clock
# The stats that compare with kube-default's placement: None when it did not run (cold cache).
DEFAULT_STATS = ("default_objective", "default_pending", "default_preemptions",
                 "places_more_than_default", "improves_default", "default_counts_proven_optimal")


class _OutOfTime(Exception):
    """The budget ran out while the model was being built: the warm start is the answer."""


def _check_time(options: SolveOptions) -> None:
    """_OutOfTime when the budget is spent or the run was abandoned (`stopped`)."""
    remaining = options.remaining()
    if (remaining is not None and remaining < RESERVE_SECONDS) or stopped():
        raise _OutOfTime


@dataclass
class _Model:
    """The CP-SAT model and what the stages need of it."""

    model: Any
    linear: Any  # cp_model.LinearExpr: sums built in C++, not by Python's `sum`
    x: dict[tuple[int, int], Any]
    by_pod: list[list[tuple[int, Any]]]
    fixed: np.ndarray  # pods fixed in place (immovable running)
    groups: list[list[int]] = field(default_factory=list)  # interchangeable nodes
    stats: dict[str, Any] = field(default_factory=dict)


def _variables(cp_model: Any, instance: PodsInstance, allowed: np.ndarray, fixed: np.ndarray,
               options: SolveOptions) -> _Model:
    model = cp_model.CpModel()
    x: dict[tuple[int, int], Any] = {}
    by_pod: list[list[tuple[int, Any]]] = [[] for _ in range(instance.n_pods)]
    for k, (p, n) in enumerate(zip(*np.nonzero(allowed), strict=True)):
        if k % CHECK_EVERY == 0:
            _check_time(options)
        p, n = int(p), int(n)
        if fixed[p]:
            continue
        literal = model.new_bool_var("")
        x[p, n] = literal
        by_pod[p].append((n, literal))
    return _Model(model, cp_model.LinearExpr, x, by_pod, fixed, interchangeable_groups(instance))


def _one_node_per_pod(m: _Model) -> None:
    for literals in m.by_pod:
        if len(literals) > 1:
            m.model.add_at_most_one([lit for _, lit in literals])


def _capacities(m: _Model, instance: PodsInstance, options: SolveOptions) -> None:
    """Per node: Σ cpu, Σ memory, pod count of the free pods within what the fixed ones leave."""
    per_node: list[list[tuple[int, Any]]] = [[] for _ in range(instance.n_nodes)]
    for (p, n), literal in m.x.items():
        per_node[n].append((p, literal))
    fixed_on = instance.pod_node[m.fixed]
    for n in range(instance.n_nodes):
        _check_time(options)
        here = m.fixed & (instance.pod_node == n)
        left = {
            "cpu": int(instance.node_cpu[n]) - int(instance.pod_cpu[here].sum()),
            "memory": int(instance.node_memory[n]) - int(instance.pod_memory[here].sum()),
            "pods": int(instance.node_max_pods[n]) - int(np.sum(fixed_on == n)),
        }
        items = per_node[n]
        for resource, demand in (("cpu", instance.pod_cpu), ("memory", instance.pod_memory)):
            used = [(int(demand[p]), lit) for p, lit in items if demand[p] > 0]
            if sum(a for a, _ in used) > left[resource]:
                expr = m.linear.weighted_sum([lit for _, lit in used], [a for a, _ in used])
                m.model.add(expr <= left[resource])
        slots = min(left["pods"], _most_pods(instance, items, left["cpu"], left["memory"]))
        if len(items) > slots:
            m.model.add(m.linear.sum([lit for _, lit in items]) <= slots)


def _most_pods(instance: PodsInstance, items: list[tuple[int, Any]], cpu: int, memory: int) -> int:
    """At most this many of `items` fit: the k smallest requests must fit, per resource (a cut
    the LP relaxation does not see)."""
    pods = np.array([p for p, _ in items], dtype=np.int64)
    most = len(items)
    for demand, room in ((instance.pod_cpu, cpu), (instance.pod_memory, memory)):
        sizes = np.cumsum(np.sort(demand[pods])) if pods.size else np.zeros(0, dtype=np.int64)
        most = min(most, int(np.searchsorted(sizes, room, side="right")))
    return most


def _placed(m: _Model, pods: np.ndarray) -> Any:
    return m.linear.sum([lit for p in pods.tolist() for _, lit in m.by_pod[p]])


def _disturbance(m: _Model, instance: PodsInstance, pods: np.ndarray) -> Any:
    """Σ (1 + placed − 2·stays) over the movable running pods among `pods`."""
    literals: list[Any] = []
    signs: list[int] = []
    constant = 0
    for p in pods.tolist():
        current = int(instance.pod_node[p])
        if current < 0 or m.fixed[p]:
            continue
        constant += 1
        for n, lit in m.by_pod[p]:
            literals.append(lit)
            signs.append(1 if n != current else -1)
    return m.linear.weighted_sum(literals, signs) + constant


def _hint(m: _Model, assign: np.ndarray) -> None:
    m.model.clear_hints()
    hint = m.model.proto.solution_hint  # in bulk: add_hint per literal is 10x slower
    hint.vars.extend([literal.index for literal in m.x.values()])
    hint.values.extend([int(assign[p] == n) for p, n in m.x])


def _read(m: _Model, solver: Any, instance: PodsInstance) -> np.ndarray:
    assign = np.where(m.fixed, instance.pod_node, -1).astype(np.int64)
    for (p, n), literal in m.x.items():
        if solver.boolean_value(literal):
            assign[p] = n
    return assign


@dataclass
class _Stage:
    tier: int
    kind: str  # "place" or "disturb"
    value: int = 0  # pods placed (place) or disturbance (disturb) of the final incumbent
    bound: int = 0  # best proven bound: max placed (place) or min disturbance (disturb)
    proven: bool = False
    solved: bool = False
    status: str = "trivial"
    seconds: float = 0.0


def _stage_values(instance: PodsInstance, assign: np.ndarray, tier: int) -> tuple[int, int, int]:
    """(pods of priority >= tier, of them placed, their disturbance) of a placement."""
    row = {t: (u, d) for t, u, d in objective_vector(instance, assign)}[tier]
    total = int(np.sum(instance.pod_priority >= tier))
    return total, total - row[0], row[1]


def _run_stage(
    cp_model: Any, m: _Model, options: SolveOptions, budget: float | None, maximise: bool, expr: Any
) -> tuple[Any, int]:
    if maximise:
        m.model.maximize(expr)
    else:
        m.model.minimize(expr)
    solver = new_solver(cp_model, options.workers, options.seed, budget)
    status = solver.Solve(m.model)
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        raise RuntimeError(  # a bug, not bad input: the CLI exits 3
            f"cpsat: CP-SAT reports a stage {solver.StatusName(status)}; "
            "this is a bug in schedkit (the incumbent satisfies every stage)"
        )
    return solver, status


def _lexicographic(
    cp_model: Any, m: _Model, instance: PodsInstance, start: np.ndarray, options: SolveOptions
) -> tuple[np.ndarray, list[_Stage]]:
    """Solve tier by tier, fixing each stage's value; returns the incumbent and the stages.

    Where a tier has pods to place, one solve maximises W·placed − disturbance with W above any
    disturbance (the tier's two stages at once: the count first, then the fewest moves among the
    best counts), so that even an unproven count comes with few moves; its bound still proves the
    count when ⌊(bound + W − 1) / W⌋ reaches it. A pure disturbance solve follows when that one
    did not prove the tier and pods were moved."""
    incumbent = start.copy()
    movable_running = (instance.pod_node >= 0) & ~m.fixed
    stages = [_Stage(t, kind) for t in instance.tiers.tolist() for kind in ("place", "disturb")]
    for k in range(0, len(stages), 2):
        place, disturb = stages[k], stages[k + 1]
        pods = np.flatnonzero(instance.pod_priority >= place.tier)
        free = pods[~m.fixed[pods]]
        fixed_count = int(np.sum(m.fixed[pods]))
        placed_expr = _placed(m, free)
        disturb_expr = _disturbance(m, instance, pods)
        movers = int(np.sum(movable_running[pods]))
        total, place.value, disturb.value = _stage_values(instance, incumbent, place.tier)
        place.bound, disturb.bound = total, 0
        place.proven = place.value == total
        if not place.proven:
            weight = 2 * movers + 1
            expr = weight * placed_expr - disturb_expr if movers else placed_expr
            incumbent, solver, status = _solve(
                cp_model, m, instance, incumbent, options, place, k + 2, expr, True
            )
            _, place.value, disturb.value = _stage_values(instance, incumbent, place.tier)
            if status == cp_model.OPTIMAL:
                place.proven = disturb.proven = True
                place.bound, disturb.bound = place.value, disturb.value
            elif _has_bound(cp_model, solver, status):
                top = solver.BestObjectiveBound() + 1e-6
                place.bound = min(total, math.floor((top + weight - 1) / weight) + fixed_count)
                place.bound = max(place.bound, place.value)  # the incumbent reaches its own count
                place.proven = place.bound == place.value
                if place.proven and movers:
                    disturb.bound = max(0, math.ceil(weight * (place.value - fixed_count) - top))
                    disturb.bound = min(disturb.bound, disturb.value)
        m.model.add(placed_expr >= place.value - fixed_count)
        disturb.proven = disturb.proven or disturb.value == 0 or disturb.bound == disturb.value
        if not disturb.proven:
            incumbent, solver, status = _solve(
                cp_model, m, instance, incumbent, options, disturb, k + 2, disturb_expr, False
            )
            _, _, disturb.value = _stage_values(instance, incumbent, place.tier)
            disturb.proven = status == cp_model.OPTIMAL
            if disturb.proven:
                disturb.bound = disturb.value
            elif _has_bound(cp_model, solver, status):
                found = max(disturb.bound, math.ceil(solver.BestObjectiveBound() - 1e-6))
                disturb.bound = min(found, disturb.value)
        m.model.add(disturb_expr <= disturb.value)
    return incumbent, stages


def _unsolved_stages(instance: PodsInstance, assign: np.ndarray) -> list[_Stage]:
    """The stages of a placement no solve has improved: proven only where trivially so (all of a
    tier placed, nothing disturbed), bounds those any placement meets (all placed, no moves)."""
    stages = []
    for tier in instance.tiers.tolist():
        total, placed, disturbance = _stage_values(instance, assign, tier)
        stages.append(_Stage(tier, "place", placed, total, placed == total, status="OUT_OF_TIME"))
        stages.append(_Stage(tier, "disturb", disturbance, 0, disturbance == 0, status="OUT_OF_TIME"))
    return stages


def _has_bound(cp_model: Any, solver: Any, status: Any) -> bool:
    """True when CP-SAT's objective bound means something: it solved (feasible or optimal) and
    the bound is finite. With status UNKNOWN (the budget ran out before any solution, e.g. on a
    loaded machine) BestObjectiveBound() is a meaningless 0, which read as a bound on the pods
    placed claimed that none could be, a bound far above the objective."""
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and math.isfinite(solver.BestObjectiveBound())


def _solve(
    cp_model: Any,
    m: _Model,
    instance: PodsInstance,
    incumbent: np.ndarray,
    options: SolveOptions,
    stage: _Stage,
    digits: int,
    expr: Any,
    maximise: bool,
) -> tuple[np.ndarray, Any, Any]:
    """One CP-SAT solve hinted with the incumbent; returns the better of the two (compared on the
    first `digits` entries of the objective vector), the solver and its status (UNKNOWN and no
    solver when too little budget is left to start one)."""
    remaining = options.remaining()
    if (remaining is not None and remaining < RESERVE_SECONDS) or stopped():
        stage.status = "OUT_OF_TIME"
        return incumbent, None, cp_model.UNKNOWN
    budget = _share(options, instance, incumbent, stage.tier)
    started = time.perf_counter()
    _hint(m, incumbent)
    solver, status = _run_stage(cp_model, m, options, budget, maximise, expr)
    stage.solved, stage.status = True, solver.status_name(status)
    stage.seconds += time.perf_counter() - started
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = _best_of(instance, _read(m, solver, instance), m.groups)
        if _digits(instance, found)[:digits] < _digits(instance, incumbent)[:digits]:
            incumbent = found
    return incumbent, solver, status


def _digits(instance: PodsInstance, assign: np.ndarray) -> list[int]:
    """The objective vector flattened: unplaced and disturbance per tier, highest tier first."""
    return [v for _, u, d in objective_vector(instance, assign) for v in (u, d)]


def _best_of(instance: PodsInstance, assign: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """The placement or its node-renamed twin, whichever is lexicographically better."""
    renamed = relabel(instance, assign, groups)
    return renamed if _digits(instance, renamed) < _digits(instance, assign) else assign


def _share(options: SolveOptions, instance: PodsInstance, incumbent: np.ndarray, tier: int) -> float | None:
    """This solve's part of the remaining budget: an even split over the tiers from `tier` down
    where the incumbent leaves pods unplaced or moved (the ones that may still need a solve)."""
    remaining = options.remaining()
    if remaining is None:
        return None
    changed = (incumbent < 0) | ((instance.pod_node >= 0) & (incumbent != instance.pod_node))
    open_tiers = sum(
        1 for t in instance.tiers.tolist() if t <= tier and np.any(changed & (instance.pod_priority >= t))
    )
    return remaining / max(1, open_tiers)


def _bound(stages: list[_Stage], instance: PodsInstance) -> int:
    """A lower bound on the scalar objective: proven digits, the first open stage's bound, zeros."""
    vector: list[tuple[int, int, int]] = []
    digits: list[int] = []
    open_seen = False
    for stage in stages:
        if open_seen:
            digits.append(0)
            continue
        if stage.kind == "place":
            total = int(np.sum(instance.pod_priority >= stage.tier))
            digits.append(total - stage.bound)
        else:
            digits.append(stage.bound)
        open_seen = not stage.proven
    for k in range(0, len(digits), 2):
        vector.append((stages[k].tier, digits[k], digits[k + 1]))
    return encode(vector, instance.n_pods)


def _tier_report(
    stages: list[_Stage], instance: PodsInstance, default: np.ndarray | None, final: np.ndarray
) -> list[dict[str, Any]]:
    """One row per tier: counts and bounds, and kube-default's (None when it did not run)."""
    rows = []
    prefix = True
    for k in range(0, len(stages), 2):
        place, disturb = stages[k], stages[k + 1]
        count_proven = prefix and place.proven
        prefix = count_proven and disturb.proven
        total = int(np.sum(instance.pod_priority >= place.tier))
        default_placed = default_disturbance = None
        if default is not None:
            _, default_placed, default_disturbance = _stage_values(instance, default, place.tier)
        rows.append(
            {
                "priority": place.tier,
                "pods": total,
                "placed": place.value,
                "placed_bound": place.bound,
                "count_proven": count_proven,
                "disturbance": disturb.value,
                "disturbance_bound": disturb.bound,
                "disturbance_proven": prefix,
                "default_placed": default_placed,
                "default_disturbance": default_disturbance,
                "stages": [place.status, disturb.status],
            }
        )
    return rows


@register(
    "pods",
    "cpsat",
    exact=True,
    options={"scoring": "LeastAllocated"},
    description="lexicographic CP-SAT, one stage per priority tier (place most, then disturb least), "
    "warm start from kube-default, budget split across the stages",
)
def solve_cpsat(instance: PodsInstance, options: SolveOptions) -> Result:
    """The lexicographic optimum within the budget, with the tiers CP-SAT proved."""
    allowed = instance.allowed()
    if int(allowed.sum()) > MAX_VARIABLES:  # before importing OR-Tools: a refusal costs nothing
        raise ProblemTooLarge(
            f"cpsat: {int(allowed.sum()):,} pod-node pairs exceed {MAX_VARIABLES:,}; use kube-default"
        )
    if int(instance.pod_memory.sum()) > INT64_SAFE or int(instance.pod_cpu.sum()) > INT64_SAFE:
        raise ProblemTooLarge("cpsat: the summed requests exceed CP-SAT's 64-bit range")
    check_scoring(str(options.get("scoring")))
    if options.time_limit is not None and CP_MODEL not in sys.modules:  # a fresh process's import
        offer(placement_result(instance, unchanged(instance), workers=options.workers,  # takes 1-3 s
                               offered="the plan that changes nothing, before the solver's import"))
    cp_model = import_cp_model()
    ready, seconds = ensure_compiled(wait_until(options))  # inside the budget
    default, preemptions = warm_start(instance, options, ready)
    if stopped():  # abandoned: the kernel returned early, and nobody reads the answer
        return dropped({"workers": options.workers})
    offer(placement_result(instance, default, workers=options.workers, offered="the warm start"))
    fixed = (instance.pod_node >= 0) & ~instance.pod_movable
    try:
        m = _variables(cp_model, instance, allowed, fixed, options)
        _one_node_per_pod(m)
        _capacities(m, instance, options)
        final, stages = _lexicographic(cp_model, m, instance, default, options)
    except _OutOfTime:  # the budget ran out while building: the warm start, with trivial bounds
        final, stages = default, _unsolved_stages(instance, default)
    if stopped():  # abandoned while the model was built or solved
        return dropped({"workers": options.workers})
    tiers = _tier_report(stages, instance, default if ready else None, final)
    proven = all(stage.proven for stage in stages)
    result = placement_result(instance, final)
    stats = {
        **result.stats,
        "workers": options.workers,
        "tiers": tiers,
        "tiers_count_proven": sum(1 for row in tiers if row["count_proven"]),
        "tiers_total": len(tiers),
        "proven": proven,
        **_against_default(instance, default, preemptions, final, tiers),
        "stages_solved": sum(1 for s in stages if s.solved),
        "stage_seconds": round(sum(s.seconds for s in stages), 6),
        "compile_seconds": round(seconds, 6),
    }
    if not ready:
        stats.update({key: None for key in DEFAULT_STATS}, compiling=True, note=UNCHANGED_NOTE,
                     warm_start="unchanged")
    objective = result.objective
    bound = objective if proven else _bound(stages, instance)
    return finish(objective, bound, proven, result.solution, stats)


def warm_start(instance: PodsInstance, options: SolveOptions, ready: bool) -> tuple[np.ndarray, int]:
    """(placement, preemptions) the solves start from: kube-default's when its kernel is
    `ready`, else the plan that changes nothing (no kernel call, so no compilation here)."""
    if not ready:
        return unchanged(instance), 0
    return kube_default(instance, str(options.get("scoring")))


def _against_default(instance: PodsInstance, default: np.ndarray, preemptions: int,
                     final: np.ndarray, tiers: list[dict[str, Any]]) -> dict[str, Any]:
    """The DEFAULT_STATS: how the final placement compares with kube-default's."""
    default_vector = objective_vector(instance, default)
    final_vector = objective_vector(instance, final)
    places_more = [u for _, u, _ in final_vector] < [u for _, u, _ in default_vector]
    counts_proven = all(row["count_proven"] for row in tiers)
    return {
        "default_objective": _encode(default_vector, instance),
        "default_pending": int(np.sum(default < 0)),
        "default_preemptions": preemptions,
        "places_more_than_default": places_more,
        "improves_default": objective(instance, final) < _encode(default_vector, instance),
        "default_counts_proven_optimal": counts_proven and not places_more,
    }


def _encode(vector: list[tuple[int, int, int]], instance: PodsInstance) -> int:
    return encode(vector, instance.n_pods)
