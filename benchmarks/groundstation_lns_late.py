"""The lns walk (heuristics/lns.py) with and without late acceptance, at equal step counts (so
the figures do not depend on the load): per week, seed and `--histories` value, the best
plan's tracked hours after `--steps` ruin-and-recreate steps. One JSON line each, appended
to --out.

    python benchmarks/groundstation_lns_late.py --weeks W10_2018 W30_2018 --steps 30000 \
        --histories 0 100 300 --seeds 0
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from groundstation_window_ab import emit

import schedkit
from schedkit.groundstation.heuristics.board import request_options
from schedkit.groundstation.heuristics.lns import lns_board
from schedkit.groundstation.heuristics.score import Scorer

ROOT = Path(__file__).resolve().parent.parent
FAR = 1e9  # no deadline: the walk ends after --steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", nargs="*", default=["W10_2018", "W30_2018"])
    parser.add_argument("--steps", type=int, default=30000)
    parser.add_argument("--histories", nargs="*", type=int, default=[0, 100])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    for week in args.weeks:
        x = schedkit.load(ROOT / "instances" / "groundstation" / f"problems.json#{week}")
        options = request_options(x)
        for seed in args.seeds:
            for history in args.histories:
                started = time.perf_counter()
                board = lns_board(x, options, Scorer(x), time.perf_counter() + FAR, seed,
                                  history=history, steps=args.steps)
                report = schedkit.check(x, board.solution().to_dict())
                assert report.feasible and report.objective == board.unserved(), week
                emit({"week": week, "seed": seed, "history": history, "steps": args.steps,
                      "tracked_hours": round((x.requested - board.unserved()) / 3600, 2),
                      "seconds": round(time.perf_counter() - started, 1),
                      "load": [round(v, 1) for v in os.getloadavg()]}, args.out)


if __name__ == "__main__":
    main()
