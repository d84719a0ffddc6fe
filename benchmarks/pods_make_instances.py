"""Write the benchmark scenarios of issue 8 to instances/pods/grid.jsonl.

The grid of "Priority Matters" (Christensen, Giallorenzo & Mauro, 2025): nodes {4, 8, 16, 32} x
pods per node {4, 8} x priorities {1, 2, 4} x utilisation {0.90, 0.95, 1.00, 1.05}, `--seeds`
seeds each. Every generated cluster is first scheduled by `kube-default`; the scenarios where
it leaves pods pending are kept, in the state it leaves them: its bindings become running
(movable) pods, the pods it could not place stay pending. That is the cluster an optimiser
sees when it is called as a fallback; its moves are counted against that state.

    .venv/bin/python benchmarks/pods_make_instances.py --seeds 2
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

import schedkit
from schedkit.loading import write
from schedkit.pods.heuristics.methods import kube_default
from schedkit.pods.model import PodsInstance

GRID = {
    "nodes": (4, 8, 16, 32),
    "pods_per_node": (4, 8),
    "priorities": (1, 2, 4),
    "utilisation": (0.90, 0.95, 1.00, 1.05),
}


def scenarios(seeds: int) -> list[PodsInstance]:
    """The failing scenarios of the grid, each in the state kube-default leaves it."""
    kept = []
    for nodes, per_node, priorities, utilisation in itertools.product(*GRID.values()):
        for seed in range(seeds):
            cluster = schedkit.generate.pods(nodes, per_node, priorities, utilisation, seed)
            placed, _ = kube_default(cluster)
            if (placed >= 0).all():
                continue
            pods = tuple(
                replace(pod, node=None if n < 0 else cluster.nodes[int(n)].name)
                for pod, n in zip(cluster.pods, placed.tolist(), strict=True)
            )
            meta = {**cluster.meta, "default_pending": int((placed < 0).sum())}
            kept.append(cluster.replace(pods=pods, meta=meta))
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--out", default="instances/pods/grid.jsonl")
    args = parser.parse_args()
    found = scenarios(args.seeds)
    write(found, Path(args.out))
    print(f"wrote {len(found)} scenarios where kube-default leaves pods pending to {args.out}")


if __name__ == "__main__":
    main()
