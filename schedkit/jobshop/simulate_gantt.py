"""The Gantt chart of one simulated run (`schedkit simulate --gantt`): what each machine did
under its shutdowns, so a reader sees where the repairs paused or blocked the shop."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from schedkit.common.gantt import Bar, draw
from schedkit.jobshop.model import JobShopInstance
from schedkit.jobshop.shutdowns import MachineTimeline, Shutdowns

if TYPE_CHECKING:  # the simulator imports this module to draw its runs
    from schedkit.jobshop.simulate import SimulationResult

HELD = "////"  # a finished operation holding its machine (no buffers)
DOWN = "xxxx"  # a machine under repair
RESOLUTION = 2_000  # repairs closer than makespan / this are drawn as one (a chart is ~1,200 pixels wide;
# p = 0.5 with repairs of 1 drew 90,000 hatched bars for a 3-job shop in 4 minutes)


def down_periods(shutdowns: Shutdowns, seed: int, machine: int, until: int) -> list[tuple[int, int]]:
    """The machine's down periods [start, end) that begin before `until`, as the run drew them
    (the timelines depend on the seed and machine only)."""
    timeline = MachineTimeline(shutdowns, seed, machine)
    periods = []
    while timeline.down_start < until:
        periods.append((timeline.down_start, timeline.down_end))
        timeline.up(timeline.down_end)
    return periods


def joined(periods: list[tuple[int, int]], slack: int) -> list[tuple[int, int]]:
    """`periods` (in time order) with those at most `slack` apart drawn as one."""
    out: list[tuple[int, int]] = []
    for a, b in periods:
        if out and a <= out[-1][1] + slack:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def run_bars(instance: JobShopInstance, run: SimulationResult, shutdowns: Shutdowns) -> list[Bar]:
    """Operations from entering to finishing (pauses included), held time up to the next
    operation's entry in a blocking shop, then every repair begun before the makespan (cut
    there; those less than makespan / RESOLUTION apart joined)."""
    bars = []
    ptr = instance.job_ptr.tolist()
    for j in range(instance.n):
        for o in range(ptr[j], ptr[j + 1]):
            row = f"M{int(instance.alt_machine[o])}"
            start, end = int(run.start[o]), int(run.end[o])
            bars.append(Bar(row, start, end, j, f"{j}.{o - ptr[j]}"))
            leave = int(run.start[o + 1]) if instance.blocking and o + 1 < ptr[j + 1] else end
            if leave > end:
                bars.append(Bar(row, end, leave, j, hatch=HELD))
    slack = run.makespan // RESOLUTION
    for k in range(instance.m):
        bars += [Bar(f"M{k}", a, min(b, run.makespan), -1, hatch=DOWN) for a, b in
                 joined(down_periods(shutdowns, run.seed, k, run.makespan), slack)]
    return bars


def simulation_gantt(instance: JobShopInstance, run: SimulationResult, shutdowns: Shutdowns,
                     path: str | Path) -> Path:
    """Write the chart of `run` to `path`; its title names the policy, p, repair range and seed."""
    bars = run_bars(instance, run, shutdowns)
    kind = " (blocking)" if instance.blocking else ""
    title = (f"{instance.name or 'job shop'}{kind}, {run.policy}, p={shutdowns.p:g}, repair "
             f"U{{{shutdowns.repair_low}..{shutdowns.repair_high}}}, seed {run.seed}: "
             f"makespan {run.makespan}")
    notes = {DOWN: "machine down"}
    if any(bar.hatch == HELD for bar in bars):
        notes = {HELD: "held (blocked)", **notes}
    return draw(bars, path, title, rows=[f"M{i}" for i in range(instance.m)], legend_title="job",
                legend={j: f"job {j}" for j in range(instance.n)}, hatches=notes)
