"""Job shop as a disjunctive (big-M) MIP in PuLP over HiGHS or CBC (method `mip`), small instances.

Variables: a start s_o per operation; for a flexible operation a binary x_a per alternative
(exactly one); for each pair of operations of different jobs that may share machine k, both
of positive length there (a zero-length one overlaps nothing), a binary y = 1 when the first
goes before the second there. With M the horizon and
A = 2 − x_a − x_b (0 when both run on k; classic operations have x = 1 as constants):
    s_b >= s_a + p_a − M·(1 − y) − M·A,     s_a >= s_b + p_b − M·y − M·A.
Job order s_{o+1} >= s_o + Σ_a p_a·x_a, release dates as lower bounds, and the objective over
the completions of the last operations (makespan C >= each; or Σ w·T; or Σ w·(C − r)).
The warm start (best rule) is the MIP start. The schedule read back is rebuilt semi-actively
from the machine orders the solver's starts give, so rounding never breaks feasibility. With M
beyond TRUSTED_BIG_M the solver's dual bound is not reported (`stats["untrusted_bound"]`):
there HiGHS has proved a schedule optimal that was not. Below, the bound (less its 10^-6
relative slack) is rounded up to a multiple of the weights' gcd, as every objective is one.

Time: building the big-M model in PuLP is slow (about 0.3 ms per machine pair here, and
40 µs per operation), so a model whose estimated build does not fit half the budget is not
built: the warm start comes back as `feasible`, as from a build that runs past the deadline
anyway; HiGHS gets the budget left minus the time to hand it the model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from schedkit.common.finish import finish, integral_bound, on_step
from schedkit.common.highs_deadline import run_until
from schedkit.common.mip import import_pulp, new_variable
from schedkit.deadline import offer
from schedkit.errors import ProblemTooLarge
from schedkit.jobshop.heuristics import compiled
from schedkit.jobshop.heuristics.blocking import refuse_blocking
from schedkit.jobshop.heuristics.methods import schedule_result
from schedkit.jobshop.heuristics.plain import offer_plain, warm_start_or_plain
from schedkit.jobshop.heuristics.rules import Schedule, objective
from schedkit.jobshop.model import JobShopInstance
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

TRUSTED_BIG_M = 10**6  # HiGHS warns of bounds beyond as excessively large; at M = 7·10^8 it
# called a flow time of 6.62·10^9 optimal (dual bound too), the optimum being 5.62·10^9
MAX_PAIRS = 200_000  # beyond, the big-M model is hopeless and slow to build
SECONDS_PER_PAIR = 6e-4  # build estimate at load 5 (two rows, one binary per pair)
SECONDS_PER_OPERATION = 1e-4  # and per operation (its start, job row, read-back): 40 µs at load 7
HANDOVER_SHARE = 0.3  # loading the model into HiGHS, as a share of the build time


class _OutOfTime(Exception):
    """The deadline passed while the model was being built."""


@dataclass
class _Model:
    problem: Any
    start: list[Any] = field(default_factory=list)
    x: dict[int, Any] = field(default_factory=dict)  # alternative id -> binary (flexible only)
    y: dict[tuple[int, int, int], Any] = field(default_factory=dict)  # (a, b, machine) -> binary
    aux: list[tuple[Any, Any]] = field(default_factory=list)
    big_m: int = 0


def _pairs(instance: JobShopInstance) -> list[tuple[int, int, int, int]]:
    """(alternative a, alternative b, op of a, op of b) for ops of different jobs on one machine,
    both of positive length (a zero-length operation overlaps nothing)."""
    job = instance.job_of()
    op_of_alt = np.repeat(np.arange(instance.operations), np.diff(instance.op_ptr))
    positive = np.flatnonzero(instance.alt_duration > 0)
    by_machine = positive[np.argsort(instance.alt_machine[positive], kind="stable")]
    cuts = np.flatnonzero(np.diff(instance.alt_machine[by_machine])) + 1
    pairs = []
    for group in np.split(by_machine, cuts):  # machine by machine (a scan per machine took 10 s
        alts = group.tolist()  # for 10^5 machines)
        for i, a in enumerate(alts):
            for b in alts[i + 1:]:
                oa, ob = int(op_of_alt[a]), int(op_of_alt[b])
                if job[oa] != job[ob]:
                    pairs.append((a, b, oa, ob))
    return pairs


def pair_count(instance: JobShopInstance) -> int:
    """len(_pairs(instance)) without listing them: the positive-length alternatives on each
    machine taken two at a time, less those of one job (counting, not listing, lets a refusal
    of 10^4 operations on a machine cost no gigabytes)."""
    positive = instance.alt_duration > 0
    machine = instance.alt_machine[positive]
    job = instance.job_of()[np.repeat(np.arange(instance.operations), np.diff(instance.op_ptr))][positive]
    on_machine = np.bincount(machine, minlength=instance.m)
    _, of_one_job = np.unique(machine * instance.n + job, return_counts=True)
    return int((on_machine * (on_machine - 1) // 2).sum() - (of_one_job * (of_one_job - 1) // 2).sum())


def objective_step(instance: JobShopInstance) -> int:
    """Every schedule's objective is a multiple of this: 1 for the makespan, else the gcd of the
    weights (integer completions, release and due dates), 0 when every weight is 0."""
    if instance.objective == "makespan":
        return 1
    return int(np.gcd.reduce(instance.weight_or_one()))


def _duration(instance: JobShopInstance, model: _Model, o: int, pulp: Any) -> Any:
    ptr = instance.op_ptr
    if ptr[o + 1] - ptr[o] == 1:
        return int(instance.alt_duration[ptr[o]])
    return pulp.lpSum(int(instance.alt_duration[a]) * model.x[a] for a in range(int(ptr[o]), int(ptr[o + 1])))


def _variables(pulp: Any, instance: JobShopInstance, big_m: int, pairs: list) -> _Model:
    problem = pulp.LpProblem("jobshop", pulp.LpMinimize)
    model = _Model(problem)
    release = instance.release_or_zero()
    job = instance.job_of()
    for o in range(instance.operations):
        model.start.append(new_variable(pulp, problem, f"s{o}", lowBound=int(release[job[o]]), upBound=big_m))
    ptr = instance.op_ptr
    for o in range(instance.operations):
        if ptr[o + 1] - ptr[o] > 1:
            for a in range(int(ptr[o]), int(ptr[o + 1])):
                model.x[a] = new_variable(pulp, problem, f"x{a}", cat="Binary")
    for a, b, _, _ in pairs:
        model.y[a, b, int(instance.alt_machine[a])] = new_variable(pulp, problem, f"y{a}_{b}", cat="Binary")
    return model


def _assignment(pulp: Any, model: _Model, instance: JobShopInstance) -> None:
    """Each flexible operation on exactly one machine."""
    ptr = instance.op_ptr
    for o in range(instance.operations):
        if ptr[o + 1] - ptr[o] > 1:
            alternatives = range(int(ptr[o]), int(ptr[o + 1]))
            model.problem += pulp.lpSum(model.x[a] for a in alternatives) == 1, f"one{o}"


def _job_order(pulp: Any, model: _Model, instance: JobShopInstance) -> None:
    for j in range(instance.n):
        for o in range(int(instance.job_ptr[j]), int(instance.job_ptr[j + 1]) - 1):
            end = model.start[o] + _duration(instance, model, o, pulp)
            model.problem += model.start[o + 1] >= end, f"job{o}"


def _disjunctions(pulp: Any, model: _Model, instance: JobShopInstance, pairs: list, big_m: int,
                  deadline: float) -> None:
    """Either order on a shared machine, switched off unless both run there (_OutOfTime when
    `deadline` passes first)."""
    p = instance.alt_duration
    for i, (a, b, oa, ob) in enumerate(pairs):
        if i % 1000 == 999 and time.perf_counter() > deadline:
            raise _OutOfTime
        y = model.y[a, b, int(instance.alt_machine[a])]
        away = (1 - model.x[a] if a in model.x else 0) + (1 - model.x[b] if b in model.x else 0)
        sa, sb = model.start[oa], model.start[ob]
        model.problem += sb >= sa + int(p[a]) - big_m * (1 - y) - big_m * away, f"ab{a}_{b}"
        model.problem += sa >= sb + int(p[b]) - big_m * y - big_m * away, f"ba{a}_{b}"


def _objective(pulp: Any, model: _Model, instance: JobShopInstance, big_m: int) -> None:
    last = [int(o) for o in instance.job_ptr[1:] - 1]
    ends = [model.start[o] + _duration(instance, model, o, pulp) for o in last]
    problem = model.problem
    if instance.objective == "makespan":
        cmax = new_variable(pulp, problem, "cmax", lowBound=0)
        for j, end in enumerate(ends):
            problem += cmax >= end, f"cmax{j}"
        model.aux.append((cmax, lambda c: int(c.max())))
        problem += cmax
        return
    weight = instance.weight_or_one()
    if instance.objective == "weighted_tardiness":
        terms = []
        for j, end in enumerate(ends):
            t = new_variable(pulp, problem, f"T{j}", lowBound=0)
            problem += t >= end - int(instance.due[j]), f"T{j}"
            model.aux.append((t, lambda c, j=j: max(0, int(c[j]) - int(instance.due[j]))))
            terms.append(int(weight[j]) * t)
        problem += pulp.lpSum(terms)
        return
    release = instance.release_or_zero()
    problem += pulp.lpSum(int(weight[j]) * (end - int(release[j])) for j, end in enumerate(ends))


def _set_start(model: _Model, instance: JobShopInstance, schedule: Schedule) -> None:
    for o, s in enumerate(schedule.start.tolist()):
        model.start[o].setInitialValue(s)
    chosen = set(schedule.alt.tolist())
    for a, x in model.x.items():
        x.setInitialValue(1 if a in chosen else 0)
    op_of_alt = np.repeat(np.arange(instance.operations), np.diff(instance.op_ptr))
    for (a, b, _), y in model.y.items():
        y.setInitialValue(1 if schedule.start[op_of_alt[a]] <= schedule.start[op_of_alt[b]] else 0)
    completion = (schedule.start + instance.alt_duration[schedule.alt])[instance.job_ptr[1:] - 1]
    for variable, value in model.aux:
        variable.setInitialValue(value(completion))


def _job_ordered_times(values: list[float], job_ptr: np.ndarray) -> np.ndarray:
    """The solver's starts, never below the job's previous operation: within the solver's
    tolerance a successor of a zero-length operation can read 4.9999995 against its 5.0, and
    sorting on that would put it first (found by hypothesis)."""
    times = np.round(np.array(values, dtype=float), 6)
    for first, end in zip(job_ptr[:-1].tolist(), job_ptr[1:].tolist(), strict=True):
        times[first:end] = np.maximum.accumulate(times[first:end])
    return times


def _read(model: _Model, instance: JobShopInstance) -> tuple[np.ndarray, np.ndarray] | None:
    """The solver's machine choices and orders, rebuilt as a semi-active schedule."""
    values = [s.varValue for s in model.start]
    if any(v is None for v in values):
        return None
    alt = instance.op_ptr[:-1].copy()
    ptr = instance.op_ptr
    for o in range(instance.operations):
        if ptr[o + 1] - ptr[o] > 1:
            alt[o] = max(range(int(ptr[o]), int(ptr[o + 1])), key=lambda a: model.x[a].varValue or 0.0)
    position = np.arange(instance.operations) - instance.job_ptr[instance.job_of()]
    duration = instance.alt_duration[alt]
    # Equal starts: job order. A zero-length operation neither waits for its machine nor holds
    # it below, so where it stands among other jobs' operations changes nothing; put before the
    # operation of its own job that the solver started at the same time (CBC at 10^12, within
    # its tolerance), it started before that one ended (an infeasible schedule).
    order = np.lexsort((position, _job_ordered_times(values, instance.job_ptr)))
    machine = instance.alt_machine[alt]
    release = instance.release_or_zero()
    job = instance.job_of()
    job_ready = release.copy()
    machine_ready = np.zeros(instance.m, dtype=np.int64)
    start = np.empty(instance.operations, dtype=np.int64)
    for o in order.tolist():
        if duration[o] == 0:  # overlaps nothing: never waits for its machine nor holds it
            start[o] = job_ready[job[o]]
            continue
        s = max(job_ready[job[o]], machine_ready[machine[o]])
        start[o] = s
        job_ready[job[o]] = machine_ready[machine[o]] = s + duration[o]
    return start, alt


@register(
    "jobshop",
    "mip",
    exact=True,
    description="disjunctive big-M MIP in PuLP over HiGHS or CBC (small instances)",
    options={"solver": "highs"},
)
def solve_mip(instance: JobShopInstance, options: SolveOptions) -> Result:
    """Best schedule and the solver's proven bound, from the best rule as MIP start."""
    refuse_blocking("mip", instance)
    name = str(options.get("solver", "highs")).lower()
    count = pair_count(instance)
    if count > MAX_PAIRS:  # before any offer: a refusal is the answer, at once
        raise ProblemTooLarge(f"mip: {count} machine pairs exceed {MAX_PAIRS}; use cpsat")
    offer_plain(instance, options, "pulp")
    pulp = import_pulp(name)
    pairs = _pairs(instance)
    clock = compiled.CompileClock()
    stats: dict[str, Any] = {"workers": options.workers, "pairs": len(pairs)}
    start_rule = warm_start_or_plain(instance, options, clock, stats)
    warm = schedule_result(instance, start_rule).solution
    stats.update(warm_start=start_rule.objective, warm_start_rule=start_rule.rule)
    offer(finish(start_rule.objective, None, False, warm, {**stats, "offered": "the warm start"}))
    remaining = options.remaining()
    estimate = SECONDS_PER_PAIR * len(pairs) + SECONDS_PER_OPERATION * instance.operations
    if remaining is not None and estimate > 0.5 * remaining:  # no time to build: the warm start
        stats.update(compile_seconds=round(clock.seconds, 3), model_built=False,
                     solver_status=f"not built: about {estimate:.2f} s for {len(pairs)} machine "
                     f"pairs and {instance.operations} operations, more than half the "
                     f"{remaining:.2f} s left")
        return finish(start_rule.objective, None, False, warm, stats)
    began = time.perf_counter()
    try:
        model = _build(pulp, instance, pairs, start_rule, options.deadline)
    except _OutOfTime:
        stats.update(compile_seconds=round(clock.seconds, 3), model_built=False)
        return finish(start_rule.objective, None, False, warm, stats)
    build = time.perf_counter() - began
    limited = options if options.time_limit is None else replace(
        options, time_limit=max(0.05, options.time_limit - HANDOVER_SHARE * build - 0.05))
    raw_bound, run_stats, finished = run_until(pulp, model.problem, limited, name, options.deadline)
    stats.update(run_stats)
    bound = on_step(integral_bound(raw_bound), objective_step(instance))
    if model.big_m > TRUSTED_BIG_M and bound is not None:
        stats["untrusted_bound"] = bound
        bound = None
    stats.update(variables=len(model.problem.variables()), build_seconds=round(build, 3),
                 compile_seconds=round(clock.seconds, 3))
    found = _read(model, instance) if finished and stats.get("solver_has_solution", True) else None
    best = start_rule
    if found is not None:
        value = objective(instance, *found)
        if value <= best.objective:
            best = Schedule(found[0], found[1], value, "mip")
    if bound is not None and bound > best.objective:
        stats["discarded_bound"] = bound
        bound = None
    return finish(best.objective, bound, False, schedule_result(instance, best).solution, stats)


def _build(pulp: Any, instance: JobShopInstance, pairs: list, start_rule: Schedule | None,
           deadline: float) -> _Model:
    """The whole model with the warm start as MIP start (_OutOfTime past `deadline`)."""
    release = instance.release_or_zero()
    big_m = int(release.max() + np.maximum.reduceat(instance.alt_duration, instance.op_ptr[:-1]).sum())
    if start_rule is not None:
        big_m = max(big_m, int((start_rule.start + instance.alt_duration[start_rule.alt]).max()))
    model = _variables(pulp, instance, big_m, pairs)
    model.big_m = big_m
    _assignment(pulp, model, instance)
    _job_order(pulp, model, instance)
    _disjunctions(pulp, model, instance, pairs, big_m, deadline)
    _objective(pulp, model, instance, big_m)
    if start_rule is not None:
        _set_start(model, instance, start_rule)
    return model
