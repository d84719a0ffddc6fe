"""VM rescheduling: at most K migrations to cut Σ (free CPU mod F) over NUMA nodes."""

from __future__ import annotations

import click

from schedkit.checker import vmr as checker
from schedkit.families import Family
from schedkit.instances import vmr_csv
from schedkit.instances.vmr_generator import vmr as generate_vmr
from schedkit.instances.vmr_records import from_record


@click.command("vmr")
@click.option("--machines", type=click.IntRange(1, 1_000_000), default=300, show_default=True)
@click.option("--utilisation", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.9,
              show_default=True, help="target CPU utilisation")
@click.option("--migration-limit", "-k", type=click.IntRange(0), default=50, show_default=True,
              help="K, the most migrations allowed")
@click.option("--fragment-size", type=click.IntRange(1), default=16, show_default=True, help="F")
@click.option("--anti-affinity-groups", type=click.IntRange(0), default=0, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--out", "out", type=click.Path(), required=True,
              help="a .json file, or a directory with --format vmr-csv")
@click.option("--format", "format", default=None, help="output format (json or vmr-csv)")
def generate_command(machines: int, utilisation: float, migration_limit: int, fragment_size: int,
                     anti_affinity_groups: int, seed: int, out: str, format: str | None) -> None:
    """A public-cloud-like cluster fragmented by arrivals and departures."""
    from schedkit.cli import friendly_errors
    from schedkit.instances import write

    @friendly_errors
    def run() -> None:
        instance = generate_vmr(machines, utilisation, seed, migration_limit, fragment_size,
                                anti_affinity_groups)
        write([instance], out, format)
        click.echo(f"wrote {out} ({instance.name}, {instance.num_vms} VMs, initial FR "
                   f"{instance.fragment_rate(instance.initial_objective):.4f})")

    run()


FAMILY = Family(
    name="vmr",
    description="VM rescheduling: at most K migrations minimising Σ (free CPU mod F) over NUMA nodes",
    method_modules=(
        "schedkit.heuristics.vmr_methods",
        "schedkit.solvers.cpsat.vmr",
        "schedkit.solvers.mip.vmr",
        "schedkit.solvers.auto_vmr",
    ),
    from_record=from_record,
    check=checker.check,
    readers={"vmr-csv": vmr_csv.read},
    writers={"vmr-csv": vmr_csv.write},
    sniff=vmr_csv.sniff,
    read_directory=vmr_csv.read_directory,
    generators={"vmr": generate_vmr},
    generate_command=generate_command,
)
