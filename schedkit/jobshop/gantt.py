"""The Gantt chart `solve --gantt` draws for jobshop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit.common.gantt import Bar, draw
from schedkit.jobshop.model import JobShopInstance, JobShopSolution


def gantt(instance: JobShopInstance, solution: Any, path: Path) -> None:
    """Machines as rows, jobs as colours, each bar labelled job.operation."""
    if not isinstance(solution, JobShopSolution):
        solution = JobShopSolution.from_dict(solution)
    bars = []
    for j, job in enumerate(instance.jobs()):
        for k, alternatives in enumerate(job):
            machine = solution.machine[j][k]
            start = solution.start[j][k]
            bars.append(Bar(f"M{machine}", start, start + dict(alternatives)[machine], j, f"{j}.{k}"))
    end = max((bar.end for bar in bars), default=0)
    draw(bars, path, f"{instance.name or 'job shop'}: makespan {end:g}",
         rows=[f"M{i}" for i in range(instance.m)], legend_title="job")
