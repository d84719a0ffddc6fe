"""Does `schedkit warmup` leave anything to compile? Every method of every family with numba
kernels runs on real bundled instances (one process, NUMBA_DEBUG_CACHE=1, a short limit), and
each run lists the kernel caches it had to write: anything listed compiled inside a run's budget.

    schedkit warmup && NUMBA_DEBUG_CACHE=1 python benchmarks/warmup_coverage.py --out bench-runs/w.md
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import sys
import time
from pathlib import Path

import schedkit
from schedkit.registry import methods

CASES = [  # (family, bundled file, load options): a real instance per model variant
    ("smtt", "instances/smtt/wt40.txt#1", {}),
    ("smtt", "instances/smtt/smtt_n100.jsonl#1", {}),
    ("jobshop", "instances/jobshop/classic/ft06", {}),
    ("jobshop", "instances/jobshop/classic/la01", {"blocking": True}),
    ("jobshop", "instances/jobshop/fjsp/edata_mt06.fjs", {}),
    ("rcpsp", "instances/rcpsp/j30/j301_1.sm", {}),
    ("rcpsp", "instances/rcpsp/max/sm_j10/PSP1.SCH", {}),
    ("dag", "instances/dag/topcuoglu2002_fig2.json", {}),
    ("pods", "instances/pods/grid.jsonl#1", {}),
    ("vmr", "instances/vmr/sample_m12.json", {}),
]


def compiled_during(path: str, options: dict, method: str, limit: float) -> tuple[str, list[str]]:
    """Run one method; its status and the kernel caches numba wrote meanwhile (its debug log
    goes to stdout, captured here)."""
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        try:
            instance = schedkit.load(path, **options)
            status: str = schedkit.solve(instance, method, time_limit=limit, workers=1).status
        except schedkit.SchedkitError as error:
            status = type(error).__name__
    saved = [line.split("__pycache__/")[-1].strip("'") for line in log.getvalue().splitlines()
             if "data saved" in line]
    return status, saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="a new Markdown file")
    parser.add_argument("--time-limit", type=float, default=4.0)
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"warmup_coverage: {args.out} exists; give a new --out")
    if os.environ.get("NUMBA_DEBUG_CACHE") != "1":
        sys.exit("warmup_coverage: run with NUMBA_DEBUG_CACHE=1 (numba reads it at import)")
    began = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    rows, dirty = [], 0
    for family, path, options in CASES:
        for method in methods(family):
            status, saved = compiled_during(path, options, method.name, args.time_limit)
            dirty += bool(saved)
            label = path.split("/")[-1] + (" (blocking)" if options.get("blocking") else "")
            rows.append(f"| {family} | {label} | {method.name} | {status} | {', '.join(saved) or '-'} |")
            print(rows[-1], flush=True)
    text = "\n".join([
        "# After `schedkit warmup`: kernels still compiled inside a run", "",
        f"- {began} UTC, machine {platform.node()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}",
        f"- command: `NUMBA_DEBUG_CACHE=1 python benchmarks/warmup_coverage.py {' '.join(sys.argv[1:])}`"
        " right after `schedkit warmup` on a fresh tree", f"- time limit {args.time_limit:g} s, 1 worker",
        f"- **{len(rows) - dirty} of {len(rows)} runs compiled nothing**", "",
        "| family | instance | method | status | caches written during the run |",
        "| --- | --- | --- | --- | --- |", *rows, ""])
    args.out.write_text(text)


if __name__ == "__main__":
    main()
