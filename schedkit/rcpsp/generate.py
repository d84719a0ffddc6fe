"""Random RCPSP projects in the spirit of ProGen (Kolisch, Sprecher & Drexl 1995).

Three parameters steer hardness as in PSPLIB: the network complexity NC (arcs per activity,
dummies included), the resource factor RF (the share of resources each activity uses) and
the resource strength RS (capacity between the largest single demand, RS = 0, and the peak
usage of the earliest-start schedule, RS = 1). Simplified against ProGen: arcs are drawn
uniformly among forward pairs (never redundant), and RF is met in expectation per activity
(each uses at least one resource).
"""

from __future__ import annotations

import click
import numpy as np

from schedkit.common.arguments import number, whole
from schedkit.common.rng import generator_rng
from schedkit.loading import write
from schedkit.rcpsp.model import MAX_ACTIVITIES, MAX_AMOUNT, MAX_DURATION, MAX_RESOURCES, RCPSPInstance


def _reachable(successors: list[set[int]], i: int, j: int) -> bool:
    """Is there a path i -> ... -> j?"""
    stack, seen = [i], {i}
    while stack:
        a = stack.pop()
        if a == j:
            return True
        for b in successors[a]:
            if b not in seen and b <= j:
                seen.add(b)
                stack.append(b)
    return False


def _network(rng: np.random.Generator, n: int, nc: float, starts: int) -> list[list[int]]:
    """Arcs among real activities 1..n, then source 0 and sink n+1 joined to the loose ends."""
    successors: list[set[int]] = [set() for _ in range(n + 2)]
    for j in range(starts + 1, n + 1):  # each later activity hangs below an earlier one
        successors[int(rng.integers(1, j))].add(j)
    target = int(round(nc * (n + 2)))

    def arcs() -> int:
        real = sum(len(s) for s in successors[1:n + 1])
        loose_end = sum(1 for i in range(1, n + 1) if not successors[i])
        return real + starts + loose_end

    attempts = 0
    while arcs() < target and attempts < 50 * target and n >= 2:
        attempts += 1
        i, j = sorted(int(v) for v in rng.choice(np.arange(1, n + 1), size=2, replace=False))
        if not _reachable(successors, i, j):
            successors[i].add(j)
    successors[0] = set(range(1, starts + 1))
    for i in range(1, n + 1):
        if not successors[i]:
            successors[i].add(n + 1)
    return [sorted(s) for s in successors]


def _capacities(durations: np.ndarray, successors: list[list[int]], demands: np.ndarray,
                rs: float) -> np.ndarray:
    """c_k = K_min + round(RS·(K_max − K_min)): K_min the largest demand, K_max the peak usage
    when every activity starts as early as the precedences allow."""
    n = durations.size
    es = np.zeros(n, dtype=np.int64)
    for i in range(n):  # activities are numbered topologically
        for j in successors[i]:
            es[j] = max(es[j], es[i] + durations[i])
    horizon = int(np.max(es + durations)) + 1
    usage = np.zeros((horizon, demands.shape[1]), dtype=np.int64)
    for j in range(n):
        usage[es[j]:es[j] + durations[j]] += demands[j]
    low = demands.max(axis=0)
    high = np.maximum(usage.max(axis=0), low)
    return low + np.round(rs * (high - low)).astype(np.int64)


def rcpsp(activities: int, resources: int, seed: int, nc: float = 1.5, rf: float = 0.5,
          rs: float = 0.5, max_duration: int = 10, max_demand: int = 10,
          start_activities: int = 3) -> RCPSPInstance:
    """A project of `activities` real activities (plus dummy source 0 and sink n+1) on
    `resources` renewable resources. Draw order from numpy's default_rng(seed): network,
    durations U{1..max_duration}, resource use (RF), demands U{1..max_demand}."""
    activities = whole("activities", activities, 1, MAX_ACTIVITIES - 2)  # plus the dummy source and sink
    resources = whole("resources", resources, 1, MAX_RESOURCES)
    nc = number("nc (arcs per activity)", nc, 1, 3)
    rf = number("rf", rf, 0, 1, open_low=True)
    rs = number("rs", rs, 0, 1)
    max_duration = whole("max_duration", max_duration, 1, MAX_DURATION)  # drawn before the model checks them
    max_demand = whole("max_demand", max_demand, 1, MAX_AMOUNT)
    start_activities = whole("start_activities", start_activities, 1, MAX_ACTIVITIES)
    rng = generator_rng(seed)
    n = int(activities)
    starts = min(int(start_activities), n)  # a small project has at most n start activities
    successors = _network(rng, n, nc, starts)
    durations = np.zeros(n + 2, dtype=np.int64)
    durations[1:n + 1] = rng.integers(1, max_duration + 1, size=n)
    uses = rng.random((n, resources)) < rf
    uses[np.arange(n), rng.integers(0, resources, size=n)] = True
    demands = np.zeros((n + 2, resources), dtype=np.int64)
    demands[1:n + 1] = np.where(uses, rng.integers(1, max_demand + 1, size=(n, resources)), 0)
    capacities = _capacities(durations, successors, demands, rs)
    name = f"rcpsp_n{n}_k{resources}_nc{nc:g}_rf{rf:g}_rs{rs:g}_s{seed}"
    meta = {"generator": "progen-like", "activities": n, "resources": int(resources),
            "nc": nc, "rf": rf, "rs": rs, "seed": seed}
    return RCPSPInstance(durations, successors, capacities, demands, name=name, meta=meta)

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
    instance = rcpsp(activities, resources, seed, nc=nc, rf=rf, rs=rs)
    write([instance], out)
    click.echo(f"wrote {out} ({instance.name})")

