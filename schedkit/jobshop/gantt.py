"""The Gantt chart `solve --gantt` draws for jobshop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit.common.gantt import Bar, draw
from schedkit.jobshop.model import JobShopInstance, JobShopSolution

HELD = "////"  # the hatch of a finished operation still holding its machine (blocking shops)


def gantt(instance: JobShopInstance, solution: Any, path: Path) -> None:
    """Machines as rows, jobs as colours, each bar labelled job.operation; in a blocking shop a
    hatched bar of the job's colour shows its machine held after the operation ends."""
    if not isinstance(solution, JobShopSolution):
        solution = JobShopSolution.from_dict(solution)
    drawn = bars(instance, solution)
    makespan = max((bar.end for bar in drawn), default=0)
    held = {HELD: "held (blocked)"} if any(bar.hatch for bar in drawn) else None
    kind = " (blocking)" if instance.blocking else ""
    draw(drawn, path, f"{instance.name or 'job shop'}{kind}: makespan {makespan:g}",
         rows=[f"M{i}" for i in range(instance.m)], legend_title="job", hatches=held)


def bars(instance: JobShopInstance, solution: JobShopSolution) -> list[Bar]:
    """One bar per operation, plus a hatched one from its end to `leave` where it holds on."""
    bars = []
    for j, job in enumerate(instance.jobs()):
        for k, alternatives in enumerate(job):
            machine = solution.machine[j][k]
            start = solution.start[j][k]
            end = start + dict(alternatives)[machine]
            bars.append(Bar(f"M{machine}", start, end, j, f"{j}.{k}"))
            leave = end if solution.leave is None else solution.leave[j][k]
            if leave > end:
                bars.append(Bar(f"M{machine}", end, leave, j, hatch=HELD))
    return bars
