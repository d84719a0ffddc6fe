"""A/B of the feasible-subset LP bound after a wide CP-SAT gap (option `cg_share`, solvers/
cpsat_bound.py): the same method with cg_share 0 (off) and SUGGESTED_SHARE (on), interleaved per
instance (a fresh process per run, who goes first alternating, every schedule through
`schedkit.check`). One JSON row per run; `--summary` prints the Markdown table of a store.

    python benchmarks/rcpsp_cg_bound.py --method cpsat-lns --time-limit 30 --out rows.jsonl j6045_2 ...
    python benchmarks/rcpsp_cg_bound.py --summary rows.jsonl

Instance names pick their set by prefix (j60..., j120...). Report: benchmarks/reports/rcpsp_cg_bound.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from benchmarks.fresh_process import add_run_arguments, checkout_commit, run_row  # noqa: E402
from schedkit.rcpsp.solvers.cpsat_bound import SUGGESTED_SHARE  # noqa: E402

REFERENCES = ROOT / "instances" / "rcpsp" / "references.csv"
ARMS = ("off", "on")


def _path(name: str) -> Path:
    folder = "j120" if name.startswith("j120") else "j60" if name.startswith("j60") else "j30"
    return ROOT / "instances" / "rcpsp" / folder / f"{name}.sm"


def one(name: str, arm: str, method: str, time_limit: float, workers: int) -> dict[str, object]:
    """One run of `method` with the LP bound off (cg_share 0) or on (SUGGESTED_SHARE): the row."""
    instance = schedkit.load(_path(name))
    options = {"cg_share": 0.0 if arm == "off" else SUGGESTED_SHARE}
    load = os.getloadavg()[0]
    began = time.perf_counter()
    result = schedkit.solve(instance, method, time_limit=time_limit, workers=workers, **options)
    elapsed = time.perf_counter() - began
    report = schedkit.check(instance, result.solution, result.objective)
    stats = result.stats
    return {"instance": name, "arm": arm, "method": method, "time_limit": time_limit,
            "workers": workers, "status": result.status, "objective": result.objective,
            "bound": result.bound, "elapsed": round(elapsed, 2), "check": bool(report),
            "cpsat_bound": stats.get("cpsat_bound"), "cg_bound": stats.get("cg_bound"),
            "cg_seconds": stats.get("cg_seconds"), "cg_note": stats.get("cg_note"),
            "cpsat_stop_seconds": stats.get("cpsat_stop_seconds"),
            "load": round(load, 2), "commit": checkout_commit(ROOT)}


def summary(path: Path) -> None:
    """Per instance: reference, then objective / bound of each arm (* optimal); totals."""
    with REFERENCES.open() as handle:
        refs = {row["instance"]: row for row in csv.DictReader(handle)}
    rows: dict[str, dict[str, dict[str, object]]] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            rows.setdefault(str(row["instance"]), {})[str(row["arm"])] = row
    print("| instance | reference (lb / ub) | off | on | LP bound (from) | bound gain | objective change |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    proofs = {arm: 0 for arm in ARMS}
    gains, better, worse, gained = [], 0, 0, 0
    for name in sorted(rows):
        pair = rows[name]
        if set(pair) != set(ARMS):
            continue
        cells = []
        for arm in ARMS:
            run = pair[arm]
            proofs[arm] += run["status"] == "optimal"
            cells.append(f"{run['objective']} / {run['bound']}{' *' if run['status'] == 'optimal' else ''}")
        on, off = pair["on"], pair["off"]
        gain = int(on["bound"]) - int(off["bound"])  # type: ignore[call-overload]
        change = int(on["objective"]) - int(off["objective"])  # type: ignore[call-overload]
        gains.append(gain)
        gained += gain > 0
        better += change < 0
        worse += change > 0
        lp = "" if on["cg_bound"] is None else f"{on['cg_bound']} ({on['cpsat_bound']})"
        ref = refs.get(name, {})
        print(f"| {name} | {ref.get('lower_bound', '')} / {ref.get('upper_bound', '')} | "
              f"{cells[0]} | {cells[1]} | {lp} | {gain:+d} | {change:+d} |")
    print(f"\n{len(gains)} pairs; proven: off {proofs['off']}, on {proofs['on']}; bound higher with "
          f"the LP on {gained}, mean gain {sum(gains) / max(1, len(gains)):+.2f}; objective better on "
          f"{better}, worse on {worse}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="*", help="j60 or j120 names")
    parser.add_argument("--method", default="cpsat-lns")
    parser.add_argument("--arm", choices=ARMS, default="on", help=argparse.SUPPRESS)
    parser.add_argument("--summary", type=Path)
    add_run_arguments(parser, 30.0)
    if "--summary" in sys.argv:
        summary(Path(sys.argv[sys.argv.index("--summary") + 1]))
        return
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.instances[0], args.arm, args.method, args.time_limit, args.workers)))
        return
    for index, name in enumerate(args.instances):
        for arm in ARMS if index % 2 == 0 else ARMS[::-1]:
            command = [sys.executable, __file__, name, "--one", "--arm", arm, "--method", args.method,
                       "--time-limit", str(args.time_limit), "--workers", str(args.workers),
                       "--out", str(args.out)]
            run_row(command, args.out)


if __name__ == "__main__":
    main()
