"""Blocking job shop under random machine shutdowns (ISBJSSP): realized makespan of every
policy over seeds. Run mode appends the (instance, p, policy, seed) rows the CSV lacks (it
resumes, never overwrites), following one stored cpsat plan per instance; report mode writes the
Markdown summary.

    python benchmarks/jobshop_shutdowns.py run --p 0.01 0.05 0.1 --seeds 20 \
        --plans benchmarks/reports/jobshop_shutdowns_plans.json \
        --csv benchmarks/reports/jobshop_shutdowns.csv la01 la06 ...
    python benchmarks/jobshop_shutdowns.py report benchmarks/reports/jobshop_shutdowns.csv \
        --out benchmarks/reports/jobshop_shutdowns.md
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import time
from pathlib import Path

import schedkit
from schedkit.jobshop.model import JobShopInstance, JobShopSolution
from schedkit.jobshop.shutdowns import Shutdowns

ROOT = Path(__file__).resolve().parents[1]
CLASSIC = ROOT / "instances" / "jobshop" / "classic"
FIELDS = ["instance", "p", "repair", "policy", "seed", "makespan", "plan", "shutdowns", "reschedules",
          "fallbacks", "wall"]
RULES = ["spt", "mwkr", "mor", "fifo", "random"]


def run(args: argparse.Namespace) -> None:
    """Append the missing (instance, p, policy, seed) rows: first every cheap policy on every
    instance, then `reschedule`, so that a cut-off run still leaves whole tables behind."""
    path = Path(args.csv)
    done = _done_keys(path)
    plans = PlanStore(Path(args.plans), args.plan_time, args.plan_workers)
    cheap = [q for q in args.policies if q != "reschedule"]
    passes = [cheap] + ([["reschedule"]] if "reschedule" in args.policies else [])
    with path.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        if not done and handle.tell() == 0:
            writer.writeheader()
        for policies in passes:
            for name in args.instances:
                instance = schedkit.load(CLASSIC / name, blocking=True)
                plan, objective = plans.plan(name, instance)
                for p in args.p:
                    shutdowns = Shutdowns(p, args.repair[0], args.repair[1])
                    repair = f"{args.repair[0]}-{args.repair[1]}"
                    for policy in policies:
                        seeds = args.reschedule_seeds if policy == "reschedule" else args.seeds
                        for seed in range(seeds):
                            if (name, str(p), repair, policy, str(seed)) in done:
                                continue
                            began = time.perf_counter()
                            out = schedkit.simulate(instance, policy, shutdowns, seed, plan=plan,
                                                    reschedule_seconds=args.reschedule_seconds,
                                                    max_reschedules=args.max_reschedules)
                            writer.writerow({"instance": name, "p": p, "repair": repair,
                                             "policy": policy, "seed": seed, "makespan": out.makespan,
                                             "plan": objective, "shutdowns": out.shutdowns,
                                             "reschedules": out.reschedules, "fallbacks": out.fallbacks,
                                             "wall": f"{time.perf_counter() - began:.2f}"})
                        handle.flush()
                    print(name, p, ",".join(policies), flush=True)


def _done_keys(path: Path) -> set[tuple[str, ...]]:
    """The rows a CSV already holds (a re-run resumes instead of overwriting)."""
    if not path.exists():
        return set()
    with path.open() as handle:
        return {(r["instance"], str(float(r["p"])), r["repair"], r["policy"], r["seed"])
                for r in csv.DictReader(handle)}


class PlanStore:
    """One cpsat plan per instance, solved once and kept in a JSON file, so that every policy
    and every later run follows the same plan whatever the machine's load."""

    def __init__(self, path: Path, time_limit: float, workers: int) -> None:
        self.path, self.time_limit, self.workers = path, time_limit, workers
        self.plans: dict[str, dict] = json.loads(path.read_text()) if path.exists() else {}

    def plan(self, name: str, instance: JobShopInstance) -> tuple[JobShopSolution, int]:
        """The stored plan of `name`, solving and storing it first when missing."""
        if name not in self.plans:
            result = schedkit.solve(instance, "cpsat", time_limit=self.time_limit, workers=self.workers)
            assert result.solution is not None, f"{name}: cpsat found no plan"
            self.plans[name] = {"objective": result.objective, "status": result.status,
                                "bound": result.bound, "method": "cpsat",
                                "time_limit": self.time_limit, "workers": self.workers,
                                "load": round(os.getloadavg()[0], 1),
                                **result.solution.to_dict()}
            partial = self.path.with_suffix(".partial")
            partial.write_text(json.dumps(self.plans, indent=None, separators=(",", ":")) + "\n")
            partial.replace(self.path)
        record = self.plans[name]
        solution = JobShopSolution(record["start"], record["machine"], record.get("leave"))
        if not schedkit.check(instance, solution).feasible:
            raise SystemExit(f"{self.path}: the stored plan of {name} fails the checker")
        return solution, int(record["objective"])


def report(args: argparse.Namespace) -> None:
    """Two tables: every policy but `reschedule` over all its seeds and instances; then every
    policy on the seeds and instances they all share (the same failures for each)."""
    with open(args.csv) as handle:
        all_rows = list(csv.DictReader(handle))
    common = min(max(int(r["seed"]) for r in all_rows if r["policy"] == q) + 1
                 for q in {r["policy"] for r in all_rows})
    cheap = [r for r in all_rows if r["policy"] != "reschedule"]
    shared = [r for r in all_rows if int(r["seed"]) < common]
    tables = []
    for title, rows in ((f"Rules and right-shift, all seeds ({args.seeds_note})", cheap),
                        (f"Every policy, common seeds 0..{common - 1}, on the instances every "
                         "policy reached (the same failures for each)", shared)):
        tables += [f"## {title}", "", *_table(rows), ""]
    _write(args, all_rows, tables)


def _table(rows: list[dict[str, str]]) -> list[str]:
    instances = list(dict.fromkeys(r["instance"] for r in rows))
    policies = list(dict.fromkeys(r["policy"] for r in rows))
    ps = sorted({r["p"] for r in rows}, key=float)
    cell: dict[tuple[str, str, str], list[int]] = {}
    for r in rows:
        cell.setdefault((r["instance"], r["p"], r["policy"]), []).append(int(r["makespan"]))
    lines = ["| p | policy | instances | mean makespan (avg over instances) | mean std over seeds | "
             "vs best fixed rule |", "| --- | --- | --- | --- | --- | --- |"]
    for p in ps:
        means: dict[str, float] = {}
        stds: dict[str, float] = {}
        for policy in policies:
            per = [cell[i, p, policy] for i in instances if (i, p, policy) in cell]
            complete = [i for i in instances if all((i, p, q) in cell for q in policies)]
            per = [cell[i, p, policy] for i in complete]
            if not per:
                continue
            means[policy] = statistics.mean(statistics.mean(v) for v in per)
            stds[policy] = statistics.mean(statistics.stdev(v) if len(v) > 1 else 0.0 for v in per)
        rules = [q for q in means if q in RULES]
        best_rule = min(rules, key=lambda q: means[q]) if rules else None
        for policy, mean in means.items():
            versus = "-"
            if best_rule is not None:
                versus = f"{100 * (mean - means[best_rule]) / means[best_rule]:+.1f} %"
            if policy == best_rule:
                versus = "best fixed rule"
            lines.append(f"| {p} | {policy} | {len(complete)} | {mean:.1f} | {stds[policy]:.1f} | {versus} |")
    return lines


def _write(args: argparse.Namespace, rows: list[dict[str, str]], tables: list[str]) -> None:
    instances = list(dict.fromkeys(r["instance"] for r in rows))
    seeds = sorted({(r["policy"], max(int(x["seed"]) for x in rows if x["policy"] == r["policy"]) + 1)
                    for r in rows})
    meta = [f"- machine: {platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}, "
            f"load average at report time {os.getloadavg()[0]:.1f}",
            f"- instances (blocking): {', '.join(instances)}",
            f"- repair time: uniform integers {rows[0]['repair'] if rows else '-'}; "
            f"seeds per policy: {seeds}",
            f"- command: {args.command_line}"]
    text = "\n".join([f"# {args.title}", "", *args.notes, "", *meta, "", *tables])
    Path(args.out).write_text(text)
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("run")
    r.add_argument("instances", nargs="+")
    r.add_argument("--p", type=float, nargs="+", default=[0.01, 0.05, 0.1])
    r.add_argument("--repair", type=int, nargs=2, default=[5, 15])
    r.add_argument("--seeds", type=int, default=20)
    r.add_argument("--reschedule-seeds", type=int, default=20)
    r.add_argument("--policies", nargs="+", default=[*RULES, "right-shift", "reschedule"])
    r.add_argument("--plan-time", type=float, default=30.0)
    r.add_argument("--plan-workers", type=int, default=2)
    r.add_argument("--plans", required=True,
                   help="JSON of the plans (read; extended when one is missing)")
    r.add_argument("--reschedule-seconds", type=float, default=1.0)
    r.add_argument("--max-reschedules", type=int, default=5)
    r.add_argument("--csv", required=True)
    p = sub.add_parser("report")
    p.add_argument("csv")
    p.add_argument("--out", required=True)
    p.add_argument("--title", default="Blocking job shop under machine shutdowns (ISBJSSP)")
    p.add_argument("--note", dest="notes", action="append", default=[])
    p.add_argument("--command-line", default="see benchmarks/jobshop_shutdowns.py")
    p.add_argument("--seeds-note", default="20 seeds, reschedule 5")
    args = parser.parse_args()
    run(args) if args.mode == "run" else report(args)


if __name__ == "__main__":
    main()
