"""The CP-SAT model of a (flexible) job shop: variables, one function per constraint family,
objective, hint and read-back. Used whole by `cpsat` and cloned by its large-neighbourhood search.

Per operation a start variable; a classic operation has one fixed-size interval on it, a
flexible one an optional fixed-size interval per alternative (presence literals, exactly one
present) and an end variable tied to the present one. No-overlap per machine over the
intervals on it (positive lengths only: a zero-length operation overlaps nothing, as the
checker says); job order as end <= next start; release dates as start domains. Domains are
tightened by heads (work before an operation) and, for the makespan, tails and the incumbent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.jobshop.heuristics.rules import Schedule
from schedkit.jobshop.model import JobShopInstance


@dataclass
class JobShopModel:
    """The CpModel and its variables, by operation id and alternative id."""

    model: Any
    start: list[Any]
    end: list[Any]  # a variable (flexible operation) or an expression start + duration
    presence: list[Any]  # per alternative: a literal, or None for an operation's only alternative
    intervals: list[Any]  # per alternative
    goal: Any = None  # the objective expression
    aux: list[tuple[Any, Any]] = field(default_factory=list)  # (variable, function of completions)


def horizon(instance: JobShopInstance) -> int:
    """A time by which some schedule ends: latest release + the sum of longest alternatives."""
    longest = np.maximum.reduceat(instance.alt_duration, instance.op_ptr[:-1])
    return int(instance.release_or_zero().max() + longest.sum())


def trivial_bound(instance: JobShopInstance) -> int:
    """A makespan lower bound: the longest job (release + shortest alternatives), and the
    busiest machine counting operations that have no alternative elsewhere, and the total
    shortest work spread over all machines."""
    shortest = np.minimum.reduceat(instance.alt_duration, instance.op_ptr[:-1])
    job = np.add.reduceat(shortest, instance.job_ptr[:-1]) + instance.release_or_zero()
    single = np.diff(instance.op_ptr) == 1
    load = np.bincount(instance.alt_machine[instance.op_ptr[:-1]][single], weights=shortest[single],
                       minlength=instance.m)
    spread = -(-int(shortest.sum()) // instance.m)
    return int(max(job.max(), load.max(), spread))


def _heads_tails(instance: JobShopInstance) -> tuple[np.ndarray, np.ndarray]:
    """Per operation: earliest start (release + shortest work before it) and shortest work from it."""
    shortest = np.minimum.reduceat(instance.alt_duration, instance.op_ptr[:-1])
    head = np.empty_like(shortest)
    tail = np.empty_like(shortest)
    release = instance.release_or_zero()
    for j in range(instance.n):
        ops = slice(int(instance.job_ptr[j]), int(instance.job_ptr[j + 1]))
        part = shortest[ops]
        head[ops] = release[j] + np.concatenate(([0], np.cumsum(part)[:-1]))
        tail[ops] = np.cumsum(part[::-1])[::-1]
    return head, tail


def _variables(cp_model: Any, instance: JobShopInstance, upper: int) -> JobShopModel:
    """Start (and end) per operation, an interval per alternative, presence when flexible."""
    model = cp_model.CpModel()
    head, tail = _heads_tails(instance)
    tighten = instance.objective == "makespan"
    ptr, machine, duration = instance.op_ptr, instance.alt_machine, instance.alt_duration
    jm = JobShopModel(model, [], [], [], [])
    for o in range(instance.operations):
        latest = upper - int(tail[o]) if tighten else upper
        s = model.new_int_var(int(head[o]), max(int(head[o]), latest), f"s{o}")
        jm.start.append(s)
        alts = range(int(ptr[o]), int(ptr[o + 1]))
        if len(alts) == 1:
            a = alts[0]
            jm.presence.append(None)
            jm.intervals.append(model.new_fixed_size_interval_var(s, int(duration[a]), f"i{o}"))
            jm.end.append(s + int(duration[a]))
            continue
        e = model.new_int_var(int(head[o]), upper, f"e{o}")
        jm.end.append(e)
        for a in alts:
            present = model.new_bool_var(f"x{o},{int(machine[a])}")
            jm.presence.append(present)
            jm.intervals.append(
                model.new_optional_fixed_size_interval_var(s, int(duration[a]), present, f"i{o},{a}"))
            model.add(e == s + int(duration[a])).only_enforce_if(present)
    return jm


def _one_alternative(jm: JobShopModel, instance: JobShopInstance) -> None:
    """Each flexible operation runs on exactly one of its machines."""
    ptr = instance.op_ptr
    for o in range(instance.operations):
        if ptr[o + 1] - ptr[o] > 1:
            jm.model.add_exactly_one(jm.presence[a] for a in range(int(ptr[o]), int(ptr[o + 1])))


def _job_order(jm: JobShopModel, instance: JobShopInstance) -> None:
    """An operation starts once its predecessor in the job has ended."""
    for j in range(instance.n):
        for o in range(int(instance.job_ptr[j]), int(instance.job_ptr[j + 1]) - 1):
            jm.model.add(jm.start[o + 1] >= jm.end[o])


def _no_overlap_on_machines(jm: JobShopModel, instance: JobShopInstance) -> None:
    """At most one operation at a time on each machine; zero-length ones overlap nothing (CP-SAT
    would keep them out of the inside of another interval)."""
    on: list[list[Any]] = [[] for _ in range(instance.m)]
    for a, (machine, duration) in enumerate(zip(instance.alt_machine.tolist(),
                                                 instance.alt_duration.tolist(), strict=True)):
        if duration > 0:
            on[machine].append(jm.intervals[a])
    for intervals in on:
        if len(intervals) > 1:
            jm.model.add_no_overlap(intervals)


def _objective(jm: JobShopModel, instance: JobShopInstance, upper: int) -> None:
    """Makespan, Σ w·T or Σ w·(C − r), over the completions of the jobs' last operations."""
    model = jm.model
    last = [jm.end[int(o)] for o in (instance.job_ptr[1:] - 1)]
    if instance.objective == "makespan":
        cmax = model.new_int_var(0, upper, "makespan")
        for end in last:
            model.add(cmax >= end)
        jm.aux.append((cmax, lambda c: int(c.max())))
        jm.goal = cmax
    elif instance.objective == "weighted_tardiness":
        weight, due = instance.weight_or_one(), instance.due
        terms = []
        for j, end in enumerate(last):
            if weight[j] == 0:
                continue
            t = model.new_int_var(0, max(0, upper - int(due[j])), f"T{j}")
            model.add(t >= end - int(due[j]))
            jm.aux.append((t, lambda c, j=j: max(0, int(c[j]) - int(due[j]))))
            terms.append(int(weight[j]) * t)
        jm.goal = sum(terms)
    else:  # one flow variable per job: Σ w·(C − r) written out carries a constant −Σ w·r that
        # CP-SAT keeps as a double (at 10^18 it rounded a proven 2,000,000 to 2,000,002)
        weight, release = instance.weight_or_one(), instance.release_or_zero()
        terms = []
        for j, end in enumerate(last):
            if weight[j] == 0:
                continue
            f = model.new_int_var(0, max(0, upper - int(release[j])), f"F{j}")
            model.add(f == end - int(release[j]))
            jm.aux.append((f, lambda c, j=j: int(c[j]) - int(release[j])))
            terms.append(int(weight[j]) * f)
        jm.goal = sum(terms)
    model.minimize(jm.goal)


def build(cp_model: Any, instance: JobShopInstance, upper: int | None = None) -> JobShopModel:
    """The whole model; `upper` bounds every end (default `horizon`), e.g. an incumbent makespan."""
    upper = horizon(instance) if upper is None else upper
    jm = _variables(cp_model, instance, upper)
    _one_alternative(jm, instance)
    _job_order(jm, instance)
    _no_overlap_on_machines(jm, instance)
    _objective(jm, instance, upper)
    return jm


def hint(jm: JobShopModel, instance: JobShopInstance, schedule: Schedule, model: Any = None) -> None:
    """Give the schedule as the solution hint of `model` (default: jm's own, cleared first)."""
    model = jm.model if model is None else model
    model.clear_hints()
    start = schedule.start.tolist()
    chosen = set(schedule.alt.tolist())
    for o, s in enumerate(start):
        model.add_hint(_same(model, jm.start[o]), s)
    ptr = instance.op_ptr
    for o in range(instance.operations):
        if ptr[o + 1] - ptr[o] > 1:
            a = int(schedule.alt[o])
            model.add_hint(_same(model, jm.end[o]), start[o] + int(instance.alt_duration[a]))
            for b in range(int(ptr[o]), int(ptr[o + 1])):
                model.add_hint(_same(model, jm.presence[b]), b in chosen)
    completion = (schedule.start + instance.alt_duration[schedule.alt])[instance.job_ptr[1:] - 1]
    for variable, value in jm.aux:
        model.add_hint(_same(model, variable), value(completion))


def _same(model: Any, variable: Any) -> Any:
    """`variable` as seen by `model` (a clone holds its own variable objects, same indices)."""
    if variable.is_boolean:
        return model.get_bool_var_from_proto_index(variable.index)
    return model.get_int_var_from_proto_index(variable.index)


def read(jm: JobShopModel, instance: JobShopInstance, solver: Any) -> tuple[np.ndarray, np.ndarray]:
    """(start, chosen alternative) per operation id from a solved CpSolver."""
    start = np.array([solver.value(s) for s in jm.start], dtype=np.int64)
    alt = instance.op_ptr[:-1].copy()
    ptr = instance.op_ptr
    for o in range(instance.operations):
        if ptr[o + 1] - ptr[o] > 1:
            for a in range(int(ptr[o]), int(ptr[o + 1])):
                if solver.boolean_value(jm.presence[a]):
                    alt[o] = a
    return start, alt
