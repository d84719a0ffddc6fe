"""A/B of the feasible-subset LP bound after a wide CP-SAT gap (option `cg_share`, solvers/
cpsat_bound.py): the same method with cg_share 0 (off) and SUGGESTED_SHARE (on), interleaved per
instance (a fresh process per run, who goes first alternating, every schedule through
`schedkit.check`). One JSON row per run; `--summary` prints the Markdown table of a store.

    python benchmarks/rcpsp_cg_bound.py --method cpsat-lns --time-limit 30 --out rows.jsonl j6045_2 ...
    python benchmarks/rcpsp_cg_bound.py --summary rows.jsonl
    python benchmarks/rcpsp_cg_bound.py --arms-summary rows.jsonl     # with --arms beyond off, on

Two more arms try a stall trigger instead of the fixed checkpoint (StallCheckpoint, here only):
`stall` stops CP-SAT once its bound has not moved for STALL_SECONDS while the gap is at least
WIDE_GAP, `stall-both` once neither its bound nor its incumbent has; `--arms off on stall
stall-both` runs them in turn per instance (the order rotating).

Instance names pick their set by prefix (j60..., j120...). Report: benchmarks/reports/rcpsp_cg_bound.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from benchmarks.fresh_process import add_run_arguments, checkout_commit, run_row  # noqa: E402
from schedkit.rcpsp.solvers import cpsat as rcpsp_cpsat  # noqa: E402
from schedkit.rcpsp.solvers.cpsat_bound import SUGGESTED_SHARE, Checkpoint  # noqa: E402

REFERENCES = ROOT / "instances" / "rcpsp" / "references.csv"
ARMS = ("off", "on")
STALL_ARMS = ("stall", "stall-both")
STALL_SECONDS = 5.0  # no bound change (and, for stall-both, no new incumbent) for this long
LP_LEAST = 3.0  # seconds of the model's time the LP must still have for a stall to stop CP-SAT
POLL = 0.25  # seconds between two looks at the stall


class StallCheckpoint(Checkpoint):
    """Checkpoint whose stop comes from a stall, not from the clock: polled every POLL seconds
    from the start of the solve, it stops CP-SAT once the gap is at least WIDE_GAP and the bound
    (with `incumbent` also the incumbent) has not moved for STALL_SECONDS, while LP_LEAST seconds
    of the model's time are left."""

    incumbent = False

    def arm(self, seconds: float) -> None:
        """`seconds` is (1 - share) of the model's time: the model ends at now + seconds / (1 - share)."""
        now = time.perf_counter()
        self.ends = now + seconds / (1 - SUGGESTED_SHARE)
        self.seen = self._progress()
        self.since = now
        self.done = threading.Event()
        self.watcher = threading.Thread(target=self._watch, daemon=True)
        self.watcher.start()

    def _watch(self) -> None:
        while not self.done.wait(POLL):
            now = time.perf_counter()
            if now + LP_LEAST > self.ends:
                return
            seen = self._progress()
            if seen != self.seen:
                self.seen, self.since = seen, now
            elif now - self.since >= STALL_SECONDS:
                self.check_gap()
                if self.stopped:
                    return

    def _progress(self) -> tuple[int, int]:
        return self.bound, self.objective if self.incumbent else 0

    def disarm(self) -> None:
        """End the watch (the solve has returned)."""
        self.done.set()


class StallBothCheckpoint(StallCheckpoint):
    """StallCheckpoint that also waits for the incumbent to stall."""

    incumbent = True


def _path(name: str) -> Path:
    folder = "j120" if name.startswith("j120") else "j60" if name.startswith("j60") else "j30"
    return ROOT / "instances" / "rcpsp" / folder / f"{name}.sm"


def one(name: str, arm: str, method: str, time_limit: float, workers: int) -> dict[str, object]:
    """One run of `method` with the LP bound off (cg_share 0) or on (SUGGESTED_SHARE; a stall
    arm with its checkpoint): the row."""
    instance = schedkit.load(_path(name))
    options = {"cg_share": 0.0 if arm == "off" else SUGGESTED_SHARE}
    if arm in STALL_ARMS:
        rcpsp_cpsat.Checkpoint = StallCheckpoint if arm == "stall" else StallBothCheckpoint  # type: ignore[misc]
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
            "cpsat_stop_seconds": stats.get("cpsat_stop_seconds"), "cg_from": stats.get("cg_from"),
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


def arms_summary(path: Path) -> None:
    """With more arms than off/on: per instance each arm's objective / bound (* optimal, the LP's
    seconds in brackets), then per arm against `off`: bounds higher and lower, mean gain,
    schedules shorter and longer."""
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            rows.setdefault(str(row["instance"]), {})[str(row["arm"])] = row
    arms = [arm for arm in ARMS + STALL_ARMS if any(arm in pair for pair in rows.values())]
    print("| instance | " + " | ".join(arms) + " |")
    print("| --- |" + " ---: |" * len(arms))
    for name in sorted(rows):
        cells = []
        for arm in arms:
            run = rows[name].get(arm)
            if run is None:
                cells.append("")
                continue
            lp = "" if run.get("cg_seconds") is None else f" [{run['cg_seconds']:.1f} s]"
            proof = " *" if run["status"] == "optimal" else ""
            cells.append(f"{run['objective']} / {run['bound']}{proof}{lp}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    for arm in arms[1:]:
        pairs = [(pair["off"], pair[arm]) for pair in rows.values() if "off" in pair and arm in pair]
        gains = [int(new["bound"]) - int(old["bound"]) for old, new in pairs]
        changes = [int(new["objective"]) - int(old["objective"]) for old, new in pairs]
        print(f"- {arm} against off, {len(pairs)} pairs: bound higher on {sum(g > 0 for g in gains)}, "
              f"lower on {sum(g < 0 for g in gains)}, mean gain {sum(gains) / max(1, len(gains)):+.2f}; "
              f"schedule shorter on {sum(c < 0 for c in changes)}, longer on {sum(c > 0 for c in changes)} "
              f"(sum {sum(changes):+d})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instances", nargs="*", help="j60 or j120 names")
    parser.add_argument("--method", default="cpsat-lns")
    parser.add_argument("--arm", choices=ARMS + STALL_ARMS, default="on", help=argparse.SUPPRESS)
    parser.add_argument("--arms", nargs="+", choices=ARMS + STALL_ARMS, default=list(ARMS))
    parser.add_argument("--summary", type=Path)
    parser.add_argument("--arms-summary", type=Path, help="the table of a store with more than two arms")
    add_run_arguments(parser, 30.0)
    if "--summary" in sys.argv:
        summary(Path(sys.argv[sys.argv.index("--summary") + 1]))
        return
    if "--arms-summary" in sys.argv:
        arms_summary(Path(sys.argv[sys.argv.index("--arms-summary") + 1]))
        return
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.instances[0], args.arm, args.method, args.time_limit, args.workers)))
        return
    arms = list(args.arms)
    for index, name in enumerate(args.instances):
        shift = index % len(arms)
        for arm in arms[shift:] + arms[:shift] if len(arms) > 2 else arms if index % 2 == 0 else arms[::-1]:
            command = [sys.executable, __file__, name, "--one", "--arm", arm, "--method", args.method,
                       "--time-limit", str(args.time_limit), "--workers", str(args.workers),
                       "--out", str(args.out)]
            run_row(command, args.out)


if __name__ == "__main__":
    main()
