"""Proven upper bounds on tracked hours for the SatNet weeks, outside any solve: the
non-preemptive bucketed LP (schedkit/groundstation/solvers/interval_lp.py) with a long HiGHS
limit, stored in benchmarks/reports/groundstation_bounds.jsonl for groundstation_report.py.

    python benchmarks/groundstation_bounds.py --grid 3600 --seconds 600 [--weeks W10_2018 ...]
        [--whole-bucket-rows] [--crossing-rows] [--mip [--integer-from 14400]]

`--whole-bucket-rows` builds the earlier LP (mission rows on whole tracked buckets only) for
comparison; by default the per-bucket tracking rows of the spacecraft rule are in.
`--crossing-rows` adds the per-antenna boundary rows (at most one track covers a boundary).
`--mip` runs the same LP as a MIP with integer track keys (solvers/interval_mip.py, an
experiment that cpsat does not use): HiGHS's dual bound at `--seconds`, stored apart in
groundstation_mip_bounds.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.solvers.interval_lp import interval_unserved_bound
from schedkit.groundstation.solvers.interval_mip import mip_unserved_bound

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "benchmarks" / "reports" / "groundstation_bounds.jsonl"
MIP_STORE = ROOT / "benchmarks" / "reports" / "groundstation_mip_bounds.jsonl"  # not read by the report
WEEKS = ("W10_2018", "W20_2018", "W30_2018", "W40_2018", "W50_2018")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=3600, help="bucket length in seconds")
    parser.add_argument("--seconds", type=float, default=600.0, help="HiGHS limit per week")
    parser.add_argument("--weeks", nargs="*", default=list(WEEKS))
    parser.add_argument("--whole-bucket-rows", action="store_true",
                        help="the earlier mission rows (whole tracked buckets only)")
    parser.add_argument("--crossing-rows", action="store_true",
                        help="per antenna, at most one track covers each bucket boundary")
    parser.add_argument("--mip", action="store_true", help="integer track keys (HiGHS MIP dual bound)")
    parser.add_argument("--integer-from", type=int, default=14400,
                        help="with --mip: only requests asking at least this many seconds get integer keys")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    for week in args.weeks:
        x = schedkit.load(ROOT / "instances" / "groundstation" / f"problems.json#{week}")
        started = time.perf_counter()
        tracking_rows = not args.whole_bucket_rows
        extra: dict[str, object] = {}
        if args.mip:
            bound, mip = mip_unserved_bound(x, request_options(x), args.seconds, args.grid, args.integer_from)
            extra = {"integer_from": args.integer_from, "status": mip["status"], "nodes": mip["nodes"],
                     "integer_keys": mip["integer_keys"]}
        else:
            bound = interval_unserved_bound(x, request_options(x), args.seconds, args.grid,
                                            tracking_rows=tracking_rows, crossing_rows=args.crossing_rows)
        record = {"week": week, "method": "interval_mip" if args.mip else "interval_lp", "grid": args.grid,
                  "mission_caps": True,
                  "tracking_rows": tracking_rows, "crossing_rows": args.crossing_rows,
                  "seconds_limit": args.seconds, "seconds": round(time.perf_counter() - started, 1),
                  "unserved_bound": bound, "hours_upper_bound": round((x.requested - bound) / 3600, 4),
                  "load": [round(v, 1) for v in os.getloadavg()], "commit": commit, **extra}
        with (MIP_STORE if args.mip else STORE).open("a") as out:
            out.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
