"""Can a fixed plan take the requests the interval LP serves and the plan leaves empty? For
each such request (LP at least 1 h more than the plan, plan 0), one CP-SAT round frees every
slot near the option the LP uses most (its span, set-up and tear-down included, widened by
--margin hours) on that option's antenna group (solvers/antenna_groups.py) or, with
--all-antennas, on every antenna, optionally forcing the request in (--force), and solves the
round's sub-model (solvers/sub_model.py) for --seconds. A round that gains is kept before the
next. One JSON line per request, appended to --out.

    python benchmarks/groundstation_insert_probe.py --week W10_2018 --plan /tmp/plans/W10_2018.json \
        --seconds 10 --margin 1 [--force] [--all-antennas]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from groundstation_window_ab import board_of, emit

import schedkit
from schedkit.common.cpsat import new_solver
from schedkit.groundstation.model import GroundStationSolution
from schedkit.groundstation.solvers import cpsat_model
from schedkit.groundstation.solvers.antenna_groups import antenna_groups
from schedkit.groundstation.solvers.interval_lp import interval_bound_and_guide
from schedkit.groundstation.solvers.sub_model import SubModels

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from ortools.sat.python import cp_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", default="W10_2018")
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--margin", type=float, default=1.0, help="hours each side of the option")
    parser.add_argument("--grid", type=int, default=3600, help="interval LP bucket (s)")
    parser.add_argument("--force", action="store_true", help="the request must get a track")
    parser.add_argument("--all-antennas", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    x = schedkit.load(ROOT / "instances" / "groundstation" / f"problems.json#{args.week}")
    board = board_of(x, GroundStationSolution.from_dict(json.loads(args.plan.read_text())))
    opts = board.options
    _, guide = interval_bound_and_guide(x, opts, None, args.grid)
    model = cp_model.CpModel()
    slots = cpsat_model.variables(model, x, opts)
    values = cpsat_model.hint_values(slots, board)
    sub = SubModels(x, [(s.i, s.option, s.copy) for s in slots], cpsat_model.merged_maintenance(x),
                    cpsat_model.kept_missions(x, slots, values))
    groups = antenna_groups(len(x.antennas), opts)
    got = [0] * x.n
    for s, v in zip(slots, values, strict=True):
        got[s.i] += v[2]
    lp: dict[int, float] = {}
    for (i, _), seconds in guide.items():
        lp[i] = lp.get(i, 0.0) + seconds
    targets = sorted((i for i in lp if lp[i] - got[i] > 3600 and got[i] == 0), key=lambda i: got[i] - lp[i])
    margin = int(args.margin * 3600)
    spans = [(s.option.lo - x.requests[s.i].setup, s.option.hi + x.requests[s.i].teardown) for s in slots]
    for i in targets:
        r = x.requests[i]
        option = opts[i][max((seconds, o) for (j, o), seconds in guide.items() if j == i)[1]]
        members = (set(range(len(x.antennas))) if args.all_antennas
                   else {b for a in option.antennas for b in groups[a]})
        start, end = option.lo - r.setup - margin, option.hi + r.teardown + margin
        free = {k for k, (s, (lo, hi)) in enumerate(zip(slots, spans, strict=True))
                if members.intersection(s.option.antennas) and lo < end and hi > start}
        round_model, made = sub.build(free, values)
        if args.force:
            round_model.Add(sum(made[k][0] for k in free if slots[k].i == i) >= 1)
        for k in free:
            for var, val in zip(made[k], values[k], strict=True):
                round_model.AddHint(var, val)
        solver = new_solver(cp_model, 2, 0, args.seconds)
        began = time.perf_counter()
        status = solver.Solve(round_model)
        gain = None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            gain = sum(int(solver.Value(made[k][2])) - values[k][2] for k in free)
            if gain >= 0:
                for k in free:
                    values[k] = [int(solver.Value(v)) for v in made[k]]
        record = {"week": args.week, "request": r.track_id, "asked_h": round(r.duration / 3600, 2),
                  "lp_h": round(lp[i] / 3600, 2), "option_h": round((option.hi - option.lo) / 3600, 1),
                  "antennas": [x.antennas[a] for a in option.antennas], "free_slots": len(free),
                  "force": args.force, "all_antennas": args.all_antennas, "margin_h": args.margin,
                  "status": solver.StatusName(status), "seconds": round(time.perf_counter() - began, 1),
                  "gain_h": None if gain is None else round(gain / 3600, 2),
                  "load": [round(v, 1) for v in os.getloadavg()]}
        emit(record, args.out)


if __name__ == "__main__":
    main()
