"""Every method of every family on an empty numba cache: what a first call answers at a short
limit. Each run is a fresh process with its own new NUMBA_CACHE_DIR; it ends with os._exit, so
the compilation it leaves going is dropped and the next run starts cold too.

    python benchmarks/cold_cache.py --time-limit 2 --out bench-runs/cold_cache.md
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from schedkit.bench.machine import describe
from schedkit.registry import methods

ROOT = Path(__file__).resolve().parents[1]
# One small bundled instance per family (RCPSP twice: a plain project and one with time lags).
CASES = (
    ("dag", "instances/dag/topcuoglu2002_fig2.json", None),
    ("groundstation", "instances/groundstation/csgsnsp/gs_sat20.json", None),
    ("jobshop", "instances/jobshop/classic/ft06", None),
    ("pods", "instances/pods/grid.jsonl#1", None),
    ("rcpsp", "instances/rcpsp/j30/j3010_1.sm", None),
    ("rcpsp", "instances/rcpsp/max/sm_j30/PSP11.SCH", ("auto", "cpsat", "sgs-lags")),
    ("serving", "instances/serving/swe-8.jsonl", None),
    ("smtt", "instances/smtt/sample_wt40_1.json", None),
    ("vmr", "instances/vmr/sample_m12.json", None),
)
RUN = """
import json, os, sys, time
began = time.perf_counter()
import schedkit
x = schedkit.load(sys.argv[1])
try:
    r = schedkit.solve(x, sys.argv[2], time_limit=float(sys.argv[3]), workers=2)
    checked = schedkit.check(x, r).feasible if r.solution is not None else None
    row = {"status": r.status, "objective": r.objective, "bound": r.bound, "checked": checked,
           "compiling": bool(r.stats.get("compiling")), "hard_deadline": bool(r.stats.get("hard_deadline")),
           "solve_seconds": round(r.wall_time, 2)}
except Exception as error:
    row = {"status": "refused", "error": str(error)[:100]}
row["process_seconds"] = round(time.perf_counter() - began, 2)
print(json.dumps(row)); sys.stdout.flush(); os._exit(0)
"""


def run(path: str, method: str, limit: float) -> dict:
    """One cold run in a fresh process: its JSON row."""
    cache = tempfile.mkdtemp(prefix="schedkit-cold-")
    try:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", RUN, path, method, str(limit)], cwd=ROOT,
                              env=env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def report(rows: list[tuple[str, str, str, dict]], limit: float, loads: tuple[float, float],
           command: str) -> str:
    """The Markdown report: set-up, a summary line and one row per run."""
    answered = sum(r["status"] in ("optimal", "feasible", "infeasible") for *_, r in rows)
    unknown = sum(r["status"] == "unknown" for *_, r in rows)
    refused = sum(r["status"] == "refused" for *_, r in rows)
    lines = [
        f"# First calls on an empty numba cache, {limit:g} s",
        "",
        f"- machine: {describe()}",
        f"- load average (1 min) at the start / end: {loads[0]:.1f} / {loads[1]:.1f}",
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- command: `{command}`",
        "- each run: a fresh process, a new empty `NUMBA_CACHE_DIR`, `schedkit.solve(..., "
        f"time_limit={limit:g}, workers=2)`, the answer through `schedkit.check`, then `os._exit` "
        "(the compilation left going is dropped)",
        "",
        f"**{answered} of {len(rows)} runs answered** (a checked solution or a proof), "
        f"{unknown} `unknown`, {refused} refused up front (a method that does not serve the "
        "instance: a one-line error).",
        "",
        "| family | instance | method | status | objective | bound | checked "
        "| fell back (compiling) | solve s | process s |",
        "| --- | --- | --- | --- | ---: | ---: | --- | --- | ---: | ---: |",
    ]
    for family, path, method, r in rows:
        if r["status"] == "refused":
            lines.append(f"| {family} | {Path(path).name} | {method} | refused: {r['error']} | | | | | | "
                         f"{r['process_seconds']} |")
            continue
        lines.append(f"| {family} | {Path(path).name} | {method} | {r['status']} | {r['objective']} | "
                     f"{r['bound']} | {r['checked']} | {r['compiling']} | {r['solve_seconds']} | "
                     f"{r['process_seconds']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--out", type=Path, required=True, help="the Markdown report (must not exist)")
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} exists: reports are never overwritten")
    start_load = os.getloadavg()[0]
    rows = []
    for family, path, only in CASES:
        for method in only or [row.name for row in methods(family)]:
            row = run(path, method, args.time_limit)
            print(family, method, json.dumps(row), flush=True)
            rows.append((family, path, method, row))
    command = f"python benchmarks/cold_cache.py --time-limit {args.time_limit:g} --out {args.out}"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(rows, args.time_limit, (start_load, os.getloadavg()[0]), command))


if __name__ == "__main__":
    main()
