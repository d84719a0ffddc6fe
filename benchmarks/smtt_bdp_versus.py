"""`bdp` of this tree against `bdp` of an older schedkit source tree, interleaved (per instance:
this tree, then the other) so that both see the same load. Each side runs in its own worker
process (one at a time) that imports its own schedkit; one worker thread each.

    python benchmarks/smtt_bdp_versus.py --base /tmp/old_tree --out /tmp/versus.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import schedkit
sys.path.insert(0, sys.argv[2])
import smtt_bdp as b
instances = {i.name: i for i in b.wt40()}
for path in ("orlib_weighted50_sample.jsonl", "orlib_weighted100_sample.jsonl"):
    instances.update({i.name: i for i in schedkit.load_all(b.SMTT / path)})
instances.update({i.name: i for i in b.wt100_standin()})
schedkit.solve(b.wt40()[0], "bdp", workers=1)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    ask = json.loads(line)
    if ask["name"] not in instances:
        n, tf, rdd, seed = ask["generated"]
        instance = schedkit.generate.smtt(n, tf, rdd, seed=seed, weighted=True)
    else:
        instance = instances[ask["name"]]
    started = time.perf_counter()
    result = schedkit.solve(instance, "bdp", time_limit=ask["limit"], workers=1)
    seconds = time.perf_counter() - started
    report = schedkit.check(instance, result)
    assert report.feasible and report.objective == result.objective, instance.name
    print(json.dumps({"status": result.status, "objective": result.objective,
                      "bound": result.bound, "seconds": seconds,
                      "stage": result.stats.get("stage", "")}), flush=True)
"""


class Worker:
    """A process solving the instances asked for on its stdin with one schedkit tree."""

    def __init__(self, tree: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tree), str(ROOT / "benchmarks")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(tree)})
        self._read()

    def _read(self) -> dict:
        assert self.process.stdout is not None
        return json.loads(self.process.stdout.readline())

    def solve(self, ask: dict) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(ask) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def asks(args: argparse.Namespace) -> list[tuple[str, dict]]:
    """(set, request) for every instance of the comparison."""
    out: list[tuple[str, dict]] = []
    if args.orlib:
        if not args.wt100_only:
            out += [("wt40", {"name": f"wt40#{k}", "limit": args.limit}) for k in range(1, 126)]
            out += [("wt50 sample", {"name": f"wt50#{k}", "limit": args.limit})
                    for k in (1, 6, 11, 16)]
        out += [("wt100 sample", {"name": f"wt100#{k}", "limit": args.limit})
                for k in (1, 6, 11, 16, 21, 26)]
    out += [("wt100 stand-in", {"name": f"standin100#{k}", "limit": args.limit})
            for k in args.standin]
    classes = [(tf, rdd) for tf in (0.2, 0.4, 0.6, 0.8, 1.0) for rdd in (0.2, 0.4, 0.6, 0.8)]
    spread = classes[::max(1, len(classes) // args.classes)][:args.classes]
    for n in args.sizes:
        for c, (tf, rdd) in enumerate(spread):
            out.append((f"generated n = {n}", {"name": f"pvw{n}-tf{tf}-rdd{rdd}",
                                               "generated": [n, tf, rdd, 1000 * n + c],
                                               "limit": args.generated_limit}))
    return out


def summary(rows: list[tuple[str, str, dict, dict]]) -> list[str]:
    """Per set: proven, median / max seconds, mean gap of the unproven, for both sides."""
    lines = ["| set | instances | proven (new / old) | median s (new / old) | max s (new / old) | "
             "mean gap of unproven % (new / old) |", "| --- | ---: | --- | --- | --- | --- |"]
    for name in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == name]

        def figures(side: int, of: list = mine) -> tuple[int, float, float, str]:
            results = [r[2 + side] for r in of]
            times = [x["seconds"] for x in results]
            gaps = [(x["objective"] - x["bound"]) / max(1, x["objective"]) for x in results
                    if x["status"] != "optimal" and x["bound"] is not None]
            return (sum(x["status"] == "optimal" for x in results), statistics.median(times),
                    max(times), f"{100 * statistics.mean(gaps):.3f}" if gaps else "-")

        new, old = figures(0), figures(1)
        lines.append(f"| {name} | {len(mine)} | {new[0]} / {old[0]} | {new[1]:.2f} / {old[1]:.2f} "
                     f"| {new[2]:.2f} / {old[2]:.2f} | {new[3]} / {old[3]} |")
    lines += ["", "| instance | status new / old | bound new / old | objective new / old "
              "| seconds new / old | stage new / old |", "| --- | --- | --- | --- | --- | --- |"]
    for _, name, new, old in rows:
        lines.append(f"| {name} | {new['status']} / {old['status']} | {new['bound']} / "
                     f"{old['bound']} | {new['objective']} / {old['objective']} | "
                     f"{new['seconds']:.2f} / {old['seconds']:.2f} | {new['stage']} / {old['stage']} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, required=True, help="older tree holding schedkit/")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--generated-limit", type=float, default=60.0)
    parser.add_argument("--sizes", type=int, nargs="*", default=[200])
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--orlib", action=argparse.BooleanOptionalAction, default=True,
                        help="the OR-Library sets too (wt40, wt50 and wt100 samples)")
    parser.add_argument("--wt100-only", action="store_true",
                        help="of the OR-Library sets, only the wt100 sample")
    parser.add_argument("--standin", type=int, nargs="*", default=[],
                        help="numbers (1-125) of the generated wt100 stand-in instances to run")
    args = parser.parse_args()
    new, old = Worker(ROOT), Worker(args.base)
    load = [os.getloadavg()[0]]
    rows = []
    for group, ask in asks(args):
        a, b = new.solve(ask), old.solve(ask)
        rows.append((group, ask["name"], a, b))
        print(f"{ask['name']}: new {a['status']} {a['bound']} {a['seconds']:.2f}s | old "
              f"{b['status']} {b['bound']} {b['seconds']:.2f}s", flush=True)
        load.append(os.getloadavg()[0])
    new.close()
    old.close()
    header = [f"Command: `python benchmarks/smtt_bdp_versus.py {' '.join(sys.argv[1:])}`; "
              f"1-min load min / median / max {min(load):.1f} / {statistics.median(load):.1f} / "
              f"{max(load):.1f}.", ""]
    args.out.write_text("\n".join(header + summary(rows)) + "\n")
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
