"""Write the generated DAG instance files the benchmark suites read (instances/dag/).

    .venv/bin/python benchmarks/dag_make_instances.py

- random_small.jsonl: v in {10, 20, 30} x p in {2, 3, 4} x CCR in {0.1, 1, 10}, seeds 1 and 2
  (54 graphs, CP-SAT proves every optimum: the `dag_small` suite).
- random_v100.jsonl, random_v1000.jsonl: p in {4, 16, 64} x CCR in {0.1, 1, 10}, seed 1,
  out-degree 5 (the `dag_random` suite). The 10,000-task graphs are not stored: the scaling
  script `benchmarks/dag_scaling.py` generates them from the same seeds.
Other parameters are the generator's defaults (α = 1, β = 0.5, mean cost 50).
"""

from __future__ import annotations

from pathlib import Path

import schedkit
from schedkit.dag.model import DAGInstance
from schedkit.loading import write

ROOT = Path(__file__).resolve().parent.parent / "instances" / "dag"
CCRS = (0.1, 1.0, 10.0)


def small() -> list[DAGInstance]:
    """The v <= 30 graphs."""
    return [schedkit.generate.dag(v, p, seed, ccr=ccr)
            for v in (10, 20, 30) for p in (2, 3, 4) for ccr in CCRS for seed in (1, 2)]


def large(v: int) -> list[DAGInstance]:
    """The graphs of v tasks for the harness suite."""
    return [schedkit.generate.dag(v, p, 1, ccr=ccr, out_degree=5) for p in (4, 16, 64) for ccr in CCRS]


def main() -> None:
    write(small(), ROOT / "random_small.jsonl")
    for v in (100, 1000):
        write(large(v), ROOT / f"random_v{v}.jsonl")


if __name__ == "__main__":
    main()
