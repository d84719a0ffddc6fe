"""The Gantt chart `solve --gantt` draws for dag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit.common.gantt import Bar, draw


def gantt(instance: Any, solution: Any, path: Path) -> None:
    """Processors as rows, one bar per task (labelled with its id, coloured by task)."""
    rows = list(instance.processors)
    bars = [
        Bar(rows[k], s, s + int(instance.cost[i, k]), i, str(instance.task_ids[i]))
        for i, (k, s) in enumerate(zip(solution.processor, solution.start, strict=True))
    ]
    makespan = max(bar.end for bar in bars)
    draw(bars, path, f"{instance.name}: makespan {makespan}", rows=rows,
         legend={i: f"task {t}" for i, t in enumerate(instance.task_ids)}, legend_title="task")
