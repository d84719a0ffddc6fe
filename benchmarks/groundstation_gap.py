"""Where a week's gap sits: a `cpsat` plan against the interval LP's solution, per request,
mission and antenna. Runs `cpsat` (time limit, 2 workers, seed 0), then the interval LP alone
(mission caps, tracking rows) and reads its column values. One JSON line per week is appended
to benchmarks/reports/groundstation_gap.jsonl.

    python benchmarks/groundstation_gap.py --weeks W10_2018 --seconds 300 --grid 3600

- per request: LP tracked seconds (sum of its columns' tracked seconds times their weight)
  minus the plan's (capped at L); the positive parts summed (hours the LP serves and the plan
  does not), the negative parts summed, and the top requests;
- per mission: the same summed per mission;
- per antenna: occupied hours (tracking plus set-up and tear-down, an array counts on each of
  its antennas) in the plan and in the LP, and the antenna's available hours (the tracks'
  horizon minus maintenance).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.model import GroundStationInstance, GroundStationSolution
from schedkit.groundstation.solvers.interval_lp import build, mission_totals
from schedkit.groundstation.solvers.lp_bound import solve_lp

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "benchmarks" / "reports" / "groundstation_gap.jsonl"


def lp_solution(x: GroundStationInstance, grid: int, seconds: float) -> tuple[float, dict[int, float],
                                                                                dict[int, float]]:
    """(LP upper bound on tracked s, LP tracked s per request, LP occupied s per antenna index)."""
    options = request_options(x)
    lp = build(x, options, grid, mission_totals(x, options))
    most, values = solve_lp(lp, seconds)
    tracked: dict[int, float] = {}
    occupied: dict[int, float] = {}
    if values is None:
        return most, tracked, occupied
    for tag, cost, value in zip(lp.tags, lp.cost, values.tolist(), strict=True):
        if value <= 1e-9 or not isinstance(tag, tuple):
            continue
        i, o = tag[:2]
        r = x.requests[i]
        tracked[i] = tracked.get(i, 0.0) + cost * value
        for a in options[i][o].antennas:
            occupied[a] = occupied.get(a, 0.0) + value * (cost + r.setup + r.teardown)
    return most, tracked, occupied


def plan_figures(x: GroundStationInstance, plan: GroundStationSolution) -> tuple[dict[int, int],
                                                                                dict[int, int]]:
    """(plan tracked s per request, capped at L; occupied s per antenna index)."""
    index = x.index()
    antenna = {a: k for k, a in enumerate(x.antennas)}
    tracked: dict[int, int] = {}
    occupied: dict[int, int] = {}
    for t in plan.tracks:
        i = index[t.request]
        r = x.requests[i]
        tracked[i] = tracked.get(i, 0) + t.length
        for a in t.antennas:
            occupied[antenna[a]] = occupied.get(antenna[a], 0) + t.length + r.setup + r.teardown
    return {i: min(x.requests[i].duration, s) for i, s in tracked.items()}, occupied


def available(x: GroundStationInstance) -> dict[int, float]:
    """Per antenna index: hours between the first option's start and the last option's end
    (set-up and tear-down included), minus maintenance inside."""
    options = request_options(x)
    ends = [p for r, mine in zip(x.requests, options, strict=True) for o in mine
            for p in (o.lo - r.setup, o.hi + r.teardown)]
    first, last = min(ends), max(ends)
    free = {k: float(last - first) for k in range(len(x.antennas))}
    antenna = {a: k for k, a in enumerate(x.antennas)}
    for m in x.maintenance:
        free[antenna[m.antenna]] -= max(0, min(m.end, last) - max(m.start, first))
    return {k: v / 3600 for k, v in free.items()}


def decompose(x: GroundStationInstance, plan: GroundStationSolution, grid: int, seconds: float
              ) -> dict[str, Any]:
    """The record (see the module docstring)."""
    started = time.perf_counter()
    most, lp_tracked, lp_occupied = lp_solution(x, grid, seconds)
    lp_seconds = time.perf_counter() - started
    tracked, occupied = plan_figures(x, plan)
    diff = {i: lp_tracked.get(i, 0.0) - tracked.get(i, 0) for i in range(x.n)}
    by_mission: dict[str, float] = {}
    for i, d in diff.items():
        by_mission[x.requests[i].mission] = by_mission.get(x.requests[i].mission, 0.0) + d
    top = sorted(diff.items(), key=lambda kv: -kv[1])[:15]
    free = available(x)
    return {
        "lp_hours": round(most / 3600, 2), "lp_seconds": round(lp_seconds, 1),
        "lp_solution_hours": round(sum(lp_tracked.values()) / 3600, 2),
        "plan_hours": round(sum(tracked.values()) / 3600, 2),
        "lp_more_hours": round(sum(d for d in diff.values() if d > 0) / 3600, 2),
        "plan_more_hours": round(-sum(d for d in diff.values() if d < 0) / 3600, 2),
        "requests_lp_more": sum(1 for d in diff.values() if d > 60),
        "requests_plan_more": sum(1 for d in diff.values() if d < -60),
        "top_requests": [{"request": x.requests[i].track_id, "mission": x.requests[i].mission,
                          "asked_h": round(x.requests[i].duration / 3600, 2),
                          "plan_h": round(tracked.get(i, 0) / 3600, 2),
                          "lp_h": round(lp_tracked.get(i, 0.0) / 3600, 2),
                          "alternatives": len(x.requests[i].alternatives)} for i, _ in top],
        "missions_lp_more": sorted(([m, round(d / 3600, 2)] for m, d in by_mission.items() if d > 3600),
                                   key=lambda md: -md[1]),
        "antennas": [{"antenna": a, "available_h": round(free[k], 1),
                      "plan_occupied_h": round(occupied.get(k, 0) / 3600, 1),
                      "lp_occupied_h": round(lp_occupied.get(k, 0.0) / 3600, 1)}
                     for k, a in enumerate(x.antennas)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", nargs="*", default=["W10_2018"])
    parser.add_argument("--seconds", type=float, default=300.0, help="cpsat limit")
    parser.add_argument("--grid", type=int, default=3600, help="interval LP bucket (s)")
    parser.add_argument("--lp-seconds", type=float, default=420.0)
    parser.add_argument("--save-plan", type=Path, default=None,
                        help="folder to write each week's plan to (<week>.json, solution JSON)")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    for week in args.weeks:
        x = schedkit.load(ROOT / "instances" / "groundstation" / f"problems.json#{week}")
        result = schedkit.solve(x, "cpsat", time_limit=args.seconds, workers=2, seed=0)
        assert schedkit.check(x, result).feasible
        if args.save_plan is not None:
            args.save_plan.mkdir(parents=True, exist_ok=True)
            (args.save_plan / f"{week}.json").write_text(json.dumps(result.solution.to_dict()))
        record = {"week": week, "cpsat_seconds": args.seconds, "grid": args.grid,
                  "cpsat_hours": round((x.requested - result.objective) / 3600, 2),
                  "u_max": result.stats.get("u_max"),
                  **decompose(x, result.solution, args.grid, args.lp_seconds),
                  "load": [round(v, 1) for v in os.getloadavg()], "commit": commit}
        with STORE.open("a") as out:
            out.write(json.dumps(record) + "\n")
        print(json.dumps(record, indent=1), flush=True)


if __name__ == "__main__":
    main()
