"""`make bench-time-limits`: is every time limit kept? Caller-side wall time of every exact
method and `auto` of every family, on the family's largest bundled instance, cold and warm.

Each run is its own subprocess (fresh interpreter: OR-Tools and numba imports count, as for a
user's first call), timed around `schedkit.solve` only. Cache modes:
- `cold`: an empty NUMBA_CACHE_DIR for every run, so the numba kernels compile inside the budget;
- `warm`: one NUMBA_CACHE_DIR filled by `schedkit warmup` before the runs (the set-up `make run`
  gives), so the kernels load from the cache.
The promise is wall <= limit + max(10 %, 0.5 s); the report lists each method's worst overshoot.

    python benchmarks/time_limits.py --limits 1,3,10 --modes cold,warm --out benchmarks/reports/time_limits.md
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from schedkit import family as families  # noqa: E402
from schedkit.bench.machine import describe  # noqa: E402
from schedkit.errors import SchedkitError  # noqa: E402
from schedkit.registry import methods  # noqa: E402

MAX_FILE_BYTES = 20 << 20
CHILD = """
import json, sys, time
import schedkit
from schedkit.errors import SchedkitError
path, index, method = sys.argv[1], int(sys.argv[2]), sys.argv[3]
limit, workers = float(sys.argv[4]), int(sys.argv[5])
instance = next(x for k, x in enumerate(schedkit.load_all(path)) if k == index)
started = time.perf_counter()
try:
    result = schedkit.solve(instance, method, time_limit=limit, workers=workers)
    row = {"status": result.status, "objective": result.objective, "bound": result.bound,
           "compile_seconds": result.stats.get("compile_seconds"), "chosen": result.stats.get("chosen")}
except SchedkitError as error:
    row = {"status": "refused: " + type(error).__name__, "detail": str(error)[:120]}
row["wall"] = time.perf_counter() - started
print("RESULT " + json.dumps(row))
"""


def allowance(limit: float) -> float:
    """The promise's slack: max(10 % of the limit, 0.5 s)."""
    return max(0.1 * limit, 0.5)


def largest_instances() -> dict[str, tuple[str, int, str]]:
    """Per family (path, index in the file, name) of its largest bundled instance, by the size of
    its project JSON, over every instance of every bundled file or directory."""
    chosen: dict[str, tuple[int, tuple[str, int, str]]] = {}
    for name in families.all_families():
        folder = ROOT / "instances" / name
        if not folder.is_dir():
            continue
        paths = [p for p in folder.rglob("*") if p.is_dir() or (
            p.is_file() and p.suffix.lower() not in (".md", ".csv") and p.stat().st_size <= MAX_FILE_BYTES)]
        for path in sorted(paths):
            try:
                for index, instance in enumerate(schedkit.load_all(path)):
                    size = len(json.dumps(instance.to_dict()))
                    if size > chosen.get(name, (-1, None))[0]:
                        chosen[name] = (size, (str(path), index, instance.name))
            except (SchedkitError, StopIteration, OSError):
                continue
    return {name: found for name, (_, found) in chosen.items()}


def timed_methods(name: str) -> list[str]:
    """The family's exact methods and its `auto`."""
    return sorted(m.name for m in methods(name) if m.kind == "exact" or m.name == "auto")


def run(path: str, index: int, method: str, limit: float, cache: Path, workers: int) -> dict[str, Any]:
    """One run in a fresh interpreter with NUMBA_CACHE_DIR=`cache`; its result row."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    hard = max(60.0, 10 * limit)
    try:
        command = [sys.executable, "-c", CHILD, path, str(index), method, str(limit), str(workers)]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=hard, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"status": f"killed after {hard:.0f} s", "wall": hard}
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"status": "error", "detail": tail[:160], "wall": float("nan")}


def warm_cache(cache: Path) -> float:
    """`schedkit warmup` into `cache`; its wall seconds."""
    started = time.perf_counter()
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "schedkit", "warmup"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", default="1,3,10", help="comma-separated time limits in seconds")
    parser.add_argument("--modes", default="cold,warm", help="cache modes: cold, warm")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--families", default="", help="comma-separated families (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="write a Markdown report here")
    args = parser.parse_args()
    limits = [float(v) for v in args.limits.split(",") if v]
    modes = [m for m in args.modes.split(",") if m]
    wanted = [f for f in args.families.split(",") if f]
    instances = {k: v for k, v in largest_instances().items() if not wanted or k in wanted}
    load = os.getloadavg()
    started = time.time()
    scratch = Path(tempfile.mkdtemp(prefix="schedkit-time-limits-"))
    warmup_seconds = warm_cache(scratch / "warm") if "warm" in modes else None
    rows: list[dict[str, Any]] = []
    for name, (path, index, label) in instances.items():
        for method in timed_methods(name):
            for mode in modes:
                for limit in limits:
                    cache = scratch / "warm" if mode == "warm" else Path(tempfile.mkdtemp(dir=scratch))
                    row = run(path, index, method, limit, cache, args.workers)
                    row.update(family=name, instance=label, method=method, mode=mode, limit=limit)
                    rows.append(row)
                    over = row["wall"] - limit
                    flag = "OVER" if over > allowance(limit) else "ok"
                    print(f"{name:<8} {method:<8} {mode:<5} {limit:>5g} s  wall {row['wall']:7.2f} s  "
                          f"{flag:<4} {row['status']}", flush=True)
                    if args.out:
                        args.out.write_text(report(rows, args, load, started, warmup_seconds, instances))
    if args.out:
        args.out.write_text(report(rows, args, load, started, warmup_seconds, instances))


def report(rows: list[dict[str, Any]], args: argparse.Namespace, load: tuple[float, float, float],
           started: float, warmup_seconds: float | None, instances: dict[str, tuple[str, int, str]]) -> str:
    """The Markdown report: worst overshoot per method and mode, then every run."""
    lines = ["# Time limits kept? Caller-side wall time of every exact method and auto", "",
             f"Command: `python benchmarks/time_limits.py --limits {args.limits} --modes {args.modes} "
             f"--workers {args.workers}" + (f" --families {args.families}" if args.families else "")
             + "` (`make bench-time-limits`).", "",
             f"Machine: {describe()}.", "",
             f"Load average at the start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (other helpers were "
             f"running at the same time: every wall time here is inflated by that load); "
             f"wall time so far {time.time() - started:.0f} s"
             + (f"; `schedkit warmup` into the warm cache took {warmup_seconds:.0f} s"
                if warmup_seconds else "") + ".", "",
             "Each run is a fresh interpreter timed around `schedkit.solve` (the OR-Tools import and numba "
             "compilation or cache loading inside the call count). Allowed: limit + max(10 %, 0.5 s). "
             "`cold`: empty numba cache per run; `warm`: a cache filled once by `schedkit warmup`.", "",
             "Instances (each family's largest bundled instance):", ""]
    lines += [f"- {name}: `{Path(path).relative_to(ROOT)}` #{index + 1} ({label})"
              for name, (path, index, label) in instances.items()]
    lines += ["", "## Worst overshoot per method", "",
              "| family | method | mode | worst wall − limit (s) | at limit (s) | over the promise? |",
              "| --- | --- | --- | ---: | ---: | --- |"]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["family"], row["method"], row["mode"]), []).append(row)
    for (name, method, mode), group in groups.items():
        worst = max(group, key=lambda r: r["wall"] - r["limit"])
        over = [r for r in group if r["wall"] - r["limit"] > allowance(r["limit"])]
        verdict = "no" if not over else "**yes** at " + ", ".join(f"{r['limit']:g} s" for r in over)
        lines.append(f"| {name} | {method} | {mode} | {worst['wall'] - worst['limit']:+.2f} | "
                     f"{worst['limit']:g} | {verdict} |")
    lines += ["", "## Every run", "",
              "| family | method | mode | limit (s) | wall (s) | status | objective | bound | compile (s) |",
              "| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: |"]
    for r in rows:
        compile_seconds = r.get("compile_seconds")
        chosen = f" ({r['chosen']})" if r.get("chosen") else ""
        compiled = "" if compile_seconds is None else f"{compile_seconds:.2f}"
        lines.append(f"| {r['family']} | {r['method']}{chosen} | {r['mode']} | {r['limit']:g} | "
                     f"{r['wall']:.2f} | {r['status']} | {r.get('objective', '')} | {r.get('bound', '')} | "
                     f"{compiled} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
