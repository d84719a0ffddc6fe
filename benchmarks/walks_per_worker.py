"""One walk per worker for the metaheuristics (`ig`, `tabu` on blocking job shops, RCPSP `ga`,
groundstation `ga` and `ffeea`): workers=1 against workers=2, side by side.

Each pair (case, seed) runs both settings in fresh processes, who goes first alternating, every
plan through `schedkit.check`. Rows go to a JSON-lines store, the Markdown report to a new file
(an existing one is refused: the harness never overwrites).

    python benchmarks/walks_per_worker.py --out bench-runs/walks.md [--cases ig-la06 ...] [--seeds 0 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from benchmarks.fresh_process import checkout_commit, run_row  # noqa: E402

CLASSIC = "instances/jobshop/classic"
WEEKS = "instances/groundstation/problems.json"
J120 = "instances/rcpsp/j120"


def _cases() -> dict[str, tuple[str, str, bool, float]]:
    """name: (instance path, method, read as blocking, time limit)."""
    cases: dict[str, tuple[str, str, bool, float]] = {}
    for shop in ("la06", "la07", "la08", "la09", "la10", "la16", "la21", "abz5"):
        cases[f"ig-{shop}"] = (f"{CLASSIC}/{shop}", "ig", True, 20.0)
    for shop in ("la07", "la16", "la21"):
        cases[f"tabu-{shop}"] = (f"{CLASSIC}/{shop}", "tabu", True, 20.0)
    for project in ("j1201_6", "j12011_1", "j12021_6", "j12031_1", "j12041_6", "j12051_1", "j12056_1",
                    "j12060_6"):
        cases[f"ga-{project}"] = (f"{J120}/{project}.sm", "ga", False, 10.0)
    for week in ("W10_2018", "W20_2018", "W30_2018", "W40_2018", "W50_2018"):
        for method in ("ga", "ffeea"):
            cases[f"{method}-{week}"] = (f"{WEEKS}#{week}", method, False, 30.0)
    return cases


def one(case: str, workers: int, seed: int) -> dict[str, object]:
    """One run: the row to record."""
    path, method, blocking, limit = _cases()[case]
    instance = schedkit.load(ROOT / path, blocking=True) if blocking else schedkit.load(ROOT / path)
    load = os.getloadavg()[0]
    began = time.perf_counter()
    result = schedkit.solve(instance, method, time_limit=limit, workers=workers, seed=seed)
    elapsed = time.perf_counter() - began
    report = schedkit.check(instance, result)
    value = result.objective
    if method in ("ga", "ffeea") and path.startswith(WEEKS):
        value = round(result.stats["tracked_hours"], 2)  # maximised: report hours
    return {"case": case, "method": method, "workers": workers, "seed": seed, "value": value,
            "time_limit": limit, "elapsed": round(elapsed, 2), "check": bool(report.feasible),
            "best_walk": result.stats.get("best_walk"), "load": round(load, 2),
            "commit": checkout_commit(ROOT)}


def report(rows: list[dict], command: str) -> str:
    """Markdown: one row per case (mean over seeds per setting), and a summary per method."""
    by_case: dict[str, dict[int, list[dict]]] = {}
    for row in rows:
        by_case.setdefault(str(row["case"]), {}).setdefault(int(row["workers"]), []).append(row)  # type: ignore[call-overload]
    loads = [float(row["load"]) for row in rows]
    lines = [
        "# One walk per worker: workers=1 against workers=2, side by side", "",
        f"- Machine: {platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}, "
        f"schedkit {schedkit.__version__}, commit {rows[0]['commit'] if rows else '?'}",
        f"- Load (1 min) during the runs: {min(loads, default=0):.1f}-{max(loads, default=0):.1f}",
        f"- Command: `{command}`",
        "- Each pair (case, seed) ran both settings in fresh processes, who goes first alternating; "
        "every plan passed `schedkit.check`. Makespans (lower is better); groundstation rows give "
        "tracked hours (higher is better).", "",
        "| case | limit s | seeds | workers=1 mean | workers=2 mean | 2 better / equal / worse "
        "| walk 1 won |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for case, settings in by_case.items():
        one_rows, two_rows = settings.get(1, []), settings.get(2, [])
        if not one_rows or not two_rows:
            continue
        maximise = str(case).split("-", 1)[1].startswith("W")
        pairs = {int(r["seed"]): r for r in one_rows}
        better = equal = worse = 0
        for r in two_rows:
            base = pairs.get(int(r["seed"]))
            if base is None:
                continue
            gain = (float(r["value"]) - float(base["value"])) * (1 if maximise else -1)
            better, equal, worse = better + (gain > 0), equal + (gain == 0), worse + (gain < 0)
        won = sum(1 for r in two_rows if r["best_walk"] == 1)
        lines.append(f"| {case} | {one_rows[0]['time_limit']:g} | {len(two_rows)} | "
                     f"{statistics.mean(float(r['value']) for r in one_rows):.2f} | "
                     f"{statistics.mean(float(r['value']) for r in two_rows):.2f} | "
                     f"{better} / {equal} / {worse} | {won} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, help="the Markdown report (a new file)")
    parser.add_argument("--cases", nargs="*", default=None, help="default: all")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--one", nargs=3, metavar=("CASE", "WORKERS", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), int(args.one[2]))))
        return
    if args.out is None:
        parser.error("--out is required")
    if args.out.exists():
        parser.error(f"{args.out} exists: the harness never overwrites; give a new name")
    cases = args.cases or list(_cases())
    unknown = sorted(set(cases) - set(_cases()))
    if unknown:
        parser.error(f"unknown cases: {', '.join(unknown)}")
    store = args.out.with_suffix(".jsonl")
    if store.exists():
        parser.error(f"{store} exists: the harness never overwrites; give a new name")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pair = 0
    for seed in args.seeds:
        for case in cases:
            order = (1, 2) if pair % 2 == 0 else (2, 1)
            pair += 1
            for workers in order:
                run_row([sys.executable, __file__, "--one", case, str(workers), str(seed)], store)
    rows = [json.loads(line) for line in store.read_text().splitlines()]
    command = "python benchmarks/walks_per_worker.py " + " ".join(sys.argv[1:])
    args.out.write_text(report(rows, command))
    print(f"wrote {args.out} and {store}")


if __name__ == "__main__":
    main()
