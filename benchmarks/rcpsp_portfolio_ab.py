"""RCPSP `cpsat` with two workers: the current portfolio (objective lower-bound search + a
search without LP) against CP-SAT's default pair, interleaved per instance (who goes first
alternates), so both see the same load.

    python benchmarks/rcpsp_portfolio_ab.py --time-limit 30 j6014_1 j6021_9 ...
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from schedkit.rcpsp.solvers import cpsat  # noqa: E402

_current_solver = cpsat._solver
_mode = {"name": "portfolio"}


def _solver(cp_model: Any, options: Any) -> Any:
    """The method's own solver, or with its subsolver choice removed (CP-SAT's default pair)."""
    solver = _current_solver(cp_model, options)
    if _mode["name"] == "default":
        solver.parameters.subsolvers.clear()
        solver.parameters.extra_subsolvers.clear()
    return solver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="+", help="j60 instance names (instances/rcpsp/j60/)")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    cpsat._solver = _solver
    print(f"load {os.getloadavg()[0]:.1f}")
    print("| instance | portfolio | objective | bound | status | wall s |")
    print("| --- | --- | ---: | ---: | --- | ---: |")
    for k, name in enumerate(args.instances):
        instance = schedkit.load(ROOT / "instances" / "rcpsp" / "j60" / f"{name}.sm")
        order = ("portfolio", "default") if k % 2 == 0 else ("default", "portfolio")
        for mode in order:
            _mode["name"] = mode
            began = time.perf_counter()
            result = schedkit.solve(instance, "cpsat", time_limit=args.time_limit, workers=2)
            report = schedkit.check(instance, result.solution, result.objective)
            if not report:
                sys.exit(f"{name} {mode}: {report.summary()}")
            print(f"| {name} | {mode} | {result.objective} | {result.bound} | {result.status} | "
                  f"{time.perf_counter() - began:.1f} |", flush=True)
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
