"""RCPSP side by side with PyJobShop (issue 21's reference row): schedkit `auto` against
PyJobShop's plain CP-SAT model, same instances, same limit, same workers, interleaved.

PyJobShop is a peer, never a dependency: it runs in its own virtual environment (`--peer-python`,
made by `make bench-rcpsp-pyjobshop` in a temporary folder). Each run is a fresh process on both
sides, timed from outside. PyJobShop's schedules are read back and checked with `schedkit.check`
like ours.

    python benchmarks/rcpsp_pyjobshop.py --peer-python /tmp/pjs/bin/python --time-limit 30 \\
        --out benchmarks/reports/rcpsp_pyjobshop.md instances/rcpsp/large/*.sm
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from peer_process import run_fresh  # noqa: E402  (beside this script)

import schedkit  # noqa: E402
from schedkit.bench.machine import describe  # noqa: E402
from schedkit.rcpsp.model import RCPSPSolution  # noqa: E402

# Runs inside PyJobShop's venv: read the PSPLIB file with PyJobShop's own reader, solve, print
# makespan, bound and the start of every task (tasks are the file's activities, in order).
PEER = """
import json, sys
import pyjobshop
data = pyjobshop.read(sys.argv[1], "psplib")
result = pyjobshop.solve(data, "ortools", time_limit=float(sys.argv[2]), display=False,
                         num_workers=int(sys.argv[3]))
tasks = result.best.tasks if result.best is not None else []
print("RESULT " + json.dumps({"status": result.status.value, "objective": result.objective,
                              "bound": result.lower_bound, "starts": [t.start for t in tasks]}))
"""
OURS = """
import json, sys
import schedkit
instance = schedkit.load(sys.argv[1])
result = schedkit.solve(instance, "auto", time_limit=float(sys.argv[2]), workers=int(sys.argv[3]))
start = None if result.solution is None else [int(s) for s in result.solution.start]
print("RESULT " + json.dumps({"status": result.status, "objective": result.objective,
                              "bound": result.bound, "starts": start, "chosen": result.stats.get("chosen")}))
"""


def run(python: str, code: str, path: Path, limit: float, workers: int) -> dict[str, Any]:
    """One fresh process; its RESULT line plus the wall time seen from here."""
    return run_fresh([python, "-c", code, str(path), str(limit), str(workers)], limit, ROOT)


def checked(path: Path, row: dict[str, Any]) -> bool | None:
    """schedkit.check of the run's schedule (None when it has none)."""
    if not row.get("starts"):
        return None
    instance = schedkit.load(str(path))
    solution = RCPSPSolution(np.array(row["starts"], dtype=np.int64))
    return bool(schedkit.check(instance, solution).feasible)


def _int(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def references() -> dict[str, int]:
    with (ROOT / "instances" / "rcpsp" / "references.csv").open() as handle:
        return {row["instance"]: int(row["upper_bound"]) for row in csv.DictReader(handle)}


def report(rows: list[dict[str, Any]], args: argparse.Namespace, load: tuple[float, ...]) -> str:
    refs = references()
    by_instance: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_instance.setdefault(row["instance"], {})[row["side"]] = row
    lines = [
        "# RCPSP: schedkit `auto` against PyJobShop's CP-SAT model",
        "",
        f"- Machine: {describe()}",
        f"- Load at the start: {load[0]:.1f} (1 min; other work shared the 2 cores, both sides alike: "
        "runs interleaved, who goes first alternating)",
        f"- Command: `python benchmarks/rcpsp_pyjobshop.py --time-limit {args.time_limit:g} "
        f"--workers {args.workers} ...` (`make bench-rcpsp-pyjobshop`); PyJobShop "
        f"{args.peer_version} in its own venv, each run a fresh process on both sides",
        "- Every schedule, PyJobShop's too, checked with `schedkit.check`.",
        "- Gap: to the best known upper bound (PSPLIB, instances/rcpsp/references.csv), or for the "
        "generated projects (no published values) to the best makespan either side found here.",
        "",
        "| instance | reference | schedkit auto | bound | PyJobShop | bound | schedkit wall s | "
        "PyJobShop wall s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    gaps: dict[str, dict[str, float]] = {"ours": {}, "peer": {}}
    bounds: dict[str, dict[str, float]] = {"ours": {}, "peer": {}}  # bound / reference, as a ratio
    invalid = 0
    for name, sides in by_instance.items():
        ours, peer = sides.get("ours", {}), sides.get("peer", {})
        found = [r["objective"] for r in (ours, peer) if r.get("objective") is not None]
        reference = refs.get(name, min(found, default=0))
        for side, r in (("ours", ours), ("peer", peer)):
            invalid += r.get("valid") is False
            if r.get("objective") is not None and reference:
                gaps[side][name] = 100.0 * (r["objective"] - reference) / reference
            if r.get("bound") is not None and reference:
                bounds[side][name] = r["bound"] / reference
        lines.append(f"| {name} | {_int(reference)}{'' if name in refs else ' (best here)'} | "
                     f"{_int(ours.get('objective'))} | {_int(ours.get('bound'))} | "
                     f"{_int(peer.get('objective'))} | {_int(peer.get('bound'))} | "
                     f"{ours.get('wall', 0):.1f} | {peer.get('wall', 0):.1f} |")
    lines += ["", "| set | instances | schedkit mean gap % | PyJobShop mean gap % "
              "| schedkit mean bound / reference | PyJobShop mean bound / reference |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label, names in (("PSPLIB (best known UB)", [n for n in by_instance if n in refs]),
                         ("generated (best found here)", [n for n in by_instance if n not in refs])):
        if names:
            lines.append(f"| {label} | {len(names)} | " + " | ".join(
                _mean([gaps[side][n] for n in names if n in gaps[side]]) for side in ("ours", "peer"))
                + " | " + " | ".join(
                _mean([bounds[side][n] for n in names if n in bounds[side]]) for side in ("ours", "peer"))
                + " |")
    lines += ["", f"Schedules failing the check: {invalid}."]
    return "\n".join(lines) + "\n"


def _mean(values: list[float]) -> str:
    return f"{statistics.mean(values):.2f}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+", type=Path)
    parser.add_argument("--peer-python", required=True, help="python of a venv with pyjobshop")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--store", type=Path, default=None,
                        help="JSON lines of every run; with --report-only, the report is rebuilt from it")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    args.peer_version = subprocess.run(
        [args.peer_python, "-c", "import importlib.metadata as m; print(m.version('pyjobshop'))"],
        capture_output=True, text=True, check=True).stdout.strip()
    load = os.getloadavg()
    if args.report_only:
        stored = [json.loads(line) for line in args.store.read_text().splitlines() if line.strip()]
        args.out.write_text(report(stored, args, tuple(stored[0].get("load", load))))
        return
    rows: list[dict[str, Any]] = []
    for k, path in enumerate(args.instances):
        order = (("ours", sys.executable, OURS), ("peer", args.peer_python, PEER))
        for side, python, code in order if k % 2 == 0 else order[::-1]:  # alternate who goes first
            row = run(python, code, path, args.time_limit, args.workers)
            row.update(side=side, instance=path.stem, valid=checked(path, row), load=list(load))
            rows.append(row)
            if args.store:
                with args.store.open("a") as store:
                    store.write(json.dumps({k: v for k, v in row.items() if k != "starts"}) + "\n")
            print(f"[{len(rows)}/{2 * len(args.instances)}] {path.stem} {side}: {row['status']} "
                  f"{row['objective']} (bound {row['bound']}) in {row['wall']:.1f} s, "
                  f"check {row['valid']}", flush=True)
        args.out.write_text(report(rows, args, load))


if __name__ == "__main__":
    main()
