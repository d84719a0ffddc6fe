"""`cpsat-lns` with and without the brief whole-model probe after sampling (PROBE_SHARE),
interleaved per (instance, seed): a fresh process per run, who goes first alternating, every
schedule through `schedkit.check`. One JSON row per run.

    python benchmarks/rcpsp_probe_ab.py --shares 0.05 0 --seeds 0 1 --out rows.jsonl j1206_1 ...
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from benchmarks.fresh_process import add_run_arguments, checkout_commit, run_row  # noqa: E402
from schedkit.rcpsp.solvers import lns  # noqa: E402


def one(name: str, share: float, seed: int, time_limit: float, workers: int) -> dict[str, object]:
    """One run of cpsat-lns with PROBE_SHARE = share: the row to record."""
    lns.PROBE_SHARE = share
    instance = schedkit.load(ROOT / "instances" / "rcpsp" / "j120" / f"{name}.sm")
    load = os.getloadavg()[0]
    began = time.perf_counter()
    result = schedkit.solve(instance, "cpsat-lns", time_limit=time_limit, workers=workers,
                            seed=seed)
    elapsed = time.perf_counter() - began
    report = schedkit.check(instance, result.solution, result.objective)
    return {"instance": name, "probe_share": share, "seed": seed, "objective": result.objective,
            "bound": result.bound, "status": result.status, "elapsed": round(elapsed, 2),
            "check": bool(report), "probe_status": result.stats.get("probe_status"),
            "probe_bound": result.stats.get("probe_bound"), "load": round(load, 2),
            "commit": checkout_commit(ROOT)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="+", help="j120 names (instances/rcpsp/j120/)")
    parser.add_argument("--shares", type=float, nargs="+", default=[0.05, 0.0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    add_run_arguments(parser, 60.0)
    args = parser.parse_args()
    if args.one:
        row = one(args.instances[0], args.shares[0], args.seeds[0], args.time_limit, args.workers)
        print(json.dumps(row))
        return
    pair = 0
    for seed in args.seeds:
        for name in args.instances:
            shares = args.shares if pair % 2 == 0 else list(reversed(args.shares))
            pair += 1
            for share in shares:
                command = [sys.executable, __file__, name, "--one", "--shares", str(share),
                           "--seeds", str(seed), "--time-limit", str(args.time_limit),
                           "--workers", str(args.workers), "--out", str(args.out)]
                run_row(command, args.out)


if __name__ == "__main__":
    main()
