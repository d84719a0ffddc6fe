"""The figures the documentation quotes that no other benchmark measures: numba compile times on
an empty cache, the plain-Python fallbacks, the OR-Tools import, the generators at their
largest, serving `auto`, the ground-station LP's size and VMR `auto` on its tuning clusters.
Every run is a fresh process (an empty NUMBA_CACHE_DIR where a compilation is timed).

    python benchmarks/doc_figures.py --out benchmarks/reports/doc_figures.md [--runs 3]
        [--sections compile,twin,...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fresh_process import checkout_commit  # noqa: E402
from schedkit.bench.machine import describe  # noqa: E402

MEMORY_CAP = 8 << 30  # address space of a child (its peak RSS is reported)
SERVING_TRACE = {"programs": 2000, "workload": "swe", "load": 0.9, "seed": 0}
# (label, instance path, load options, method, solve options): each family's first call
COMPILE_CASES = [
    ("dag", "instances/dag/topcuoglu2002_fig2.json", {}, "heft", {}),
    ("jobshop (rules)", "instances/jobshop/classic/ft06", {}, "mwkr", {}),
    ("jobshop blocking", "instances/jobshop/classic/la01", {"blocking": True}, "ig",
     {"iterations": 10, "workers": 1}),
    ("pods", "instances/pods/grid.jsonl#1", {}, "kube-default", {}),
    ("rcpsp", "instances/rcpsp/j30/j301_1.sm", {}, "sgs-serial", {}),
    ("serving", "instances/serving/swe-8.jsonl", {}, "continuum", {}),
    ("smtt", "instances/smtt/sample_wt40_1.json", {}, "dynasearch", {}),
    ("vmr", "instances/vmr/sample_m12.json", {}, "greedy", {}),
]
TWIN_CASES = [
    ("dag_v1000_p4_ccr0.1 (4 processors)", "instances/dag/random_v1000.jsonl#1", "heft"),
    ("dag_v1000_p64_ccr10 (64 processors)", "instances/dag/random_v1000.jsonl#9", "heft"),
    ("serving swe-8", "instances/serving/swe-8.jsonl", "continuum"),
]
GENERATE_CASES = [
    ("pods: 1,000 nodes x 1,000 pods", "pods", {"nodes": 1000, "pods_per_node": 1000, "priorities": 1,
                                                "utilisation": 0.9}),
    ("vmr: 10,000 machines", "vmr", {"machines": 10_000}),
    ("serving: 100,000 programs", "serving", {"programs": 100_000}),
]
LP_CASES = [(3600, True), (3600, False), (1800, True), (1800, False)]
# solved: (week, bucket s, per-bucket tracking rows, boundary-crossing rows; None: the preemptive LP)
LP_BOUNDS = [("W10_2018", 10800, True, False), ("W10_2018", 10800, False, False),
             ("W10_2018", 7200, False, False), ("W10_2018", 3600, True, True), ("W10_2018", 3600, None, None),
             ("W20_2018", 10800, True, False), ("W20_2018", 3600, None, None)]
VMR_SEEDS = range(1, 17)
VMR_REFERENCES = ROOT / "benchmarks" / "reports" / "vmr_tune_refs.jsonl"
SECTIONS = ("compile", "twin", "import", "generate", "serving", "lp", "vmr")

CHILD = r"""
import json, resource, sys, time
spec = json.loads(sys.argv[1])
kind = spec["kind"]
began = time.perf_counter()
if kind == "import":
    import ortools.sat.python.cp_model
    row = {"seconds": time.perf_counter() - began}
elif kind == "generate":
    import schedkit
    started = time.perf_counter()
    made = getattr(schedkit.generate, spec["family"])(**spec["arguments"])
    row = {"seconds": time.perf_counter() - started, "name": made.name}
elif kind == "lp":
    import schedkit
    from schedkit.groundstation.heuristics.board import request_options
    from schedkit.groundstation.solvers.interval_lp import build, mission_totals
    x = schedkit.load("instances/groundstation/problems.json#" + spec.get("week", "W10_2018"))
    options = request_options(x)
    started = time.perf_counter()
    if spec.get("preemptive"):
        from schedkit.groundstation.solvers.lp_bound import lp_unserved_bound
        bound = lp_unserved_bound(x, options, grid=spec["grid"])
        row = {"seconds": time.perf_counter() - started, "hours": (x.requested - bound) / 3600}
    elif spec.get("solve"):
        from schedkit.groundstation.solvers.interval_lp import interval_unserved_bound
        bound = interval_unserved_bound(x, options, grid=spec["grid"], tracking_rows=spec["tracking_rows"],
                                        crossing_rows=spec.get("crossing_rows", False))
        row = {"seconds": time.perf_counter() - started, "hours": (x.requested - bound) / 3600}
    else:
        lp = build(x, options, spec["grid"], mission_totals(x, options), spec["tracking_rows"])
        row = {"seconds": time.perf_counter() - started, "rows": len(lp.row_upper), "columns": len(lp.cost),
               "nonzeros": len(lp.values)}
else:
    import schedkit
    if kind == "serving-auto":
        x = schedkit.generate.serving(**spec["trace"])
        schedkit.solve(schedkit.load("instances/serving/swe-8.jsonl"), "continuum")  # kernels loaded
    elif kind == "vmr":
        x = schedkit.generate.vmr(300, 0.95, spec["seed"], 50)
        schedkit.solve(schedkit.generate.vmr(20, 0.9, seed=1, migration_limit=5), "auto", time_limit=2,
                       workers=2)  # kernels loaded, as benchmarks/vmr_tune.py does
    else:
        x = schedkit.load(spec["path"], **spec.get("load", {}))
    started = time.perf_counter()
    r = schedkit.solve(x, spec["method"], time_limit=spec.get("time_limit"), **spec.get("options", {}))
    wall = time.perf_counter() - started
    verdict = schedkit.check(x, r)
    row = {"wall": wall, "status": r.status, "objective": r.objective, "bound": r.bound,
           "checked": verdict.feasible and verdict.objective == r.objective,
           "compile_seconds": r.stats.get("compile_seconds"), "compiling": bool(r.stats.get("compiling")),
           "chosen": r.stats.get("chosen"), "tried": r.stats.get("tried"), "name": x.name,
           "free_cpu": getattr(x, "total_free_cpu", None)}
row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(row, default=str))
sys.stdout.flush()
import os
os._exit(0)
"""


def cap_memory() -> None:
    """Limit a child's address space (run in the child before it starts)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def child(spec: dict[str, Any], cold: bool = False) -> dict[str, Any]:
    """Run one spec in a fresh process (with a new empty numba cache when `cold`): its row, with
    the 1-minute load average before and after."""
    cache = tempfile.mkdtemp(prefix="schedkit-doc-figures-") if cold else None
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if cache:
        env["NUMBA_CACHE_DIR"] = cache
    before = os.getloadavg()[0]
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(spec)], cwd=ROOT, env=env,
                              capture_output=True, text=True, preexec_fn=cap_memory)
    finally:
        if cache:
            shutil.rmtree(cache, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"{spec}: the child failed:\n{done.stderr[-2000:]}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row["load"] = [round(before, 2), round(os.getloadavg()[0], 2)]
    print(json.dumps({**spec, **row}, default=str)[:300], flush=True)
    return row


def repeated(spec: dict[str, Any], runs: int, cold: bool = False) -> list[dict[str, Any]]:
    """`runs` fresh-process rows of one spec."""
    return [child(spec, cold) for _ in range(runs)]


def spread(values: list[float], digits: int = 2) -> str:
    """'median (min-max)' of some seconds."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def loads(rows: list[dict[str, Any]]) -> str:
    """The load range over some rows."""
    seen = [v for r in rows for v in r["load"]]
    return f"{min(seen):.1f}-{max(seen):.1f}"


def compile_section(runs: int) -> list[str]:
    """Each family's first call on an empty numba cache, without a time limit: how long it
    waited for its kernels (`stats["compile_seconds"]`; the rules report none: their wall time)."""
    lines = ["## Compiling on an empty numba cache", "",
             "A fresh process with a new empty `NUMBA_CACHE_DIR`, one call without a time limit (so it "
             f"waits for its kernels), {runs} runs each: `stats[\"compile_seconds\"]`, median (min-max). The "
             "rules report no compile time: their whole call is given. Other work ran beside (load).", "",
             "| family | instance | method | compile s | whole call s | load |",
             "| --- | --- | --- | ---: | ---: | ---: |"]
    for label, path, load, method, options in COMPILE_CASES:
        spec = {"kind": "solve", "path": path, "load": load, "method": method, "options": options}
        rows = repeated(spec, runs, cold=True)
        assert all(r["checked"] for r in rows), rows
        waited = [r["compile_seconds"] for r in rows if r["compile_seconds"] is not None]
        lines.append(f"| {label} | {Path(path).name} | {method} | {spread(waited) if waited else '-'} | "
                     f"{spread([r['wall'] for r in rows])} | {loads(rows)} |")
    return lines


def twin_section(runs: int) -> list[str]:
    """A first call at 3 s on an empty cache: after the wait, the kernels' Python twins."""
    lines = ["## The plain-Python pass while the kernels compile", "",
             f"A fresh process with a new empty `NUMBA_CACHE_DIR`, `schedkit.solve(..., time_limit=3)`: the "
             "method waits max(1 s, 20 % of the limit) for its kernels, then runs them as plain Python "
             "(`stats[\"compiling\"]`) while the compilation goes on beside it. Plain-Python seconds = the "
             f"call's wall time less the wait; {runs} runs, median (min-max).", "",
             "| instance | method | waited s | plain Python s | objective | load |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for label, path, method in TWIN_CASES:
        rows = repeated({"kind": "solve", "path": path, "method": method, "time_limit": 3}, runs, cold=True)
        assert all(r["checked"] and r["compiling"] for r in rows), rows
        assert len({r["objective"] for r in rows}) == 1, rows
        lines.append(f"| {label} | {method} | {spread([r['compile_seconds'] for r in rows])} | "
                     f"{spread([r['wall'] - r['compile_seconds'] for r in rows], 3)} | "
                     f"{rows[0]['objective']:g} | {loads(rows)} |")
    return lines


def import_section(runs: int) -> list[str]:
    """`import ortools.sat.python.cp_model` in a fresh interpreter (the files in the page cache)."""
    rows = repeated({"kind": "import"}, runs)
    return ["## Importing OR-Tools", "",
            f"`import ortools.sat.python.cp_model` in a fresh interpreter, {runs} runs (the library already "
            f"in the page cache): **{spread([r['seconds'] for r in rows])} s** at load {loads(rows)}."]


def generate_section(runs: int) -> list[str]:
    """The generators at the sizes docs/input-limits.md quotes: seconds and peak memory."""
    lines = ["## Generators at their largest", "",
             f"`schedkit.generate.<family>(...)` in a fresh process, {runs} runs: seconds of the call and "
             "the process's peak resident memory (imports included), median (min-max).", "",
             "| call | arguments | seconds | peak MB | load |", "| --- | --- | ---: | ---: | ---: |"]
    for label, family, arguments in GENERATE_CASES:
        rows = repeated({"kind": "generate", "family": family, "arguments": arguments}, runs)
        lines.append(f"| {label} | `{json.dumps(arguments)}` | {spread([r['seconds'] for r in rows], 1)} | "
                     f"{spread([r['peak_mb'] for r in rows], 0)} | {loads(rows)} |")
    return lines


def serving_section(runs: int) -> list[str]:
    """Serving `auto` on a generated SWE-like trace, without a limit and at 1 s (kernels loaded)."""
    lines = ["## Serving `auto` on a generated trace", "",
             f"`schedkit.generate.serving({', '.join(f'{k}={v!r}' for k, v in SERVING_TRACE.items())})`, "
             f"then `auto` in a fresh process whose kernels are loaded first; {runs} runs each, median "
             "(min-max) of the call's wall time. `tried`: the first run's mean JCT (s) per policy.", "",
             "| limit | wall s | chosen | tried | load |", "| --- | ---: | --- | --- | ---: |"]
    for limit in (None, 1.0):
        spec = {"kind": "serving-auto", "trace": SERVING_TRACE, "method": "auto", "time_limit": limit}
        rows = repeated(spec, runs)
        assert all(r["checked"] for r in rows) and len({r["chosen"] for r in rows}) == 1, rows
        tried = rows[0]["tried"]
        shown = "none" if limit is None else f"{limit:g} s"
        lines.append(f"| {shown} | {spread([r['wall'] for r in rows])} | {rows[0]['chosen']} | {tried} | "
                     f"{loads(rows)} |")
    return lines


def lp_section(runs: int) -> list[str]:
    """The ground station's interval LP on SatNet W10: its size (built, not solved), then some bounds."""
    lines = ["## The ground station's interval LP on SatNet weeks", "",
             "`interval_lp.build` on `problems.json#W10_2018` with the missions' transportation caps (what "
             "`cpsat` builds), not solved; one run each (the size does not depend on the machine).", "",
             "| bucket | per-bucket tracking rows | rows | columns | nonzeros | build s | load |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for grid, tracking in LP_CASES:
        r = child({"kind": "lp", "grid": grid, "tracking_rows": tracking})
        lines.append(f"| {grid // 60} min | {'yes' if tracking else 'no'} | {r['rows']:,} | "
                     f"{r['columns']:,} | {r['nonzeros']:,} | {r['seconds']:.1f} | {loads([r])} |")
    lines += ["", "Solved (HiGHS, no time limit; seconds include building): the upper bound on tracked "
              "hours, with the per-bucket tracking rows (what `cpsat` runs), the earlier rows "
              "(`tracking_rows=False`) or the boundary-crossing rows too; and the preemptive LP "
              "(`lp_bound.py`) at 1 h.", "",
              "| week | LP | bucket | rows | tracked hours at most | seconds | load |",
              "| --- | --- | ---: | --- | ---: | ---: | ---: |"]
    for week, grid, tracking, crossing in LP_BOUNDS:
        r = child({"kind": "lp", "week": week, "grid": grid, "tracking_rows": tracking,
                   "crossing_rows": crossing, "solve": True, "preemptive": tracking is None})
        kind = "preemptive" if tracking is None else "interval"
        rows = "-" if tracking is None else ("tracking" if tracking else "earlier") + " + crossing" * crossing
        lines.append(f"| {week[:3]} | {kind} | {grid // 3600} h | {rows} | {r['hours']:.1f} | "
                     f"{r['seconds']:.1f} | {loads([r])} |")
    return lines


def vmr_section(runs: int) -> list[str]:
    """VMR `auto` (5 s, 2 workers) on the tuning clusters of benchmarks/vmr_tune.py, one run each."""
    references = {r["cluster"]: r for r in map(json.loads, VMR_REFERENCES.read_text().splitlines())}
    rows = []
    for seed in VMR_SEEDS:
        spec = {"kind": "vmr", "seed": seed, "method": "auto", "time_limit": 5, "options": {"workers": 2}}
        row = child(spec)
        assert row["checked"], row
        best = min(references[row["name"]]["objective"], row["objective"])
        rows.append({**row, "seed": seed, "gap": (row["objective"] - best) / row["free_cpu"]})
    lines = ["## VMR `auto` on its tuning clusters", "",
             "`auto` at 5 s with 2 workers on `schedkit.generate.vmr(300, 0.95, seed, 50)` (the hard corner "
             "`benchmarks/vmr_tune.py` tunes on), a fresh process per cluster with its kernels loaded first; "
             "the gap in fragment rate to the best of `auto`'s plan and the cached 120 s `mip` reference "
             f"({VMR_REFERENCES.name}). One run per seed.", "",
             "| seeds | within 0.01 FR | proven | sum of objectives | largest wall s | load |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, chosen in (("1-10", rows[:10]), ("11-16", rows[10:])):
        within = sum(r["gap"] <= 0.01 + 1e-12 for r in chosen)
        proven = sum(r["status"] == "optimal" for r in chosen)
        lines.append(f"| {name} | {within}/{len(chosen)} | {proven}/{len(chosen)} | "
                     f"{sum(r['objective'] for r in chosen):g} | {max(r['wall'] for r in chosen):.2f} | "
                     f"{loads(chosen)} |")
    lines += ["", "Per seed (objective, gap): " + "; ".join(
        f"{r['seed']}: {r['objective']:g}, {r['gap']:.4f}" for r in rows) + "."]
    return lines


BUILDERS = {"compile": compile_section, "twin": twin_section, "import": import_section,
            "generate": generate_section, "serving": serving_section, "lp": lp_section, "vmr": vmr_section}
RUNS = {"import": 5, "twin": 5}  # cheap sections run more often than --runs
BUILDER_HEADINGS = {"compile": "## Compiling on an empty numba cache",
                    "twin": "## The plain-Python pass while the kernels compile",
                    "import": "## Importing OR-Tools", "generate": "## Generators at their largest",
                    "serving": "## Serving `auto` on a generated trace",
                    "lp": "## The ground station's interval LP on SatNet weeks",
                    "vmr": "## VMR `auto` on its tuning clusters"}


def merged(old: str, sections: dict[str, list[str]]) -> str:
    """`old` report's "## " sections with those in `sections` (keyed by heading) replaced or added;
    sections no builder makes any more are dropped."""
    kept: dict[str, list[str]] = {}
    heading = None
    for line in old.splitlines():
        if line.startswith("## "):
            heading = line
        if heading is not None:
            kept.setdefault(heading, []).append(line)
    for lines in sections.values():
        kept[lines[0]] = lines
    known = {BUILDER_HEADINGS[name]: k for k, name in enumerate(SECTIONS)}
    headings = sorted(set(kept) & set(known), key=known.__getitem__)
    return "\n".join("\n".join(kept[h]).rstrip() + "\n" for h in headings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True,
                        help="the Markdown report: the sections run replace theirs, the others are kept")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per timed case")
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"any of {', '.join(SECTIONS)}")
    args = parser.parse_args()
    chosen = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown or args.runs < 1:
        parser.error(f"unknown sections {unknown}" if unknown else "--runs must be at least 1")
    command = f"python benchmarks/doc_figures.py --out {args.out} --runs {args.runs} --sections {{}}"
    head = ["# Figures quoted in the documentation", "",
            "Measurements the docs cite that no other benchmark makes, one section each (`make "
            "bench-doc-figures` runs them all; `--sections` re-runs some and keeps the others). The machine "
            "is shared with other work: each table gives the 1-minute load around its runs.", "",
            f"- machine: {describe()}", ""]
    for name in chosen:
        started, start_load = time.gmtime(), os.getloadavg()[0]
        lines = BUILDERS[name](max(args.runs, RUNS.get(name, 0)))
        assert lines[0] == BUILDER_HEADINGS[name], lines[0]
        run = (f"Run {time.strftime('%Y-%m-%d %H:%M', started)}-{time.strftime('%H:%M UTC', time.gmtime())}, "
               f"commit {checkout_commit(ROOT)}, load average (1 min) {start_load:.1f} at the start and "
               f"{os.getloadavg()[0]:.1f} at the end: `{command.format(name)}`.")
        old = args.out.read_text() if args.out.exists() else ""  # written after each section
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(head) + "\n" + merged(old, {name: [lines[0], "", run, *lines[1:], ""]}))


if __name__ == "__main__":
    main()
