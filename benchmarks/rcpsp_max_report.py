"""RCPSP/max headline report from the harness's stored runs of the suites rcpsp_max_j10/j20/j30.

For each ProGen/max set, against its `optimum.csv` (optimum, `unsat` or `LB..UB`): known
optima matched and proven by `cpsat`, `unsat` projects proven infeasible, open projects closed
or improved (listed with the new values), and how often `sgs-lags` (serial SGS with
unscheduling steps, 1000 sampled passes) finds a schedule of a feasible project. Run after the
suites (`make bench-rcpsp_max_j10 bench-rcpsp_max_j20 bench-rcpsp_max_j30`):

    python benchmarks/rcpsp_max_report.py --out benchmarks/reports/rcpsp_max.md
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
from pathlib import Path

from schedkit.bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "benchmarks" / "reports"
SETS = ("j10", "j20", "j30")


def expected(name: str) -> dict[str, str]:
    """Instance stem -> the optimum.csv entry of set `name`."""
    path = ROOT / "instances" / "rcpsp" / "max" / f"sm_{name}" / "optimum.csv"
    with path.open() as handle:
        return {row["problem"].rsplit(".", 1)[0]: row["optimum"].strip()
                for row in csv.DictReader(handle)}


def runs(name: str, label: str) -> dict[str, dict]:
    """Instance -> the stored run of method `label` in suite rcpsp_max_<name>."""
    path = REPORTS / f"rcpsp_max_{name}.results.jsonl"
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text().splitlines():
        if line.strip():
            record = json.loads(line)
            if record["label"] == label:
                found[record["instance"]] = record
    return found


def _times(records: list[dict]) -> str:
    times = [r["wall_time"] for r in records if r.get("wall_time") is not None]
    if not times:
        return "-"
    return f"{statistics.median(times):.2f} / {max(times):.2f}"


def set_rows(name: str) -> tuple[list[str], list[str], list[str]]:
    """(summary row, heuristic row, open-instance lines) of one set."""
    want = expected(name)
    cp = runs(name, "cpsat")
    heuristic = runs(name, "sgs-lags-1000")
    known = {k: int(v) for k, v in want.items() if v not in ("unsat",) and ".." not in v}
    unsat = [k for k, v in want.items() if v == "unsat"]
    open_ = {k: tuple(int(x) for x in v.split("..")) for k, v in want.items() if ".." in v}
    done = [k for k in want if k in cp and cp[k]["outcome"] == "ok"]
    matched = [k for k in known if k in cp and cp[k]["objective"] == known[k]]
    proven = [k for k in matched if cp[k]["status"] == "optimal"]
    wrong = [k for k in known if k in cp and cp[k]["status"] == "optimal"
             and cp[k]["objective"] != known[k]]
    wrong += [k for k in unsat if k in cp and cp[k]["objective"] is not None]
    wrong += [k for k in known if k in cp and cp[k]["status"] == "infeasible"]
    infeasible = [k for k in unsat if k in cp and cp[k]["status"] == "infeasible"]
    lines, closed, improved = [], 0, 0
    for k, (low, high) in sorted(open_.items(), key=lambda item: int(item[0][3:])):
        if k not in cp:
            continue
        r = cp[k]
        objective, bound = r["objective"], r["bound"]
        better_ub = objective is not None and objective < high
        better_lb = bound is not None and bound > low
        if r["status"] == "optimal":
            closed += 1
        if better_ub or better_lb or r["status"] == "optimal":
            improved += 1
            verdict = "closed" if r["status"] == "optimal" else "improved"
            lines.append(f"| {name} | {k} | {low}..{high} | {bound}..{objective} | {verdict} "
                         f"| {r['wall_time']:.2f} |")
        else:
            lines.append(f"| {name} | {k} | {low}..{high} | {bound}..{objective} | - "
                         f"| {r['wall_time']:.2f} |")
    row = (f"| sm_{name} | {len(done)}/{len(want)} | {len(matched)}/{len(known)} | "
           f"{len(proven)}/{len(known)} | {len(infeasible)}/{len(unsat)} | "
           f"{closed}/{len(open_)} | {improved}/{len(open_)} | {len(wrong)} | "
           f"{_times([cp[k] for k in done])} |")
    feasible = [k for k in list(known) + list(open_) if k in heuristic]
    found = [k for k in feasible if heuristic[k]["objective"] is not None]
    at_optimum = [k for k in known if k in heuristic and heuristic[k]["objective"] == known[k]]
    gaps = [100.0 * (heuristic[k]["objective"] - known[k]) / known[k] for k in known
            if k in heuristic and heuristic[k]["objective"] is not None]
    mean_gap = f"{statistics.mean(gaps):.2f}" if gaps else "-"
    false_feasible = [k for k in unsat if k in heuristic and heuristic[k]["objective"] is not None]
    heur = (f"| sm_{name} | {len(found)}/{len(feasible)} | {len(at_optimum)}/{len(known)} | "
            f"{mean_gap} | {len(false_feasible)} | {_times(list(heuristic.values()))} |")
    return [row], [heur], lines


def report() -> str:
    """The Markdown report."""
    summary, heuristic, open_lines = [], [], []
    for name in SETS:
        row, heur, lines = set_rows(name)
        summary += row
        heuristic += heur
        open_lines += lines
    load = os.getloadavg()
    return "\n".join([
        "# RCPSP/max: ProGen/max sm_j10, sm_j20, sm_j30",
        "",
        f"- Machine: {describe()}",
        f"- Load when the report was written: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(1/5/15 min; other helpers shared the 2 cores during the runs)",
        "- Commands: `make bench-rcpsp_max_j10 bench-rcpsp_max_j20 bench-rcpsp_max_j30` (each "
        "`schedkit bench benchmarks/suites/rcpsp_max_<set>.toml --jobs 1 --out benchmarks/reports "
        "--resume`), then `python benchmarks/rcpsp_max_report.py --out "
        "benchmarks/reports/rcpsp_max.md`",
        "- Limits: 10 s per run, 2 CP-SAT workers; every schedule checked by `schedkit.check` "
        "inside its run (lags, capacities, makespan).",
        "- References: `instances/rcpsp/max/sm_<set>/optimum.csv` (optimum, `unsat`, or the open "
        "range `LB..UB` at collection time).",
        "",
        "## cpsat",
        "",
        "| set | runs | optima matched | optima proven | unsat proven infeasible | open closed "
        "| open improved (bound or solution) | contradictions | median / max s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *summary,
        "",
        "A contradiction would be a proven optimum other than the reference, a schedule for an "
        "`unsat` project or `infeasible` for a project with a known optimum.",
        "",
        "## sgs-lags (serial SGS with unscheduling steps, 1000 sampled passes)",
        "",
        "| set | schedule found on feasible projects | optimum reached | mean gap to the optimum % "
        "| schedules claimed for unsat projects | median / max s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *heuristic,
        "",
        "## Open instances (cpsat at 10 s, 2 workers)",
        "",
        "`ours` is cpsat's proven bound .. best schedule; `closed`: proven optimal; `improved`: "
        "a bound above the listed LB or a schedule below the listed UB.",
        "",
        "| set | instance | listed LB..UB | ours | verdict | s |",
        "| --- | --- | --- | --- | --- | ---: |",
        *open_lines,
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=Path, default=None,
                        help="a Markdown file appended as the report's notes")
    parser.add_argument("--out", type=Path, default=REPORTS / "rcpsp_max.md")
    args = parser.parse_args()
    notes = "" if args.notes is None else "\n## Notes\n\n" + args.notes.read_text()
    args.out.write_text(report() + notes)
    print(args.out)


if __name__ == "__main__":
    main()
