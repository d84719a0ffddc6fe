"""Exact SMTT as a mixed-integer program in PuLP, solved by HiGHS or CBC (method `mip`).

Positional-assignment formulation of Keha, Khowala & Fowler (2009): x[j, k] = 1 when job j
is in position k, C[k] the completion time of position k, C[k] = C[k-1] + Σ_j p_j·x[j, k],
with their valid inequality C[k] >= sum of the k smallest processing times (as a bound).
With equal weights the tardiness is kept per position, T[k] >= C[k] − Σ_j d_j·x[j, k], which
needs no big-M; otherwise per job, T[j] >= C[k] − d_j − M[j, k]·(1 − x[j, k]) with M[j, k]
from the largest completion time position k can have. The safe precedences of
`smtt_dominance` restrict each job to the positions they leave it and order the pairs.

The model sees due dates clipped to [p_j, Σp] (`_clipped`): a job due after Σp is never late
and one due before p_j always is, by its completion minus p_j plus the constant p_j − d_j,
added back in integers. So no coefficient grows with the due dates (HiGHS refuses matrix
values from 1e15 on, and a due date may be ±1e15).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.common.finish import finish, integral_bound, on_step
from schedkit.common.highs_deadline import run_until
from schedkit.common.mip import import_pulp, new_variable
from schedkit.deadline import offer
from schedkit.errors import ProblemTooLarge
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.smtt.bounds import cheap_bound
from schedkit.smtt.compiling import nothing_late, within_budget
from schedkit.smtt.heuristics.kernels import weighted_tardiness
from schedkit.smtt.heuristics.search import warm_start
from schedkit.smtt.model import SMTTInstance, SMTTSolution
from schedkit.smtt.solvers.dominance import completion_windows, consistent_order, precedences

MAX_JOBS = 1000
BUILD_RESERVE = 0.15  # share of the budget kept for loading and solving once building ends
# Below this many seconds a run cannot load the model and start: CBC is a separate process
# (and fails outright when given a fraction of a second), HiGHS loads in-process.
MIN_SOLVE_SECONDS = {"cbc": 1.0, "highs": 0.2}


@dataclass
class _Model:
    """The PuLP problem and its variables, keyed the way the constraints use them."""

    problem: Any
    x: dict[tuple[int, int], Any] = field(default_factory=dict)
    completion: list[Any] = field(default_factory=list)
    tardiness: dict[int, Any] = field(default_factory=dict)
    positional: bool = True

    jobs: dict[int, list[tuple[int, Any]]] = field(default_factory=dict)
    positions: dict[int, list[tuple[int, Any]]] = field(default_factory=dict)
    deadline: float = float("inf")

    def add_x(self, j: int, k: int, variable: Any) -> None:
        """Record x[j, k] under its job and its position."""
        self.x[j, k] = variable
        self.jobs.setdefault(j, []).append((k, variable))
        self.positions.setdefault(k, []).append((j, variable))

    def of_job(self, j: int) -> list[tuple[int, Any]]:
        """(position, x) for every position job j may take."""
        return self.jobs.get(j, [])

    def at_position(self, k: int) -> list[tuple[int, Any]]:
        """(job, x) for every job that may take position k."""
        return self.positions.get(k, [])

    def on_time(self) -> None:
        """Raise OutOfTime once building has used the time it may take."""
        if time.perf_counter() >= self.deadline:
            raise OutOfTime


class OutOfTime(Exception):
    """Building the model reached the time it may take: the warm start is the answer."""


def _clipped(instance: SMTTInstance) -> tuple[SMTTInstance, int]:
    """The instance with due dates clipped to [p_j, Σp] and the constant Σ w_j·max(0, p_j − d_j)
    by which every sequence's objective exceeds its objective there (module docstring)."""
    p, d, w = instance.p, instance.d, instance.w
    offset = sum(int(wj) * max(0, int(pj) - int(dj)) for pj, dj, wj in zip(p, d, w, strict=True))
    return instance.replace(d=np.clip(d, p, int(p.sum()))), offset


def _variable(pulp: Any, model: _Model, name: str, **bounds: Any) -> Any:
    return new_variable(pulp, model.problem, name, **bounds)


def _positions(before: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last position each job can take: after its known predecessors, before its
    known successors."""
    n = before.shape[0]
    first = before.sum(axis=0).astype(np.int64)
    last = n - 1 - before.sum(axis=1).astype(np.int64)
    return first, last


def _variables(pulp: Any, instance: SMTTInstance, before: np.ndarray, deadline: float) -> _Model:
    """x[j, k] for the positions job j may take; C[k] bounded by the k smallest / largest p."""
    n = instance.n
    p = instance.p
    model = _Model(pulp.LpProblem("smtt", pulp.LpMinimize), deadline=deadline)
    first, last = _positions(before)
    for j in range(n):
        for k in range(int(first[j]), int(last[j]) + 1):
            model.add_x(j, k, _variable(pulp, model, f"x_{j}_{k}", cat=pulp.LpBinary))
        model.on_time()
    smallest = np.cumsum(np.sort(p))
    largest = np.cumsum(np.sort(p)[::-1])
    model.completion = [
        _variable(pulp, model, f"C_{k}", lowBound=int(smallest[k]), upBound=int(largest[k]))
        for k in range(n)
    ]
    return model


def _assignment(pulp: Any, model: _Model, n: int) -> None:
    """Each job takes one position and each position holds one job."""
    for j in range(n):
        model.problem += pulp.lpSum(v for _, v in model.of_job(j)) == 1, f"job_{j}"
        model.on_time()
    for k in range(n):
        model.problem += pulp.lpSum(v for _, v in model.at_position(k)) == 1, f"pos_{k}"
        model.on_time()


def _completion_times(pulp: Any, model: _Model, p: np.ndarray) -> None:
    """C[k] = C[k-1] + processing time of the job in position k (no idle time, start at 0)."""
    for k, completion in enumerate(model.completion):
        work = pulp.lpSum(int(p[j]) * v for j, v in model.at_position(k))
        previous = model.completion[k - 1] if k else 0
        model.problem += completion == previous + work, f"completion_{k}"
        model.on_time()


def _positional_tardiness(pulp: Any, model: _Model, instance: SMTTInstance) -> None:
    """Equal weights: T[k] >= C[k] − due date of the job in position k, T[k] >= 0."""
    for k, completion in enumerate(model.completion):
        due = pulp.lpSum(int(instance.d[j]) * v for j, v in model.at_position(k))
        model.tardiness[k] = _variable(pulp, model, f"T_{k}", lowBound=0)
        model.problem += model.tardiness[k] >= completion - due, f"tardy_{k}"
        model.on_time()


def _job_tardiness(
    pulp: Any, model: _Model, instance: SMTTInstance, latest: np.ndarray, earliest: np.ndarray
) -> None:
    """T[j] >= C[k] − d_j − M[j, k]·(1 − x[j, k]), only where job j can be late in position k.

    M[j, k] = (largest C[k]) − d_j makes the row void when j is elsewhere; T[j] starts at
    the tardiness j has even at its earliest completion.
    """
    p, d, w = instance.p, instance.d, instance.w
    ordered = np.sort(p)[::-1]
    largest = np.cumsum(ordered)
    for j in range(instance.n):
        if w[j] == 0:
            continue
        lowest = max(0, int(earliest[j] - d[j]))
        model.tardiness[j] = _variable(pulp, model, f"T_{j}", lowBound=lowest)
        others = np.delete(ordered, np.flatnonzero(ordered == p[j])[0])
        for k, x in model.of_job(j):
            reach = min(int(p[j] + others[:k].sum()), int(latest[j]))
            if reach <= d[j]:
                continue
            big_m = int(largest[k]) - int(d[j])
            model.problem += (
                model.tardiness[j] >= model.completion[k] - int(d[j]) - big_m * (1 - x),
                f"tardy_{j}_{k}",
            )
        model.on_time()


def _precedences(pulp: Any, model: _Model, before: np.ndarray) -> None:
    """i before j: the position of i is smaller than the position of j."""
    position = [pulp.lpSum(k * v for k, v in model.of_job(j)) for j in range(before.shape[0])]
    for count, (i, j) in enumerate(zip(*np.nonzero(before), strict=True)):
        model.problem += position[j] - position[i] >= 1, f"before_{i}_{j}"
        if count % 1024 == 0:
            model.on_time()


def build_model(pulp: Any, instance: SMTTInstance, before: np.ndarray,
                deadline: float = float("inf")) -> _Model:
    """The whole MIP: variables, assignment, completion times, tardiness, precedences, objective.
    Raises OutOfTime when building reaches `deadline`."""
    model = _variables(pulp, instance, before, deadline)
    _assignment(pulp, model, instance.n)
    _completion_times(pulp, model, instance.p)
    _precedences(pulp, model, before)
    w = instance.w
    model.positional = bool(np.all(w == w[0]))
    if model.positional:
        _positional_tardiness(pulp, model, instance)
        model.problem += int(w[0]) * pulp.lpSum(model.tardiness.values())
    else:
        earliest, latest = completion_windows(instance.p, before)
        _job_tardiness(pulp, model, instance, latest, earliest)
        model.problem += pulp.lpSum(int(w[j]) * t for j, t in model.tardiness.items())
    return model


def _set_start(model: _Model, instance: SMTTInstance, sequence: np.ndarray) -> None:
    """Give every variable the value it takes in `sequence` (the MIP start)."""
    p, d = instance.p, instance.d
    for x in model.x.values():
        x.setInitialValue(0)
    time = 0
    for k, j in enumerate(sequence):
        time += int(p[j])
        if (j, k) in model.x:
            model.x[j, k].setInitialValue(1)
        model.completion[k].setInitialValue(time)
        key = k if model.positional else int(j)
        if key in model.tardiness:
            model.tardiness[key].setInitialValue(max(0, time - int(d[j])))


def _read_sequence(model: _Model, n: int) -> np.ndarray | None:
    """The order the solver's x values describe, or None when they are not a permutation."""
    sequence = np.full(n, -1, dtype=np.int64)
    for (j, k), x in model.x.items():
        if x.varValue is not None and x.varValue > 0.5:
            if sequence[k] != -1:
                return None
            sequence[k] = j
    if np.any(sequence < 0) or np.unique(sequence).size != n:
        return None
    return sequence


def _refuse(instance: SMTTInstance) -> None:
    """ProblemTooLarge beyond MAX_JOBS jobs, before PuLP's import and the warm start (5000 jobs:
    2.9 s and 367 MB to be refused); not when nothing is late (optimal 0 at once)."""
    if instance.n > MAX_JOBS and not nothing_late(instance):
        raise ProblemTooLarge(
            f"mip: {instance.n} jobs is beyond its {MAX_JOBS} (n² assignment variables); use 'bnb' "
            "(equal weights), 'bdp' or 'dynasearch'"
        )


@register(
    "smtt",
    "mip",
    exact=True,
    description="positional-assignment MIP (Keha et al. 2009) in PuLP over HiGHS or CBC",
    options={"solver": "highs"},
)
@within_budget(exact=True, refuse=_refuse)
def solve_mip(instance: SMTTInstance, options: SolveOptions) -> Result:
    """Optimal or best-found sequence from the MIP, started from the heuristic warm start."""
    name = str(options.get("solver", "highs")).lower()
    pulp = import_pulp(name)
    n = instance.n
    p, d, w = instance.p, instance.d, instance.w
    remaining = options.remaining()
    start = warm_start(instance, 1.0 if remaining is None else min(1.0, 0.1 * remaining))
    start_objective = int(weighted_tardiness(start, p, d, w))
    if start_objective == 0:  # nothing is late: optimal without a model
        return finish(0, 0, True, SMTTSolution(start), {"solver": name, "workers": options.workers})
    remaining = options.remaining()
    precedences_by = options.deadline - (0.0 if remaining is None else BUILD_RESERVE * remaining)
    before = precedences(p, d, w, precedences_by)  # cubic: seconds at a thousand jobs
    # The heuristic order may break a precedence; the MIP start must respect them all.
    hint = consistent_order(start, before)
    hint_objective = int(weighted_tardiness(hint, p, d, w))
    if hint_objective <= start_objective:
        start, start_objective = hint, hint_objective
    offer(finish(start_objective, cheap_bound(instance), False, SMTTSolution(start.copy()),
                 {"solver": name, "workers": options.workers, "offered": "the warm start"}))
    remaining = options.remaining()
    build_by = options.deadline - (0.0 if remaining is None else BUILD_RESERVE * remaining)
    clipped, offset = _clipped(instance)
    try:
        if time.perf_counter() >= precedences_by:  # the precedences alone outlasted the build's share
            raise OutOfTime
        model = build_model(pulp, clipped, before, build_by)
    except OutOfTime:  # the model alone outlasts the budget: the warm start, bound 0
        return finish(start_objective, 0, False, SMTTSolution(start),
                      {"solver": name, "workers": options.workers, "solver_status": "NOT_BUILT"})
    left = options.remaining()
    if left is not None and left < MIN_SOLVE_SECONDS[name]:  # too little left to start a solver
        return finish(start_objective, 0, False, SMTTSolution(start),
                      {"solver": name, "workers": options.workers, "solver_status": "NOT_RUN"})
    _set_start(model, clipped, hint)
    raw_bound, stats, finished = run_until(pulp, model.problem, options, name, options.deadline)
    bound = integral_bound(raw_bound)
    # Σ w·T is a multiple of the weights' gcd: weights of 10^6 kept proofs from the 10^-6 slack
    bound = None if bound is None else on_step(bound + offset, int(np.gcd.reduce(w)))
    stats.update(
        workers=options.workers,
        precedences=int(before.sum()),
        variables=len(model.problem.variables()),
        constraints=model.problem.numConstraints(),
    )
    sequence = _read_sequence(model, n) if finished else None
    objective = None if sequence is None else int(weighted_tardiness(sequence, p, d, w))
    if objective is None or objective > start_objective:
        sequence, objective = start, start_objective
    assert sequence is not None
    if bound is not None:
        bound = max(0, bound)  # tardiness is never negative
    if bound is not None and bound > objective:
        # A valid bound never exceeds a feasible value; treat it as untrustworthy.
        stats["discarded_bound"] = bound
        bound = None
    return finish(objective, bound, bound is not None and bound >= objective, SMTTSolution(sequence), stats)
