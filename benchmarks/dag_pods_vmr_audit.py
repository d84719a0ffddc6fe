"""Time limits of the dag, pods and vmr methods on an empty numba cache: every method, small and
largest instances, limits 0.1 / 1 / 3 s, each run a fresh process with a new NUMBA_CACHE_DIR.

The instance files are written once (generated ones under --folder); each child loads its
instance, then times `schedkit.solve` caller-side (the hard deadline on, as users run it), checks
the answer and the bound, and ends with os._exit (the compilation it leaves going is dropped).

    python benchmarks/dag_pods_vmr_audit.py --folder /tmp/dpv --store runs.jsonl --out report.md
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schedkit.bench.machine import describe  # noqa: E402
from schedkit.deadline import allowance  # noqa: E402
from schedkit.registry import methods  # noqa: E402

# (family, label, bundled path or None, generator call as "module:function", arguments)
CASES: tuple[tuple[str, str, str | None, str, tuple[Any, ...]], ...] = (
    ("dag", "fig2 (10 tasks)", "instances/dag/topcuoglu2002_fig2.json", "", ()),
    ("dag", "1,000 x 40 (cpsat's largest)", None, "schedkit.dag.generate:dag", (1000, 40, 1)),
    ("dag", "200,000 x 64", None, "schedkit.dag.generate:dag", (200_000, 64, 1)),
    ("pods", "grid #1", "instances/pods/grid.jsonl#1", "", ()),
    ("pods", "300 nodes x 10 pods", None, "schedkit.pods.generate:pods", (300, 10, 3, 0.95, 1)),
    ("pods", "2,000 nodes x 50 pods", None, "schedkit.pods.generate:pods", (2_000, 50, 3, 0.95, 1)),
    ("vmr", "sample m12", "instances/vmr/sample_m12.json", "", ()),
    ("vmr", "m300 u95 k50", "instances/vmr/vmr_m300_u95_k50_s1.json", "", ()),
    ("vmr", "5,000 machines", None, "schedkit.vmr.generate:vmr", (5_000, 0.95, 1, 100)),
)
CHILD = """
import json, os, sys, time
import schedkit
path, method, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
instance = schedkit.load(path)
started = time.perf_counter()
try:
    r = schedkit.solve(instance, method, time_limit=limit, workers=2)
    wall = time.perf_counter() - started
    row = {"status": r.status, "objective": r.objective, "bound": r.bound,
           "checked": schedkit.check(instance, r).feasible if r.solution is not None else None,
           "compiling": bool(r.stats.get("compiling")), "hard_deadline": bool(r.stats.get("hard_deadline")),
           "chosen": r.stats.get("chosen")}
except Exception as error:
    wall = time.perf_counter() - started
    row = {"status": "refused", "error": type(error).__name__ + ": " + str(error)[:100]}
row["wall"] = round(wall, 3)
print("ROW " + json.dumps(row), flush=True)
os._exit(0)
"""


def instance_path(folder: Path, case: tuple[str, str, str | None, str, tuple[Any, ...]]) -> str:
    """The bundled path, or the generated instance's file under `folder` (written once)."""
    family, label, bundled, call, arguments = case
    if bundled is not None:
        return str(ROOT / bundled)
    out = folder / f"{family}_{'_'.join(map(str, arguments))}.json"
    if not out.exists():
        module, name = call.split(":")
        code = (f"import importlib; from schedkit.loading import write; x = getattr(importlib.import_module("
                f"{module!r}), {name!r})(*{arguments!r}); write(x, {str(out)!r})")
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    return str(out)


def run(path: str, method: str, limit: float) -> dict[str, Any]:
    """One cold run in a fresh process with an empty NUMBA_CACHE_DIR: its row."""
    cache = tempfile.mkdtemp(prefix="schedkit-cold-")
    try:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
        env.pop("SCHEDKIT_HARD_DEADLINE", None)
        done = subprocess.run([sys.executable, "-c", CHILD, path, method, str(limit)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        rows = [line[4:] for line in done.stdout.splitlines() if line.startswith("ROW ")]
        if not rows:
            return {"status": "crashed", "error": done.stderr.strip().splitlines()[-1:]}
        return json.loads(rows[-1])
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def verdict(row: dict[str, Any], limit: float) -> str:
    """'ok', or what broke a promise: late, unchecked plan, bound above the objective."""
    broken = []
    if "wall" in row and row["wall"] > limit + allowance(limit):
        broken.append("LATE")
    if row.get("checked") is False:
        broken.append("INFEASIBLE")
    if row.get("bound") is not None and row.get("objective") is not None and row["bound"] > row["objective"]:
        broken.append("BOUND")
    if row["status"] == "crashed":
        broken.append("CRASH")
    return " ".join(broken) or "ok"


def report(rows: list[dict[str, Any]], command: str, title: str) -> str:
    """Markdown: set-up, then one row per run."""
    late = sum("LATE" in r["verdict"] for r in rows)
    lines = [f"## {title}", "",
             f"- machine: {describe()}",
             f"- load average (1 min) as each run started: {min(r['load'] for r in rows):.1f} to "
             f"{max(r['load'] for r in rows):.1f} (2 cores shared with other jobs)",
             f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"- command: `{command}`",
             "- each run: a fresh process, a new empty `NUMBA_CACHE_DIR`, the instance loaded, then "
             "`schedkit.solve(..., time_limit, workers=2)` timed caller-side (hard deadline on), the "
             "answer through `schedkit.check`",
             f"- runs: {len(rows)}; late (wall > limit + max(10 %, 0.5 s)): {late}; "
             f"other broken promises: {sum(r['verdict'] not in ('ok', 'LATE') for r in rows)}",
             "",
             "| family | instance | method | limit s | status | objective | bound | checked | compiling "
             "| hard deadline | wall s | verdict |",
             "|---|---|---|---:|---|---:|---:|---|---|---|---:|---|"]
    for r in rows:
        status = r["status"] if r["status"] != "refused" else "refused: " + r["error"].split(":")[0]
        lines.append(f"| {r['family']} | {r['instance']} | {r['method']} | {r['limit']:g} | {status} | "
                     f"{r.get('objective')} | {r.get('bound')} | {r.get('checked')} | "
                     f"{r.get('compiling')} | {r.get('hard_deadline')} | {r.get('wall')} | {r['verdict']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True, help="generated instances (kept)")
    parser.add_argument("--limits", default="0.1,1,3")
    parser.add_argument("--families", default="dag,pods,vmr")
    parser.add_argument("--methods", default="", help="only these (comma-separated)")
    parser.add_argument("--instances", default="", help="only labels containing one of these")
    parser.add_argument("--store", type=Path, required=True, help="JSON lines, appended")
    parser.add_argument("--out", type=Path, default=None, help="append a Markdown section here")
    parser.add_argument("--title", default="Cold-cache time limits")
    parser.add_argument("--render", action="store_true", help="only write --out from the rows in --store")
    args = parser.parse_args()
    if args.render:
        rows = [json.loads(line) for line in args.store.read_text().splitlines() if line.strip()]
        command = "python benchmarks/dag_pods_vmr_audit.py --folder F --store S"
        with args.out.open("a") as handle:
            handle.write("\n" + report(rows, command, args.title))
        return
    args.folder.mkdir(parents=True, exist_ok=True)
    limits = [float(x) for x in args.limits.split(",")]
    wanted = [w for w in args.instances.split(",") if w]
    only = [m for m in args.methods.split(",") if m]
    rows = []
    for case in CASES:
        family, label = case[0], case[1]
        if family not in args.families.split(",") or (wanted and not any(w in label for w in wanted)):
            continue
        path = instance_path(args.folder, case)
        for method in sorted(m.name for m in methods(family)):
            if only and method not in only:
                continue
            for limit in limits:
                row = {"family": family, "instance": label, "method": method, "limit": limit,
                       "load": os.getloadavg()[0], **run(path, method, limit)}
                row["verdict"] = verdict(row, limit)
                rows.append(row)
                with args.store.open("a") as handle:
                    handle.write(json.dumps(row) + "\n")
                print(json.dumps(row), flush=True)
    if args.out is not None:
        command = "python benchmarks/dag_pods_vmr_audit.py " + " ".join(sys.argv[1:])
        with args.out.open("a") as handle:
            handle.write("\n" + report(rows, command, args.title))


if __name__ == "__main__":
    main()
