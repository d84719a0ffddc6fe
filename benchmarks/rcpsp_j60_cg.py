"""Probe: does the feasible-subset LP bound (schedkit/rcpsp/bounds_cg.py) prove j60 instances
that `cpsat` leaves unproven at 30 s? One JSON line per instance (report:
benchmarks/reports/rcpsp_j60_probes.md, section 7):

    python benchmarks/rcpsp_j60_cg.py --refute-limit 30 --bound-limit 10 [instances]

For each known-optimal instance that the quiet `cpsat` run (rcpsp_j60_all_quiet.results.jsonl)
leaves unproven (or those named): is the horizon optimum - 1 refuted, and in how many seconds;
and the bound reached in `--bound-limit` seconds by binary search from max(LB0, LB1) to the
optimum. `--refute-limit 0` skips the first; `--shaving 0` propagates without shaving.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from schedkit.rcpsp.bounds import lower_bound  # noqa: E402
from schedkit.rcpsp.bounds_cg import destructive_bound, refute  # noqa: E402
from schedkit.rcpsp.bounds_windows import network  # noqa: E402

REFERENCES = ROOT / "instances" / "rcpsp" / "references.csv"
QUIET = ROOT / "benchmarks" / "reports" / "rcpsp_j60_all_quiet.results.jsonl"


def _unproven() -> dict[str, dict[str, int]]:
    """cpsat's 30 s bound and objective on the instances it leaves unproven."""
    rows = [json.loads(line) for line in QUIET.read_text().splitlines() if line.strip()]
    return {row["instance"]: {"bound": row["bound"], "objective": row["objective"]}
            for row in rows if row["status"] != "optimal"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refute-limit", type=float, default=30.0)
    parser.add_argument("--bound-limit", type=float, default=10.0)
    parser.add_argument("--shaving", type=int, default=3, help="shaving passes at most")
    parser.add_argument("instances", nargs="*")
    args = parser.parse_args()
    with REFERENCES.open() as handle:
        references = {row["instance"]: row for row in csv.DictReader(handle)}
    unproven = _unproven()
    names = args.instances or [name for name in unproven if references[name]["status"] == "optimal"]
    for name in names:
        instance = schedkit.load(ROOT / "instances" / "rcpsp" / "j60" / f"{name}.sm")
        optimum = int(references[name]["upper_bound"])
        began = time.perf_counter()
        refuted = None if args.refute_limit <= 0 else refute(
            instance, network(instance), optimum - 1, began + args.refute_limit, shaving=args.shaving)
        refute_seconds = time.perf_counter() - began
        began = time.perf_counter()
        bound = destructive_bound(instance, lower_bound(instance), optimum, began + args.bound_limit,
                                  shaving=args.shaving)
        print(json.dumps({"instance": name, "optimum": optimum, "lb": lower_bound(instance),
                          "cpsat": unproven.get(name), "refuted": refuted,
                          "refute_seconds": round(refute_seconds, 1), "cg_bound": bound,
                          "bound_seconds": round(time.perf_counter() - began, 1),
                          "load": round(os.getloadavg()[0], 1)}), flush=True)


if __name__ == "__main__":
    main()
