"""Job shop checker: recomputes everything from the instance and the solution in plain Python.

Rules: one start time and one machine per operation; the machine is one of the operation's
alternatives (its duration is that alternative's); starts are integers >= the job's release
date (>= 0 without one); operations of a job run in order, each after the previous ends; no two
operations overlap on a machine (zero-length operations overlap nothing). The objective is
recomputed from the completion times.

Blocking instances (no buffers) also need `"leave"` per job, per operation: an operation holds
its machine from its start until it leaves, which must be exactly when the job's next operation
starts (the last one: when it ends), and never before it ends; no machine holds two operations
at once (holding intervals are half-open, so a machine freed at t may be taken at t: swaps are
allowed). The objective is recomputed from the ends of the last operations.
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
    if getattr(instance, "buffers", "unlimited") == "blocking":
        return _check_blocking(instance, data)
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


def _check_blocking(instance: Any, data: Any) -> tuple[int | None, list[str]]:
    """The blocking rules: leave times, holding intervals per machine, then the objective."""
    jobs = instance.jobs()
    if "leave" not in data:
        return None, ['a blocking solution needs "leave" (per job, per operation): when each '
                      'operation releases its machine']
    leave = data["leave"]
    if not isinstance(leave, list | tuple) or len(leave) != len(jobs) or not all(
            isinstance(row, list | tuple) and len(row) == len(job)
            and all(isinstance(x, int) and not isinstance(x, bool) for x in row)
            for row, job in zip(leave, jobs, strict=False)):
        return None, ['"leave" must list, per job, one integer per operation']
    release = [0] * len(jobs) if instance.release is None else [int(r) for r in instance.release]
    violations: list[str] = []
    held: dict[int, list[tuple[int, int, int, int]]] = {}
    completion = []
    for j, job in enumerate(jobs):
        for k, alternatives in enumerate(job):
            start, machine, out = data["start"][j][k], data["machine"][j][k], leave[j][k]
            durations = dict(alternatives)
            if machine not in durations:
                violations.append(f"job {j}, operation {k}: machine {machine} is not eligible "
                                  f"({sorted(durations)})")
                continue
            end = start + durations[machine]
            if k == 0 and start < release[j]:
                violations.append(f"job {j}, operation 0 starts at {start}, before the release date "
                                  f"{release[j]}")
            if start < 0:
                violations.append(f"job {j}, operation {k} starts at a negative time {start}")
            if out < end:
                violations.append(f"job {j}, operation {k} leaves machine {machine} at {out}, before "
                                  f"it ends at {end}")
            if k + 1 < len(job) and out != data["start"][j][k + 1]:
                violations.append(f"job {j}, operation {k} leaves at {out} but operation {k + 1} starts "
                                  f"at {data['start'][j][k + 1]}: a job moves on the moment it leaves")
            if k + 1 == len(job):
                if out != end:
                    violations.append(f"job {j}, last operation {k} leaves at {out}, not when it ends "
                                      f"at {end}")
                completion.append(end)
            held.setdefault(machine, []).append((start, out, j, k))
    for machine, spans in sorted(held.items()):
        busy = sorted(span for span in spans if span[1] > span[0])
        for (s1, e1, j1, k1), (s2, e2, j2, k2) in zip(busy, busy[1:], strict=False):
            if s2 < e1:
                violations.append(f"machine {machine}: job {j1} operation {k1} holds it over [{s1}, {e1}), "
                                  f"overlapping job {j2} operation {k2} over [{s2}, {e2})")
    if violations:
        return None, violations
    return _objective(instance, completion, release), violations
