"""Large job shops at a short limit: does each method answer with a plan, within the promise?

Each row runs in a fresh process that imports the checkout at --root (so that a main checkout and a
branch can be compared side by side), loads a pickled generated instance (made once into --cache),
and times `schedkit.solve(instance, method, time_limit)` on the caller's clock (the promise:
limit + max(10 %, 0.5 s)). Rows are JSON lines on stdout.

    python benchmarks/jobshop_large_early.py --root . --cache /tmp/early --limit 2 \
        --shops classic:2000x500 blocking:2000x500 --methods auto spt cpsat
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path


def shop_file(cache: Path, shop: str) -> Path:
    """The pickle of `shop` (kind:JOBSxMACHINES, kind classic, flexible or blocking), made once."""
    path = cache / f"{shop.replace(':', '_')}.pkl"
    if not path.exists():
        import schedkit  # the generator of whichever checkout runs this: same instance for a seed

        kind, size = shop.split(":")
        jobs, machines = (int(x) for x in size.split("x"))
        instance = schedkit.generate.jobshop(jobs, machines, seed=0, flexible=1 if kind == "flexible" else 0,
                                             blocking=kind == "blocking")
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(instance))
    return path


def one(path: Path, method: str, limit: float) -> None:
    """Solve once in this process and print the JSON row."""
    import schedkit

    instance = pickle.loads(path.read_bytes())
    load = os.getloadavg()[0]
    began = time.perf_counter()
    result = schedkit.solve(instance, method, time_limit=limit, workers=2)
    wall = time.perf_counter() - began
    print(json.dumps({
        "shop": path.stem, "operations": int(instance.operations), "method": method, "limit": limit,
        "status": result.status, "objective": result.objective, "wall": round(wall, 3),
        "promise": round(limit + max(0.1 * limit, 0.5), 3), "load": round(load, 1),
        "offered": result.stats.get("offered"), "chosen": result.stats.get("chosen"),
        "hard_deadline": bool(result.stats.get("hard_deadline")),
    }), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="the checkout to import schedkit from")
    parser.add_argument("--cache", type=Path, required=True, help="folder of the pickled instances")
    parser.add_argument("--limit", type=float, default=2.0)
    parser.add_argument("--shops", nargs="+", default=["classic:2000x500"])
    parser.add_argument("--methods", nargs="+", default=["auto", "spt"])
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(Path(args.one[0]), args.one[1], args.limit)
        return
    env = {**os.environ, "PYTHONPATH": str(args.root.resolve())}
    for shop in args.shops:
        path = shop_file(args.cache, shop)
        for method in args.methods:
            command = [sys.executable, __file__, "--root", str(args.root), "--cache", str(args.cache),
                       "--limit", str(args.limit), "--one", str(path), method]
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            lines = done.stdout.strip().splitlines()
            print(lines[-1] if lines else json.dumps({"shop": shop, "method": method,
                                                      "error": done.stderr.strip()[-300:]}), flush=True)


if __name__ == "__main__":
    main()
