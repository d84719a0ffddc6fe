"""Resource-constrained project scheduling, PS|prec|Cmax (PSPLIB .sm, Patterson .rcp, JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from schedkit.checker import rcpsp as checker
from schedkit.families import Family
from schedkit.instances import rcpsp_json, rcpsp_patterson, rcpsp_psplib, write
from schedkit.instances.rcpsp_generator import rcpsp as generate_rcpsp


def _sniff(path: Path, text: str) -> str | None:
    """A PSPLIB file under another name: its section titles give it away."""
    return "psplib-sm" if "PRECEDENCE RELATIONS" in text and "REQUESTS/DURATIONS" in text else None


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
    from schedkit.charts.gantt import Bar, Profile, draw

    start = list(solution.to_dict()["start"] if hasattr(solution, "to_dict") else solution["start"])
    bars = [Bar(f"{j}", s, s + int(instance.durations[j]), j, str(j))
            for j, s in enumerate(start) if instance.durations[j] > 0]
    profiles = [Profile(f"R{k + 1}", *_profile(instance, start, k), int(instance.capacities[k]))
                for k in range(instance.resources)]
    span = max(s + int(d) for s, d in zip(start, instance.durations, strict=True))
    draw(bars, path, f"{instance.name or 'rcpsp'}: makespan {span}", profiles=profiles)


@click.command("rcpsp")
@click.option("--activities", "-n", type=click.IntRange(1, 100_000), required=True,
              help="real activities (dummy source and sink are added)")
@click.option("--resources", "-k", type=click.IntRange(1, 1000), default=4, show_default=True)
@click.option("--nc", type=click.FloatRange(1, 3), default=1.5, show_default=True,
              help="network complexity: arcs per activity")
@click.option("--rf", type=click.FloatRange(0, 1, min_open=True), default=0.5, show_default=True,
              help="resource factor: share of resources an activity uses")
@click.option("--rs", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="resource strength: 0 tightest, 1 loosest")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), required=True,
              help="output file: .json, .sm or .rcp")
def generate_command(activities: int, resources: int, nc: float, rf: float, rs: float, seed: int,
                     out: str) -> None:
    """A random RCPSP project in the spirit of ProGen (NC, RF, RS)."""
    from schedkit.cli import friendly_errors

    @friendly_errors
    def run() -> None:
        instance = generate_rcpsp(activities, resources, seed, nc=nc, rf=rf, rs=rs)
        write([instance], out)
        click.echo(f"wrote {out} ({instance.name})")

    run()


FAMILY = Family(
    name="rcpsp",
    description="resource-constrained project scheduling, PS|prec|Cmax",
    method_modules=(
        "schedkit.heuristics.rcpsp_methods",
        "schedkit.solvers.cpsat.rcpsp",
        "schedkit.solvers.mip.rcpsp",
        "schedkit.solvers.auto_rcpsp",
    ),
    from_record=rcpsp_json.from_record,
    check=checker.check,
    readers={"psplib-sm": rcpsp_psplib.read, "patterson-rcp": rcpsp_patterson.read},
    writers={"psplib-sm": rcpsp_psplib.write, "patterson-rcp": rcpsp_patterson.write},
    extensions={".sm": "psplib-sm", ".rcp": "patterson-rcp"},
    sniff=_sniff,
    json_sniff=rcpsp_json.looks_like,
    generators={"rcpsp": generate_rcpsp},
    generate_command=generate_command,
    gantt=gantt,
)
