"""The vectorised job shop checker against a deliberately simple one written here: on small random
valid plans, and on plans broken once, both give the same verdict (valid with the same objective,
or the same kind of first broken rule)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.jobshop.model import JobShopInstance
from tests.jobshop.strategies import jobshops

# The first words of each kind of violation (the checker lists them operation by operation in
# job order, each operation's rules in this order, then the machines' overlaps).
KINDS = [("is not eligible", "machine"), ("before the release date", "release"),
         ("before operation", "precedence"), ("negative time", "negative"),
         ("before it ends", "leave early"), ("moves on the moment it leaves", "leave next"),
         ("not when it ends", "leave last"), ("overlaps job", "overlap"), ("overlapping job", "overlap")]


def kind_of(violation: str) -> str:
    return next(kind for words, kind in KINDS if words in violation)


def reference(x: JobShopInstance, plan: dict) -> tuple[str, int | None]:
    """('valid', objective) or (kind of the first broken rule, None), rule by rule in plain loops."""
    jobs, blocking = x.jobs(), x.blocking
    release = [0] * x.n if x.release is None else [int(r) for r in x.release]
    held = []  # (machine, from, to) of every operation
    completion = []
    for j, job in enumerate(jobs):
        ready = release[j]
        for k, alternatives in enumerate(job):
            start, machine = plan["start"][j][k], plan["machine"][j][k]
            durations = dict(alternatives)
            if machine not in durations:
                return "machine", None
            end = start + durations[machine]
            if k == 0 and start < release[j]:
                return "release", None
            if start < ready and not blocking:  # blocking: the order follows from the leave rules
                return "precedence", None
            if start < 0:
                return "negative", None
            if blocking:
                leave = plan["leave"][j][k]
                if leave < end:
                    return "leave early", None
                if k + 1 < len(job) and leave != plan["start"][j][k + 1]:
                    return "leave next", None
                if k + 1 == len(job) and leave != end:
                    return "leave last", None
                held.append((machine, start, leave))
            else:
                held.append((machine, start, end))
            ready = end
        completion.append(end)
    for a in range(len(held)):
        for b in range(a):
            (m1, s1, e1), (m2, s2, e2) = held[a], held[b]
            if m1 == m2 and s1 < e1 and s2 < e2 and s1 < e2 and s2 < e1:
                return "overlap", None
    weight = [1] * x.n if x.weight is None else [int(w) for w in x.weight]
    if x.objective == "makespan":
        return "valid", max(completion)
    if x.objective == "weighted_tardiness":
        return "valid", sum(w * max(0, c - int(d)) for w, c, d in zip(weight, completion, x.due, strict=True))
    return "valid", sum(w * (c - r) for w, c, r in zip(weight, completion, release, strict=True))


def verdict(x: JobShopInstance, plan: dict) -> tuple[str, int | None]:
    report = schedkit.check(x, plan)
    if report.feasible:
        return "valid", report.objective
    return kind_of(report.violations[0]), None


def list_schedule(x: JobShopInstance, rnd: random.Random) -> dict:
    """A valid plan with buffers: operations one at a time, a random job's next one each time, on a
    random alternative, at its earliest start plus a random delay."""
    jobs = x.jobs()
    start = [[0] * len(job) for job in jobs]
    machine = [[0] * len(job) for job in jobs]
    ready = [0] * x.n if x.release is None else [int(r) for r in x.release]
    free = [0] * x.m
    nxt = [0] * x.n
    while any(nxt[j] < len(jobs[j]) for j in range(x.n)):
        j = rnd.choice([j for j in range(x.n) if nxt[j] < len(jobs[j])])
        k = nxt[j]
        m, d = rnd.choice(jobs[j][k])
        s = max(ready[j], free[m]) + rnd.choice([0, 0, 1, 3])
        start[j][k], machine[j][k] = s, m
        ready[j] = s + d
        free[m] = s + d if d > 0 else free[m]
        nxt[j] += 1
    return {"start": start, "machine": machine}


def blocking_plan(x: JobShopInstance, rnd: random.Random, rule: str) -> dict:
    """A valid blocking plan: a real rule's, or the jobs one after another, each operation waiting
    a random while on its machine before moving on."""
    if rule != "sequence":
        return schedkit.solve(x, rule, seed=rnd.randrange(100)).solution.to_dict()
    jobs = x.jobs()
    plan: dict = {"start": [], "machine": [], "leave": []}
    time = 0
    for j, job in enumerate(jobs):
        time = max(time, 0 if x.release is None else int(x.release[j]))
        starts, leaves = [], []
        for k, ((_, d),) in enumerate(job):
            starts.append(time)
            time += d + (rnd.choice([0, 2]) if k + 1 < len(job) else 0)
            leaves.append(time)
        plan["start"].append(starts)
        plan["machine"].append([op[0][0] for op in job])
        plan["leave"].append(leaves)
    return plan


def break_once(x: JobShopInstance, plan: dict, how: str, rnd: random.Random) -> None:
    """One edit of `plan` that breaks (or may break) one rule."""
    jobs = x.jobs()
    j = rnd.randrange(x.n)
    k = rnd.randrange(len(jobs[j]))
    start, machine = plan["start"], plan["machine"]
    duration = dict(jobs[j][k]).get(machine[j][k], 0)
    if how == "overlap":  # onto another operation's start on the same machine
        others = [(a, b) for a in range(x.n) for b in range(len(jobs[a]))
                  if machine[a][b] == machine[j][k] and (a, b) != (j, k)]
        if others:
            a, b = rnd.choice(others)
            start[j][k] = start[a][b] + rnd.choice([0, 1])
    elif how == "precedence" and k > 0:
        start[j][k] = start[j][k - 1] + rnd.choice([0, 1])
    elif how == "duration" and k + 1 < len(jobs[j]) and duration > 0:  # the next one starts too soon
        start[j][k + 1] = start[j][k] + duration - 1
        if x.blocking:
            plan["leave"][j][k] = start[j][k + 1]
    elif how == "machine":  # flexible: another alternative (another duration) or none of them
        choices = [m for m, _ in jobs[j][k] if m != machine[j][k]] or [x.m, -1]
        machine[j][k] = rnd.choice(choices + [x.m])
    elif how == "start":
        start[j][k] += rnd.choice([-2, -1, 1, 2])
    elif how == "leave" and x.blocking:
        plan["leave"][j][k] += rnd.choice([-1, 1])


@settings(max_examples=200, deadline=None)
@given(x=jobshops(max_jobs=4, max_machines=3, max_ops=3), seed=st.integers(0, 2**32),
       how=st.sampled_from(["none", "overlap", "precedence", "duration", "machine", "start"]))
def test_verdict_equals_the_simple_checker_with_buffers(x, seed, how):
    """Classic and flexible shops with buffers, release dates, every objective."""
    rnd = random.Random(seed)
    plan = list_schedule(x, rnd)
    assert verdict(x, plan) == reference(x, plan) == ("valid", reference(x, plan)[1])
    break_once(x, plan, how, rnd)
    assert verdict(x, plan) == reference(x, plan)


@settings(max_examples=150, deadline=None)
@given(x=jobshops(max_jobs=4, max_machines=3, max_ops=3, flexible=False), seed=st.integers(0, 2**32),
       rule=st.sampled_from(["sequence", "spt", "mwkr"]),
       how=st.sampled_from(["none", "overlap", "precedence", "duration", "machine", "start", "leave"]))
def test_verdict_equals_the_simple_checker_when_blocking(x, seed, rule, how):
    """Blocking shops: the leave rules, holding intervals, valid plans from rules or built here."""
    x = x.replace(buffers="blocking")
    rnd = random.Random(seed)
    plan = blocking_plan(x, rnd, rule)
    assert verdict(x, plan) == reference(x, plan)
    assert verdict(x, plan)[0] == "valid"
    break_once(x, plan, how, rnd)
    assert verdict(x, plan) == reference(x, plan)
