"""The Gantt chart `solve --gantt` draws for rcpsp."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit.common.gantt import Bar, Profile, draw


def _profile(instance: Any, start: list[int], k: int) -> tuple[list[int], list[int]]:
    """Usage of resource k as a step curve: (change times, level from each time on)."""
    change: dict[int, int] = {}
    for j, s in enumerate(start):
        amount, length = int(instance.demands[j, k]), int(instance.durations[j])
        if amount and length:
            change[s] = change.get(s, 0) + amount
            change[s + length] = change.get(s + length, 0) - amount
    times, levels, level = [0], [0], 0
    for time in sorted(change):
        level += change[time]
        times.append(time)
        levels.append(level)
    return times, levels


def gantt(instance: Any, solution: Any, path: Path) -> None:
    """One row per activity of positive duration, then one usage panel per resource."""
    start = list(solution.to_dict()["start"] if hasattr(solution, "to_dict") else solution["start"])
    bars = [Bar(f"{j}", s, s + int(instance.durations[j]), j, str(j))
            for j, s in enumerate(start) if instance.durations[j] > 0]
    profiles = [Profile(f"R{k + 1}", *_profile(instance, start, k), int(instance.capacities[k]))
                for k in range(instance.resources)]
    span = max(s + int(d) for s, d in zip(start, instance.durations, strict=True))
    draw(bars, path, f"{instance.name or 'rcpsp'}: makespan {span}", profiles=profiles,
         legend_title="activity")
