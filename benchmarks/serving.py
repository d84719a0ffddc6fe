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
import json
import os
import statistics
import time
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


def speed() -> list[tuple[str, int, float, float, float]]:
    """(method, LLM calls, best of 3 simulate seconds, load average then, best of 3 CPU seconds
    of the whole solve incl. metrics) on 10,000 SWE-like programs at load 0.9."""
    instance = schedkit.generate.serving(SPEED_PROGRAMS, "swe", load=0.9, seed=0)
    out = []
    for method in ["fcfs", "fcfs-lru", "program-fcfs", "continuum", "las", "srpt"]:
        schedkit.solve(schedkit.generate.serving(5, "swe", seed=1), method)  # compile
        walls, cpus = [], []
        for _ in range(3):
            cpu = time.process_time()
            walls.append(schedkit.solve(instance, method).stats["simulate_seconds"])
            cpus.append(time.process_time() - cpu)
        out.append((method, instance.turns, min(walls), os.getloadavg()[0], min(cpus)))
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


def summary(rows) -> list[str]:
    """The goals of issue 19, read off the table: where continuum and ttl-opt help and where not."""
    lines = ["## Summary", ""]
    for workload in PROGRAMS:
        def ratio(load, slow, fast, w=workload):
            return _mean(rows, w, load, slow, "jct_mean") / _mean(rows, w, load, fast, "jct_mean")

        loaded = [x for x in LOADS if x >= 0.7]
        vs_fcfs = [ratio(x, "fcfs", "continuum") for x in loaded]
        no_help = [x for x in LOADS if ratio(x, "fcfs-lru", "continuum") < 1.02]
        tuned = [ratio(x, "continuum", "ttl-opt") for x in (0.9, 0.95)]
        lines.append(
            f"- {workload}-like: continuum / fcfs mean-JCT speed-up {min(vs_fcfs):.2f}x to "
            f"{max(vs_fcfs):.2f}x at loads 0.7-0.95 (goal: >= 1.12x somewhere). Against fcfs-lru "
            "(prefix caching kept until memory pressure) continuum gains less than 2 % at loads "
            f"{', '.join(map(str, no_help)) or 'none'}. ttl-opt over continuum at loads 0.9 and "
            f"0.95: {tuned[0]:.2f}x and {tuned[1]:.2f}x (goal: >= 1.05x).")
    lines += [
        "- Reading: `load` counts work with every cache kept and the fixed iteration cost shared by "
        "16 sequences; on SWE-like traces GPU memory (390,000 tokens, ~14 programs' contexts) binds "
        "before compute, so from load ~0.7 the policies that lose caches under pressure are "
        "overloaded: their JCTs then grow with the trace length (400 programs here), the numbers "
        "are a finite-trace transient, not a steady state. fcfs re-prefills every context at every "
        "turn and is overloaded already at 0.3.",
        "- BFCL-like contexts are small (~1,500 tokens), memory never binds on h100-8b, every "
        "cache survives its tool call (hit rate 1.00) and all cache-keeping policies give the same "
        "schedule: continuum's pins and ttl-opt's tuning cannot help there; only fcfs, which "
        "drops caches, is slower.",
        "- ttl-opt tunes on the first 25 % of programs and serves the rest with the tuned rule; "
        "at load 0.5 its p95 is 1 % above continuum's (within seed noise).",
    ]
    return [*lines, ""]


def report(rows, speeds, seeds: int, out: Path, run: dict[str, object]) -> None:
    """The Markdown report."""
    lines = [
        "# Serving policies against load (issue 19)", "",
        f"- Date: {run['date']}; command: `make bench-serving` "
        f"(`python benchmarks/serving.py --seeds {seeds}`); wall time {run['wall']:.0f} s.",
        f"- Machine: {run['machine']}. Load average at start {run['load']:.2f} (other helpers were "
        "running on the same 2 cores).",
        f"- Traces: `schedkit.generate.serving(n, workload, load, seed)` with n = "
        f"{PROGRAMS['swe']} SWE-like and {PROGRAMS['bfcl']} BFCL-like programs, seeds 0..{seeds - 1}, "
        "server preset h100-8b. Every log passed `schedkit.check`.",
        "- Cells: mean over seeds of each trace's mean (or p95) JCT in seconds; ratio = fcfs / "
        "continuum and continuum / ttl-opt of those means.", "",
        *summary(rows),
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
              "| method | LLM calls | simulate wall seconds (best of 3) | CPU seconds of the solve "
              "(best of 3) | machine load average |", "|---|---|---|---|---|"]
    lines += [f"| {m} | {calls} | {seconds:.2f} | {cpu:.2f} | {load:.1f} |"
              for m, calls, seconds, load, cpu in speeds]
    lines += ["", "The machine has 2 cores shared with other jobs: at a load average of L the "
              "simulator gets about 2/L of a core, so these times are upper bounds."]
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/reports/serving.md")
    parser.add_argument("--from-csv", action="store_true",
                        help="rebuild the report and plots from the committed CSVs (no runs)")
    parser.add_argument("--speed-only", action="store_true",
                        help="measure the speed test again, then rebuild from the CSVs")
    args = parser.parse_args()
    started, load_avg = time.time(), os.getloadavg()
    table, speed_table = args.out.with_suffix(".csv"), args.out.with_name("serving_speed.csv")
    if args.speed_only:
        speeds = speed()
        with speed_table.open("w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(speeds)
        args.from_csv = True
    if args.from_csv:
        rows = [{k: (v if k in ("workload", "method") else float(v)) for k, v in row.items()}
                for row in csv.DictReader(table.open())]
        speeds = [(m, int(c), float(t), float(x), float(u))
                  for m, c, t, x, u in csv.reader(speed_table.open())]
    else:
        speeds = speed()
        print(speeds, flush=True)
        rows = sweep(args.seeds)
        with table.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        with speed_table.open("w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(speeds)
    meta = args.out.with_name("serving_run.json")
    if args.from_csv:
        run = json.loads(meta.read_text())
    else:
        run = {"date": str(datetime.date.today()), "wall": time.time() - started,
               "machine": describe(), "load": load_avg[0]}
        meta.write_text(json.dumps(run) + "\n")
    plot(rows, args.out)
    report(rows, speeds, int(max(r["seed"] for r in rows)) + 1, args.out, run)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
