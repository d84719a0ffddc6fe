"""Job shop dispatching rules side by side with job-shop-lib: time per instance per rule, measured
inside each side's process after a warm-up call, plus the makespans, runs interleaved.

job-shop-lib is a peer, never a dependency: it runs in its own venv (`--peer-python`, made by
`make bench-jobshop-rules-speed`). Its `DispatchingRuleSolver` with the default ready-operation
filters (dominated, non-immediate) builds non-delay schedules, so ours run as the `-nd` methods.
Both sides get the instance we parsed (the peer as JSON on stdin); every schedule of both sides
is checked with `schedkit.check`.

    python benchmarks/jobshop_rules_speed.py --peer-python /tmp/jsl/bin/python --repeats 5 --budget 2 \\
        --store out.jsonl --out out.md instances/jobshop/classic/ta01 ...
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jobshop_pyjobshop import as_json, checked, references, version  # noqa: E402
from jobshop_rules_speed_report import report  # noqa: E402

import schedkit  # noqa: E402
from schedkit.bench.machine import describe  # noqa: E402

# Our rule name -> job-shop-lib's DispatchingRuleType value (the rules both sides have).
RULES = {"spt": "shortest_processing_time", "lpt": "largest_processing_time",
         "fifo": "first_come_first_served", "mwkr": "most_work_remaining",
         "mor": "most_operations_remaining"}

# Both sides print, per rule: the first (warm-up) call's seconds, the median of the timed calls
# (`repeats` of them, fewer once they add up to `budget` seconds, at least one), the makespan and
# the flat starts job by job. In our process the first rule's first call
# is the cold one: it imports the method's modules and loads the numba kernels from the disk
# cache. argv: rules (comma separated), repeats, budget, instance path (peer: and rule names).
TIMING = """
def timed(call, repeats, budget):
    started = time.perf_counter(); first = call(); first_s = time.perf_counter() - started
    times = []
    while len(times) < repeats and (not times or sum(times) < budget):
        started = time.perf_counter(); last = call(); times.append(time.perf_counter() - started)
    return first_s, sorted(times)[len(times) // 2], last, len(times)
"""
OURS = """
import json, sys, time
import schedkit
""" + TIMING + """
instance = schedkit.load(sys.argv[4])
rows = {}
for rule in sys.argv[1].split(","):
    first, median, result, calls = timed(lambda: schedkit.solve(instance, rule + "-nd"),
                                         int(sys.argv[2]), float(sys.argv[3]))
    rows[rule] = {"first": first, "median": median, "calls": calls, "objective": result.objective,
                  "starts": [s for job in result.solution.start for s in job]}
print("RESULT " + json.dumps(rows))
"""
PEER = """
import json, sys, time
from job_shop_lib import JobShopInstance, Operation
from job_shop_lib.dispatching.rules import DispatchingRuleSolver
""" + TIMING + """
data = json.load(sys.stdin)
instance = JobShopInstance([[Operation(machine, duration) for machine, duration in job]
                            for job in data["jobs"]])
names = json.loads(sys.argv[5])
rows = {}
for rule in sys.argv[1].split(","):
    solver = DispatchingRuleSolver(dispatching_rule=names[rule])
    first, median, schedule, calls = timed(lambda: solver.solve(instance), int(sys.argv[2]),
                                           float(sys.argv[3]))
    starts = [[0] * len(job) for job in data["jobs"]]
    for machine in schedule.schedule:
        for done in machine:
            starts[done.operation.job_id][done.operation.position_in_job] = done.start_time
    rows[rule] = {"first": first, "median": median, "calls": calls, "objective": schedule.makespan(),
                  "starts": [s for job in starts for s in job]}
print("RESULT " + json.dumps(rows))
"""


def run(command: list[str], stdin: str) -> dict[str, Any]:
    """One fresh process; per rule its timings and makespan, plus the process wall and load."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        return {"rules": {}, "wall": wall, "load": load,
                "error": (done.stderr.strip().splitlines() or ["no output"])[-1][:160]}
    return {"rules": json.loads(lines[-1][len("RESULT "):]), "wall": wall, "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", type=Path)
    parser.add_argument("--peer-python", required=True, help="python of a venv with job-shop-lib")
    parser.add_argument("--rules", default=",".join(RULES))
    parser.add_argument("--repeats", type=int, default=5, help="timed calls after the warm-up call")
    parser.add_argument("--budget", type=float, default=2.0,
                        help="stop the timed calls of a rule once they add up to this many seconds")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True, help="JSON lines of every run")
    parser.add_argument("--report-only", action="store_true", help="rebuild the report from --store")
    parser.add_argument("--note", action="append", default=[], help="a paragraph to add to the report")
    args = parser.parse_args()
    peer = {"job-shop-lib": version(args.peer_python, "job-shop-lib"),
            "numpy": version(args.peer_python, "numpy")}
    if not args.report_only:
        args.store.write_text("")
        names = json.dumps({rule: RULES[rule] for rule in args.rules.split(",")})
        for k, path in enumerate(args.instances):
            instance = schedkit.load(str(path))
            common = [args.rules, str(args.repeats), str(args.budget), str(path)]
            sides = [("ours", [sys.executable, "-c", OURS, *common], ""),
                     ("peer", [args.peer_python, "-c", PEER, *common, names], as_json(instance))]
            for side, command, stdin in sides if k % 2 == 0 else sides[::-1]:  # alternate who goes first
                began = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
                row = run(command, stdin)
                for found in row["rules"].values():
                    found["valid"] = checked(instance, found)
                    found.pop("starts")
                row.update(side=side, instance=path.name, size=f"{instance.n}x{instance.m}", began=began)
                with args.store.open("a") as store:
                    store.write(json.dumps(row) + "\n")
                print(f"{path.name} {side}: " + ", ".join(
                    f"{rule} {found['objective']} {1000 * found['median']:.2f} ms"
                    for rule, found in row["rules"].items()) + f" (load {row['load']:.2f})", flush=True)
    rows = [json.loads(line) for line in args.store.read_text().splitlines() if line.strip()]
    args.out.write_text(report(rows, references(), describe(), peer, args))


if __name__ == "__main__":
    main()
