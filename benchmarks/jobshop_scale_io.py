"""A very large job shop outside the solver: reading the classic formats, checking plans, two rules.

Writes a random `jobs x machines` shop (Taillard's scheme, durations 1..99, numpy seed 0) in the
standard and Taillard formats, then times, in one fresh process per schedkit tree (e.g. main's
and a branch's, side by side, interleaved), each stage on its own:

- `load standard` / `load taillard`: `schedkit.load` of each file, sniffed as the CLI does;
- `spt` / `mwkr`: `schedkit.solve(instance, rule)` (each tree's kernels compiled by `schedkit warmup
  jobshop` before the runs, and loaded on a small shop before the timing);
- `check unlimited`: `schedkit.check` of the spt plan;
- `check blocking`: the same shop read as blocking, a plan running the jobs one after another
  (a blocking rule takes minutes at this size);
- `check flexible`: the shop with one more alternative per operation, the same sequential plan;
- `cli check`: `schedkit check standard-file plan.json` as a subprocess (wall time, with imports),
  the plan.json written by the last spt stage (the plans of every tree must be identical).

Every check must say feasible with the objective of its plan. The median of `--repeats` runs is
reported per stage; trees are given as `name=path` (the schedkit package is imported from path).

    git archive main schedkit | tar -x -C /tmp/base && git rev-parse --short main > /tmp/base/COMMIT
    python benchmarks/jobshop_scale_io.py --tree main=/tmp/base --tree branch=. --repeats 3 \\
        --out benchmarks/reports/jobshop_scale_io.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("load standard", "load taillard", "spt", "mwkr", "check unlimited", "check blocking",
          "check flexible", "cli check")

WORKER = r"""
import json, sys, time
import numpy as np
import schedkit
from schedkit.jobshop.model import JobShopInstance, JobShopSolution

folder, stage = sys.argv[1], sys.argv[2]
print("TREE " + schedkit.__file__)

def timed(call):
    began = time.perf_counter()
    value = call()
    return time.perf_counter() - began, value

def sequential(instance):
    # every job after the previous one, each operation on its first alternative, no waiting
    first = instance.op_ptr[:-1]
    duration = instance.alt_duration[first]
    end = np.cumsum(duration)
    start = end - duration
    return JobShopSolution.from_flat(instance, start, instance.alt_machine[first], end), int(end[-1])

def flexible(instance):
    # one more alternative per operation, on the next machine, 7 longer
    ops = instance.operations
    machine = np.empty(2 * ops, np.int64)
    duration = np.empty(2 * ops, np.int64)
    machine[0::2] = instance.alt_machine
    machine[1::2] = (instance.alt_machine + 1) % instance.m
    duration[0::2] = instance.alt_duration
    duration[1::2] = instance.alt_duration + 7
    return JobShopInstance(machines=instance.m, job_ptr=instance.job_ptr,
                           op_ptr=np.arange(0, 2 * ops + 1, 2), alt_machine=machine,
                           alt_duration=duration, name="flexible")

small = schedkit.generate.jobshop(20, 10, 1)
for rule in ("spt", "mwkr"):
    schedkit.solve(small, rule)  # numba kernels loaded (or compiled) outside the timings
out = {}
if stage == "load standard":
    out[stage], _ = timed(lambda: schedkit.load(folder + "/standard.txt"))
elif stage == "load taillard":
    out[stage], _ = timed(lambda: schedkit.load(folder + "/taillard.txt"))
elif stage in ("spt", "mwkr"):
    instance = schedkit.load(folder + "/standard.txt")
    out[stage], result = timed(lambda: schedkit.solve(instance, stage))
    out["objective"] = result.objective
    if stage == "spt":
        out["check unlimited"], report = timed(lambda: schedkit.check(instance, result))
        assert report.feasible and report.objective == result.objective, report.summary()
        with open(folder + "/plan.json", "w") as f:
            json.dump(result.to_dict(), f)
elif stage in ("check blocking", "check flexible"):
    instance = schedkit.load(folder + "/standard.txt")
    if stage == "check blocking":
        instance = instance.replace(buffers="blocking")
    else:
        instance = flexible(instance)
    plan, makespan = sequential(instance)
    if stage == "check flexible":
        plan = JobShopSolution(plan.start, plan.machine)
    out[stage], report = timed(lambda: schedkit.check(instance, plan))
    assert report.feasible and report.objective == makespan, report.summary()
print("RESULT " + json.dumps(out))
"""


def write_files(folder: Path, jobs: int, machines: int) -> None:
    """The random shop in the standard and Taillard formats (skipped when both exist)."""
    standard, taillard = folder / "standard.txt", folder / "taillard.txt"
    if standard.exists() and taillard.exists():
        return
    rng = np.random.default_rng(0)
    order = np.argsort(rng.random((jobs, machines)), axis=1)
    duration = rng.integers(1, 100, size=(jobs, machines))
    pairs = np.empty((jobs, 2 * machines), np.int64)
    pairs[:, 0::2], pairs[:, 1::2] = order, duration

    def rows(matrix: np.ndarray) -> str:
        return "\n".join(" ".join(map(str, row)) for row in matrix.tolist()) + "\n"

    standard.write_text(f"# random {jobs} x {machines}\n{jobs} {machines}\n" + rows(pairs))
    taillard.write_text(f"{jobs} {machines} 0 0\n" + rows(duration) + rows(order + 1))


def run_stage(tree: Path, folder: Path, stage: str) -> dict[str, float]:
    """One stage of one tree in a fresh process: {stage: seconds, ...}."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if stage == "cli check":
        command = [sys.executable, "-m", "schedkit", "check", str(folder / "standard.txt"),
                   str(folder / "plan.json")]
        began = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - began
        if done.returncode != 0 or "feasible" not in done.stdout:
            raise SystemExit(f"{tree}: cli check failed: {done.stdout[-300:]} {done.stderr[-300:]}")
        return {stage: seconds}
    done = subprocess.run([sys.executable, "-c", WORKER, str(folder), stage], env=env, cwd=tree,
                          capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{tree}: {stage} failed: {done.stderr[-600:]}")
    if f"TREE {tree}/" not in done.stdout:
        raise SystemExit(f"{tree}: schedkit was imported from elsewhere: {done.stdout[:300]}")
    return json.loads(lines[-1][len("RESULT "):])  # type: ignore[no-any-return]


def commit(tree: Path) -> str:
    """The tree's git commit; for an exported copy (`git archive`), what its COMMIT file says."""
    if (tree / "COMMIT").exists():
        return (tree / "COMMIT").read_text().strip() + " (exported copy)"
    done = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 and (tree / ".git").exists() else "exported copy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tree", action="append", required=True, help="name=path of a schedkit tree")
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--machines", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", default="/tmp/jobshop_scale_io")
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--out", default=None, help="the Markdown report (default: print it)")
    args = parser.parse_args()
    trees = [(name, Path(path).resolve()) for name, _, path in (t.partition("=") for t in args.tree)]
    stages = [s for s in args.stages.split(",") if s]
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_files(folder, args.jobs, args.machines)
    sys.path.insert(0, str(ROOT))
    from schedkit.bench.machine import describe, load_average

    for _, tree in trees:  # every kernel in numba's disk cache of its tree, as after `schedkit warmup`
        subprocess.run([sys.executable, "-m", "schedkit", "warmup", "jobshop"], cwd=tree,
                       env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, check=True)
    times: dict[tuple[str, str], list[float]] = {}
    loads = []
    began = datetime.now(UTC)
    for repeat in range(args.repeats):
        for stage in stages:
            order = trees if repeat % 2 == 0 else trees[::-1]
            for name, tree in order:
                if stage == "check unlimited":
                    continue  # measured in the spt stage's process, on its plan
                loads.append(load_average() or 0.0)
                found = run_stage(tree, folder, stage)
                for measured in found.keys() & set(stages):
                    times.setdefault((name, measured), []).append(found[measured])
                    print(f"{repeat} {name:>8} {measured:<16} {found[measured]:8.2f} s", flush=True)
    lines = [
        f"# Job shop at {args.jobs:,} x {args.machines:,} ({args.jobs * args.machines:,} operations): "
        "reading, checking, two rules",
        "",
        f"- Run: {began:%Y-%m-%d %H:%M} UTC; trees: "
        + "; ".join(f"{name} = {commit(tree)}" for name, tree in trees),
        f"- Machine: {describe()}",
        f"- Load (1 min, before each run): min {min(loads):.2f}, median {statistics.median(loads):.2f}, "
        f"max {max(loads):.2f}",
        f"- Command: `python benchmarks/jobshop_scale_io.py {' '.join(sys.argv[1:])}`",
        f"- Each figure is the median of {args.repeats} fresh processes per tree, trees interleaved "
        "(who goes first alternates); seconds inside the process except `cli check` (wall, with imports).",
        "",
        "| stage | " + " | ".join(f"{name} s" for name, _ in trees) + " |",
        "| --- | " + " | ".join("---:" for _ in trees) + " |",
    ]
    for stage in stages:
        cells = [f"{statistics.median(times[(name, stage)]):.2f}" for name, _ in trees]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
