"""Blocking job shop (swaps allowed): our methods against the OptalCP and CP Optimizer 1800 s
references (instances/jobshop/blocking/). Run mode writes one CSV row per (instance, method) to a
new CSV (an existing one is refused unless --append); report mode merges CSVs (and --before, an
earlier run's CSV, when it exists) into a Markdown table with the headline numbers, appended to
--out as a dated section when that file exists (--replace rewrites it).

    python benchmarks/jobshop_blocking_static.py run --methods cpsat --time-limit 60 --workers 2 \
        --csv benchmarks/reports/jobshop_blocking_cpsat.csv ft06 la01 ...
    python benchmarks/jobshop_blocking_static.py report benchmarks/reports/jobshop_blocking_*.csv \
        --out benchmarks/reports/jobshop_blocking.md
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import time
from pathlib import Path

import schedkit

ROOT = Path(__file__).resolve().parents[1]
CLASSIC = ROOT / "instances" / "jobshop" / "classic"
REFERENCES = ROOT / "instances" / "jobshop" / "blocking"
FIELDS = [
    "instance", "method", "time_limit", "workers", "seed", "status", "objective", "bound", "wall", "feasible",
]


def references() -> dict[str, dict[str, dict[str, str]]]:
    """{instance: {"OptalCP": row, "CPO": row}} from the two bundled CSVs."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for name, file in (("OptalCP", "Optal-4W-2FDS.csv"), ("CPO", "CPO-4W.csv")):
        with (REFERENCES / file).open() as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                instance = row["Model name"].removeprefix("blocking-jobshop_").removeprefix("taillard_")
                out.setdefault(instance, {})[name] = row
    return out


def run(args: argparse.Namespace) -> None:
    """Solve every instance with every method; append rows to the CSV."""
    path = Path(args.csv)
    new = not path.exists()
    if not args.append:  # never add to (or replace) an earlier run silently
        log = Path(args.load_log or path)
        for old, keep in ((path, _before_of(path)), (log, _before_of(path, "_load.txt"))):
            if old.exists():
                raise SystemExit(f"{old} exists: move it to {keep.name} to keep it as the report's before "
                                 "columns, delete it, or pass --append")
    with path.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        if new:
            writer.writeheader()
        for name in args.instances:
            if args.load_log:  # the load each instance starts at (other jobs share the machine)
                with open(args.load_log, "a") as load_file:
                    load_file.write(f"{time.strftime('%H:%M:%S', time.gmtime())} UTC {name} load average "
                              + " ".join(f"{x:.2f}" for x in os.getloadavg()) + "\n")
            instance = schedkit.load(CLASSIC / name, blocking=True)
            for method in args.methods:
                began = time.perf_counter()
                result = schedkit.solve(instance, method, time_limit=args.time_limit, workers=args.workers,
                                        seed=args.seed)
                wall = time.perf_counter() - began
                report = schedkit.check(instance, result)
                writer.writerow({"instance": name, "method": method, "time_limit": args.time_limit,
                                 "workers": args.workers, "seed": args.seed, "status": result.status,
                                 "objective": result.objective, "bound": result.bound,
                                 "wall": f"{wall:.2f}", "feasible": report.feasible})
                handle.flush()
                print(name, method, result.status, result.objective, result.bound, f"{wall:.1f}s", flush=True)


def _labelled(row: dict[str, str], before: bool = False) -> dict[str, str]:
    """A row whose method names its seed when not 0 (older CSVs have no seed: seed 0), and, from
    a before run, its run (`cpsat@<commit>` kept, else `@before`) so that it gets its own column."""
    seed = row.get("seed") or "0"
    method = row["method"] if seed == "0" else f"{row['method']} seed {seed}"
    if before and "@" not in method:
        method += "@before"
    return row if method == row["method"] else {**row, "method": method}


def _before_of(path: Path, suffix: str = ".csv") -> Path:
    """Where a run CSV's predecessor lives: X_cpsat.csv -> X_before.csv (X_before_load.txt)."""
    return path.with_name(path.stem.rsplit("_", 1)[0] + "_before" + suffix)


def _ref_cell(ref: dict[str, dict[str, str]], source: str) -> str:
    row = ref.get(source)
    if row is None:
        return "-"
    star = "*" if row["Status"] == "Optimum" else ""
    return f"{row['Objective']}{star} (LB {row['Lower bound']})"


def report(args: argparse.Namespace) -> None:
    """One Markdown table: per instance our objectives and both references; then the headline."""
    rows: list[dict[str, str]] = []
    files = list(args.csvs)
    if args.before is not None:  # the earlier run's columns, when its CSV exists
        if Path(args.before).exists():
            files.append(args.before)
            print(f"report: before columns from {args.before}")
        else:
            print(f"report: no {args.before}, no before columns")
    for file in files:
        before = args.before is not None and file == args.before
        with open(file) as handle:
            rows.extend(_labelled(row, before) for row in csv.DictReader(handle))
    refs = references()
    methods = sorted({r["method"] for r in rows}, key=lambda m: (m != "cpsat", m))
    instances = list(dict.fromkeys(r["instance"] for r in rows))
    by = {(r["instance"], r["method"]): r for r in rows}
    lines = ["| instance | " + " | ".join(methods) + " | OptalCP 1800 s | CPO 1800 s | best ref | "
             + " | ".join(f"gap {m}" for m in methods) + " |",
             "|" + " --- |" * (4 + 2 * len(methods))]
    gaps: dict[str, list[float]] = {m: [] for m in methods}
    proven = {m: 0 for m in methods}
    beats = {m: 0 for m in methods}
    reached = {m: 0 for m in methods}
    ref_optimal = 0
    for name in instances:
        ref = refs.get(name, {})
        values = [int(ref[s]["Objective"]) for s in ("OptalCP", "CPO") if s in ref and ref[s]["Objective"]]
        best = min(values) if values else None
        is_opt = any(ref[s]["Status"] == "Optimum" for s in ref)
        ref_optimal += is_opt
        cells, gap_cells = [], []
        for m in methods:
            r = by.get((name, m))
            if r is None or not r["objective"]:
                cells.append("-")
                gap_cells.append("-")
                continue
            value = int(r["objective"])
            mark = "*" if r["status"] == "optimal" else ""
            cells.append(f"{value}{mark}")
            proven[m] += r["status"] == "optimal"
            if best is not None:
                gap = 100.0 * (value - best) / best
                gaps[m].append(gap)
                gap_cells.append(f"{gap:.1f}%")
                beats[m] += value < min(values) and len(values) == 2
                reached[m] += is_opt and value <= best
            else:
                gap_cells.append("-")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_ref_cell(ref, 'OptalCP')} | "
                     f"{_ref_cell(ref, 'CPO')} | "
                     f"{best if best is not None else '-'} | " + " | ".join(gap_cells) + " |")
    summary = ["| method | instances | mean gap to best reference | proven optimal | reference optima "
               "reached | beats both |", "| --- | --- | --- | --- | --- | --- |"]
    for m in methods:
        mean = sum(gaps[m]) / len(gaps[m]) if gaps[m] else float("nan")
        summary.append(f"| {m} | {len(gaps[m])} | {mean:.2f} % | {proven[m]} | {reached[m]} of "
                       f"{ref_optimal} | {beats[m]} |")
    meta = [f"- machine: {platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}, "
            f"schedkit {schedkit.__version__}, load average at report time {os.getloadavg()[0]:.1f}",
            f"- runs: {sorted({(r['method'], r['time_limit'], r['workers']) for r in rows})}",
            f"- command: {args.command_line}"]
    out = Path(args.out)
    if out.exists() and not args.replace:  # keep the earlier text: a dated section at the end
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        text = "\n".join(["", f"## Run of {stamp}: {args.title}", "", *args.notes, "", *meta, "",
                          "### Headline", "", *summary, "", "### Per instance (`*` = proven optimal)", "",
                          *lines, ""])
        with out.open("a") as handle:
            handle.write(text)
        print(f"report: appended a section dated {stamp} to {out} (--replace rewrites it)")
    else:
        text = "\n".join([f"# {args.title}", "", *args.notes, "", *meta, "", "## Headline", "", *summary, "",
                          "## Per instance (`*` = proven optimal)", "", *lines, ""])
        if out.exists():
            print(f"report: replacing {out} (--replace)")
        out.write_text(text)
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("run")
    r.add_argument("instances", nargs="+")
    r.add_argument("--methods", nargs="+", default=["cpsat"])
    r.add_argument("--time-limit", type=float, default=60.0)
    r.add_argument("--workers", type=int, default=2)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--csv", required=True)
    r.add_argument("--load-log", help="append the time and load average before each instance")
    r.add_argument("--append", action="store_true", help="add rows to an existing CSV (else refused)")
    p = sub.add_parser("report")
    p.add_argument("csvs", nargs="+")
    p.add_argument("--out", required=True)
    p.add_argument("--title", default="Blocking job shop with swaps: schedkit against OptalCP and CPO")
    p.add_argument("--note", dest="notes", action="append", default=[])
    p.add_argument("--command-line", default="see benchmarks/jobshop_blocking_static.py")
    p.add_argument("--before", help="an earlier run's CSV, shown as extra columns when it exists")
    p.add_argument("--replace", action="store_true",
                   help="rewrite --out (default: append a dated section when it exists)")
    args = parser.parse_args()
    run(args) if args.mode == "run" else report(args)


if __name__ == "__main__":
    main()
