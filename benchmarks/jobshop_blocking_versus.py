"""Blocking job shop: this tree's `cpsat` against an older commit's, interleaved per instance and
seed (who goes first alternates from one pair to the next), so both see the same load. The older commit is
unpacked into a temporary folder (git archive) and its kernels compiled there before timing; each
run is its own process. Writes a CSV (one row per run) and a Markdown report.

    python benchmarks/jobshop_blocking_versus.py --base 970ce7c --time-limit 60 --seeds 0 1 \
        --csv benchmarks/reports/jobshop_blocking_escape.csv \
        --out benchmarks/reports/jobshop_blocking_escape.md la36 la37 la38 ta01 ta05 la31
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from jobshop_blocking_static import references  # noqa: E402

ONE_RUN = """
import json, sys, time, schedkit
name, limit, workers, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
instance = schedkit.load("instances/jobshop/classic/" + name, blocking=True)
began = time.perf_counter()
result = schedkit.solve(instance, "cpsat", time_limit=limit, workers=workers, seed=seed)
wall = time.perf_counter() - began
report = schedkit.check(instance, result)
print(json.dumps({"status": result.status, "objective": result.objective, "bound": result.bound,
                  "wall": round(wall, 2), "feasible": bool(report.feasible),
                  "ig": result.stats.get("ig_objective")}))
"""
FIELDS = ["instance", "seed", "tree", "status", "objective", "bound", "wall", "feasible", "ig", "load"]


def one_run(tree: Path, name: str, limit: float, workers: int, seed: int) -> dict[str, object]:
    """`cpsat` of the tree at `tree` on blocking `name`, in a fresh process."""
    out = subprocess.run([sys.executable, "-c", ONE_RUN, name, str(limit), str(workers), str(seed)],
                         cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(args: argparse.Namespace, base_tree: Path) -> list[dict[str, object]]:
    """Every instance and seed, both trees, the first one alternating per pair (a steady drift of
    the load then favours neither); rows appended to the CSV as they come."""
    rows: list[dict[str, object]] = []
    trees = ((ROOT, "new"), (base_tree, f"base@{args.base[:7]}"))
    pair = 0
    with open(args.csv, "x", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        for name in args.instances:
            for seed in args.seeds:
                order = trees if pair % 2 == 0 else trees[::-1]
                pair += 1
                for tree, label in order:
                    load = f"{os.getloadavg()[0]:.2f}"
                    row = {"instance": name, "seed": seed, "tree": label, "load": load,
                           **one_run(tree, name, args.time_limit, args.workers, seed)}
                    writer.writerow(row)
                    handle.flush()
                    rows.append(row)
                    print(row, flush=True)
    return rows


def report(args: argparse.Namespace, rows: list[dict[str, object]], began: str, ended: str) -> str:
    """Per instance and seed both objectives and gaps to the best reference; the means."""
    refs = references()
    labels = ["new", f"base@{args.base[:7]}"]
    by = {(r["instance"], r["seed"], r["tree"]): r for r in rows}
    lines = ["| instance | seed | best ref | " + " | ".join(f"{t} (ig)" for t in labels) + " | "
             + " | ".join(f"gap {t}" for t in labels) + " | load |",
             "|" + " --- |" * (4 + 2 * len(labels))]
    gaps: dict[str, list[float]] = {t: [] for t in labels}
    wins = [0, 0]
    for name in args.instances:
        ref = refs.get(name, {})
        best = min(int(ref[s]["Objective"]) for s in ref if ref[s]["Objective"])
        for seed in args.seeds:
            cells, gap_cells = [], []
            values: list[int | None] = []
            for t in labels:
                r = by[(name, seed, t)]
                if r["objective"] in (None, "", "None"):  # no plan within the limit: loses to any plan
                    values.append(None)
                    cells.append(f"none ({r['status']})")
                    gap_cells.append("-")
                    continue
                value = int(str(r["objective"]))
                values.append(value)
                gap = 100.0 * (value - best) / best
                gaps[t].append(gap)
                cells.append(f"{value} ({r['ig']})")
                gap_cells.append(f"{gap:.1f}%")
            ranked = [float("inf") if v is None else v for v in values]
            wins[0] += ranked[0] < ranked[1]
            wins[1] += ranked[1] < ranked[0]
            loads = " / ".join(str(by[(name, seed, t)]["load"]) for t in labels)
            lines.append(f"| {name} | {seed} | {best} | " + " | ".join(cells) + " | " + " | ".join(gap_cells)
                         + f" | {loads} |")
    summary = ["- mean gap to the best reference: " + ", ".join(
        f"{t} {sum(g) / len(g):.2f} % over {len(g)} plans" if g else f"{t}: no plan"
        for t, g in gaps.items()),
        f"- {labels[0]} better on {wins[0]} runs, {labels[1]} better on {wins[1]}, "
        f"equal on {len(args.instances) * len(args.seeds) - sum(wins)}"]
    meta = [f"- machine: {platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}",
            f"- {began} to {ended} UTC; cpsat, {args.time_limit:g} s, {args.workers} workers, "
            f"seeds {args.seeds}",
            f"- command: python benchmarks/jobshop_blocking_versus.py --base {args.base} --time-limit "
            f"{args.time_limit:g} --seeds {' '.join(map(str, args.seeds))} ... {' '.join(args.instances)}",
            "- (ig) = the objective the iterated-greedy phase handed to CP-SAT; load = 1-min load average "
            "before each run (new / base); who ran first alternated from one pair to the next"]
    return "\n".join([*meta, "", *summary, "", *lines, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--base", required=True, help="the older commit")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--csv", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    for path in (args.csv, args.out):  # reports are committed: never overwrite one
        if Path(path).exists():
            sys.exit(f"jobshop_blocking_versus: {path} exists; give a new file name")
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], capture_output=True,
                                 check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        for tree in (ROOT, Path(tmp)):  # compile (or load) both trees' kernels before timing
            subprocess.run([sys.executable, "-m", "schedkit", "warmup", "jobshop"], cwd=tree,
                           env={**os.environ, "PYTHONPATH": str(tree)}, check=True, capture_output=True)
        began = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
        rows = run(args, Path(tmp))
    text = report(args, rows, began, time.strftime("%H:%M", time.gmtime()))
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
