"""Lexicographic pod packing with OR-Tools CP-SAT (method `cpsat`).

Variables: x[p, n] for each pod p and node n it may end on (eligible, or its current node);
an immovable running pod is a constant on its node. Constraints: each pod on at most one
node; per node the CPU, memory and pod slots. Stages, from the highest priority tier τ down:

- A(τ): maximise the pods of priority >= τ placed, Σ x;
- B(τ): minimise their disturbance, Σ over running pods (1 + placed − 2·stays): 0 when a pod
  stays, 1 when evicted, 2 when moved;

each stage's value is then fixed as a constraint for the stages after it. The warm start is
`kube-default`'s placement, given to every stage as a hint (then the incumbent). The budget is
split evenly over the stages still to solve (a stage the incumbent already meets trivially —
every pod placed, nothing disturbed — is proven without a solve, and its share goes to the
others). A stage is proven when CP-SAT says OPTIMAL; the tiers' counts are proven as long as
every stage before them is. The proven bound encodes the proven stages' values and, at the
first unproven stage, CP-SAT's bound on it (the objective encoding is in `model.pods`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.errors import ProblemTooLarge, SchedkitError, SolverUnavailable
from schedkit.heuristics.pods_methods import kube_default, placement_result
from schedkit.model.pods import PodsInstance, encode, objective_vector
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.solvers.pods_relabel import interchangeable_groups, relabel

MAX_VARIABLES = 2_000_000
INT64_SAFE = 2**62


@dataclass
class _Model:
    """The CP-SAT model and what the stages need of it."""

    model: Any
    x: dict[tuple[int, int], Any]
    by_pod: list[list[tuple[int, Any]]]
    fixed: np.ndarray  # pods fixed in place (immovable running)
    groups: list[list[int]] = field(default_factory=list)  # interchangeable nodes
    stats: dict[str, Any] = field(default_factory=dict)


def _variables(cp_model: Any, instance: PodsInstance, allowed: np.ndarray, fixed: np.ndarray) -> _Model:
    model = cp_model.CpModel()
    x: dict[tuple[int, int], Any] = {}
    by_pod: list[list[tuple[int, Any]]] = [[] for _ in range(instance.n_pods)]
    for p, n in zip(*np.nonzero(allowed), strict=True):
        p, n = int(p), int(n)
        if fixed[p]:
            continue
        literal = model.NewBoolVar(f"x[{p},{n}]")
        x[p, n] = literal
        by_pod[p].append((n, literal))
    return _Model(model, x, by_pod, fixed, interchangeable_groups(instance))


def _one_node_per_pod(m: _Model) -> None:
    for literals in m.by_pod:
        if len(literals) > 1:
            m.model.AddAtMostOne(lit for _, lit in literals)


def _capacities(m: _Model, instance: PodsInstance) -> None:
    """Per node: Σ cpu, Σ memory, pod count of the free pods within what the fixed ones leave."""
    per_node: list[list[tuple[int, Any]]] = [[] for _ in range(instance.n_nodes)]
    for (p, n), literal in m.x.items():
        per_node[n].append((p, literal))
    fixed_on = instance.pod_node[m.fixed]
    for n in range(instance.n_nodes):
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
                m.model.Add(sum(a * lit for a, lit in used) <= left[resource])
        slots = min(left["pods"], _most_pods(instance, items, left["cpu"], left["memory"]))
        if len(items) > slots:
            m.model.Add(sum(lit for _, lit in items) <= slots)


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
    return sum(lit for p in pods.tolist() for _, lit in m.by_pod[p])


def _disturbance(m: _Model, instance: PodsInstance, pods: np.ndarray) -> Any:
    """Σ (1 + placed − 2·stays) over the movable running pods among `pods`."""
    terms: list[Any] = []
    constant = 0
    for p in pods.tolist():
        current = int(instance.pod_node[p])
        if current < 0 or m.fixed[p]:
            continue
        constant += 1
        for n, lit in m.by_pod[p]:
            terms.append(lit if n != current else -lit)
    return constant + sum(terms)


def _hint(m: _Model, assign: np.ndarray) -> None:
    m.model.ClearHints()
    for (p, n), literal in m.x.items():
        m.model.AddHint(literal, bool(assign[p] == n))


def _read(m: _Model, solver: Any, instance: PodsInstance) -> np.ndarray:
    assign = np.where(m.fixed, instance.pod_node, -1).astype(np.int64)
    for (p, n), literal in m.x.items():
        if solver.BooleanValue(literal):
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
        m.model.Maximize(expr)
    else:
        m.model.Minimize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    if budget is not None:
        solver.parameters.max_time_in_seconds = max(0.01, budget)
    status = solver.Solve(m.model)
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        raise SchedkitError(
            f"cpsat: CP-SAT reports a stage {solver.StatusName(status)}; "
            "this is a bug in schedkit (the incumbent satisfies every stage)"
        )
    return solver, status


def _lexicographic(
    cp_model: Any, m: _Model, instance: PodsInstance, start: np.ndarray, options: SolveOptions
) -> tuple[np.ndarray, list[_Stage]]:
    """Solve the stages in order, fixing each one's value; returns the incumbent and the stages."""
    incumbent = start.copy()
    tiers = instance.tiers.tolist()
    movable_running = (instance.pod_node >= 0) & ~m.fixed
    stages = [_Stage(t, kind) for t in tiers for kind in ("place", "disturb")]
    for k, stage in enumerate(stages):
        pods = np.flatnonzero(instance.pod_priority >= stage.tier)
        total, placed, disturbance = _stage_values(instance, incumbent, stage.tier)
        free = pods[~m.fixed[pods]]
        if stage.kind == "place":
            stage.value, stage.bound = placed, total
            trivial = placed == total
        else:
            stage.value, stage.bound = disturbance, 0
            trivial = disturbance == 0 or not np.any(movable_running[pods])
        maximise = stage.kind == "place"
        expr = _placed(m, free) if maximise else _disturbance(m, instance, pods)
        fixed_count = int(np.sum(m.fixed[pods])) if maximise else 0
        if trivial:
            stage.proven = True
        else:
            budget = _share(options, stages[k:], instance, incumbent, movable_running)
            started = time.perf_counter()
            _hint(m, incumbent)
            solver, status = _run_stage(cp_model, m, options, budget, maximise, expr)
            stage.solved, stage.status = True, solver.StatusName(status)
            stage.seconds = time.perf_counter() - started
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found = _best_of(instance, _read(m, solver, instance), m.groups)
                if _digits(instance, found)[: k + 1] < _digits(instance, incumbent)[: k + 1]:
                    incumbent = found
                    _, found_placed, found_disturbance = _stage_values(instance, found, stage.tier)
                    stage.value = found_placed if maximise else found_disturbance
            stage.proven = status == cp_model.OPTIMAL
            raw = solver.BestObjectiveBound()
            if stage.proven:
                stage.bound = stage.value
            elif math.isfinite(raw):
                stage.bound = (
                    min(total, math.floor(raw + 1e-6) + fixed_count)
                    if maximise
                    else max(0, math.ceil(raw - 1e-6))
                )
        if maximise:
            m.model.Add(expr >= stage.value - fixed_count)
        else:
            m.model.Add(expr <= stage.value)
    return incumbent, stages


def _digits(instance: PodsInstance, assign: np.ndarray) -> list[int]:
    """The objective vector flattened: unplaced and disturbance per tier, highest tier first."""
    return [v for _, u, d in objective_vector(instance, assign) for v in (u, d)]


def _best_of(instance: PodsInstance, assign: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """The placement or its node-renamed twin, whichever is lexicographically better."""
    renamed = relabel(instance, assign, groups)
    return renamed if _digits(instance, renamed) < _digits(instance, assign) else assign


def _share(
    options: SolveOptions,
    rest: list[_Stage],
    instance: PodsInstance,
    incumbent: np.ndarray,
    movable_running: np.ndarray,
) -> float | None:
    """This stage's part of the remaining budget: an even split over the stages still open."""
    remaining = options.remaining()
    if remaining is None:
        return None
    moved = (instance.pod_node >= 0) & (incumbent != instance.pod_node)
    open_stages = 0
    for stage in rest:
        pods = instance.pod_priority >= stage.tier
        lacking = incumbent < 0 if stage.kind == "place" else moved & movable_running
        open_stages += int(np.any(pods & lacking))
    return remaining / max(1, open_stages)


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
    stages: list[_Stage], instance: PodsInstance, default: np.ndarray, final: np.ndarray
) -> list[dict[str, Any]]:
    rows = []
    prefix = True
    for k in range(0, len(stages), 2):
        place, disturb = stages[k], stages[k + 1]
        count_proven = prefix and place.proven
        prefix = count_proven and disturb.proven
        total, default_placed, default_disturbance = _stage_values(instance, default, place.tier)
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
    try:
        from ortools.sat.python import cp_model
    except ImportError as error:
        raise SolverUnavailable("cpsat needs OR-Tools: pip install ortools") from error
    allowed = instance.allowed()
    if int(allowed.sum()) > MAX_VARIABLES:
        raise ProblemTooLarge(
            f"cpsat: {int(allowed.sum()):,} pod-node pairs exceed {MAX_VARIABLES:,}; use kube-default"
        )
    if int(instance.pod_memory.sum()) > INT64_SAFE or int(instance.pod_cpu.sum()) > INT64_SAFE:
        raise ProblemTooLarge("cpsat: the summed requests exceed CP-SAT's 64-bit range")
    default, preemptions = kube_default(instance, str(options.get("scoring")))
    fixed = (instance.pod_node >= 0) & ~instance.pod_movable
    m = _variables(cp_model, instance, allowed, fixed)
    _one_node_per_pod(m)
    _capacities(m, instance)
    final, stages = _lexicographic(cp_model, m, instance, default, options)
    tiers = _tier_report(stages, instance, default, final)
    proven = all(stage.proven for stage in stages)
    result = placement_result(instance, final)
    default_vector = objective_vector(instance, default)
    final_vector = objective_vector(instance, final)
    places_more = [u for _, u, _ in final_vector] < [u for _, u, _ in default_vector]
    counts_proven = all(row["count_proven"] for row in tiers)
    stats = {
        **result.stats,
        "workers": options.workers,
        "tiers": tiers,
        "tiers_count_proven": sum(1 for row in tiers if row["count_proven"]),
        "proven": proven,
        "default_objective": _encode(default_vector, instance),
        "default_pending": int(np.sum(default < 0)),
        "default_preemptions": preemptions,
        "places_more_than_default": places_more,
        "improves_default": result.objective is not None
        and result.objective < _encode(default_vector, instance),
        "default_counts_proven_optimal": counts_proven and not places_more,
        "stages_solved": sum(1 for s in stages if s.solved),
        "stage_seconds": round(sum(s.seconds for s in stages), 6),
    }
    objective = result.objective
    bound = objective if proven else _bound(stages, instance)
    return Result("optimal" if proven else "feasible", objective, bound, result.solution, stats)


def _encode(vector: list[tuple[int, int, int]], instance: PodsInstance) -> int:
    return encode(vector, instance.n_pods)
