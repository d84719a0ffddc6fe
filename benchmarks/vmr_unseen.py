"""VMR on clusters no suite, test or tuning run has seen (issue 23).

The clusters are drawn fresh with `schedkit.generate.vmr(300, u, seed, K)` from the seed range
FIRST_SEED .. FIRST_SEED + 19 (24000-24019). No benchmark suite, test or tuning run uses these
seeds: the suites and tests use seeds 0-8 (instances/vmr/, tests/vmr/), issue 23 itself
reported seeds 101-505, and `auto` was tuned only on the bundled clusters and on generated
95 % / K = 50 clusters with seeds 1-16 (`benchmarks/vmr_tune.py`, seeds below 20000 only).
The earlier range 23000-23019 is no longer unseen: two earlier runs used 23000-23009
(reports `vmr_unseen_run1.md` and `vmr_unseen_run2.md`) and `auto` was changed after seeing
them. Run it once, after the changes, and commit the report it writes.

Grid: 300 machines at 90 % and 95 % CPU, K in {25, 50}, `--seeds` seeds each (20 for the full
grid). Per cluster: `auto` (2 workers) and `lns` (1 worker) at `--limit` seconds, and `mip`
(1 worker) at `--reference` seconds as the reference. Reported: the fragment-rate gap of
`auto` and `lns` to the reference plan, whether each reached it within 0.01 FR, whether each
proved its plan optimal, and the caller-side wall time. Every plan passes `schedkit.check`.

    python benchmarks/vmr_unseen.py [--seeds 20] [--offset 0] [--limit 5] [--reference 120]
                                    [--out benchmarks/reports/vmr_unseen.md]

Results are appended to `<out>.jsonl` as they come (a rerun with the same arguments resumes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from importlib.metadata import version
from pathlib import Path

import schedkit

ROOT = Path(__file__).resolve().parent.parent
FIRST_SEED = 24000
UTILISATIONS = (0.90, 0.95)
LIMITS = (25, 50)
GOAL = 0.01
METHODS = (("auto", 2, "limit"), ("lns", 1, "limit"), ("mip", 1, "reference"))


def run(instance: schedkit.VMRInstance, method: str, workers: int, seconds: float) -> dict:
    """One checked run as a record."""
    began = time.perf_counter()
    result = schedkit.solve(instance, method, time_limit=seconds, seed=0, workers=workers)
    wall = time.perf_counter() - began
    report = schedkit.check(instance, result)
    assert report.feasible and report.objective == result.objective, report.violations
    return {"objective": result.objective, "bound": result.bound, "status": result.status,
            "wall": round(wall, 3), "time_limit": seconds, "plan_from": result.stats.get("plan_from"),
            "load": round(os.getloadavg()[0], 2)}


def collect(args: argparse.Namespace, store: Path) -> dict[str, dict]:
    """Every (cluster, method) record, running what the store does not hold yet."""
    done: dict[str, dict] = {}
    if store.exists():
        for line in store.read_text().splitlines():
            record = json.loads(line)
            done[f"{record['cluster']}/{record['method']}"] = record
    warm = schedkit.generate.vmr(20, 0.9, seed=FIRST_SEED, migration_limit=5)
    for method, workers, _ in METHODS:  # load the numba kernels before any timing
        schedkit.solve(warm, method, time_limit=2, workers=workers)
    first = FIRST_SEED + args.offset
    clusters = [(u, k, first + s) for s in range(args.seeds) for u in UTILISATIONS for k in LIMITS]
    for phase in ("limit", "reference"):  # the short runs first, the long references after
        for utilisation, limit, seed in clusters:
            instance = schedkit.generate.vmr(300, utilisation, seed, limit)
            for method, workers, kind in METHODS:
                key = f"{instance.name}/{method}"
                if kind != phase or key in done:
                    continue
                seconds = args.limit if kind == "limit" else args.reference
                record = {"cluster": instance.name, "method": method, "workers": workers,
                          "utilisation": utilisation, "K": limit, "seed": seed,
                          "total_free": instance.total_free_cpu, **run(instance, method, workers, seconds)}
                done[key] = record
                with store.open("a") as handle:
                    handle.write(json.dumps(record) + "\n")
                print(key, record["objective"], record["status"], record["wall"], flush=True)
    return done


def report(args: argparse.Namespace, done: dict[str, dict], loads: tuple[float, float]) -> str:
    """The Markdown report."""
    clusters = sorted({r["cluster"] for r in done.values()}, key=lambda c: (
        done[f"{c}/mip"]["utilisation"] if f"{c}/mip" in done else 0, c))
    lines = [
        "# VMR on unseen clusters (issue 23)", "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, shared with other jobs; load average {loads[0]:.1f} at the start, "
        f"{loads[1]:.1f} at the end (the `load` field of each record in the .jsonl store says more).",
        f"- Python {platform.python_version()}, ortools {version('ortools')}, highspy {version('highspy')}, "
        f"numba {version('numba')}, pulp {version('pulp')}.",
        f"- Command: `python benchmarks/vmr_unseen.py {' '.join(sys.argv[1:])}`.",
        f"- Seeds: {FIRST_SEED + args.offset} .. {FIRST_SEED + args.offset + args.seeds - 1} "
        "(range reserved for this benchmark: "
        f"{FIRST_SEED} .. {FIRST_SEED + 19}; no suite, test or tuning run uses it; the older range "
        "23000 .. 23019 was partly used by earlier runs and is no longer unseen). Clusters: "
        "`schedkit.generate.vmr(300, u, seed, K)`, u in {0.90, 0.95}, K in {25, 50}.",
        f"- `auto`: 2 workers, {args.limit:g} s. `lns`: 1 worker, {args.limit:g} s. Reference: `mip`, "
        f"1 worker, {args.reference:g} s (its plan; `proven` when it proved it optimal). All at seed 0; "
        "every plan passed `schedkit.check`.",
        "- FR gap = (objective − reference objective) / total free CPU; `within` = gap <= 0.01.", "",
        "| cluster | reference | ref proven | auto | auto FR gap | auto proven | auto s "
        "| lns | lns FR gap | lns s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    count = {"auto": 0, "lns": 0, "auto proven": 0, "ref proven": 0, "n": 0, "auto worst s": 0.0}
    for cluster in clusters:
        if not all(f"{cluster}/{m}" in done for m, _, _ in METHODS):
            continue
        ref, auto, lns = (done[f"{cluster}/{m}"] for m in ("mip", "auto", "lns"))
        best = min(ref["objective"], auto["objective"], lns["objective"])  # the best plan known
        gaps = {m: (done[f"{cluster}/{m}"]["objective"] - best) / ref["total_free"] for m in ("auto", "lns")}
        count["n"] += 1
        count["auto"] += gaps["auto"] <= GOAL + 1e-12
        count["lns"] += gaps["lns"] <= GOAL + 1e-12
        count["auto proven"] += auto["status"] == "optimal"
        count["ref proven"] += ref["status"] == "optimal"
        count["auto worst s"] = max(count["auto worst s"], auto["wall"])
        proven = {r["method"]: "yes" if r["status"] == "optimal" else "no" for r in (ref, auto)}
        lines.append(f"| {cluster} | {ref['objective']} | {proven['mip']} | {auto['objective']} | "
                     f"{gaps['auto']:.4f} | {proven['auto']} | {auto['wall']:.2f} | {lns['objective']} | "
                     f"{gaps['lns']:.4f} | {lns['wall']:.2f} |")
    n = max(count["n"], 1)
    lines += ["", f"In all ({count['n']} clusters): `auto` within {GOAL} FR of the best known plan on "
              f"{count['auto']}/{count['n']} ({100 * count['auto'] / n:.0f} %), proven optimal on "
              f"{count['auto proven']}/{count['n']}; `lns` within {GOAL} FR on {count['lns']}/{count['n']}; "
              f"the reference proved {count['ref proven']}/{count['n']}. Largest `auto` wall time: "
              f"{count['auto worst s']:.2f} s at a {args.limit:g} s limit.",
              "", "The best known plan is the best of the three runs: the reference's plan unless "
              "`auto` or `lns` found a better one (possible where the reference did not prove)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=20, help="seeds per (utilisation, K) cell, at most 20")
    parser.add_argument("--offset", type=int, default=0,
                        help=f"first seed = {FIRST_SEED} + offset (a later run takes seeds an earlier "
                             "one did not)")
    parser.add_argument("--limit", type=float, default=5.0, help="seconds for auto and lns")
    parser.add_argument("--reference", type=float, default=120.0, help="seconds for the mip reference")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "reports" / "vmr_unseen.md")
    args = parser.parse_args()
    if args.seeds < 1 or args.offset < 0 or args.offset + args.seeds > 20:
        parser.error("--offset + --seeds must stay within the 20 reserved seeds")
    start_load = os.getloadavg()[0]
    done = collect(args, args.out.with_suffix(".jsonl"))
    args.out.write_text(report(args, done, (start_load, os.getloadavg()[0])))
    print(args.out)


if __name__ == "__main__":
    main()
