"""Job shop checker: recomputes everything from the instance and the solution in plain Python.

Rules: one start time and one machine per operation; the machine is one of the operation's
alternatives (its duration is that alternative's); starts are integers >= the job's release
date (>= 0 without one); operations of a job run in order, each after the previous ends; no two
operations overlap on a machine (zero-length operations overlap nothing). The objective is
recomputed from the completion times.
"""

from __future__ import annotations

from typing import Any


def _shape_violations(instance: Any, data: Any) -> list[str]:
    if not isinstance(data, dict) or "start" not in data or "machine" not in data:
        return ['the solution needs "start" and "machine" fields (per job, per operation)']
    out = []
    jobs = instance.jobs()
    for key in ("start", "machine"):
        value = data[key]
        if not isinstance(value, list | tuple) or len(value) != len(jobs):
            out.append(f'"{key}" must list {len(jobs)} jobs')
            continue
        for j, (row, job) in enumerate(zip(value, jobs, strict=True)):
            if not isinstance(row, list | tuple) or len(row) != len(job):
                out.append(f'"{key}"[{j}] must list the {len(job)} operations of job {j}')
            elif not all(isinstance(x, int) and not isinstance(x, bool) for x in row):
                out.append(f'"{key}"[{j}] must hold integers')
    return out


def check(instance: Any, data: Any) -> tuple[int | None, list[str]]:
    """Return (recomputed objective or None, violations)."""
    violations = _shape_violations(instance, data)
    if violations:
        return None, violations
    jobs = instance.jobs()
    release = [0] * len(jobs) if instance.release is None else [int(r) for r in instance.release]
    by_machine: dict[int, list[tuple[int, int, int, int]]] = {}
    completion = []
    for j, job in enumerate(jobs):
        ready = release[j]
        for k, alternatives in enumerate(job):
            start, machine = data["start"][j][k], data["machine"][j][k]
            durations = dict(alternatives)
            if machine not in durations:
                allowed = sorted(durations)
                violations.append(f"job {j}, operation {k}: machine {machine} is not eligible ({allowed})")
                continue
            end = start + durations[machine]
            if k == 0 and start < ready:
                violations.append(f"job {j}, operation 0 starts at {start}, before the release date {ready}")
            elif start < ready:
                violations.append(f"job {j}, operation {k} starts at {start}, before operation {k - 1} "
                                  f"ends at {ready}")
            if start < 0:
                violations.append(f"job {j}, operation {k} starts at a negative time {start}")
            by_machine.setdefault(machine, []).append((start, end, j, k))
            ready = end
        completion.append(ready)
    for machine, runs in sorted(by_machine.items()):
        runs.sort()
        busy = [run for run in runs if run[1] > run[0]]
        for (s1, e1, j1, k1), (s2, e2, j2, k2) in zip(busy, busy[1:], strict=False):
            if s2 < e1:
                violations.append(f"machine {machine}: job {j1} operation {k1} [{s1}, {e1}) overlaps "
                                  f"job {j2} operation {k2} [{s2}, {e2})")
    if violations:
        return None, violations
    return _objective(instance, completion, release), violations


def _objective(instance: Any, completion: list[int], release: list[int]) -> int:
    weight = [1] * len(completion) if instance.weight is None else [int(w) for w in instance.weight]
    if instance.objective == "makespan":
        return max(completion)
    if instance.objective == "weighted_tardiness":
        due = [int(d) for d in instance.due]
        return sum(w * max(0, c - d) for w, c, d in zip(weight, completion, due, strict=True))
    return sum(w * (c - r) for w, c, r in zip(weight, completion, release, strict=True))
