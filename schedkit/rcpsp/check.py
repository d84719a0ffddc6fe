"""RCPSP checker: starts are integers >= 0, every arc i -> j has S[j] >= S[i] + d[i] (or
S[j] >= S[i] + lag with RCPSP/max time lags), no resource is ever used above its capacity, and
the makespan is recomputed. Plain Python ints."""

from __future__ import annotations

from typing import Any


def _starts(instance: Any, data: Any) -> tuple[list[int] | None, list[str]]:
    if not isinstance(data, dict) or "start" not in data:
        return None, ['the solution has no "start" field']
    start = data["start"]
    if not isinstance(start, list | tuple):
        return None, ['"start" must be a list with one start time per activity']
    if len(start) != instance.n:
        return None, [f'"start" has {len(start)} entries but the project has {instance.n} activities']
    violations = []
    for j, s in enumerate(start):
        if isinstance(s, bool) or not isinstance(s, int):
            violations.append(f"activity {j}: start {s!r} is not an integer")
        elif s < 0:
            violations.append(f"activity {j}: start {s} is negative")
    return (None if violations else [int(s) for s in start]), violations


def _precedences(start: list[int], durations: list[int], successors: list[list[int]]) -> list[str]:
    found = []
    for i, row in enumerate(successors):
        for j in row:
            if start[j] < start[i] + durations[i]:
                found.append(f"activity {j} starts at {start[j]} before its predecessor {i} "
                             f"ends at {start[i] + durations[i]}")
    return found


def _lags(start: list[int], successors: list[list[int]], lags: list[list[int]]) -> list[str]:
    found = []
    for i, row in enumerate(successors):
        for j, lag in zip(row, lags[i], strict=True):
            if start[j] < start[i] + lag:
                found.append(f"arc {i} -> {j} with time lag {lag}: activity {j} starts at "
                             f"{start[j]}, before {start[i]} + {lag} = {start[i] + lag}")
    return found


def _resources(start: list[int], durations: list[int], demands: list[list[int]],
               capacities: list[int]) -> list[str]:
    """Sweep each resource's usage over the start and end events (ends first at equal times)."""
    found = []
    for k, capacity in enumerate(capacities):
        events = []
        for j, s in enumerate(start):
            if durations[j] > 0 and demands[j][k] > 0:
                events.append((s, 1, demands[j][k]))
                events.append((s + durations[j], 0, -demands[j][k]))
        events.sort()
        usage = 0
        for time, _, change in events:
            usage += change
            if usage > capacity:
                found.append(f"resource {k} is used {usage} > capacity {capacity} at time {time}")
                break  # one report per resource: the first overload
    return found


def check(instance: Any, data: Any) -> tuple[int | None, list[str]]:
    """Return (recomputed makespan or None, violations) for `{"start": [...]}`."""
    start, violations = _starts(instance, data)
    if start is None:
        return None, violations
    durations = [int(v) for v in instance.durations]
    successors = [[int(v) for v in row] for row in instance.successors]
    demands = [[int(v) for v in row] for row in instance.demands]
    capacities = [int(v) for v in instance.capacities]
    lags = getattr(instance, "lags", None)
    if lags is None:
        violations += _precedences(start, durations, successors)
    else:
        violations += _lags(start, successors, [[int(v) for v in row] for row in lags])
    violations += _resources(start, durations, demands, capacities)
    makespan = max(s + p for s, p in zip(start, durations, strict=True))
    return makespan, violations
