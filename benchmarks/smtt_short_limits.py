"""SMTT exact methods and `auto` at short time limits (0.1 / 0.3 / 1 s), each call in a fresh process
on a cold numba cache (an empty NUMBA_CACHE_DIR) and on a warm one (filled by `schedkit warmup smtt`);
on the warm cache the same process calls again once its kernels are loaded (`compiled`: after the
first call's compilation and abandoned run have ended). Wall time is measured around
`schedkit.solve` by the caller; the promise is limit + max(10 %, 0.5 s).

    PYTHONPATH=. .venv/bin/python benchmarks/smtt_short_limits.py --out /tmp/after.jsonl
    PYTHONPATH=. .venv/bin/python benchmarks/smtt_short_limits.py --report benchmarks/reports/x.md \\
        --before /tmp/before.jsonl --after /tmp/after.jsonl

A child process ends with os._exit once its row is printed: a compilation its cold run started is
not waited for (that cache directory is thrown away).
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

import numpy as np

LIMITS = (0.1, 0.3, 1.0)
CASES = (  # (instance key, methods)
    ("w20", ("dp", "bdp", "cpsat", "mip", "auto")),
    ("u20", ("dp", "bnb", "auto")),
    ("w1000", ("bdp", "cpsat", "mip")),
    ("w1500", ("bdp", "auto")),
    ("u1500", ("bnb", "auto")),
)


def instance(key: str) -> Any:
    """w20 / u20: Potts–Van Wassenhove n = 20, TF 0.6, RDD 0.2, seed 4; w1000, w1500, u1500: p in
    1..8, due dates in [Σp/5, 4Σp/5), weights 1..10 (w) or none (u), default_rng(1)."""
    import schedkit

    if key in ("w20", "u20"):
        return schedkit.generate.smtt(20, 0.6, 0.2, seed=4, weighted=key == "w20")
    n = int(key[1:])
    rng = np.random.default_rng(1)
    p = rng.integers(1, 9, n)
    total = int(p.sum())
    d = rng.integers(total // 5, 4 * total // 5, n)
    w = rng.integers(1, 11, n) if key.startswith("w") else None
    return schedkit.SMTTInstance(p=p, d=d, w=w, name=key)


def one(key: str, method: str, limit: float, calls: int) -> None:
    """Child: `calls` solves of one case in this process, one JSON row each, then exit at once."""
    import schedkit
    from schedkit.common.compile import wait_for_compiling
    from schedkit.deadline import wait_for_abandoned

    x = instance(key)
    for call in range(calls):
        wait_for_abandoned()
        wait_for_compiling()
        started = time.perf_counter()
        try:
            result = schedkit.solve(x, method, time_limit=limit)
        except schedkit.SchedkitError as error:
            row = {"status": type(error).__name__, "objective": None, "bound": None, "feasible": None,
                   "wall": round(time.perf_counter() - started, 3)}
        else:
            wall = time.perf_counter() - started
            feasible = None if result.solution is None else schedkit.check(x, result).feasible
            row = {"status": result.status, "objective": result.objective, "bound": result.bound,
                   "feasible": feasible, "wall": round(wall, 3),
                   "hard_deadline": bool(result.stats.get("hard_deadline")),
                   "compiling": bool(result.stats.get("compiling")),
                   "chosen": result.stats.get("chosen")}
        row.update(instance=key, method=method, limit=limit, call=call)
        print(json.dumps(row), flush=True)
    os._exit(0)


def optimum(key: str) -> int | None:
    """The optimum of the small instances (dp without a limit), None for the large ones."""
    import schedkit

    if not key.endswith("20"):
        return None
    return int(schedkit.solve(instance(key), "dp").objective)


def run(out: Path) -> None:
    """Every case, limit and cache state in fresh processes; rows appended to `out`."""
    warm_cache = tempfile.mkdtemp(prefix="smtt-warm-")
    env = {**os.environ, "NUMBA_CACHE_DIR": warm_cache}
    subprocess.run([sys.executable, "-m", "schedkit", "warmup", "smtt"], env=env, check=True,
                   capture_output=True)
    optima = {key: optimum(key) for key, _ in CASES}
    with out.open("a") as handle:
        for cache in ("cold", "warm"):
            for key, methods in CASES:
                for method in methods:
                    for limit in LIMITS:
                        folder = tempfile.mkdtemp(prefix="smtt-cold-") if cache == "cold" else warm_cache
                        lines = subprocess.run(
                            [sys.executable, __file__, "--one", key, method, str(limit),
                             "1" if cache == "cold" else "2"],
                            env={**os.environ, "NUMBA_CACHE_DIR": folder}, capture_output=True, text=True,
                        ).stdout.strip().splitlines()
                        for line in lines:
                            row = json.loads(line)
                            row["cache"] = cache if row["call"] == 0 else "compiled"
                            row["optimum"] = optima[key]
                            row["load"] = round(os.getloadavg()[0], 2)
                            handle.write(json.dumps(row) + "\n")
                            print(json.dumps(row), flush=True)


def verdict(row: dict[str, Any]) -> str:
    """'ok', or what is wrong: no plan, over the promise, a bound above the objective or optimum."""
    problems = []
    if row["objective"] is None and not row["status"].startswith("Problem"):
        problems.append("no plan")
    if row["wall"] > row["limit"] + max(0.1 * row["limit"], 0.5):
        problems.append("late")
    if row["feasible"] is False:
        problems.append("infeasible")
    bound = row["bound"]
    if bound is not None and row["objective"] is not None and bound > row["objective"]:
        problems.append("bound > objective")
    if bound is not None and row["optimum"] is not None and bound > row["optimum"]:
        problems.append("bound > optimum")
    if row["status"] == "optimal" and row["optimum"] is not None and row["objective"] != row["optimum"]:
        problems.append("false optimal")
    return ", ".join(problems) or "ok"


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "-"
    objective = "-" if row["objective"] is None else row["objective"]
    bound = "-" if row["bound"] is None else row["bound"]
    flags = " (hard deadline)" if row.get("hard_deadline") else ""
    return f"{row['status']}{flags}, {objective} / {bound}, {row['wall']:.2f} s, {verdict(row)}"


def report(before: Path, after: Path) -> str:
    """Markdown rows: one per case, limit and cache state, before and after side by side."""
    def rows(path: Path) -> dict[tuple[str, str, float, str], dict[str, Any]]:
        table = {}
        for line in path.read_text().splitlines():
            row = json.loads(line)
            table[(row["instance"], row["method"], row["limit"], row["cache"])] = row
        return table

    old, new = rows(before), rows(after)
    lines = ["| instance | method | limit s | cache | before: status, objective / bound, wall, verdict "
             "| after: status, objective / bound, wall, verdict |",
             "| --- | --- | ---: | --- | --- | --- |"]
    for key in sorted(new, key=lambda k: (("cold", "warm", "compiled").index(k[3]), k[0], k[1], k[2])):
        instance_key, method, limit, cache = key
        lines.append(f"| {instance_key} | {method} | {limit:g} | {cache} | {_cell(old.get(key))} "
                     f"| {_cell(new[key])} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="JSON lines, appended")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--after", type=Path)
    parser.add_argument("--report", type=Path, help="write the Markdown table of --before and --after here")
    arguments = parser.parse_args()
    if arguments.one:
        key, method, limit, calls = arguments.one
        one(key, method, float(limit), int(calls))
    elif arguments.report:
        arguments.report.write_text(report(arguments.before, arguments.after))
    else:
        run(arguments.out)


if __name__ == "__main__":
    main()
