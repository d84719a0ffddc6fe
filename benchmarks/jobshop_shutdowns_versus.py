"""Shutdowns: this tree's `reschedule` policy against an older commit's, interleaved per instance
and seed (this tree first), on the same plan (cpsat of this tree, solved once per instance) and
the same failures; the best fixed rule and right-shift of this tree as yardsticks. Each tree runs
in its own process (the older one unpacked with git archive). Writes a Markdown report.

    python benchmarks/jobshop_shutdowns_versus.py --base 970ce7c --p 0.1 --seeds 5 \
        --out benchmarks/reports/jobshop_shutdowns_repairs.md la01 la06 la16 la21
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ["spt", "mwkr", "mor", "fifo"]

ONE_RUN = """
import json, sys, types, schedkit
from schedkit.jobshop.shutdowns import Shutdowns
name, policy, p, seed, plan, seconds, most = sys.argv[1:8]
instance = schedkit.load("instances/jobshop/classic/" + name, blocking=True)
plan = types.SimpleNamespace(start=json.loads(plan))
out = schedkit.simulate(instance, policy, Shutdowns(float(p), 5, 15), int(seed), plan=plan,
                        reschedule_seconds=float(seconds), max_reschedules=int(most))
print(json.dumps({"makespan": out.makespan, "reschedules": out.reschedules, "fallbacks": out.fallbacks}))
"""

PLAN = """
import json, sys, schedkit
instance = schedkit.load("instances/jobshop/classic/" + sys.argv[1], blocking=True)
result = schedkit.solve(instance, "cpsat", time_limit=float(sys.argv[2]), workers=1)
print(json.dumps({"objective": result.objective, "start": result.solution.start}))
"""


def _python(tree: Path, code: str, *argv: object) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *map(str, argv)], cwd=tree, text=True,
                         env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--base", required=True)
    parser.add_argument("--p", type=float, default=0.1)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--plan-time", type=float, default=10.0)
    parser.add_argument("--reschedule-seconds", type=float, default=1.0)
    parser.add_argument("--max-reschedules", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    began = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    loads = [os.getloadavg()[0]]
    label = f"reschedule@{args.base[:7]}"
    lines = ["| instance | plan | best rule (mean) | right-shift | reschedule (new) | " + label + " |",
             "| --- | --- | --- | --- | --- | --- |"]
    totals: dict[str, list[float]] = {"rule": [], "right-shift": [], "new": [], "base": []}
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], capture_output=True,
                                 check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        for name in args.instances:
            plan = _python(ROOT, PLAN, name, args.plan_time)
            start = json.dumps(plan["start"])
            def one(tree: Path, policy: str, seed: int, name: str = name, start: str = start) -> int:
                return _python(tree, ONE_RUN, name, policy, args.p, seed, start, args.reschedule_seconds,
                               args.max_reschedules)["makespan"]

            seeds = range(args.seeds)
            rules = {rule: statistics.mean(one(ROOT, rule, seed) for seed in seeds) for rule in RULES}
            shift = statistics.mean(one(ROOT, "right-shift", seed) for seed in seeds)
            new, base = [], []
            for seed in range(args.seeds):  # interleaved: this tree, then the base, per seed
                new.append(one(ROOT, "reschedule", seed))
                base.append(one(Path(tmp), "reschedule", seed))
            loads.append(os.getloadavg()[0])
            best = min(rules.values())
            totals["rule"].append(best)
            totals["right-shift"].append(shift)
            totals["new"].append(statistics.mean(new))
            totals["base"].append(statistics.mean(base))
            which = min(rules, key=rules.__getitem__)
            lines.append(f"| {name} | {plan['objective']} | {best:.1f} ({which}) | "
                         f"{shift:.1f} | {statistics.mean(new):.1f} (sd {statistics.stdev(new):.1f}) | "
                         f"{statistics.mean(base):.1f} (sd {statistics.stdev(base):.1f}) |")
            print(lines[-1], flush=True)
    rule = statistics.mean(totals["rule"])

    def versus(key: str) -> str:
        return f"{100 * (statistics.mean(totals[key]) - rule) / rule:+.1f} %"

    text = "\n".join([
        f"- machine: {platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}; "
        f"{began} to {time.strftime('%H:%M', time.gmtime())} UTC; "
        f"load average {min(loads):.1f}-{max(loads):.1f}",
        f"- p = {args.p}, repair U{{5..15}}, seeds 0..{args.seeds - 1} (the same failures for every policy), "
        f"plan: cpsat {args.plan_time:g} s 1 worker (this tree), re-solves {args.reschedule_seconds:g} s, "
        f"at most {args.max_reschedules}",
        f"- command: python benchmarks/jobshop_shutdowns_versus.py --base {args.base} --p {args.p} --seeds "
        f"{args.seeds} --out ... {' '.join(args.instances)}",
        f"- mean over instances against the best fixed rule's mean: right-shift {versus('right-shift')}, "
        f"reschedule (new) {versus('new')}, {label} {versus('base')}",
        "", *lines, ""])
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
