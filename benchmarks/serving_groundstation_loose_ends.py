"""Before/after figures of the serving and groundstation loose ends (report:
benchmarks/reports/serving_groundstation_loose_ends.md). Run once per checkout, side by side:

    PYTHONPATH=<checkout> python benchmarks/serving_groundstation_loose_ends.py LABEL

Prints one JSON line per measurement: greedy on 1,000-2,000-antenna arrays, las taking turns on a
preemptive server, and lns/ga/ffeea/cpsat without a time limit on the hand-made tiny instances."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

import schedkit
from schedkit.groundstation.model import Alternative, GroundStationInstance, Request, ViewPeriod
from schedkit.serving.model import Server, Turn, build_instance

H = 3600
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "groundstation"))
import cases  # noqa: E402  (the hand-made instances of the tests)


def arrays(requests: int = 40, antennas: int = 2000, seed: int = 0) -> GroundStationInstance:
    """`requests` requests with two alternatives each: arrays of 1,000-2,000 contiguous antennas."""
    rng = np.random.default_rng(seed)
    names = tuple(f"A{k}" for k in range(antennas))
    made = []
    for k in range(requests):
        alternatives = []
        for _ in range(2):
            size = int(rng.integers(1000, antennas + 1))
            first = int(rng.integers(0, antennas - size + 1))
            on = int(rng.integers(0, 20)) * H
            alternatives.append(Alternative(names[first:first + size],
                                            (ViewPeriod(on, on + int(rng.integers(2, 6)) * H),)))
        duration = int(rng.integers(1, 3)) * H
        made.append(Request(f"r{k}", f"m{k % 7}", duration, duration // 2, 600, 600, 0, 48 * H,
                            tuple(alternatives)))
    return GroundStationInstance(tuple(made), antennas=names, name="arrays")


def row(label: str, what: str, **values: object) -> None:
    load = round(os.getloadavg()[0], 1)
    print(json.dumps({"label": label, "what": what, "load": load, **values}), flush=True)


def main(label: str) -> None:
    x = arrays()
    for _ in range(3):
        began = time.perf_counter()
        result = schedkit.solve(x, "greedy", workers=1)
        row(label, "greedy arrays", seconds=round(time.perf_counter() - began, 2), objective=result.objective)
    degenerate = Server(name="degenerate", kv_capacity=10**9, token_budget=1, max_batch=1, a=0.0, b=1.0,
                        c=1.0, e=0.0, preemptive=True)
    pair = build_instance([(k, 0.0, [Turn(10, 10**6)]) for k in ("a", "b")], degenerate, name="pair")
    schedkit.solve(pair, "las")  # compiled
    for _ in range(3):
        result = schedkit.solve(pair, "las")
        row(label, "las pair 10^6", simulate_seconds=round(result.stats["simulate_seconds"], 4),
            rows=len(result.solution.rows), iterations=result.stats["iterations"], jct=result.objective)
    binary = Server(name="binary-preemptive", kv_capacity=10**9, token_budget=64, max_batch=4,
                    a=2.0**-7, b=2.0**-15, c=2.0**-12, e=2.0**-24, preemptive=True)
    for workload, programs, load, seed in (("bfcl", 40, 1.5, 1), ("swe", 12, 1.2, 2), ("bfcl", 60, 3.0, 3)):
        trace = schedkit.generate.serving(programs, workload, load=load, seed=seed, server=binary)
        result = schedkit.solve(trace, "las")
        row(label, f"las {workload}-{programs}-{load}-{seed}", rows=len(result.solution.rows),
            iterations=result.stats["iterations"], jct=result.objective.hex(),
            simulate_seconds=round(result.stats["simulate_seconds"], 4))
    tiny = (cases.two_places, cases.blocked, cases.split_request, cases.array, cases.straddle, cases.mixed)
    for make in tiny:
        instance = make()
        for method in ("lns", "ga", "ffeea", "cpsat"):
            began = time.perf_counter()
            result = schedkit.solve(instance, method)
            row(label, f"{method} {instance.name}", seconds=round(time.perf_counter() - began, 2),
                status=result.status, objective=result.objective, bound=result.bound)


if __name__ == "__main__":
    main(sys.argv[1])
