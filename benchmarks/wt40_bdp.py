"""Method `bdp` on all 125 OR-Library wt40 instances, one thread, a time limit per instance.

Prints how many are proven optimal, the median and maximum wall time, the largest layer and
memory figures, and checks every objective against wtopt40 (and with the independent checker).
Kernels are compiled (or loaded from numba's cache) before anything is timed.

    .venv/bin/python benchmarks/wt40_bdp.py --time-limit 60 --json /tmp/bdp.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import schedkit

ROOT = Path(__file__).resolve().parent.parent
WT40 = ROOT / "instances/smtt/wt40.txt"
OPTIMA = ROOT / "instances/smtt/wtopt40.txt"


def main(argv: list[str] | None = None) -> int:
    """Run, print the summary; exit status 1 if an objective differs from wtopt40."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--json", type=Path, help="write every result here")
    args = parser.parse_args(argv)

    optima = [int(v) for v in OPTIMA.read_text().split()]
    instances = list(schedkit.load_all(WT40))
    schedkit.solve(instances[0], "bdp", workers=1)  # compile outside the clock
    results, wrong = [], []
    for k, (instance, optimum) in enumerate(zip(instances, optima, strict=True), start=1):
        result = schedkit.solve(instance, "bdp", time_limit=args.time_limit, workers=1)
        report = schedkit.check(instance, result)
        if not report.feasible or report.objective != result.objective or result.objective != optimum:
            wrong.append(k)
        results.append(result)
        print(f"{k:3d} {result.status:8s} {result.objective:7d} opt {optimum:7d} "
              f"{result.wall_time:7.3f} s  peak states {result.stats['peak_states']:8d}", flush=True)

    times = [r.wall_time for r in results]
    proven = sum(r.status == "optimal" for r in results)
    print(f"\nproven optimal: {proven}/{len(results)}; objective == wtopt40 and checked: "
          f"{len(results) - len(wrong)}/{len(results)}" + (f" (wrong: {wrong})" if wrong else ""))
    print(f"wall time: median {statistics.median(times):.3f} s, mean {statistics.mean(times):.3f} s, "
          f"max {max(times):.3f} s (instance {times.index(max(times)) + 1}), total {sum(times):.1f} s")
    peak = max(results, key=lambda r: r.stats["peak_states"])
    memory = max(r.stats["memory_bytes"] for r in results)
    print(f"largest layer: {peak.stats['peak_states']} states ({peak.instance}); "
          f"most memory: {memory / 2**20:.1f} MiB")
    if args.json:
        args.json.write_text(json.dumps([r.to_dict() for r in results], indent=1))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
