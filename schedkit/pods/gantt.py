"""The Gantt chart `solve --gantt` draws for pods."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit.common.gantt import Bar, draw
from schedkit.pods.model import PodsInstance


def gantt(instance: PodsInstance, solution: Any, path: Path) -> None:
    """One row per node (and one for unplaced pods): the pods it hosts side by side along its
    CPU, in percent of the node's allocatable CPU, coloured by priority tier."""
    tier = {int(t): k for k, t in enumerate(instance.tiers.tolist())}
    allocatable = {node.name: max(1, node.cpu) for node in instance.nodes}
    filled: dict[str, float] = dict.fromkeys([*allocatable, "(pending)"], 0.0)
    bars = []
    for pod in sorted(instance.pods, key=lambda p: (-p.priority, p.order)):
        row = solution.assignment.get(pod.key) or "(pending)"
        scale = allocatable.get(row, max(allocatable.values()))
        width = 100.0 * pod.cpu / scale
        bars.append(Bar(row, filled[row], filled[row] + width, tier[pod.priority], pod.name))
        filled[row] += width
    draw(
        bars,
        path,
        f"{instance.name}: pods per node (colour: priority tier, highest first)",
        rows=list(filled),
        time_label="CPU requested (% of the node's allocatable)",
    )
