"""PSPLIB j120 sample report (issue 21's goal: mean gap <= 1.5 % to the best known upper bounds at
60 s / 2 workers) from the stored runs of the suite rcpsp_j120.

Gap = (makespan - best known UB) / best known UB, UB from PSPLIB's best known values
(instances/rcpsp/references.csv; sources in instances/rcpsp/j120/README.md). Also split by
whether the literature has closed the instance, and by the parameter class's resource strength
(PSPLIB j120 classes cycle RS 0.1, 0.2, 0.3, 0.4, 0.5 within each block of five).

    python benchmarks/rcpsp_j120_report.py --store benchmarks/reports/rcpsp_j120.results.jsonl \\
        --out benchmarks/reports/rcpsp_j120_summary.md
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
from pathlib import Path

from schedkit.bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
STRENGTHS = (0.1, 0.2, 0.3, 0.4, 0.5)


def position(name: str) -> tuple[int, int]:
    """(class c, instance k) of a j120 instance named j120<c>_<k>."""
    klass, index = name[4:].split("_")
    return int(klass), int(index)


def resource_strength(name: str) -> float:
    """RS of a j120 instance from its class number."""
    return STRENGTHS[(position(name)[0] - 1) % 5]


def _gap(objective: int, reference: int) -> float:
    return 100.0 * (objective - reference) / reference


def _line(label: str, rows: list[dict]) -> str:
    if not rows:
        return f"| {label} | 0 | - | - | - | - | - |"
    gaps = [row["gap"] for row in rows]
    proven = sum(row["status"] == "optimal" for row in rows)
    matched = sum(row["objective"] <= row["ub"] for row in rows)
    return (f"| {label} | {len(rows)} | {statistics.mean(gaps):.2f} | "
            f"{statistics.median(gaps):.2f} | {max(gaps):.2f} | {matched} | {proven} |")


DETAIL_START = "`*` proven optimal."  # the first line of the per-instance part


def dated_sections(path: Path | None) -> list[str]:
    """The sections (from the first `## ` heading to the per-instance part) of the report at
    `path`: written by hand after runs, so a regenerated summary keeps them between its summary
    table and its per-instance table (it writes no `##` heading itself)."""
    if path is None or not path.exists():
        return []
    lines = path.read_text().splitlines()
    start = next((k for k, line in enumerate(lines) if line.startswith("## ")), len(lines))
    end = lines.index(DETAIL_START, start) if DETAIL_START in lines[start:] else len(lines)
    return lines[start:end]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path,
                        default=ROOT / "benchmarks" / "reports" / "rcpsp_j120.results.jsonl")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--context", default="", help="a paragraph on the run (when, load, commit)")
    args = parser.parse_args()
    with (ROOT / "instances" / "rcpsp" / "references.csv").open() as handle:
        refs = {row["instance"]: row for row in csv.DictReader(handle)}
    rows = []
    for line in args.store.read_text().splitlines():
        record = json.loads(line)
        if record["objective"] is None:
            continue
        ref = refs[record["instance"]]
        ub, lb = int(ref["upper_bound"]), int(ref["lower_bound"])
        rows.append({"name": record["instance"], "objective": record["objective"],
                     "bound": record["bound"], "status": record["status"], "ub": ub, "lb": lb,
                     "closed": ref["status"] == "optimal", "gap": _gap(record["objective"], ub),
                     "rs": resource_strength(record["instance"])})
    rows.sort(key=lambda r: position(r["name"]))
    head = ["| set | instances | mean gap % | median gap % | max gap % | at or below best known "
            "| proven optimal |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    table = [_line("all", rows), _line("best known UB proven optimal", [r for r in rows if r["closed"]]),
             _line("best known UB not proven (in references.csv)", [r for r in rows if not r["closed"]])]
    table += [_line(f"RS {rs}", [r for r in rows if r["rs"] == rs]) for rs in STRENGTHS]
    better = [r for r in rows if r["objective"] < r["ub"]]
    invalid = [r for r in rows if r["bound"] is not None and r["bound"] > r["ub"]]
    detail = ["| instance | RS | makespan | our bound | best known UB | literature LB | gap % |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    detail += [f"| {r['name']} | {r['rs']} | {r['objective']}{'*' if r['status'] == 'optimal' else ''} "
               f"| {r['bound']} | {r['ub']} | {r['lb']} | {r['gap']:.2f} |" for r in rows]
    intro = ["# RCPSP: PSPLIB j120, every 5th instance, `cpsat-lns` at 60 s / 2 workers (issue 21)",
             "", f"- Machine: {describe()}",
             "- Gap: (makespan - best known upper bound) / best known upper bound, PSPLIB's best "
             "known values (instances/rcpsp/references.csv; sources in "
             "instances/rcpsp/j120/README.md).",
             "- Goal: mean gap <= 1.5 % at 60 s with 2 workers.",
             *([f"- Run: {args.context}"] if args.context else []), ""]
    text = "\n".join([*intro, *head, *table, "",
                      f"Below the best known upper bound: {len(better)} "
                      f"({', '.join(r['name'] for r in better) or 'none'}). "
                      f"Bounds above a best known upper bound: {len(invalid)}.", "",
                      *dated_sections(args.out), DETAIL_START, "", *detail, ""])
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
