"""RCPSP `cpsat` on j60: this checkout ("new") against another checkout ("old", e.g. a
worktree of main), interleaved per instance (who goes first alternates) so both see the same
load. Each run is a fresh process importing its own checkout; the time limit covers the solve
call (model building, warm start, numba loading). One JSON line per run on stdout.

    python benchmarks/rcpsp_j60_proofs.py --old /work/wt/rcpsp21d-base --time-limit 30 \\
        --closed-unproven benchmarks/reports/rcpsp_j60_all_lbsearch.results.jsonl
    python benchmarks/rcpsp_j60_proofs.py --old ../base j6025_9 j6014_3
    python benchmarks/rcpsp_j60_proofs.py --summary benchmarks/reports/rcpsp_j60_proofs.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "instances" / "rcpsp" / "references.csv"
ONE_RUN = """
import json, os, sys, time
import schedkit
x = schedkit.load(sys.argv[1])
began = time.perf_counter()
r = schedkit.solve(x, "cpsat", time_limit=float(sys.argv[2]), workers=2)
wall = time.perf_counter() - began
report = schedkit.check(x, r.solution, r.objective)
print(json.dumps({"objective": r.objective, "bound": r.bound, "status": r.status,
                  "wall": round(wall, 2), "checked": bool(report),
                  "solver_status": r.stats.get("solver_status")}))
"""


def references() -> dict[str, dict[str, str]]:
    """instance -> row of instances/rcpsp/references.csv."""
    with REFERENCES.open() as handle:
        return {row["instance"]: row for row in csv.DictReader(handle)}


def closed_unproven(results: Path, refs: dict[str, dict[str, str]]) -> list[str]:
    """Instances a harness results file left unproven whose optimum the references know."""
    names = []
    for line in results.read_text().splitlines():
        run = json.loads(line)
        if run["status"] != "optimal" and refs[run["instance"]]["status"] == "optimal":
            names.append(run["instance"])
    return sorted(names)


def run_one(checkout: Path, name: str, limit: float) -> dict[str, object]:
    """One `cpsat` run of the checkout in a fresh process."""
    path = ROOT / "instances" / "rcpsp" / "j60" / f"{name}.sm"
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, "-c", ONE_RUN, str(path), str(limit)], cwd=checkout,
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def summary(path: Path) -> None:
    """Markdown: per version, runs, proven, bound at the optimum, mean bound / objective to the
    optimum; then the instances where the two differ."""
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    pairs: dict[str, dict[str, dict[str, object]]] = {}
    for run in runs:
        pairs.setdefault(str(run["instance"]), {})[str(run["version"])] = run
    both = {name: pair for name, pair in pairs.items() if {"new", "old"} <= set(pair)}
    print("| version | runs | proven | bound = optimum | objective = optimum | mean bound / optimum "
          "| mean objective / optimum | contradictions |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label in ("old", "new"):
        chosen = [pair[label] for pair in both.values() if pair[label].get("optimum")]
        ok = [r for r in chosen if "error" not in r]
        proven = sum(r["status"] == "optimal" for r in ok)
        at_bound = sum(r["bound"] == r["optimum"] for r in ok)
        at_opt = sum(r["objective"] == r["optimum"] for r in ok)
        lb = sum(float(r["bound"]) / float(r["optimum"]) for r in ok) / max(1, len(ok))  # type: ignore[arg-type]
        ub = sum(float(r["objective"]) / float(r["optimum"]) for r in ok) / max(1, len(ok))  # type: ignore[arg-type]
        bad = sum(bool(r["contradicts_reference"]) for r in chosen)
        print(f"| {label} | {len(chosen)} | {proven} | {at_bound} | {at_opt} | {lb:.4f} | {ub:.4f} | {bad} |")
    higher = sum(p["new"]["bound"] > p["old"]["bound"] for p in both.values())  # type: ignore[operator]
    lower = sum(p["new"]["bound"] < p["old"]["bound"] for p in both.values())  # type: ignore[operator]
    better = sum(p["new"]["objective"] < p["old"]["objective"] for p in both.values())  # type: ignore[operator]
    worse = sum(p["new"]["objective"] > p["old"]["objective"] for p in both.values())  # type: ignore[operator]
    print(f"\nBound new vs old: higher on {higher}, lower on {lower}, equal on "
          f"{len(both) - higher - lower}. Objective: better on {better}, worse on {worse}.\n")
    print("| instance | optimum | old: objective / bound | new: objective / bound | load |")
    print("| --- | ---: | --- | --- | ---: |")
    for name, pair in sorted(both.items()):
        old, new = pair["old"], pair["new"]
        cell = {k: f"{r['objective']} / {r['bound']}" + (" *" if r["status"] == "optimal" else "")
                for k, r in (("old", old), ("new", new))}
        print(f"| {name} | {new['optimum']} | {cell['old']} | {cell['new']} | {new['load']} |")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--summary":
        summary(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="*", help="j60 instance names")
    parser.add_argument("--old", type=Path, required=True, help="the other checkout")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--closed-unproven", type=Path, help="add those of this results file")
    args = parser.parse_args()
    refs = references()
    names = list(args.instances)
    if args.closed_unproven:
        names += [n for n in closed_unproven(args.closed_unproven, refs) if n not in names]
    for k, name in enumerate(names):
        order = [("new", ROOT), ("old", args.old)]
        if k % 2:
            order.reverse()
        for label, checkout in order:
            run = run_one(checkout, name, args.time_limit)
            ref = refs[name]
            bad = (run.get("status") == "optimal" and str(run["objective"]) != ref["upper_bound"]
                   and ref["status"] == "optimal")
            bad = bad or (run.get("bound") is not None and int(run["bound"]) > int(ref["upper_bound"]))
            print(json.dumps({"instance": name, "version": label, **run,
                              "optimum": int(ref["upper_bound"]) if ref["status"] == "optimal" else None,
                              "contradicts_reference": bad,
                              "load": round(os.getloadavg()[0], 1)}), flush=True)


if __name__ == "__main__":
    main()
