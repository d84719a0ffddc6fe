"""Reference values of the DAG suites: instances/dag/references.csv.

    .venv/bin/python benchmarks/dag_references.py

- random_small.jsonl and the HEFT paper's example: CP-SAT's proven optimum (status optimal;
  one worker, 300 s each; an instance it cannot prove would be written `open` with its bounds).
- random_v100.jsonl, random_v1000.jsonl: no optimum known; lower bound = the instance's bound
  (critical path at cheapest costs, work / p), upper bound = the best of heft, cpop and peft
  (status open), so the report's gap reads "% above the best heuristic".
"""

from __future__ import annotations

import csv
from pathlib import Path

import schedkit

ROOT = Path(__file__).resolve().parent.parent / "instances" / "dag"


def main() -> None:
    rows = []
    exact = [schedkit.load(ROOT / "topcuoglu2002_fig2.json"),
             *schedkit.load_all(ROOT / "random_small.jsonl")]
    for instance in exact:
        result = schedkit.solve(instance, "cpsat", time_limit=300, workers=1)
        status = "optimal" if result.status == "optimal" else "open"
        rows.append((instance.name, result.bound, result.objective, status))
        print(*rows[-1], f"{result.wall_time:.2f} s", flush=True)
    for v in (100, 1000):
        for instance in schedkit.load_all(ROOT / f"random_v{v}.jsonl"):
            best = min(int(schedkit.solve(instance, m).objective) for m in ("heft", "cpop", "peft"))
            rows.append((instance.name, instance.lower_bound(), best, "open"))
    with (ROOT / "references.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["instance", "lower_bound", "upper_bound", "status"])
        out.writerows(rows)


if __name__ == "__main__":
    main()
