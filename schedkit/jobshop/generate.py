"""Random job shops: `schedkit.generate.jobshop(jobs, machines, seed, flexible=0)`.

Taillard's scheme for the classic case: each job visits every machine once in a random order,
durations uniform in 1..99. With `flexible = k > 0`, every operation gets k extra alternatives
on other machines (at most m - 1), each with its own duration in 1..99.
"""

from __future__ import annotations

import click

from schedkit.common.rng import generator_rng
from schedkit.errors import InvalidInstance
from schedkit.jobshop.model import MAX_OPERATIONS, JobShopInstance
from schedkit.loading import write

MAX_DURATION = 99
MAX_ALTERNATIVES = MAX_OPERATIONS  # as many as the classic maximum (10^7: 6 minutes, 3 GB)


def jobshop(jobs: int, machines: int, seed: int = 0, flexible: int = 0,
            blocking: bool = False) -> JobShopInstance:
    """A reproducible random (flexible) job shop with `jobs` x `machines` operations; with
    `blocking`, one without buffers (`buffers = "blocking"`)."""
    if not isinstance(blocking, bool):
        raise InvalidInstance(f"blocking must be true or false, got {blocking!r}")
    for name, value, low in (("jobs", jobs, 1), ("machines", machines, 1), ("flexible", flexible, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InvalidInstance(f"{name} must be an integer >= {low}, got {value!r}")
    if jobs * machines > MAX_OPERATIONS:  # built in Python lists before the model counts them
        raise InvalidInstance(f"jobs x machines = {jobs * machines:,} operations is beyond the supported "
                              f"maximum of {MAX_OPERATIONS:,}")
    extra = min(flexible, machines - 1)
    if jobs * machines * (1 + extra) > MAX_ALTERNATIVES:
        raise InvalidInstance(f"jobs x machines x (1 + flexible) = {jobs * machines * (1 + extra):,} "
                              f"alternatives is beyond the generator's maximum of {MAX_ALTERNATIVES:,}")
    rng = generator_rng(seed)
    rows = []
    for _ in range(jobs):
        order = rng.permutation(machines)
        ops = []
        for machine in order.tolist():
            # the others' indices, drawn as from the list of the other machines (same draws)
            # without building it: that list cost O(machines) per operation (hours at 10,000)
            others = rng.choice(machines - 1, extra, replace=False).tolist() if extra else []
            chosen = [machine] + [x + (x >= machine) for x in others]
            durations = rng.integers(1, MAX_DURATION + 1, size=len(chosen)).tolist()
            ops.append(list(zip(chosen, durations, strict=True)))
        rows.append(ops)
    name = f"js_{jobs}x{machines}" + (f"_f{extra}" if extra else "") + ("_blocking" if blocking else "") \
        + f"_s{seed}"
    meta = {"generator": "schedkit.generate.jobshop", "seed": seed, "flexible": extra}
    return JobShopInstance.from_jobs(rows, machines, name=name, meta=meta,
                                     buffers="blocking" if blocking else "unlimited")

@click.command("jobshop")
@click.option("--jobs", "jobs", type=click.IntRange(1, 100_000), required=True)
@click.option("--machines", "machines", type=click.IntRange(1, 10_000), required=True)
@click.option("--flexible", type=click.IntRange(0), default=0, show_default=True,
              help="extra machine alternatives per operation (0: classic job shop)")
@click.option("--blocking", is_flag=True, help="no buffers (the project JSON keeps it; text formats cannot)")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), required=True,
              help="output file (.json, .fjs; --format for the text formats)")
@click.option("--format", "format", default=None, help="jobshop, taillard, fjs or json")
def generate_command(jobs: int, machines: int, flexible: int, blocking: bool, seed: int, out: str,
                     format: str | None) -> None:
    """A random (flexible) job shop: Taillard's scheme, durations 1..99."""
    instance = jobshop(jobs, machines, seed, flexible=flexible, blocking=blocking)
    write([instance], out, format)
    click.echo(f"wrote {out} ({instance.name})")

