"""Probe (issue 21): does CP-SAT prove the reversed project (every arc turned, same optimum) where
the forward one stays unproven?

Run from the repository root: `python benchmarks/rcpsp_j60_reverse_probe.py 30 j6014_10 j6014_3 ...`
(seconds, then j60 names). `cpsat`, 2 workers, seed 0; the two arms alternate which runs first.
One JSON row per run on stdout; every schedule is checked against its own project.
"""

from __future__ import annotations

import json
import os
import sys
import time

import schedkit
from schedkit.rcpsp.model import RCPSPInstance


def reversed_project(project: RCPSPInstance) -> RCPSPInstance:
    """The same project with every precedence arc turned around (its optimum is the same)."""
    successors: list[list[int]] = [[] for _ in project.durations]
    for i, row in enumerate(project.successors):
        for j in row:
            successors[int(j)].append(i)
    return RCPSPInstance(
        project.durations, successors, project.capacities, project.demands, name=project.name + "_rev"
    )


def main(limit: float, names: list[str]) -> None:
    for k, name in enumerate(names):
        forward = schedkit.load(f"instances/rcpsp/j60/{name}.sm")
        arms = [("fwd", forward), ("rev", reversed_project(forward))]
        for arm, project in arms if k % 2 == 0 else arms[::-1]:
            started = time.perf_counter()
            result = schedkit.solve(project, "cpsat", time_limit=limit, workers=2, seed=0)
            if result.solution is not None:
                report = schedkit.check(project, result.solution)
                assert report.feasible, report.summary()
            row = {
                "instance": name,
                "arm": arm,
                "status": result.status,
                "objective": result.objective,
                "bound": result.bound,
                "seconds": round(time.perf_counter() - started, 2),
                "load": round(os.getloadavg()[0], 1),
            }
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main(float(sys.argv[1]), sys.argv[2:])
