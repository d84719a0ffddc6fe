"""The compiled genetic algorithm `ga` against its predecessor (report: benchmarks/reports/rcpsp_ga.md).

    python benchmarks/rcpsp_ga.py speed --seconds 10 j3013_1 j6013_1 gen120_1 gen300_1
    python benchmarks/rcpsp_ga.py literature --set j60 --schedules 1000,5000,50000
    python benchmarks/rcpsp_ga.py lns --time-limit 60 --workers 2 j6013_1 gen120_1 ...
    python benchmarks/rcpsp_ga.py report

`speed`: schedules (SGS passes, forward or backward) per second of `ga` under a time limit,
new (this checkout) then old (`--base`, a worktree of main), each in its own process, per
instance. The old GA does not count its passes: the worker wraps its kernels to count them.
`literature`: the new GA alone with a schedule budget, the standard measure of Kolisch &
Hartmann (2006): mean deviation from the optimum (j30; also the share of optima hit) or from
the critical-path bound (j60). `lns`: `cpsat-lns` new then old per instance, interleaved, each in
its own process; gap to the best known upper bound (references.csv) where there is one.
Every schedule is checked with `schedkit.check`. One JSON line per run in
benchmarks/reports/rcpsp_ga_<task>.jsonl (runs already there are skipped).
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE = Path("/work/wt/rcpsp25-base")
INSTANCES = ROOT / "instances" / "rcpsp"
REPORTS = ROOT / "benchmarks" / "reports"


def instance_path(name: str) -> Path:
    """The bundled file of an instance name: j30/j60 PSPLIB, large/ or rg300/."""
    if name.startswith(("j30", "j60")):
        return INSTANCES / name[:3] / f"{name}.sm"
    if name.startswith("gen"):
        return INSTANCES / "large" / f"{name}.sm"
    return INSTANCES / "rg300" / f"{name}.rcp"


def references() -> dict[str, dict[str, str]]:
    with (INSTANCES / "references.csv").open() as handle:
        return {row["instance"]: row for row in csv.DictReader(handle)}


def _done(path: Path) -> set[tuple[str, ...]]:
    if not path.exists():
        return set()
    keys = set()
    for line in path.read_text().splitlines():
        row = json.loads(line)
        keys.add((row["instance"], str(row.get("variant", "")), str(row.get("budget", ""))))
    return keys


def _append(path: Path, row: dict[str, Any]) -> None:
    with path.open("a") as handle:
        handle.write(json.dumps(row) + "\n")
    print(json.dumps(row), flush=True)


class _Counting:
    """Stands in for the old ga module's kernel namespace and counts SGS passes."""

    def __init__(self, kernels: Any) -> None:
        self.kernels = kernels
        self.passes = 0

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.kernels, name)
        if name not in ("serial_sgs", "justify"):
            return value
        weight = 1 if name == "serial_sgs" else 2

        def counted(*args: Any) -> Any:
            self.passes += weight
            return value(*args)

        return counted


def worker(arguments: argparse.Namespace) -> None:
    """One run in this process, with schedkit from `--root` (PYTHONPATH set by the caller)."""
    schedkit = importlib.import_module("schedkit")
    ga = importlib.import_module("schedkit.rcpsp.heuristics.ga")
    x = schedkit.load(instance_path(arguments.instance))
    row: dict[str, Any] = {"instance": arguments.instance, "variant": arguments.variant,
                           "budget": arguments.seconds}
    if arguments.task == "speed":
        schedkit.solve(x, "ga", time_limit=2, workers=1)  # compile / load the cache first
        counter = None if hasattr(ga, "Evolution") else _Counting(ga.kernels)
        if counter is not None:
            ga.kernels = counter
        began = time.perf_counter()
        result = schedkit.solve(x, "ga", time_limit=arguments.seconds, workers=1, seed=0)
        took = time.perf_counter() - began
        passes = result.stats.get("schedules") if counter is None else counter.passes
        row.update(makespan=result.objective, generations=result.stats.get("generations"),
                   schedules=passes, seconds=round(took, 3), per_second=round(passes / took))
    else:
        began = time.perf_counter()
        result = schedkit.solve(x, "cpsat-lns", time_limit=arguments.seconds,
                                workers=arguments.workers, seed=0)
        took = time.perf_counter() - began
        row.update({"makespan": result.objective, "bound": result.bound,
                    "status": result.status, "seconds": round(took, 3),
                    **{k: result.stats.get(k) for k in ("warm_start", "fbi", "generations",
                                                        "ga_schedules", "lns_makespan",
                                                        "lns_steps", "compile_seconds")}})
    row["checked"] = bool(schedkit.check(x, result).feasible)
    print(json.dumps(row), flush=True)


def _spawn(root: Path, variant: str, task: str, name: str, seconds: float, workers: int
           ) -> dict[str, Any]:
    environment = dict(os.environ, PYTHONPATH=str(root))
    command = [sys.executable, str(Path(__file__).resolve()), "worker", "--root", str(root),
               "--variant", variant, "--task", task, "--instance", name, "--seconds",
               str(seconds), "--workers", str(workers)]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False,
                          cwd=root)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"instance": name, "variant": variant, "budget": seconds,
                "error": done.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(lines[-1]))


def interleaved(arguments: argparse.Namespace, task: str) -> None:
    """Per instance: new, then old, each in a fresh process."""
    out = REPORTS / f"rcpsp_ga_{task}.jsonl"
    done = _done(out)
    for name in arguments.instances:
        for variant, root in (("new", ROOT), ("old", arguments.base)):
            if (name, variant, str(arguments.seconds)) in done:
                continue
            row = _spawn(root, variant, task, name, arguments.seconds, arguments.workers)
            row["load1"] = round(os.getloadavg()[0], 2)
            _append(out, row)


def literature(arguments: argparse.Namespace) -> None:
    """The new GA with schedule budgets on a PSPLIB set, in this process."""
    sys.path.insert(0, str(ROOT))
    schedkit = importlib.import_module("schedkit")
    bounds = importlib.import_module("schedkit.rcpsp.bounds")
    out = REPORTS / "rcpsp_ga_literature.jsonl"
    done = _done(out)
    names = sorted(p.stem for p in (INSTANCES / arguments.set).glob("*.sm"))
    names = names[::arguments.every]
    budgets = [int(b) for b in arguments.schedules.split(",")]
    reference = references()
    schedkit.solve(schedkit.load(instance_path(names[0])), "ga", generations=1)  # compile
    for budget in budgets:
        for name in names:
            if (name, "new", str(budget)) in done:
                continue
            x = schedkit.load(instance_path(name))
            began = time.perf_counter()
            result = schedkit.solve(x, "ga", schedules=budget, seed=0, workers=1)
            took = time.perf_counter() - began
            _append(out, {"instance": name, "variant": "new", "budget": budget,
                          "makespan": result.objective, "schedules": result.stats["schedules"],
                          "critical_path": bounds.critical_path(x),
                          "optimum": int(reference[name]["upper_bound"])
                          if reference[name]["status"] == "optimal" else None,
                          "upper_bound": int(reference[name]["upper_bound"]),
                          "seconds": round(took, 3), "load1": round(os.getloadavg()[0], 2),
                          "checked": bool(schedkit.check(x, result).feasible)})


def _rows(task: str) -> list[dict[str, Any]]:
    path = REPORTS / f"rcpsp_ga_{task}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def report(_: argparse.Namespace) -> None:
    """Markdown tables of the three tasks (printed; pasted into the report)."""
    rows = _rows("speed")
    if rows:
        print("| instance | n | old schedules/s | new schedules/s | speed-up | old gens | new gens "
              "| old makespan | new makespan |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | "
              "---: | ---: |")
        for name in dict.fromkeys(r["instance"] for r in rows):
            by = {r["variant"]: r for r in rows if r["instance"] == name and "error" not in r}
            if len(by) < 2:
                continue
            old, new = by["old"], by["new"]
            print(f"| {name} | {_size(name)} | {old['per_second']:,} | {new['per_second']:,} | "
                  f"{new['per_second'] / max(1, old['per_second']):.1f}× | {old['generations']} | "
                  f"{new['generations']} | {old['makespan']} | {new['makespan']} |")
    rows = _rows("literature")
    if rows:
        print("\n| set | schedules | instances | mean deviation % | optima hit | mean s |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: |")
        for key in sorted({(r["instance"][:3], r["budget"]) for r in rows}):
            group = [r for r in rows if (r["instance"][:3], r["budget"]) == key]
            if key[0] == "j30":
                deviation = [100 * (r["makespan"] - r["optimum"]) / r["optimum"] for r in group]
            else:
                deviation = [100 * (r["makespan"] - r["critical_path"]) / r["critical_path"]
                             for r in group]
            hits = sum(r["optimum"] is not None and r["makespan"] == r["optimum"] for r in group)
            known = sum(r["optimum"] is not None for r in group)
            print(f"| {key[0]} | {key[1]:,} | {len(group)} | {_mean(deviation):.2f} | "
                  f"{hits}/{known} | {_mean([r['seconds'] for r in group]):.2f} |")
    rows = _rows("lns")
    if rows:
        reference = references()
        print("\n| instance | best known UB | old warm | new warm | old final | new final | "
              "old gens | new gens | old ga schedules | new ga schedules |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        gaps: dict[tuple[str, str], list[float]] = {}
        for name in dict.fromkeys(r["instance"] for r in rows):
            by = {r["variant"]: r for r in rows if r["instance"] == name and "error" not in r}
            if len(by) < 2:
                continue
            old, new = by["old"], by["new"]
            ub = int(reference[name]["upper_bound"]) if name in reference else None
            best = ub if ub is not None else min(old["makespan"], new["makespan"])
            group = name[:3] if ub is not None else name.split("_")[0]
            for variant, row in by.items():
                gaps.setdefault((group, variant), []).append(100 * (row["makespan"] - best) / best)
            print(f"| {name} | {ub if ub is not None else '-'} | {old['warm_start']} | "
                  f"{new['warm_start']} | {old['makespan']} | {new['makespan']} | "
                  f"{old['generations']} | {new['generations']} | - | {new['ga_schedules']} |")
        print("\n| set | variant | runs | mean gap % |\n| --- | --- | ---: | ---: |")
        for (group, variant), values in sorted(gaps.items()):
            print(f"| {group} | {variant} | {len(values)} | {_mean(values):.2f} |")


def _size(name: str) -> int:
    sys.path.insert(0, str(ROOT))
    schedkit = importlib.import_module("schedkit")
    return int(schedkit.load(instance_path(name)).n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    tasks = parser.add_subparsers(dest="command", required=True)
    for name in ("speed", "lns"):
        sub = tasks.add_parser(name)
        sub.add_argument("instances", nargs="+")
        sub.add_argument("--seconds", "--time-limit", type=float, default=10.0 if name == "speed"
                         else 60.0)
        sub.add_argument("--workers", type=int, default=1 if name == "speed" else 2)
        sub.add_argument("--base", type=Path, default=BASE)
    sub = tasks.add_parser("literature")
    sub.add_argument("--set", choices=("j30", "j60"), default="j60")
    sub.add_argument("--schedules", default="1000,5000,50000")
    sub.add_argument("--every", type=int, default=1)
    tasks.add_parser("report")
    sub = tasks.add_parser("worker")
    for option in ("--root", "--variant", "--task", "--instance"):
        sub.add_argument(option, required=True)
    sub.add_argument("--seconds", type=float, required=True)
    sub.add_argument("--workers", type=int, default=1)
    arguments = parser.parse_args()
    if arguments.command in ("speed", "lns"):
        interleaved(arguments, arguments.command)
    elif arguments.command == "literature":
        literature(arguments)
    elif arguments.command == "report":
        report(arguments)
    else:
        worker(arguments)


if __name__ == "__main__":
    main()
