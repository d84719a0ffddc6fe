"""Tuning set for `auto` on the hard VMR corner (issue 23): 300 machines, 95 % CPU, K = 50,
generated seeds below 20000 (never the unseen benchmark's range).

References are `mip` at 120 s (1 worker), cached in `benchmarks/reports/vmr_tune_refs.jsonl`
(they do not depend on `auto`). Per seed it prints `auto`'s objective, the FR gap to the best
known plan, whether it proved, its wall time and which part gave the plan.

    python benchmarks/vmr_tune.py [--seeds 1-10] [--method auto] [--limit 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import schedkit

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "benchmarks" / "reports" / "vmr_tune_refs.jsonl"
MAX_SEED = 20000  # the unseen benchmark's seeds start above this
GOAL = 0.01


def seeds_of(text: str) -> list[int]:
    """'1-10' or '1,4,7' as a list of seeds below MAX_SEED."""
    found: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        found += list(range(int(lo), int(hi or lo) + 1))
    if any(s >= MAX_SEED for s in found):
        raise SystemExit(f"tuning seeds must stay below {MAX_SEED}")
    return found


def reference(instance: schedkit.VMRInstance, seconds: float) -> dict:
    """The cached `mip` reference of `instance` (run and stored when missing)."""
    if STORE.exists():
        for line in STORE.read_text().splitlines():
            record = json.loads(line)
            if record["cluster"] == instance.name:
                return record
    result = schedkit.solve(instance, "mip", time_limit=seconds, workers=1)
    assert schedkit.check(instance, result).feasible
    record = {"cluster": instance.name, "objective": result.objective, "bound": result.bound,
              "status": result.status, "wall": round(result.wall_time, 2)}
    with STORE.open("a") as handle:
        handle.write(json.dumps(record) + "\n")
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="1-10")
    parser.add_argument("--utilisation", type=float, default=0.95)
    parser.add_argument("--K", type=int, default=50)
    parser.add_argument("--method", default="auto")
    parser.add_argument("--limit", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reference", type=float, default=120.0)
    parser.add_argument("--references-only", action="store_true")
    args = parser.parse_args()
    warm = schedkit.generate.vmr(20, 0.9, seed=1, migration_limit=5)
    schedkit.solve(warm, args.method, time_limit=2, workers=args.workers)
    within = proven = 0
    total = 0
    worst = 0.0
    seeds = seeds_of(args.seeds)
    for seed in seeds:
        instance = schedkit.generate.vmr(300, args.utilisation, seed, args.K)
        ref = reference(instance, args.reference)
        if args.references_only:
            print(instance.name, ref, flush=True)
            continue
        began = time.perf_counter()
        result = schedkit.solve(instance, args.method, time_limit=args.limit, workers=args.workers)
        wall = time.perf_counter() - began
        report = schedkit.check(instance, result)
        assert report.feasible and report.objective == result.objective
        best = min(ref["objective"], result.objective)
        gap = (result.objective - best) / instance.total_free_cpu
        within += gap <= GOAL + 1e-12
        proven += result.status == "optimal"
        total += result.objective
        worst = max(worst, wall)
        s = result.stats
        print(f"{instance.name} ref {ref['objective']}{'*' if ref['status'] == 'optimal' else ''} "
              f"got {result.objective} bound {result.bound} gap {gap:.4f} {result.status} "
              f"wall {wall:.2f} from {s.get('plan_from')} greedy {s.get('greedy_objective')} "
              f"restricted {s.get('restricted_objective')} load {os.getloadavg()[0]:.1f}", flush=True)
    if not args.references_only:
        print(f"within {within}/{len(seeds)} proven {proven}/{len(seeds)} sum {total} worst wall {worst:.2f}")


if __name__ == "__main__":
    main()
