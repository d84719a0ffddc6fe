"""One RCPSP method on named PSPLIB instances, a fresh process per run, with module constants
patched (`--set solvers.lns:MID_PROBE_SHARE=0.6`): one JSON row per run, every schedule through
`schedkit.check`, the claims compared with instances/rcpsp/references.csv. For quick what-ifs
whose baseline is a stored suite run (compare the rows by instance).

    python benchmarks/rcpsp_method_rows.py --method cpsat-lns --time-limit 30 --out rows.jsonl \\
        j6013_1 j6014_10
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from benchmarks.fresh_process import add_run_arguments, run_row  # noqa: E402


def _reference(name: str) -> dict[str, str]:
    """The references.csv row of `name` (empty when it has none)."""
    with (ROOT / "instances" / "rcpsp" / "references.csv").open() as handle:
        return next((row for row in csv.DictReader(handle) if row["instance"] == name), {})


def one(name: str, method: str, patches: list[str], seconds: float, workers: int, seed: int
        ) -> dict[str, object]:
    """One run with the constants of `patches` set: the row to record."""
    for item in patches:
        key, value = item.split("=", 1)
        module, attribute = key.split(":")
        setattr(importlib.import_module("schedkit.rcpsp." + module), attribute, json.loads(value))
    instance = _load(name)
    load = os.getloadavg()[0]
    began = time.perf_counter()
    result = schedkit.solve(instance, method, time_limit=seconds, workers=workers, seed=seed)
    elapsed = time.perf_counter() - began
    reference = _reference(name)
    upper = int(reference["upper_bound"]) if reference else None
    closed = bool(reference) and reference["status"] == "optimal"
    contradicts = upper is not None and (result.bound is not None and result.bound > upper or (
        closed and result.status == "optimal" and result.objective != upper))
    return {"instance": name, "method": method, "set": patches, "seed": seed,
            "status": result.status, "objective": result.objective, "bound": result.bound,
            "elapsed": round(elapsed, 2), "checked": bool(schedkit.check(instance, result)),
            "reference_upper": upper, "contradicts_reference": contradicts,
            "probe_status": result.stats.get("probe_status"), "load": round(load, 2)}


def _load(name: str) -> schedkit.RCPSPInstance:
    """A bundled PSPLIB instance by name (j30/j60/j120 folders)."""
    folder = "j120" if name.startswith("j120") else name[:3]
    return schedkit.load(ROOT / "instances" / "rcpsp" / folder / f"{name}.sm")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="+", help="PSPLIB names, e.g. j6013_1")
    parser.add_argument("--method", default="cpsat-lns")
    parser.add_argument("--set", action="append", default=[], help="module:CONSTANT=json value")
    parser.add_argument("--seed", type=int, default=0)
    add_run_arguments(parser, 30.0)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.instances[0], args.method, args.set, args.time_limit,
                             args.workers, args.seed)))
        return
    for name in args.instances:
        command = [sys.executable, __file__, name, "--one", "--method", args.method,
                   "--time-limit", str(args.time_limit), "--workers", str(args.workers),
                   "--seed", str(args.seed), "--out", str(args.out)]
        for item in args.set:
            command += ["--set", item]
        run_row(command, args.out)


if __name__ == "__main__":
    main()
