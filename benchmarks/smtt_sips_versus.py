"""Side by side: our `bdp` against SiPS (Tanaka's C library) on OR-Library weighted tardiness sets,
one process at a time, interleaved per instance (bdp, then SiPS), 1 worker each (issue 22).

SiPS is a benchmark-only tool: it is never part of schedkit. Build it yourself outside the
repository from its public source (https://sites.google.com/site/shunjitanaka/sips, 2-clause BSD)
with a driver that reads `n` then n lines `p d w` from the file given as its argument and prints
`objective=<v> seconds=<s>`; pass that program as --sips.

    python benchmarks/smtt_sips_versus.py --sips /tmp/sips/sips_wt --sets 40 100 --out X.md
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

import schedkit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from smtt_bdp import orlib, run  # noqa: E402  (the same OR-Library reader and checked bdp runs)

SETS = (40, 50, 100)
SIPS_LINE = re.compile(r"objective=(-?\d+)\s+seconds=([0-9.eE+-]+)")


def run_sips(instance: schedkit.SMTTInstance, driver: Path, limit: float) -> dict:
    """One SiPS run in its own process (wall time measured here, and SiPS's own)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(f"{instance.n}\n")
        for p, d, w in zip(instance.p, instance.d, instance.w, strict=True):
            handle.write(f"{p} {d} {w}\n")
        path = handle.name
    started = time.perf_counter()
    try:
        done = subprocess.run([str(driver), path], capture_output=True, text=True,
                              timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "objective": None, "seconds": time.perf_counter() - started,
                "own": None}
    finally:
        os.unlink(path)
    seconds = time.perf_counter() - started
    match = SIPS_LINE.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"SiPS failed on {instance.name}: {done.stdout[-300:]} {done.stderr[-300:]}")
    objective = int(match.group(1))
    status = "optimal" if objective == instance.meta["opt"] else "WRONG"
    return {"status": status, "objective": objective, "seconds": seconds,
            "own": float(match.group(2))}


def section(title: str, rows: list[dict]) -> list[str]:
    """The set's summary (proven, median and max time, ratio of medians) and its rows."""
    ours = [r["bdp"]["seconds"] for r in rows]
    theirs = [r["sips"]["seconds"] for r in rows]
    ratios = [a / max(b, 1e-6) for a, b in zip(ours, theirs, strict=True)]
    ratio = statistics.median(ours) / max(statistics.median(theirs), 1e-6)
    proven = sum(r["bdp"]["status"] == "optimal" for r in rows)
    solved = sum(r["sips"]["status"] == "optimal" for r in rows)
    lines = [f"### {title}", "",
             "| solver | instances | optimal | median s | max s |", "| --- | ---: | ---: | ---: | ---: |",
             f"| bdp | {len(rows)} | {proven} | {statistics.median(ours):.3f} | {max(ours):.2f} |",
             f"| SiPS | {len(rows)} | {solved} | {statistics.median(theirs):.3f} | {max(theirs):.2f} |",
             "",
             f"Ratio of median times bdp / SiPS: **{ratio:.2f}**; "
             f"median of the per-instance ratios {statistics.median(ratios):.2f}; bdp faster on "
             f"{sum(x < 1 for x in ratios)} of {len(rows)}. SiPS's wall time includes its process "
             "start; bdp's is `schedkit.solve` in a warm process.", "",
             "| instance | optimum | bdp | bdp s | SiPS | SiPS s (wall / own) |",
             "| --- | ---: | --- | ---: | --- | ---: |"]
    for r in rows:
        b, s = r["bdp"], r["sips"]
        own = "" if s["own"] is None else f" / {s['own']:.3f}"
        lines.append(f"| {r['name']} | {r['opt']} | {b['status']} {b['objective']} | {b['seconds']:.3f} "
                     f"| {s['status']} {s['objective']} | {s['seconds']:.3f}{own} |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sips", type=Path, required=True, help="the SiPS driver program")
    parser.add_argument("--sets", nargs="*", type=int, default=[40, 100], choices=SETS)
    parser.add_argument("--pick", type=int, nargs="*", help="instance numbers (default: all)")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per run, each solver")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"smtt_sips_versus: {args.out} exists; give a new --out")
    schedkit.solve(orlib(40)[0], "bdp", workers=1)  # compile (or load) the kernels first
    load_before = os.getloadavg()
    started = time.perf_counter()
    sections: list[str] = []
    for n in args.sets:
        rows = []
        instances = orlib(n)
        for instance in [instances[k - 1] for k in args.pick] if args.pick else instances:
            row = {"name": instance.name, "opt": instance.meta["opt"],
                   "bdp": run([instance], args.limit)[0],
                   "sips": run_sips(instance, args.sips, args.limit)}
            rows.append(row)
            print(f"{row['name']}: bdp {row['bdp']['status']} {row['bdp']['seconds']:.3f}s, "
                  f"SiPS {row['sips']['status']} {row['sips']['seconds']:.3f}s", flush=True)
        sections += section(f"OR-Library wt{n} ({len(rows)} instances)", rows)
    load_after = os.getloadavg()
    header = [
        "# bdp against SiPS, side by side", "",
        f"Command: `python benchmarks/smtt_sips_versus.py {' '.join(sys.argv[1:])}`.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, numba {numba.__version__}, schedkit {schedkit.__version__}. "
        "Per instance: bdp (1 worker) then SiPS (its own process, single-threaded), one at a time.",
        f"Load average (1 min) before / after: {load_before[0]:.1f} / {load_after[0]:.1f}. "
        f"Total wall time {time.perf_counter() - started:.0f} s.", "",
    ]
    args.out.write_text("\n".join(header + sections))
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
