"""Heterogeneous DAG scheduling: task graphs on unrelated processors, makespan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from schedkit.checker import dag as checker
from schedkit.families import Family
from schedkit.instances import dag_csv, dag_generator, dag_json, dag_stg


def gantt(instance: Any, solution: Any, path: Path) -> None:
    """Processors as rows, one bar per task (labelled with its id, coloured by task)."""
    from schedkit.charts.gantt import Bar, draw

    rows = list(instance.processors)
    bars = [
        Bar(rows[k], s, s + int(instance.cost[i, k]), i, str(instance.task_ids[i]))
        for i, (k, s) in enumerate(zip(solution.processor, solution.start, strict=True))
    ]
    makespan = max(bar.end for bar in bars)
    draw(bars, path, f"{instance.name}: makespan {makespan}", rows=rows)


@click.command("dag")
@click.option("--tasks", "-v", type=click.IntRange(1, 1_000_000), required=True, help="tasks v")
@click.option("--processors", "-p", type=click.IntRange(1, 4096), required=True)
@click.option("--shape", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="shape α: height √v/α, mean width α√v")
@click.option("--out-degree", type=click.IntRange(1), default=3, show_default=True,
              help="mean out-degree")
@click.option("--ccr", type=click.FloatRange(0), default=1.0, show_default=True,
              help="communication-to-computation ratio")
@click.option("--beta", type=click.FloatRange(0, 2), default=0.5, show_default=True,
              help="heterogeneity β: costs w̄·(1 ± β/2)")
@click.option("--mean-cost", type=click.IntRange(1), default=50, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--out", "out", type=click.Path(), required=True,
              help="output: .json, .stg, or a directory (costs.csv + edges.csv)")
def generate_command(tasks: int, processors: int, shape: float, out_degree: int, ccr: float,
                     beta: float, mean_cost: int, seed: int, out: str) -> None:
    """A random task graph with the HEFT paper's parameters."""
    from schedkit.cli import friendly_errors
    from schedkit.instances import write

    @friendly_errors
    def run() -> None:
        instance = dag_generator.dag(tasks, processors, seed, shape=shape, out_degree=out_degree,
                                     ccr=ccr, beta=beta, mean_cost=mean_cost)
        target = Path(out)
        write([instance], target, None if target.suffix else "dag-csv")
        click.echo(f"wrote {out} ({instance.name}: {instance.n} tasks, {instance.m} edges)")

    run()


FAMILY = Family(
    name="dag",
    description="heterogeneous DAG scheduling on unrelated processors, makespan",
    method_modules=(
        "schedkit.heuristics.dag_methods",
        "schedkit.solvers.cpsat.dag",
        "schedkit.solvers.auto_dag",
    ),
    from_record=dag_json.dag_from_record,
    check=checker.check,
    readers={"stg": dag_stg.read, "dag-csv": dag_csv.read},
    writers={"stg": dag_stg.write, "dag-csv": dag_csv.write},
    extensions={".stg": "stg"},
    json_sniff=dag_json.looks_like_dag,
    read_directory=dag_csv.read_directory,
    generators={"dag": dag_generator.dag},
    generate_command=generate_command,
    gantt=gantt,
)
