"""Reproducible random instances (each generator takes an explicit seed)."""

from __future__ import annotations

import click
import numpy as np

from schedkit.common.arguments import flag, number, whole
from schedkit.common.rng import generator_rng
from schedkit.loading import write
from schedkit.smtt.model import MAX_JOBS, SMTTInstance


def smtt(n: int, tf: float, rdd: float, seed: int, weighted: bool = False) -> SMTTInstance:
    """Potts–Van Wassenhove (1982/1985) classes for 1||Σ(w)T.

    p ~ U{1..100}; w ~ U{1..10} when weighted (else 1); with P = Σp,
    d ~ U{⌊P(1−TF−RDD/2)⌋ .. ⌊P(1−TF+RDD/2)⌋}, both ends clamped at 0.
    Draw order: p, then w, then d, from numpy's default_rng(seed).
    """
    n = whole("n", n, 1, MAX_JOBS)  # before p, d and w are drawn
    tf = number("tf", tf, 0, 1)
    rdd = number("rdd", rdd, 0, 2)
    flag("weighted", weighted)
    rng = generator_rng(seed)
    p = rng.integers(1, 101, size=n)
    w = rng.integers(1, 11, size=n) if weighted else None
    total = int(p.sum())
    low = max(0, int(np.floor(total * (1 - tf - rdd / 2))))
    high = max(0, int(np.floor(total * (1 - tf + rdd / 2))))
    d = rng.integers(low, high + 1, size=n)
    kind = "w" if weighted else ""
    name = f"smtt{kind}_n{n}_tf{tf:g}_rdd{rdd:g}_s{seed}"
    meta = {"n": int(n), "tf": tf, "rdd": rdd, "seed": seed, "generator": "potts-vanwassenhove"}
    return SMTTInstance(p=p, d=d, w=w, name=name, meta=meta)


@click.command("smtt")
@click.option("--n", "n", type=click.IntRange(1, 1_000_000), required=True, help="jobs")
@click.option("--tf", type=click.FloatRange(0, 1), required=True, help="tardiness factor")
@click.option("--rdd", type=click.FloatRange(0, 2), required=True, help="due date range")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--weighted", is_flag=True, help="draw weights from U{1..10}")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), required=True)
def generate_command(n: int, tf: float, rdd: float, seed: int, weighted: bool, out: str) -> None:
    """An SMTT instance of the Potts–Van Wassenhove classes."""
    instance = smtt(n, tf, rdd, seed, weighted=weighted)
    write([instance], out)
    click.echo(f"wrote {out} ({instance.name})")
