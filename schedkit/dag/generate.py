"""Random task graphs with the parameters of Topcuoglu, Hariri and Wu (2002), Section 5.1.

- v tasks in h = max(1, round(√v / α)) levels (shape α: small α, long thin graphs); every
  level gets one task, the other v − h go to uniformly random levels (mean width α·√v).
- out-degree: each task not in the last level gets U{1 .. 2·out_degree − 1} distinct
  successors (mean out_degree), drawn uniformly from the next `jump` levels (capped by their
  size); a task of level > 0 left without a predecessor gets one from the level above.
- computation: the graph's mean cost is `mean_cost` (w_DAG); each task's mean w̄_i ~
  U{1 .. 2·w_DAG − 1}, and its cost on processor k is w̄_i·(1 + β·(U[0, 1) − ½)) rounded,
  at least 1 (heterogeneity β: the paper's range w̄_i·(1 ± β/2)).
- communication: edge costs ~ U{0 .. round(2·CCR·w_DAG)}, mean CCR·w_DAG, so the
  communication-to-computation ratio is CCR.
Draw order from numpy's default_rng(seed): levels, w̄, costs, successors, fixes, edge costs.
"""

from __future__ import annotations

import math
from pathlib import Path

import click
import numpy as np

from schedkit.common.arguments import number, whole
from schedkit.common.rng import generator_rng
from schedkit.dag.model import MAX_COST_CELLS, MAX_PROCESSORS, MAX_TASKS, MAX_VALUE, DAGInstance
from schedkit.errors import InvalidInstance
from schedkit.loading import write


def _check(tasks: int, processors: int, shape: float, out_degree: int, ccr: float, beta: float,
           mean_cost: int, jump: int) -> tuple[int, int, float, int, float, float, int, int]:
    """The arguments as the Python int or float they were checked as (a Fraction or numpy
    float went on to numpy's rint otherwise), else InvalidInstance naming one."""
    tasks = whole("tasks", tasks, 1, MAX_TASKS)
    processors = whole("processors", processors, 1, MAX_PROCESSORS)
    if tasks * processors > MAX_COST_CELLS:
        raise InvalidInstance(f"tasks x processors = {tasks} x {processors} is beyond the "
                              f"{MAX_COST_CELLS:,} costs a generated instance may hold")
    shape = number("shape α", shape, 0, math.inf, open_low=True, open_high=True)
    out_degree = whole("out_degree", out_degree, 1, MAX_TASKS)
    ccr = number("ccr", ccr, 0, MAX_VALUE)
    beta = number("beta", beta, 0, 2)
    mean_cost = whole("mean_cost", mean_cost, 1, MAX_VALUE)
    jump = whole("jump", jump, 1, MAX_TASKS)
    return tasks, processors, shape, out_degree, ccr, beta, mean_cost, jump


def dag(tasks: int, processors: int, seed: int, *, shape: float = 1.0, out_degree: int = 3,
        ccr: float = 1.0, beta: float = 0.5, mean_cost: int = 50, jump: int = 1) -> DAGInstance:
    """A random DAG instance (see the module docstring); the same arguments give the same graph."""
    tasks, processors, shape, out_degree, ccr, beta, mean_cost, jump = _check(
        tasks, processors, shape, out_degree, ccr, beta, mean_cost, jump)
    rng = generator_rng(seed)
    height = max(1, min(tasks, round(math.sqrt(tasks) / shape)))
    level = np.concatenate([np.arange(height), rng.integers(0, height, tasks - height)])
    level.sort()
    first = np.searchsorted(level, np.arange(height + 1))  # tasks of level l: first[l]..first[l+1]
    wbar = rng.integers(1, 2 * mean_cost, tasks)
    factor = 1 + beta * (rng.random((tasks, processors)) - 0.5)
    cost = np.maximum(1, np.rint(wbar[:, None] * factor)).astype(np.int64)
    edges = []
    for task in range(tasks):
        here = int(level[task])
        if here == height - 1:
            continue
        low, high = int(first[here + 1]), int(first[min(height, here + 1 + jump)])
        degree = min(int(rng.integers(1, 2 * out_degree)), high - low)
        for target in rng.choice(np.arange(low, high), size=degree, replace=False):
            edges.append((task, int(target)))
    has_pred = np.zeros(tasks, bool)
    for _, target in edges:
        has_pred[target] = True
    for task in range(int(first[1]) if height > 1 else tasks, tasks):
        if not has_pred[task]:
            here = int(level[task])
            edges.append((int(rng.integers(first[here - 1], first[here])), task))
    top = round(2 * ccr * mean_cost)
    data = rng.integers(0, top + 1, len(edges))
    name = f"dag_v{tasks}_p{processors}_ccr{ccr:g}_a{shape:g}_b{beta:g}_d{out_degree}_s{seed}"
    meta = {"generator": "topcuoglu2002", "tasks": tasks, "processors": processors, "shape": shape,
            "out_degree": out_degree, "ccr": ccr, "beta": beta, "mean_cost": mean_cost,
            "jump": jump, "seed": seed}
    return DAGInstance(cost=cost, edges=np.array(edges, np.int64).reshape(-1, 2), data=data,
                       name=name, meta=meta)

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
    instance = dag(tasks, processors, seed, shape=shape, out_degree=out_degree,
                                 ccr=ccr, beta=beta, mean_cost=mean_cost)
    target = Path(out)
    write([instance], target, None if target.suffix else "dag-csv")
    click.echo(f"wrote {out} ({instance.name}: {instance.n} tasks, {instance.m} edges)")

