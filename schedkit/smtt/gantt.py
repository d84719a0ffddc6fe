"""The Gantt chart `solve --gantt` draws for SMTT: the machine's sequence, tardy jobs marked,
and below it each tardy job's lateness (due date to completion) on as few rows as keep them
apart (none when that takes more than MAX_LATENESS_ROWS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit.common.gantt import Bar, draw
from schedkit.smtt.model import SMTTInstance, SMTTSolution

ON_TIME, TARDY, LATENESS = 0, 6, 7  # tab20 groups: blue, red, light red
MAX_LATENESS_ROWS = 8
LEGEND = {ON_TIME: "on time", TARDY: "tardy", LATENESS: "lateness (due date to completion)"}


def machine_bars(instance: SMTTInstance, solution: SMTTSolution) -> tuple[list[Bar], list[Bar], int]:
    """(the jobs on "machine" in sequence, labelled 1-based; each tardy job's lateness from its
    due date to its completion, unplaced; Σ w·T)."""
    jobs, late_bars, clock, total = [], [], 0, 0
    for j in solution.sequence:
        start, clock = clock, clock + int(instance.p[j])
        late = clock - int(instance.d[j])
        jobs.append(Bar("machine", start, clock, TARDY if late > 0 else ON_TIME, str(j + 1)))
        if late > 0:
            late_bars.append(Bar("", int(instance.d[j]), clock, LATENESS, str(j + 1)))
            total += int(instance.w[j]) * late
    return jobs, late_bars, total


def lateness_rows(late_bars: list[Bar]) -> list[Bar]:
    """The lateness bars on rows "late 1", "late 2", ...: each on the first row it does not
    overlap (by due date); [] when that takes more than MAX_LATENESS_ROWS rows."""
    ends: list[float] = []
    placed = []
    for bar in sorted(late_bars, key=lambda b: (b.start, b.end)):
        row = next((k for k, end in enumerate(ends) if end <= bar.start), len(ends))
        if row == len(ends):
            ends.append(bar.end)
        ends[row] = bar.end
        placed.append(Bar(f"late {row + 1}", bar.start, bar.end, bar.group, bar.label))
    return placed if len(ends) <= MAX_LATENESS_ROWS else []


def gantt(instance: SMTTInstance, solution: Any, path: Path) -> None:
    """The machine row (jobs coloured on time or tardy), then the tardy jobs' lateness rows."""
    if not isinstance(solution, SMTTSolution):
        solution = SMTTSolution.from_dict(solution)
    jobs, late_bars, total = machine_bars(instance, solution)
    late = lateness_rows(late_bars)
    rows = ["machine", *dict.fromkeys(bar.row for bar in sorted(late, key=lambda b: b.row))]
    omitted = "" if late or not late_bars else " (lateness rows omitted: they overlap too much)"
    draw(jobs + late, path,
         f"{instance.name}: Σ w·T = {total}, {len(late_bars)} of {instance.n} jobs tardy{omitted}",
         rows=rows, legend=LEGEND, legend_title="job")
