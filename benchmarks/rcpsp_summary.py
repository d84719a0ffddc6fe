"""Headline tables of the RCPSP benchmark suites, from the harness's stored results.

The harness report (`benchmarks/reports/<suite>.md`) has one section per instance set, and
every PSPLIB file is its own set; this script condenses the stored runs into what the issue
asks for: j30 CP-SAT proven count with median / max time, j60 CP-SAT proven share and mean
gap to the best known upper bound per parameter class, and every heuristic's mean gap and
time per instance. Run after the suites (`make bench-rcpsp_j30_cpsat` ...):

    python benchmarks/rcpsp_summary.py --out benchmarks/reports/rcpsp_summary.md

PSPLIB's 48 parameter classes: network complexity NC in (1.5, 1.8, 2.1) varies slowest,
then resource factor RF in (0.25, 0.5, 0.75, 1), then resource strength RS in (0.2, 0.5,
0.7, 1) fastest (class 13 is NC 1.5, RF 1, RS 0.2). The script checks that every RS = 1
instance solved has makespan equal to its critical path, as that order implies.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "benchmarks" / "reports"
NC, RF, RS = (1.5, 1.8, 2.1), (0.25, 0.5, 0.75, 1.0), (0.2, 0.5, 0.7, 1.0)


def parameters(name: str) -> tuple[str, int, tuple[float, float, float]]:
    """`j3013_4` -> ("j30", 13, (NC, RF, RS))."""
    match = re.fullmatch(r"(j\d0)(\d+)_(\d+)", name)
    assert match, name
    c = int(match.group(2)) - 1
    return match.group(1), c + 1, (NC[c // 16], RF[(c // 4) % 4], RS[c % 4])


def load(suite: str) -> list[dict]:
    path = REPORTS / f"{suite}.results.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def references() -> dict[str, dict]:
    with (ROOT / "instances" / "rcpsp" / "references.csv").open() as handle:
        return {row["instance"]: row for row in csv.DictReader(handle)}


def _gap(objective: float, reference: float) -> float:
    return 100.0 * (objective - reference) / reference


def j30_section(refs: dict[str, dict]) -> list[str]:
    runs = [r for r in load("rcpsp_j30_cpsat") if r.get("outcome") == "ok"]
    if not runs:
        return []
    proven = [r for r in runs if r["status"] == "optimal"]
    times = [r["wall_time"] for r in runs]
    proven_times = [r["wall_time"] for r in proven]
    wrong = [r["instance"] for r in runs
             if r["status"] == "optimal" and r["objective"] != int(refs[r["instance"]]["upper_bound"])]
    mean_gap = statistics.mean(_gap(r["objective"], int(refs[r["instance"]]["upper_bound"]))
                               for r in runs)
    lines = [
        "## j30, CP-SAT at 10 s, 1 worker", "",
        f"- proven optimal: **{len(proven)} / {len(runs)}**",
        f"- wall time of all runs: median {statistics.median(times):.2f} s, max {max(times):.2f} s",
        f"- wall time of the proven runs: median {statistics.median(proven_times):.2f} s, "
        f"max {max(proven_times):.2f} s",
        f"- mean gap to the optimum: {mean_gap:.3f} %",
        f"- proven values that differ from the PSPLIB optimum: {len(wrong)}",
        "",
    ]
    unproven = [r for r in runs if r["status"] != "optimal"]
    if unproven:
        lines += ["Not proven within 10 s:", "",
                  "| instance | class (NC, RF, RS) | makespan | bound | optimum |",
                  "| --- | --- | ---: | ---: | ---: |"]
        for r in sorted(unproven, key=lambda r: parameters(r["instance"])[1]):
            _, c, p = parameters(r["instance"])
            lines.append(f"| {r['instance']} | {c} {p} | {r['objective']} | {r['bound']} | "
                         f"{refs[r['instance']]['upper_bound']} |")
        lines.append("")
    return lines


def hard_section(refs: dict[str, dict]) -> list[str]:
    """The j30 instances that resist 10 s, given 120 s (suite rcpsp_j30_hard)."""
    runs = [r for r in load("rcpsp_j30_hard") if r.get("outcome") == "ok"]
    if not runs:
        return []
    lines = ["The hardest j30 instances at 120 s (suite `rcpsp_j30_hard`, "
             "[`rcpsp_j30_hard.md`](rcpsp_j30_hard.md)):", "",
             "| instance | status | makespan | bound | optimum | time s |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for r in runs:
        lines.append(f"| {r['instance']} | {r['status']} | {r['objective']} | {r['bound']} | "
                     f"{refs[r['instance']]['upper_bound']} | {r['wall_time']:.1f} |")
    return lines + [""]


def j60_section(refs: dict[str, dict]) -> list[str]:
    runs = [r for r in load("rcpsp_j60_cpsat") if r.get("outcome") == "ok"]
    if not runs:
        return []
    proven = [r for r in runs if r["status"] == "optimal"]
    gaps = [_gap(r["objective"], int(refs[r["instance"]]["upper_bound"])) for r in runs]
    times = [r["wall_time"] for r in runs]
    lines = [
        "## j60, CP-SAT at 30 s, 1 worker, one instance per parameter class", "",
        f"- instances: {len(runs)} ({len({parameters(r['instance'])[1] for r in runs})} classes)",
        f"- proven optimal: **{len(proven)} / {len(runs)} ({100 * len(proven) / len(runs):.1f} %)**",
        f"- mean gap to the best known upper bound: **{statistics.mean(gaps):.3f} %** "
        f"(max {max(gaps):.2f} %); makespans equal to it: "
        f"{sum(1 for g in gaps if g == 0)}, below it: {sum(1 for g in gaps if g < 0)}",
        f"- wall time: median {statistics.median(times):.2f} s, max {max(times):.2f} s",
        "",
        "| instance | class | NC | RF | RS | status | makespan | bound | reference lb "
        "| reference ub | time s |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in sorted(runs, key=lambda r: parameters(r["instance"])[1]):
        _, c, (nc, rf, rs) = parameters(r["instance"])
        ref = refs[r["instance"]]
        lines.append(f"| {r['instance']} | {c} | {nc} | {rf} | {rs} | {r['status']} | "
                     f"{r['objective']} | {r['bound']} | {ref['lower_bound']} | "
                     f"{ref['upper_bound']} | {r['wall_time']:.2f} |")
    return lines + [""]


def heuristics_section(refs: dict[str, dict]) -> list[str]:
    runs = [r for r in load("rcpsp_heuristics") if r.get("outcome") == "ok"]
    if not runs:
        return []
    table: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    labels: list[str] = []
    for r in runs:
        if r["label"] not in labels:
            labels.append(r["label"])
        table[r["label"]][parameters(r["instance"])[0]].append(r)
    lines = [
        "## Heuristics on all of j30 and j60", "",
        "Gap to the optimum (j30) or best known upper bound (j60); `hits`: runs that reach it; "
        "time: mean wall time per instance (kernels warmed up by the harness).", "",
        "| method | j30 mean gap % | j30 hits | j30 ms | j60 mean gap % | j60 hits | j60 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label in labels:
        cells = []
        for group in ("j30", "j60"):
            rows = table[label][group]
            if not rows:
                cells += ["-", "-", "-"]
                continue
            gaps = [_gap(r["objective"], int(refs[r["instance"]]["upper_bound"])) for r in rows]
            cells += [f"{statistics.mean(gaps):.2f}", f"{sum(g <= 0 for g in gaps)}/{len(rows)}",
                      f"{1000 * statistics.mean(r['wall_time'] for r in rows):.2f}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines + [""]


def class_order_check(refs: dict[str, dict]) -> list[str]:
    """RS = 1 instances: capacity is the peak of the earliest-start schedule, so the optimum
    is the critical path; CP-SAT's runs record it as `lower_bound` when it is the bound."""
    runs = [r for suite in ("rcpsp_j30_cpsat", "rcpsp_j60_cpsat") for r in load(suite)
            if r.get("outcome") == "ok" and parameters(r["instance"])[2][2] == 1.0]
    if not runs:
        return []
    same = sum(r["objective"] == r["stats"].get("lower_bound") for r in runs)
    return [f"Class order check: {same} of {len(runs)} RS = 1 instances have makespan equal to "
            "the lower bound max(critical path, resource bound).", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPORTS / "rcpsp_summary.md")
    parser.add_argument("--note", default="", help="a line about the machine's load")
    args = parser.parse_args()
    refs = references()
    lines = ["# RCPSP benchmarks: summary", "",
             "Condensed from the harness stores `benchmarks/reports/rcpsp_*.results.jsonl` by "
             "`python benchmarks/rcpsp_summary.py`; the full harness reports are "
             "[`rcpsp_j30_cpsat.md`](rcpsp_j30_cpsat.md), [`rcpsp_j60_cpsat.md`](rcpsp_j60_cpsat.md) "
             "and [`rcpsp_heuristics.md`](rcpsp_heuristics.md) (machine, versions and commands there).",
             ""]
    if args.note:
        lines += [f"Note: {args.note}", ""]
    lines += j30_section(refs) + hard_section(refs) + j60_section(refs)
    lines += heuristics_section(refs) + class_order_check(refs)
    args.out.write_text("\n".join(lines))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
