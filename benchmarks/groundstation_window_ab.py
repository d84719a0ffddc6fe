"""The window LNS alone, from one fixed plan, under several settings interleaved per seed
(so that every setting sees the same load): what a kind of round buys at equal time. The
plan is a solution JSON (e.g. from `groundstation_gap.py --save-plan`); CP-SAT's model and the
every-mission rule are cpsat's own. One JSON line per run, appended to --out.

    python benchmarks/groundstation_window_ab.py --week W10_2018 --plan /tmp/plans/W10_2018.json \
        --seconds 60 --seeds 0 1 --settings group_share=0 group_share=0.3 [--guide-grid 3600]

With `--guide-grid`, the interval LP at that grid is solved once before the runs and every
setting's search gets its solution as the guide (guided and insert rounds need it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import schedkit
from schedkit.groundstation.heuristics.board import Board, request_options
from schedkit.groundstation.model import GroundStationSolution
from schedkit.groundstation.solvers import cpsat, cpsat_model
from schedkit.groundstation.solvers.antenna_groups import antenna_groups
from schedkit.groundstation.solvers.interval_lp import interval_bound_and_guide
from schedkit.groundstation.solvers.sub_model import SubModels
from schedkit.groundstation.solvers.window_lns import WindowSearch, search

ROOT = Path(__file__).resolve().parent.parent


def emit(record: dict, out: Path | None) -> None:
    """Print a run's record, and append it to the JSON-lines file `out` if given."""
    print(json.dumps(record), flush=True)
    if out is not None:
        with out.open("a") as handle:
            handle.write(json.dumps(record) + "\n")


def board_of(x: schedkit.groundstation.model.GroundStationInstance, plan: GroundStationSolution) -> Board:
    """The plan on a board (tracks' alternatives found by their antennas)."""
    options = request_options(x)
    board = Board(x, options)
    index = x.index()
    for t in plan.tracks:
        i = index[t.request]
        alt = next(a for a, alternative in enumerate(x.requests[i].alternatives)
                   if alternative.antennas == t.antennas)
        board.add(i, alt, t.tracking_on, t.tracking_off)
    return board


def run(x, board: Board, setting: dict[str, float], seconds: float, seed: int,
        guide: dict | None = None) -> dict:
    """One window LNS of `seconds` from the board with `setting` applied to its state."""
    from ortools.sat.python import cp_model

    opts = board.options
    model = cp_model.CpModel()
    slots, tracked = cpsat_model.build(model, x, opts)
    model.minimize(x.requested - sum(tracked))
    values = cpsat_model.hint_values(slots, board)
    kept = cpsat_model.keep_missions(model, x, slots, values)
    spans = [(s.option.lo - x.requests[s.i].setup, s.option.hi + x.requests[s.i].teardown,
              s.option.antennas, x.requests[s.i].mission) for s in slots]
    start = x.requested - sum(v[2] for v in values)
    state = WindowSearch([cpsat_model.slot_vars(s) for s in slots], spans, [list(v) for v in values], start)
    state.limits = [(s.option.lo, s.option.hi, x.requests[s.i].min_track) for s in slots]
    index = {(i, id(option)): o for i, mine in enumerate(opts) for o, option in enumerate(mine)}
    state.keys = [(s.i, index[(s.i, id(s.option))]) for s in slots]
    state.wanted = [r.duration for r in x.requests]
    state.short_share = float(setting.get("short_share", cpsat.SHORT_SHARE))
    state.group_share = float(setting.get("group_share", 0.0))
    state.insert_share = float(setting.get("insert_share", 0.0))
    if guide:
        state.guide = lambda: guide
    if state.group_share > 0:
        state.groups = antenna_groups(len(x.antennas), opts)
    if setting.get("sub_models", 0):
        state.builder = SubModels(x, [(s.i, s.option, s.copy) for s in slots],
                                  cpsat_model.merged_maintenance(x),
                                  cpsat_model.kept_missions(x, slots, values)).build
    horizon = (min(lo for lo, *_ in spans), max(hi for _, hi, *_ in spans))
    search(model, state, time.perf_counter() + seconds, 2, seed, horizon, len(x.antennas))
    return {"start_hours": round((x.requested - start) / 3600, 2),
            "end_hours": round((x.requested - state.objective) / 3600, 2),
            "gain_hours": round((start - state.objective) / 3600, 2), "rounds": state.rounds,
            "improved": state.improved, "short": [state.short, state.short_improved],
            "grouped": [state.grouped, state.grouped_improved], "missions_kept": kept,
            "solver_seconds": round(state.solver_seconds, 1), "hours_width": round(state.hours, 2),
            "group_hours": round(state.group_hours, 2), "guided": [state.guided, state.guided_improved],
            "inserted": [state.inserted, state.inserted_improved]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", default="W10_2018")
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seeds", type=int, nargs="*", default=[0])
    parser.add_argument("--settings", nargs="*", default=["group_share=0", "group_share=0.3"],
                        help="NAME=VALUE[,NAME=VALUE] per setting")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--guide-grid", type=int, default=0, help="interval LP grid for the guide (0: none)")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    x = schedkit.load(ROOT / "instances" / "groundstation" / f"problems.json#{args.week}")
    plan = GroundStationSolution.from_dict(json.loads(args.plan.read_text()))
    guide = (interval_bound_and_guide(x, request_options(x), None, args.guide_grid)[1]
             if args.guide_grid else None)
    for seed in args.seeds:
        for text in args.settings:
            setting = {k: float(v) for k, v in (item.split("=") for item in text.split(","))}
            record = {"week": args.week, "seed": seed, "setting": text, "seconds": args.seconds,
                      **run(x, board_of(x, plan), setting, args.seconds, seed, guide),
                      "load": [round(v, 1) for v in os.getloadavg()], "commit": commit}
            emit(record, args.out)


if __name__ == "__main__":
    main()
