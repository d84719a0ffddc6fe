"""Job shop side by side with PyJobShop: schedkit `cpsat` against PyJobShop's plain CP-SAT model,
same instances, same time limit, same workers, runs interleaved, each a fresh process.

PyJobShop is a peer, never a dependency: it runs in its own venv (`--peer-python`, made by
`make bench-jobshop-pyjobshop`). Its `read` knows FJSPLIB and PSPLIB, not the classic job-shop
format, so the peer script builds its model with PyJobShop's `Model` API from our parsed instance,
passed as JSON on stdin (one machine mode per task, end-before-start along each job, makespan).
Its schedules are read back and checked with `schedkit.check` like ours.

    python benchmarks/jobshop_pyjobshop.py --peer-python /tmp/pjs/bin/python --time-limit 30 \\
        --store out.jsonl --out out.md instances/jobshop/classic/ta21 ...
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jobshop_pyjobshop_report import report  # noqa: E402  (beside this script)
from peer_process import run_fresh  # noqa: E402  (beside this script)

import schedkit  # noqa: E402
from schedkit.bench.machine import describe  # noqa: E402
from schedkit.jobshop.model import JobShopInstance, JobShopSolution  # noqa: E402

# Runs inside PyJobShop's venv. stdin: {"machines": m, "jobs": [[[machine, duration], ...], ...]}.
PEER = """
import json, sys
from pyjobshop import Model
data = json.load(sys.stdin)
model = Model()
machines = [model.add_machine() for _ in range(data["machines"])]
for operations in data["jobs"]:
    job = model.add_job()
    previous = None
    for machine, duration in operations:
        task = model.add_task(job=job)
        model.add_mode(task, machines[machine], duration)
        if previous is not None:
            model.add_end_before_start(previous, task)
        previous = task
model.set_objective(weight_makespan=1)
result = model.solve("ortools", time_limit=float(sys.argv[1]), display=False,
                     num_workers=int(sys.argv[2]))
tasks = result.best.tasks if result.best is not None else []
print("RESULT " + json.dumps({"status": result.status.value, "objective": result.objective,
                              "bound": result.lower_bound, "starts": [t.start for t in tasks]}))
"""
OURS = """
import json, sys
import schedkit
instance = schedkit.load(sys.argv[3])
result = schedkit.solve(instance, "cpsat", time_limit=float(sys.argv[1]), workers=int(sys.argv[2]))
starts = None if result.solution is None else [s for job in result.solution.start for s in job]
print("RESULT " + json.dumps({"status": result.status, "objective": result.objective,
                              "bound": result.bound, "starts": starts}))
"""


def as_json(instance: JobShopInstance) -> str:
    """The classic instance as the peer script reads it (one alternative per operation)."""
    jobs = [[[int(instance.alt_machine[instance.op_ptr[o]]), int(instance.alt_duration[instance.op_ptr[o]])]
             for o in range(instance.job_ptr[j], instance.job_ptr[j + 1])] for j in range(instance.n)]
    return json.dumps({"machines": instance.m, "jobs": jobs})


def run(command: list[str], stdin: str, limit: float) -> dict[str, Any]:
    """One fresh process; its RESULT line, the wall time seen from here and the load before it."""
    return run_fresh(command, limit, ROOT, stdin)


def checked(instance: JobShopInstance, row: dict[str, Any]) -> bool | None:
    """schedkit.check of the run's schedule (flat starts, job by job), None when it has none."""
    starts = row.get("starts")
    if not starts:
        return None
    ptr = instance.job_ptr.tolist()
    per_job = [starts[ptr[j]:ptr[j + 1]] for j in range(instance.n)]
    machine = [[int(instance.alt_machine[instance.op_ptr[o]]) for o in range(ptr[j], ptr[j + 1])]
               for j in range(instance.n)]
    return schedkit.check(instance, JobShopSolution(per_job, machine), row["objective"]).feasible


def references() -> dict[str, tuple[int, int]]:
    """Per instance (lower bound, best known upper bound) from references.csv."""
    with (ROOT / "instances" / "jobshop" / "references.csv").open() as handle:
        return {r["instance"]: (int(r["lower_bound"]), int(r["upper_bound"])) for r in csv.DictReader(handle)}


def version(python: str, package: str) -> str:
    """A package's version as seen by `python`."""
    return subprocess.run([python, "-c", f"import importlib.metadata as m; print(m.version('{package}'))"],
                          capture_output=True, text=True, check=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", type=Path)
    parser.add_argument("--peer-python", required=True, help="python of a venv with pyjobshop")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True, help="JSON lines of every run")
    parser.add_argument("--report-only", action="store_true", help="rebuild the report from --store")
    parser.add_argument("--peer-first", action="store_true", help="the peer runs first on the first instance")
    parser.add_argument("--note", action="append", default=[], help="a paragraph to add to the report")
    args = parser.parse_args()
    peer = {"pyjobshop": version(args.peer_python, "pyjobshop"),
            "ortools": version(args.peer_python, "ortools")}
    if args.report_only:
        rows = [json.loads(line) for line in args.store.read_text().splitlines() if line.strip()]
        args.out.write_text(report(rows, references(), describe(), peer, args))
        return
    args.store.write_text("")
    for k, path in enumerate(args.instances):
        instance = schedkit.load(str(path))
        sides = [("ours", [sys.executable, "-c", OURS], ""), ("peer", [args.peer_python, "-c", PEER],
                                                              as_json(instance))]
        for side, command, stdin in sides if (k + args.peer_first) % 2 == 0 else sides[::-1]:  # alternate
            began = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
            row = run([*command, str(args.time_limit), str(args.workers), str(path)], stdin, args.time_limit)
            row.update(side=side, instance=path.name, began=began, valid=checked(instance, row))
            row.pop("starts", None)
            with args.store.open("a") as store:
                store.write(json.dumps(row) + "\n")
            print(f"{path.name} {side}: {row['status']} {row['objective']} (bound {row['bound']}) "
                  f"in {row['wall']:.1f} s, load {row['load']:.2f}, check {row['valid']}", flush=True)
    rows = [json.loads(line) for line in args.store.read_text().splitlines() if line.strip()]
    args.out.write_text(report(rows, references(), describe(), peer, args))


if __name__ == "__main__":
    main()
