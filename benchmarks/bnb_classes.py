"""Per-class table of the `bnb` suite: proven optimal, median and max time per (n, TF, RDD).

Reads the suite's result store and the instance files it ran on (the class is in each
instance's metadata) and writes benchmarks/reports/bnb_classes.md.

    make bench-bnb bench-bnb-classes    # or: python benchmarks/bnb_classes.py
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from pathlib import Path

import schedkit
from schedkit.bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "benchmarks" / "reports" / "bnb.results.jsonl"
OUT = ROOT / "benchmarks" / "reports" / "bnb_classes.md"
FILES = {"smtt_n100": 100, "pvw_n200": 200, "pvw_n300": 300, "pvw_n500": 500}


def classes_by_name() -> dict[str, tuple[float, float]]:
    """`file#k` -> (TF, RDD) for every instance of the suite's files."""
    result = {}
    for stem in FILES:
        for instance in schedkit.load_all(ROOT / "instances" / "smtt" / f"{stem}.jsonl"):
            result[instance.name] = (float(instance.meta["tf"]), float(instance.meta["rdd"]))
    return result


def main() -> None:
    classes = classes_by_name()
    runs: dict[tuple[int, float, float], list[dict]] = defaultdict(list)
    for line in STORE.read_text().splitlines():
        record = json.loads(line)
        name = record["instance"]
        if record.get("method") == "bnb" and name in classes:
            runs[(FILES[name.split("#")[0]], *classes[name])].append(record)
    sizes = sorted({n for n, _, _ in runs})
    lines = ["# bnb per Potts–Van Wassenhove class", "",
             f"- Machine: {describe()}",
             "- Command: `make bench-bnb bench-bnb-classes`; 60 s, one thread a run",
             "- Cells: proven optimal / runs, median s, max s (solver wall time, heuristic included)", "",
             "| TF | RDD | " + " | ".join(f"n = {n}" for n in sizes) + " |",
             "| ---: | ---: | " + " | ".join("---:" for _ in sizes) + " |"]
    for tf, rdd in sorted({(tf, rdd) for _, tf, rdd in runs}):
        cells = []
        for n in sizes:
            group = runs.get((n, tf, rdd), [])
            times = [r["wall_time"] for r in group]
            proven = sum(r["status"] == "optimal" for r in group)
            cells.append(f"{proven}/{len(group)}, {statistics.median(times):.2f}, {max(times):.2f}"
                         if group else "-")
        lines.append(f"| {tf:g} | {rdd:g} | " + " | ".join(cells) + " |")
    lines += ["", "| n | runs | proven optimal | median s | max s |", "| ---: | ---: | ---: | ---: | ---: |"]
    for n in sizes:
        group = [r for key, rs in runs.items() if key[0] == n for r in rs]
        times = [r["wall_time"] for r in group]
        proven = sum(r["status"] == "optimal" for r in group)
        lines.append(f"| {n} | {len(group)} | {proven} ({100 * proven / len(group):.1f} %) | "
                     f"{statistics.median(times):.3f} | {max(times):.2f} |")
    OUT.write_text("\n".join(lines) + "\n")
    print(OUT)


if __name__ == "__main__":
    main()
