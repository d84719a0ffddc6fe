"""cpsat with several `warm_share` values (the lns warm start's share of the budget), interleaved
per instance with the order rotating; one JSON row per run, every plan checked.

    python benchmarks/groundstation_warm_share_ab.py --time-limit 60 --shares 0.4 0.6 0.8 \\
        --out rows.jsonl "instances/groundstation/problems.json#W10_2018" ...
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import schedkit

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+", help="instance paths (relative to the checkout)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.4, 0.6, 0.8])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", required=True, help="JSON lines, appended")
    args = parser.parse_args()
    turn = 0
    for path in args.instances:
        instance = schedkit.load(ROOT / path)
        for seed in args.seeds:
            shares = args.shares[turn % len(args.shares):] + args.shares[:turn % len(args.shares)]
            turn += 1
            for share in shares:
                began = time.perf_counter()
                result = schedkit.solve(instance, "cpsat", time_limit=args.time_limit,
                                        workers=args.workers, seed=seed, warm_share=share)
                assert schedkit.check(instance, result).feasible
                row = {"instance": path, "seed": seed, "share": share, "objective": result.objective,
                       "bound": result.bound, "hours": result.stats.get("tracked_hours"),
                       "u_max": result.stats.get("u_max"), "wall": round(time.perf_counter() - began, 1),
                       "load": round(os.getloadavg()[0], 2)}
                print(json.dumps(row), flush=True)
                with open(args.out, "a") as out:
                    out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
