"""Write the seeded Potts–Van Wassenhove instance files the bnb suites read (run once; committed).

pvw_n{200,300,500}.jsonl: 10 instances of each of the 20 classes TF in {0.2, 0.4, 0.6, 0.8} x
RDD in {0.2, 0.4, 0.6, 0.8, 1.0}, as smtt_n20/smtt_n100 have them; seed = 100·class + rep.
pvw_compare.jsonl: one instance of TF in {0.4, 0.6, 0.8} x RDD in {0.2, 0.6} at n = 50, 100, 200,
for setting bnb beside MIP and CP-SAT.

    python benchmarks/make_pvw_instances.py
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from schedkit.generate import smtt
from schedkit.loading import write

OUT = Path(__file__).resolve().parent.parent / "instances" / "smtt"
TFS = (0.2, 0.4, 0.6, 0.8)
RDDS = (0.2, 0.4, 0.6, 0.8, 1.0)


def classes(tfs=TFS, rdds=RDDS):
    """(class number from 0, tf, rdd) in the order of the shared files (TF outer)."""
    return [(c, tf, rdd) for c, (tf, rdd) in enumerate((tf, rdd) for tf in tfs for rdd in rdds)]


def numbered(batch: list, prefix: str) -> list:
    """Name the instances `prefix#1`, `prefix#2`, ... so that reports group them by file."""
    return [replace(x, name=f"{prefix}#{k}") for k, x in enumerate(batch, 1)]


def main() -> None:
    for n in (200, 300, 500):
        batch = [smtt(n, tf, rdd, seed=100 * c + rep) for c, tf, rdd in classes() for rep in range(10)]
        print(write(numbered(batch, f"pvw_n{n}"), OUT / f"pvw_n{n}.jsonl"), len(batch))
    compare = []
    for n in (50, 100, 200):
        batch = [smtt(n, tf, rdd, seed=7) for _, tf, rdd in classes((0.4, 0.6, 0.8), (0.2, 0.6))]
        compare += numbered(batch, f"pvw_compare_n{n}")
    print(write(compare, OUT / "pvw_compare.jsonl"), len(compare))


if __name__ == "__main__":
    main()
