"""Job shop and flexible job shop (makespan, weighted tardiness or flow time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from schedkit.checker import jobshop as checker
from schedkit.families import Family
from schedkit.instances import jobshop_formats as formats
from schedkit.instances.jobshop_generator import jobshop as generate_jobshop
from schedkit.instances.jobshop_records import jobshop_from_record, looks_like_jobshop
from schedkit.model.jobshop import JobShopInstance, JobShopSolution


def gantt(instance: JobShopInstance, solution: Any, path: Path) -> None:
    """Machines as rows, jobs as colours, each bar labelled job.operation."""
    from schedkit.charts.gantt import Bar, draw

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
         rows=[f"M{i}" for i in range(instance.m)])


@click.command("jobshop")
@click.option("--jobs", "jobs", type=click.IntRange(1, 100_000), required=True)
@click.option("--machines", "machines", type=click.IntRange(1, 10_000), required=True)
@click.option("--flexible", type=click.IntRange(0), default=0, show_default=True,
              help="extra machine alternatives per operation (0: classic job shop)")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), required=True,
              help="output file (.json, .fjs; --format for the text formats)")
@click.option("--format", "format", default=None, help="jobshop, taillard, fjs or json")
def generate_command(jobs: int, machines: int, flexible: int, seed: int, out: str,
                     format: str | None) -> None:
    """A random (flexible) job shop: Taillard's scheme, durations 1..99."""
    from schedkit.cli import friendly_errors
    from schedkit.instances import write

    @friendly_errors
    def run() -> None:
        instance = generate_jobshop(jobs, machines, seed, flexible=flexible)
        write([instance], out, format)
        click.echo(f"wrote {out} ({instance.name})")

    run()


FAMILY = Family(
    name="jobshop",
    description="job shop and flexible job shop: makespan, weighted tardiness or flow time",
    method_modules=(
        "schedkit.heuristics.jobshop_methods",
        "schedkit.solvers.cpsat.jobshop",
        "schedkit.solvers.mip.jobshop",
        "schedkit.solvers.auto_jobshop",
    ),
    from_record=jobshop_from_record,
    check=checker.check,
    readers={"jobshop": formats.read_standard, "taillard": formats.read_taillard, "fjs": formats.read_fjs},
    writers={"jobshop": formats.write_standard, "taillard": formats.write_taillard, "fjs": formats.write_fjs},
    extensions={".fjs": "fjs"},
    sniff=formats.sniff,
    json_sniff=looks_like_jobshop,
    generators={"jobshop": generate_jobshop},
    generate_command=generate_command,
    gantt=gantt,
)
