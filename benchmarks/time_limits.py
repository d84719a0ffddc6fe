"""`make bench-time-limits`: is every time limit kept? Caller-side wall time of every exact method,
`auto`, and every anytime heuristic of every family, on the family's largest bundled instances.

Each (instance, method, limit) runs in fresh interpreters, timed around `schedkit.solve` only
(the OR-Tools import and numba cache loading or compilation inside the call count). Modes:
- `cold`: a fresh interpreter's first call, with the numba cache filled by `schedkit warmup`
  beforehand (what a user gets after `make install` / `make run`);
- `warm`: the second call in that same interpreter (imports and kernels already loaded);
- `uncompiled`: a fresh interpreter with an EMPTY numba cache, so kernels would have to compile
  inside the budget (methods compile in the background and fall back, or report
  `compile_seconds`).
The promise is wall <= limit + max(10 %, 0.5 s); the report lists each method's worst overshoot.

    python benchmarks/time_limits.py --limits 1,3,10 --out benchmarks/reports/time_limits.md

`--background N` keeps N busy-loop processes running during the runs (started after the warm-up),
so that the promise is measured on a loaded machine, as CI and users' machines often are.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from schedkit import family as families  # noqa: E402
from schedkit.bench.machine import describe  # noqa: E402
from schedkit.deadline import allowance  # noqa: E402
from schedkit.errors import SchedkitError  # noqa: E402
from schedkit.registry import methods  # noqa: E402

MAX_FILE_BYTES = 20 << 20
# Heuristics that run until the time limit (the others are one-pass and fast).
ANYTIME = {"dynasearch", "fbi", "ffeea", "ga", "ig", "lns", "sampling", "sgs-lags", "ttl-opt"}
# Extra instances timed besides each family's largest: (family, path, index, load options, label).
VARIANTS = [
    ("jobshop", "instances/jobshop/classic/ta20", 0, {"blocking": True}, "ta20 (blocking)"),
    ("rcpsp", "instances/rcpsp/max/sm_j30/PSP1.SCH", 0, {}, "RCPSP/max j30 PSP1"),
    # RG300_1, the largest, is proven in under a second: these keep the long paths timed
    ("rcpsp", "instances/rcpsp/large/gen300_2.sm", 0, {}, "gen300_2 (large-project probe)"),
    ("rcpsp", "instances/rcpsp/j60/j6013_1.sm", 0, {}, "j6013_1 (mid-size cpsat-lns)"),
    ("smtt", "instances/smtt/orlib_weighted100_sample.jsonl", 0, {}, "wt100 #1 (weighted)"),
]
CHILD = """
import json, sys, time
import schedkit
import schedkit.deadline
from schedkit.errors import SchedkitError
path, index, method = sys.argv[1], int(sys.argv[2]), sys.argv[3]
limit, workers, calls = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
load_options = json.loads(sys.argv[7])
instance = next(x for k, x in enumerate(schedkit.load_all(path, **load_options)) if k == index)
for call in range(calls):
    started = time.perf_counter()
    try:
        result = schedkit.solve(instance, method, time_limit=limit, workers=workers)
        row = {"status": result.status, "objective": result.objective, "bound": result.bound,
               "compile_seconds": result.stats.get("compile_seconds"), "chosen": result.stats.get("chosen"),
               "hard_deadline": bool(result.stats.get("hard_deadline"))}
    except SchedkitError as error:
        row = {"status": "refused: " + type(error).__name__, "detail": str(error)[:120]}
    row["wall"] = time.perf_counter() - started
    row["call"] = call
    print("RESULT " + json.dumps(row), flush=True)
    schedkit.deadline.wait_for_abandoned()  # `warm` means: everything the first call started is loaded
"""


def largest_instances() -> list[tuple[str, str, int, dict[str, Any], str]]:
    """Per family its largest bundled instance (by the size of its project JSON, over every
    instance of every bundled file or directory), then the VARIANTS."""
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
    found = [(name, path, index, {}, label) for name, (_, (path, index, label)) in chosen.items()]
    found += [(name, str(ROOT / path), index, options, label)
              for name, path, index, options, label in VARIANTS if (ROOT / path).exists()]
    return found


def timed_methods(name: str) -> list[str]:
    """The family's exact methods, its `auto` and its anytime heuristics."""
    return sorted(m.name for m in methods(name) if m.kind == "exact" or m.name == "auto" or m.name in ANYTIME)


def run(path: str, index: int, load_options: dict[str, Any], method: str, limit: float, cache: Path,
        workers: int, calls: int) -> list[dict[str, Any]]:
    """`calls` calls in one fresh interpreter with NUMBA_CACHE_DIR=`cache`; a result row per call."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    hard = max(60.0, 10 * limit) * calls
    command = [sys.executable, "-c", CHILD, path, str(index), method, str(limit), str(workers), str(calls),
               json.dumps(load_options)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=hard, cwd=ROOT)
        output, error = done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        error = f"killed after {hard:.0f} s"
    rows = [json.loads(line[7:]) for line in output.splitlines() if line.startswith("RESULT ")]
    while len(rows) < calls:
        tail = (error.strip().splitlines() or ["no output"])[-1]
        rows.append({"status": "error", "detail": tail[:160], "wall": float("inf"), "call": len(rows)})
    return rows


BURNER = "while True: pass"


@contextlib.contextmanager
def background_load(count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`count` busy-loop processes for the duration of the block, killed on the way out (an
    exception or Ctrl-C included): the load a shared CI runner or a busy laptop adds."""
    burners: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(count):
            burners.append(subprocess.Popen([sys.executable, "-c", BURNER], stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield burners
    finally:
        for burner in burners:
            burner.kill()
        for burner in burners:
            burner.wait()


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
    parser.add_argument("--uncompiled-limits", default="1,3",
                        help="limits at which the empty-cache mode runs too ('' for none)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--background", type=int, default=0,
                        help="busy-loop processes kept running during the runs (a loaded machine)")
    parser.add_argument("--families", default="", help="comma-separated families (default: all)")
    parser.add_argument("--labels", default="",
                        help="comma-separated instance labels to run (default: all chosen)")
    parser.add_argument("--methods", default="", help="comma-separated methods (default: all timed ones)")
    parser.add_argument("--out", type=Path, default=None, help="write a Markdown report here")
    parser.add_argument("--store", type=Path, default=None,
                        help="append every run's rows to this JSON-lines file and report all rows in it "
                        "(runs of different families stitched into one report)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="a numba cache folder filled by `schedkit warmup` (default: warm a new one)")
    args = parser.parse_args()
    limits = [float(v) for v in args.limits.split(",") if v]
    uncompiled = [float(v) for v in args.uncompiled_limits.split(",") if v]
    wanted = [f for f in args.families.split(",") if f]
    instances = [x for x in largest_instances() if not wanted or x[0] in wanted]
    labels = [label for label in args.labels.split(",") if label]
    instances = [x for x in instances if not labels or x[4] in labels]
    load = os.getloadavg()
    started = time.time()
    scratch = Path(tempfile.mkdtemp(prefix="schedkit-time-limits-"))
    warm = args.cache or scratch / "warm"
    warmup_seconds = 0.0 if args.cache else warm_cache(warm)
    run_id = {"run": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)), "command": command_line(args),
              "commit": commit(), "warmup_seconds": None if args.cache else round(warmup_seconds),
              "start_load": round(load[0], 1), "background": args.background}
    previous = [json.loads(line) for line in args.store.read_text().splitlines()] \
        if args.store and args.store.exists() else []
    with background_load(args.background):
        rows = run_all(args, instances, limits, uncompiled, warm, scratch, run_id, previous)
    if args.out:
        args.out.write_text(report(previous + rows))


def run_all(args: argparse.Namespace, instances: list[tuple[str, str, int, dict[str, Any], str]],
            limits: list[float], uncompiled: list[float], warm: Path, scratch: Path,
            run_id: dict[str, Any], previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every (instance, method, limit, mode) run, printed, stored and reported as it ends."""
    chosen_methods = [m for m in args.methods.split(",") if m]
    rows: list[dict[str, Any]] = []
    for name, path, index, load_options, label in instances:
        for method in timed_methods(name):
            if chosen_methods and method not in chosen_methods:
                continue
            for limit in limits:
                plan = [("warmed", warm, 2)]
                if limit in uncompiled:
                    plan.append(("uncompiled", Path(tempfile.mkdtemp(dir=scratch)), 1))
                for cache_kind, cache, calls in plan:
                    for row in run(path, index, load_options, method, limit, cache, args.workers, calls):
                        mode = "uncompiled" if cache_kind == "uncompiled" else ("cold", "warm")[row["call"]]
                        row.update(family=name, instance=label, method=method, mode=mode, limit=limit,
                                   load=os.getloadavg()[0], path=str(Path(path).relative_to(ROOT)),
                                   load_options=load_options, index=index, **run_id)
                        rows.append(row)
                        if args.store:
                            with args.store.open("a") as store:
                                store.write(json.dumps(row) + "\n")
                        over = row["wall"] - limit
                        flag = "OVER" if over > allowance(limit) else "ok"
                        print(f"{name:<13} {label[:22]:<22} {method:<10} {mode:<10} {limit:>5g} s  wall "
                              f"{row['wall']:7.2f} s  {flag:<4} {row['status']}", flush=True)
                if args.out:
                    args.out.write_text(report(previous + rows))
    return rows


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this run."""
    return (f"python benchmarks/time_limits.py --limits {args.limits} --uncompiled-limits "
            f"'{args.uncompiled_limits}' --workers {args.workers}"
            + (f" --background {args.background}" if args.background else "")
            + (f" --families {args.families}" if args.families else "")
            + (f" --labels '{args.labels}'" if args.labels else "")
            + (f" --methods {args.methods}" if args.methods else ""))


def commit() -> str:
    """The checkout's short commit, or '?'."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip() or "?"


def report(rows: list[dict[str, Any]]) -> str:
    """The Markdown report: the runs, worst overshoot per method and mode, then every run."""
    title = "# Time limits kept? Caller-side wall time of every exact method, auto and anytime heuristic"
    lines = [title, "", f"Machine: {describe()}.", "",
             "Runs (`make bench-time-limits` runs them all at once):", ""]
    runs: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        runs.setdefault(row["run"], []).append(row)
    for started, group in runs.items():
        first, loads = group[0], [r["load"] for r in group]
        burners = first.get("background", 0)
        lines.append(f"- {started}, commit {first['commit']}: `{first['command']}`; "
                     + (f"{burners} busy-loop processes beside the runs (--background); " if burners else "")
                     + "load average "
                     f"{first['start_load']:.1f} at the start, {min(loads):.1f}–{max(loads):.1f} "
                     "during the runs; "
                     + ("the cache was warmed by `schedkit warmup` beforehand (--cache)."
                        if first["warmup_seconds"] is None else
                        f"`schedkit warmup` took {first['warmup_seconds']} s."))
    lines += ["", "Each run is timed around `schedkit.solve` in a fresh interpreter (the OR-Tools import and "
             "numba cache loading or compilation inside the call count). Allowed: limit + max(10 %, 0.5 s). "
             "`cold`: the first call of a fresh interpreter after `schedkit warmup`; `warm`: the second call "
             "in that interpreter; `uncompiled`: the first call with an empty numba cache (no warmup).", "",
             "Instances (each family's largest bundled instance, and named variants):", ""]
    instances = {(r["family"], r["path"], r["index"], r["instance"], json.dumps(r["load_options"]))
                 for r in rows}
    lines += [f"- {name}: `{path}` #{index + 1} ({label})"
              + (f", loaded with {options}" if options != "{}" else "")
              for name, path, index, label, options in sorted(instances)]
    lines += ["", "## Worst overshoot per method", "",
              "| family | instance | method | mode | worst wall − limit (s) | at limit (s) "
              "| over the promise? |",
              "| --- | --- | --- | --- | ---: | ---: | --- |"]
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["family"], row["instance"], row["method"], row["mode"]), []).append(row)
    overs = 0
    for (name, label, method, mode), group in groups.items():
        worst = max(group, key=lambda r: r["wall"] - r["limit"])
        over = [r for r in group if r["wall"] - r["limit"] > allowance(r["limit"])]
        overs += len(over)
        verdict = "no" if not over else "**yes** at " + ", ".join(f"{r['limit']:g} s" for r in over)
        lines.append(f"| {name} | {label} | {method} | {mode} | {worst['wall'] - worst['limit']:+.2f} | "
                     f"{worst['limit']:g} | {verdict} |")
    lines += ["", f"Runs over the promise: **{overs}** of {len(rows)}.", ""]
    lines += ["Runs the hard deadline ended (the method had not returned at the promise's last moment: "
              "status `unknown`, or `feasible` with what it offered before its last phase; see "
              "docs/time-limits.md), per mode: "
              + ", ".join(f"{mode} {sum(1 for r in rows if r['mode'] == mode and r.get('hard_deadline'))}"
                          f" of {sum(1 for r in rows if r['mode'] == mode)}"
                          for mode in ("cold", "warm", "uncompiled")) + ".", ""]
    lines += ["## Every run", "",
              "| family | instance | method | mode | limit (s) | wall (s) | load | status | objective "
              "| bound | compile (s) |",
              "| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |"]
    for r in rows:
        compile_seconds = r.get("compile_seconds")
        chosen = f" ({r['chosen']})" if r.get("chosen") else ""
        chosen += " (hard deadline)" if r.get("hard_deadline") else ""
        compiled = "" if compile_seconds is None else f"{compile_seconds:.2f}"
        lines.append(f"| {r['family']} | {r['instance']} | {r['method']}{chosen} | {r['mode']} | "
                     f"{r['limit']:g} | {r['wall']:.2f} | {r['load']:.1f} | {r['status']} | "
                     f"{r.get('objective', '')} | {r.get('bound', '')} | {compiled} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
