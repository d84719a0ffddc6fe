"""Serving policies against load: mean and p95 JCT per policy, SWE-like and BFCL-like traces.

For each workload, load and seed: one generated trace, every serving policy through the public
API (`schedkit.generate.serving`, `schedkit.solve`), every log through `schedkit.check`. Then the
speed test: 10,000 SWE-like programs per policy after compilation. Writes the Markdown report,
the CSV and one PNG per workload. Run with `make bench-serving` (FAST=1: 3 seeds).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import statistics
import time
from importlib.metadata import version
from pathlib import Path

import schedkit
from schedkit.bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
METHODS = ["fcfs", "fcfs-lru", "program-fcfs", "continuum", "las", "srpt", "ttl-opt"]
LOADS = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95]
PROGRAMS = {"swe": 400, "bfcl": 2000}
SPEED_PROGRAMS = 10_000


def sweep(seeds: int) -> list[dict[str, object]]:
    """One row per (workload, load, seed, method)."""
    rows = []
    for workload, count in PROGRAMS.items():
        for load in LOADS:
            for seed in range(seeds):
                instance = schedkit.generate.serving(count, workload, load=load, seed=seed)
                for method in METHODS:
                    result = schedkit.solve(instance, method, seed=seed)
                    report = schedkit.check(instance, result)
                    assert report.feasible, (workload, load, seed, method, report.violations[:3])
                    rows.append({"workload": workload, "load": load, "seed": seed, "method": method,
                                 "calls": instance.turns, **{k: result.stats[k] for k in (
                                     "jct_mean", "jct_p95", "kv_hit_rate", "reprefilled_tokens",
                                     "gpu_busy_fraction", "simulate_seconds")},
                                 "wall": result.wall_time})
                print(workload, load, seed, flush=True)
    return rows


def speed() -> list[tuple[str, int, float]]:
    """(method, LLM calls, best of 3 simulate seconds) on 10,000 SWE-like programs at load 0.9."""
    instance = schedkit.generate.serving(SPEED_PROGRAMS, "swe", load=0.9, seed=0)
    out = []
    for method in ["fcfs", "fcfs-lru", "program-fcfs", "continuum", "las", "srpt"]:
        schedkit.solve(schedkit.generate.serving(5, "swe", seed=1), method)  # compile
        times = [schedkit.solve(instance, method).stats["simulate_seconds"] for _ in range(3)]
        out.append((method, instance.turns, min(times)))
    return out


def _mean(rows, workload, load, method, key):
    return statistics.fmean(r[key] for r in rows if (r["workload"], r["load"], r["method"])
                            == (workload, load, method))


def plot(rows, out: Path) -> list[str]:
    """One PNG per workload: mean and p95 JCT against load, one line per policy."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    for workload in PROGRAMS:
        figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
        for ax, key, title in ((axes[0], "jct_mean", "mean JCT"), (axes[1], "jct_p95", "p95 JCT")):
            for method in METHODS:
                ax.plot(LOADS, [_mean(rows, workload, x, method, key) for x in LOADS], marker="o",
                        label=method)
            ax.set_yscale("log")
            ax.set_xlabel("load (offered work / capacity)")
            ax.set_ylabel(f"{title} (s)")
            ax.set_title(f"{workload}-like, {PROGRAMS[workload]} programs: {title}")
            ax.grid(linewidth=0.3)
            ax.legend(fontsize=8)
        figure.tight_layout()
        name = f"serving_{workload}.png"
        figure.savefig(out.parent / name, dpi=100)
        plt.close(figure)
        names.append(name)
    return names


def report(rows, speeds, seeds: int, out: Path, started: float, load_avg: tuple[float, ...]) -> None:
    """The Markdown report."""
    lines = [
        "# Serving policies against load (issue 19)", "",
        f"- Date: {datetime.date.today()}; command: `make bench-serving` "
        f"(`python benchmarks/serving.py --seeds {seeds}`); wall time {time.time() - started:.0f} s.",
        f"- Machine: {describe()}; {platform.python_version()}; numba {version('numba')}, "
        f"numpy {version('numpy')}. Load average at start {load_avg[0]:.2f} (other helpers were "
        "running on the same 2 cores).",
        f"- Traces: `schedkit.generate.serving(n, workload, load, seed)` with n = "
        f"{PROGRAMS['swe']} SWE-like and {PROGRAMS['bfcl']} BFCL-like programs, seeds 0..{seeds - 1}, "
        "server preset h100-8b. Every log passed `schedkit.check`.",
        "- Cells: mean over seeds of each trace's mean (or p95) JCT in seconds; ratio = fcfs / "
        "continuum and continuum / ttl-opt of those means.", "",
    ]
    for workload in PROGRAMS:
        for key, title in (("jct_mean", "mean JCT (s)"), ("jct_p95", "p95 JCT (s)")):
            lines += [f"## {workload}-like: {title}", "",
                      "| load | " + " | ".join(METHODS) + " | fcfs/continuum | continuum/ttl-opt |",
                      "|---" * (len(METHODS) + 3) + "|"]
            for load in LOADS:
                cells = {m: _mean(rows, workload, load, m, key) for m in METHODS}
                lines.append(f"| {load} | " + " | ".join(f"{cells[m]:.4g}" for m in METHODS)
                             + f" | {cells['fcfs'] / cells['continuum']:.2f}x"
                             + f" | {cells['continuum'] / cells['ttl-opt']:.2f}x |")
            lines.append("")
        lines += [f"KV hit rate ({workload}): " + "; ".join(
            f"load {x}: " + ", ".join(f"{m} {_mean(rows, workload, x, m, 'kv_hit_rate'):.2f}"
                                      for m in ("fcfs-lru", "continuum", "ttl-opt"))
            for x in LOADS), "", f"![{workload}](serving_{workload}.png)", ""]
    lines += ["## Speed: 10,000 SWE-like programs (load 0.9), after compilation", "",
              "| method | LLM calls | simulate seconds (best of 3) |", "|---|---|---|"]
    lines += [f"| {m} | {calls} | {seconds:.2f} |" for m, calls, seconds in speeds]
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/reports/serving.md")
    args = parser.parse_args()
    started, load_avg = time.time(), os.getloadavg()
    speeds = speed()
    print(speeds, flush=True)
    rows = sweep(args.seeds)
    with (args.out.with_suffix(".csv")).open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plot(rows, args.out)
    report(rows, speeds, args.seeds, args.out, started, load_avg)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
