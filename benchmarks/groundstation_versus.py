"""`cpsat` of this tree against `cpsat` of another schedkit source tree on SatNet weeks,
interleaved (per week: this tree, then the other) so that both see the same load. Each run is
its own process importing its own schedkit; every plan goes through schedkit.check. One JSON
line per run on stdout and appended to --out.

    python benchmarks/groundstation_versus.py --base /tmp/main_tree --weeks W10_2018 W20_2018 \
        --seconds 300 --out benchmarks/reports/groundstation_versus.jsonl

Without --base, only this tree runs (the week's in-run figures).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = r"""
import json, os, sys, time
import schedkit
path, limit, workers = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
x = schedkit.load(path)
started = time.perf_counter()
result = schedkit.solve(x, "cpsat", time_limit=limit, workers=workers)
wall = time.perf_counter() - started
report = schedkit.check(x, result)
assert report.feasible and report.objective == result.objective, x.name
s = result.stats
bound = None if result.bound is None else round((x.requested - result.bound) / 3600, 2)
print(json.dumps({"tracked_hours": round((x.requested - result.objective) / 3600, 2), "bound_hours": bound,
                  "u_max": s.get("u_max"), "wall": round(wall, 1),
                  "interval_lp_seconds": s.get("interval_lp_seconds"),
                  "interval_lp_skipped": s.get("interval_lp_skipped"),
                  "window_lns": s.get("window_lns"), "warm_start": s.get("warm_start"),
                  "missions_repaired": s.get("missions_repaired"),
                  "load": [round(v, 1) for v in os.getloadavg()]}))
"""


def _commit(tree: Path) -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True,
                          text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=None,
                        help="the other schedkit source tree (without it, this tree only)")
    parser.add_argument("--weeks", nargs="*", default=["W10_2018", "W20_2018"])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    for week in args.weeks:
        path = ROOT / "instances" / "groundstation" / f"problems.json#{week}"
        sides = [("this", ROOT)] + ([("base", args.base.resolve())] if args.base is not None else [])
        for side, tree in sides:
            command = [sys.executable, "-c", RUN, str(path), str(args.seconds), str(args.workers)]
            done = subprocess.run(command, capture_output=True, text=True, cwd=tree,
                                  env={**os.environ, "PYTHONPATH": str(tree)}, check=True)
            record = {"week": week, "side": side, "commit": _commit(tree), "seconds": args.seconds,
                      "workers": args.workers, **json.loads(done.stdout.strip().splitlines()[-1])}
            print(json.dumps(record), flush=True)
            if args.out is not None:
                with args.out.open("a") as out:
                    out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
