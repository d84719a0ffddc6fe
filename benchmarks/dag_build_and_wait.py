"""Large DAGs at a short limit: does `cpsat` keep the promise while it builds its model, and do
the heuristics answer on an empty numba cache? Main and a branch side by side.

Each row runs in a fresh process that imports the checkout given by --roots (rows alternate between
them, so that both see the same load), loads a pickled generated graph (made once into --cache),
and times `schedkit.solve(graph, method, time_limit)` on the caller's clock (the promise: limit +
max(10 %, 0.5 s)). --cold gives each row an empty numba cache; --hard-deadline off runs without the
guard (SCHEDKIT_HARD_DEADLINE=0), which shows how long the method itself takes. Rows are JSON lines.

    python benchmarks/dag_build_and_wait.py --roots /tmp/main . --cache /tmp/dagbig \
        --graphs 40000x2 50000x1 --methods cpsat --limits 2 5 --hard-deadline on off
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def graph_file(cache: Path, graph: str) -> Path:
    """The pickle of `graph` (TASKSxPROCESSORS, out-degree 1, seed 1), made once."""
    path = cache / f"dag_{graph}.pkl"
    if not path.exists():
        import schedkit  # the generator of whichever checkout runs this: same graph for a seed

        tasks, processors = (int(x) for x in graph.split("x"))
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(schedkit.generate.dag(tasks, processors, 1, out_degree=1)))
    return path


def one(path: Path, method: str, limit: float) -> None:
    """Solve once in this process, print the JSON row, and exit without waiting for compilations."""
    import schedkit

    instance = pickle.loads(path.read_bytes())
    load = os.getloadavg()[0]
    began = time.perf_counter()
    result = schedkit.solve(instance, method, time_limit=limit, workers=2)
    wall = time.perf_counter() - began
    checked = result.solution is not None and schedkit.check(instance, result).feasible
    print(json.dumps({
        "graph": path.stem, "method": method, "limit": limit, "status": result.status,
        "objective": result.objective, "checked": checked, "wall": round(wall, 3),
        "promise": round(limit + max(0.1 * limit, 0.5), 3), "load": round(load, 1),
        "solver_status": result.stats.get("solver_status"), "offered": result.stats.get("offered"),
        "hard_deadline": bool(result.stats.get("hard_deadline")),
        "compiling": bool(result.stats.get("compiling")),
    }), flush=True)
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roots", type=Path, nargs="+", required=True,
                        help="checkouts to import schedkit from")
    parser.add_argument("--cache", type=Path, required=True, help="folder of the pickled graphs")
    parser.add_argument("--graphs", nargs="+", default=["40000x2"])
    parser.add_argument("--methods", nargs="+", default=["cpsat"])
    parser.add_argument("--limits", type=float, nargs="+", default=[2.0])
    parser.add_argument("--hard-deadline", nargs="+", choices=["on", "off"], default=["on"])
    parser.add_argument("--cold", action="store_true", help="an empty numba cache for every row")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(Path(args.one[0]), args.one[1], float(args.one[2]))
        return
    for graph in args.graphs:
        path = graph_file(args.cache, graph)
        for method in args.methods:
            for limit in args.limits:
                for guard in args.hard_deadline:
                    for root in args.roots:
                        with tempfile.TemporaryDirectory() as numba_cache:
                            env = {**os.environ, "PYTHONPATH": str(root.resolve()),
                                   "SCHEDKIT_HARD_DEADLINE": "1" if guard == "on" else "0"}
                            if args.cold:
                                env["NUMBA_CACHE_DIR"] = numba_cache
                            command = [sys.executable, __file__, "--roots", str(root), "--cache",
                                       str(args.cache), "--one", str(path), method, str(limit)]
                            done = subprocess.run(command, capture_output=True, text=True, env=env)
                        lines = done.stdout.strip().splitlines()
                        row = json.loads(lines[-1]) if lines else {"graph": graph, "method": method,
                                                                   "error": done.stderr.strip()[-300:]}
                        print(json.dumps({"root": str(root), "hard_deadline_guard": guard, **row}),
                              flush=True)


if __name__ == "__main__":
    main()
