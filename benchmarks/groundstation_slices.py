"""Which side carries the gap: SatNet slices small enough to compare the interval LP bound with
CP-SAT's plan (and proof). A slice keeps the requests whose window opens within `hours` from
day `day` of the week, their windows clipped to the slice's end; records go to
benchmarks/reports/groundstation_slices.jsonl.

    python benchmarks/groundstation_slices.py --hours 16 --seconds 240 [--slices W10_2018:3 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.model import GroundStationInstance
from schedkit.groundstation.solvers.interval_lp import interval_unserved_bound

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "benchmarks" / "reports" / "groundstation_slices.jsonl"
SLICES = ("W10_2018:3", "W20_2018:2", "W30_2018:1", "W40_2018:4", "W50_2018:2")


def cut(week: GroundStationInstance, day: float, hours: float) -> GroundStationInstance:
    """The slice (see the module docstring), without requests that can no longer be tracked."""
    start = min(r.window_start for r in week.requests) + int(day * 86400)
    end = start + int(hours * 3600)
    kept = tuple(replace(r, window_end=min(r.window_end, end)) for r in week.requests
                 if start <= r.window_start < end)
    piece = week.replace(requests=kept, name=f"{week.name} day {day} +{hours} h")
    options = request_options(piece)
    return piece.replace(requests=tuple(r for r, mine in zip(piece.requests, options, strict=True) if mine))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=16.0)
    parser.add_argument("--seconds", type=float, default=120.0, help="cpsat limit per slice")
    parser.add_argument("--grid", type=int, default=900, help="interval LP bucket (s)")
    parser.add_argument("--slices", nargs="*", default=list(SLICES), help="WEEK:DAY")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    for item in args.slices:
        week, day = item.split(":")
        x = cut(schedkit.load(ROOT / "instances" / "groundstation" / f"problems.json#{week}"),
                float(day), args.hours)
        started = time.perf_counter()
        lp = interval_unserved_bound(x, request_options(x), 300.0, args.grid)
        lp_seconds = time.perf_counter() - started
        result = schedkit.solve(x, "cpsat", time_limit=args.seconds, workers=2, seed=0, window_share=0.0)
        assert schedkit.check(x, result).feasible
        record = {"week": week, "day": float(day), "hours": args.hours, "requests": x.n,
                  "requested_hours": round(x.requested / 3600, 2), "grid": args.grid,
                  "lp_hours": round((x.requested - lp) / 3600, 2), "lp_seconds": round(lp_seconds, 1),
                  "cpsat_seconds": args.seconds, "cpsat_status": result.status,
                  "cpsat_hours": round((x.requested - result.objective) / 3600, 2),
                  "cpsat_bound_hours": round((x.requested - (result.bound or 0)) / 3600, 2),
                  "lp_gap_to_plan_pct": round(100 * (result.objective - lp) / max(1, x.requested - lp), 2),
                  "load": [round(v, 1) for v in os.getloadavg()], "commit": commit}
        with STORE.open("a") as out:
            out.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
