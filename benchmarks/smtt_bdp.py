"""Benchmark of `bdp` (successive sublimation DP, issue 22): OR-Library wt40 / wt50 / wt100 with
known optima and generated Potts–Van Wassenhove weighted classes, one worker, one process,
instances in turn. Writes a Markdown report (machine, versions, load, command).

    python benchmarks/smtt_bdp.py --out bench-runs/smtt_bdp_run.md   (or `make bench-smtt-bdp`)
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numba
import numpy as np

import schedkit

ROOT = Path(__file__).resolve().parent.parent
SMTT = ROOT / "instances" / "smtt"
GENERATED_CLASSES = [(tf, rdd) for tf in (0.2, 0.4, 0.6, 0.8, 1.0) for rdd in (0.2, 0.4, 0.6, 0.8)]


def orlib(n: int) -> list[schedkit.SMTTInstance]:
    """All 125 instances of OR-Library wt<n>.txt with the optima of wtopt<n>.txt."""
    opt = [int(v) for v in (SMTT / f"wtopt{n}.txt").read_text().split()]
    out = []
    for k in range(1, len(opt) + 1):
        instance = schedkit.load(f"{SMTT / f'wt{n}.txt'}#{k}")
        out.append(instance.replace(name=f"wt{n}#{k}", meta={"opt": opt[k - 1]}))
    return out


def wt40() -> list[schedkit.SMTTInstance]:
    """OR-Library wt40 (the name smtt_bdp_versus.py's workers import, old trees included)."""
    return orlib(40)


def generated(n: int, classes: list[tuple[float, float]], per_class: int = 1
              ) -> list[schedkit.SMTTInstance]:
    """`per_class` PvW weighted instances per (TF, RDD) class, seed 1000·n + class + 100·rep;
    rep 0 keeps the seeds of the one-per-class runs, so earlier reports stay comparable."""
    out = []
    for rep in range(per_class):
        for c, (tf, rdd) in enumerate(classes):
            seed = 1000 * n + c + 100 * rep
            instance = schedkit.generate.smtt(n, tf, rdd, seed=seed, weighted=True)
            suffix = f"-r{rep}" if per_class > 1 else ""
            out.append(instance.replace(name=f"pvw{n}-tf{tf}-rdd{rdd}{suffix}"))
    return out


def wt100_standin() -> list[schedkit.SMTTInstance]:
    """A stand-in for the OR-Library wt100 (kept from before the full file was bundled): 125 generated n = 100
    instances in its layout (#1-25 RDD 0.2, then 0.4 ... 1.0; within each 25, TF 0.2 ... 1.0
    five at a time), Potts-Van Wassenhove weighted, seed 100000 + k. NOT the OR-Library set.
    In the order #1, #6, ..., #121, #2, #7, ...: a run cut by --wall covers every class."""
    out = []
    for k in range(1, 126):
        rdd = round(0.2 * ((k - 1) // 25 + 1), 1)
        tf = round(0.2 * ((k - 1) % 25 // 5 + 1), 1)
        instance = schedkit.generate.smtt(100, tf, rdd, seed=100_000 + k, weighted=True)
        out.append(instance.replace(name=f"standin100#{k}"))
    return [out[5 * c + r] for r in range(5) for c in range(25)]  # every class once, then again


def run(instances: list[schedkit.SMTTInstance], limit: float, wall: float = float("inf")
        ) -> list[dict]:
    """Solve in turn; no instance is started after the perf_counter time `wall`."""
    rows = []
    for instance in instances:
        if time.perf_counter() >= wall:
            break
        started = time.perf_counter()
        result = schedkit.solve(instance, "bdp", time_limit=limit, workers=1)
        elapsed = time.perf_counter() - started
        report = schedkit.check(instance, result)
        assert report.feasible and report.objective == result.objective, instance.name
        opt = instance.meta.get("opt")
        if opt is not None:
            assert result.bound is None or result.bound <= opt, (instance.name, result.bound, opt)
            assert result.status != "optimal" or result.objective == opt, instance.name
        rows.append({
            "name": instance.name, "n": instance.n, "status": result.status,
            "objective": result.objective, "bound": result.bound, "opt": opt, "seconds": elapsed,
            "memory": float(result.stats.get("peak_memory_mb", 0.0)),
            "modifiers": result.stats.get("modifiers", 0), "stopped": result.stats.get("stopped", ""),
            "stage": result.stats.get("stage", ""), "stage2_bound": result.stats.get("stage2_bound", ""),
            "stage3_steps": result.stats.get("stage3_iterations", ""),
            "stage3_states": max(result.stats.get("stage3_round_states") or [0]),
        })
        print(f"{instance.name}: {result.status} {result.objective} bound {result.bound} "
              f"opt {opt} {elapsed:.2f}s {rows[-1]['memory']:.0f} MiB", flush=True)
    return rows


def summary(title: str, rows: list[dict], limit: float) -> list[str]:
    proven = [r for r in rows if r["status"] == "optimal"]
    times = [r["seconds"] for r in rows]
    gaps = [(r["objective"] - r["bound"]) / max(1, r["objective"]) for r in rows
            if r["status"] != "optimal" and r["bound"] is not None]
    lines = [f"### {title}", "",
             f"{len(rows)} instances, time limit {limit:g} s: **{len(proven)} proven optimal**; "
             f"median {statistics.median(times):.2f} s, max {max(times):.2f} s; peak memory "
             f"median {statistics.median(r['memory'] for r in rows):.0f} MiB, max "
             f"{max(r['memory'] for r in rows):.0f} MiB"
             + (f"; unproven: mean gap {100 * statistics.mean(gaps):.2f} %" if gaps else "") + ".",
             "", "| instance | n | status | objective | bound | known optimum | seconds | peak MiB | "
             "stage | stage-2 bound | modifiers | stage-3 steps | most stage-3 states | stopped |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| --- |"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['n']} | {r['status']} | {r['objective']} | {r['bound']} | "
                     f"{r['opt'] if r['opt'] is not None else ''} | {r['seconds']:.2f} | "
                     f"{r['memory']:.0f} | {r['stage']} | {r['stage2_bound']} | {r['modifiers']} | "
                     f"{r['stage3_steps']} | {r['stage3_states'] or ''} | {r['stopped']} |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="a new Markdown file")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per OR-Library instance")
    parser.add_argument("--generated-limit", type=float, default=60.0)
    parser.add_argument("--sizes", type=int, nargs="*", default=[150, 200, 300])
    parser.add_argument("--classes", type=int, default=20, help="generated classes per size")
    parser.add_argument("--per-class", type=int, default=5,
                        help="generated instances per class (issue 22: 5 per class, 20 classes)")
    parser.add_argument("--sets", nargs="*", default=["wt40", "wt50", "wt100", "generated"],
                        choices=["wt40", "wt50", "wt100", "generated", "standin"],
                        help="standin: 125 generated n = 100 in the OR-Library wt100 layout")
    parser.add_argument("--wall", type=float, default=float("inf"),
                        help="start no instance after this many seconds (the report says how many ran)")
    args = parser.parse_args()
    if args.out.exists():  # the committed report holds every round: never overwrite a file
        sys.exit(f"smtt_bdp: {args.out} exists; give a new --out")
    schedkit.solve(orlib(40)[0], "bdp", workers=1)  # compile (or load) the kernels first
    load_before = os.getloadavg()
    sections: list[str] = []
    sets = []
    for n in (40, 50, 100):
        if f"wt{n}" in args.sets:
            sets.append((f"OR-Library wt{n} (all 125)", orlib(n), args.limit))
    if "standin" in args.sets:
        sets.append(("Stand-in for wt100: 125 generated n = 100 in the OR-Library layout "
                     "(NOT the OR-Library instances)", wt100_standin(), args.limit))
    spread = GENERATED_CLASSES[::max(1, len(GENERATED_CLASSES) // args.classes)][:args.classes]
    for n in args.sizes if "generated" in args.sets else []:
        sets.append((f"Generated PvW weighted, n = {n} ({args.classes} classes (TF, RDD) spread "
                     f"over the 20, {args.per_class} per class)",
                     generated(n, spread, args.per_class), args.generated_limit))
    started = time.perf_counter()
    for title, instances, limit in sets:
        print(f"== {title}", flush=True)
        sections += summary(title, run(list(instances), limit, started + args.wall), limit)
    load_after = os.getloadavg()
    header = [
        "# bdp: successive sublimation DP on weighted SMTT (issue 22)", "",
        f"Command: `python benchmarks/smtt_bdp.py {' '.join(sys.argv[1:])}` (or `make bench-smtt-bdp`).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, numba {numba.__version__}. One worker, instances one at a time, "
        f"kernels compiled before timing.",
        f"Load average (1 min) before / after: {load_before[0]:.1f} / {load_after[0]:.1f}: the "
        "machine was shared with other jobs, so times are inflated and noisy.",
        f"Total wall time {time.perf_counter() - started:.0f} s.", "",
    ]
    args.out.write_text("\n".join(header + sections))
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
