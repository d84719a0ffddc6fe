"""Blocking job shop probes (issue 20): one run per line, printed, for quick what-if questions.

    # a method with module constants patched (module path under schedkit.jobshop)
    python benchmarks/jobshop_blocking_probe.py method la06 ig 15 --seed 1 --set heuristics.ig:JOB_SHARE=0.9
    # the CP-SAT whole model alone (order literals), hinted with the best rule; variants:
    # proc (a redundant no-overlap of the processing intervals), lbs (objective_lb_search worker)
    python benchmarks/jobshop_blocking_probe.py whole la06 hint 20 --seed 1
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path

import numpy as np

import schedkit
from schedkit.jobshop.heuristics.blocking import best_blocking_rule
from schedkit.jobshop.solvers import cpsat_blocking_model as blocking_model

CLASSIC = Path(__file__).resolve().parents[1] / "instances" / "jobshop" / "classic"


def method(args: argparse.Namespace) -> None:
    """schedkit.solve with the constants of --set patched; the plan goes through the checker."""
    for item in args.set:
        key, value = item.split("=", 1)
        module, name = key.split(":")
        setattr(importlib.import_module("schedkit.jobshop." + module), name, json.loads(value))
    instance = schedkit.load(CLASSIC / args.instance, blocking=True)
    began = time.perf_counter()
    result = schedkit.solve(instance, args.name, time_limit=args.seconds, workers=args.workers,
                            seed=args.seed)
    assert schedkit.check(instance, result).feasible
    print(args.instance, args.name, f"seed={args.seed}", *args.set, result.status, result.objective,
          result.bound, f"{time.perf_counter() - began:.1f}s", flush=True)


def whole(args: argparse.Namespace) -> None:
    """The whole model with order literals, hinted with the best rule (variant `hint`), alone."""
    from ortools.sat.python import cp_model

    instance = schedkit.load(CLASSIC / args.instance, blocking=True)
    warm = best_blocking_rule(instance)
    bm = blocking_model.build(cp_model, instance, None, orders=True)
    if "proc" in args.name:
        p = instance.alt_duration
        for k in range(instance.m):
            ops = np.flatnonzero(instance.alt_machine == k).tolist()
            bm.model.add_no_overlap([bm.model.new_fixed_size_interval_var(bm.start[o], int(p[o]), f"p{o}")
                                     for o in ops])
    if "hint" in args.name:
        blocking_model.hint(bm, instance, warm.start, warm.leave)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = args.workers
    solver.parameters.random_seed = args.seed
    solver.parameters.max_time_in_seconds = args.seconds
    if "lbs" in args.name:
        solver.parameters.extra_subsolvers.append("objective_lb_search")
    status = solver.solve(bm.model)
    print(args.instance, "whole", args.name, f"seed={args.seed}", f"warm={warm.objective}",
          solver.status_name(status), solver.objective_value, solver.best_objective_bound, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["method", "whole"])
    parser.add_argument("instance")
    parser.add_argument("name", help="method name (mode method) or variant (mode whole)")
    parser.add_argument("seconds", type=float)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], help="module:CONSTANT=json value")
    args = parser.parse_args()
    method(args) if args.mode == "method" else whole(args)


if __name__ == "__main__":
    main()
