"""What-if probes of `bdp`: variants of its Python-level constants (the stage-2 step rule, the
stage handover, ...) run interleaved per instance in ONE process (so all see the same load),
with the per-stage figures of each run. A tuning aid, not a benchmark report.

    python benchmarks/smtt_bdp_probe.py --standin 46 16 44 --variant base \
        --variant short STAGE2_WINDOW=30 --limit 60
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
from typing import Any

import schedkit
from schedkit.registry import SolveOptions
from schedkit.smtt.solvers.bdp import arc_graph, method, modifiers, ssdp, subgradient
from schedkit.smtt.solvers.bdp import search as bdp_search
from schedkit.smtt.solvers.bdp.search import Search

MODULES = (ssdp, bdp_search, subgradient, modifiers, arc_graph, method)  # each constant is set
# in every module that has it: where it is defined and read, and where it is re-exported
CLASSES = [(tf, rdd) for tf in (0.2, 0.4, 0.6, 0.8, 1.0) for rdd in (0.2, 0.4, 0.6, 0.8)]
FIELDS = ("heuristic_seconds", "stage1_bound", "stage1_seconds", "stage1_iterations",
          "stage2_seconds", "stage2_iterations",
          "stage3_seconds", "stage3_iterations", "stage3_rounds", "graph_arcs", "arcs_left",
          "stage2_table_steps", "stage1_arcs_deleted", "stage3_peak_states",
          "stage3_round_states", "modifiers", "stopped", "peak_memory_mb")


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"True": True, "False": False, "None": None}.get(text, text)


def _patch(settings: dict[str, Any]) -> dict[tuple[Any, str], Any]:
    """Set module constants; what they were."""
    saved = {}
    for name, value in settings.items():
        owners = [m for m in MODULES if hasattr(m, name)]
        if not owners:
            raise SystemExit(f"no module has a constant {name}")
        for module in owners:
            saved[(module, name)] = getattr(module, name)
            setattr(module, name, value)
    return saved


def _instances(args: argparse.Namespace) -> list[schedkit.SMTTInstance]:
    import smtt_bdp as b  # benchmarks/ is on sys.path when run as a script

    standin = {i.name: i for i in b.wt100_standin()}
    out = [standin[f"standin100#{k}"] for k in args.standin]
    spread = CLASSES[::max(1, len(CLASSES) // args.classes)][:args.classes]
    for n in args.sizes:
        for c, (tf, rdd) in enumerate(spread):
            if args.only and c not in args.only:
                continue
            instance = schedkit.generate.smtt(n, tf, rdd, seed=1000 * n + c, weighted=True)
            out.append(instance.replace(name=f"pvw{n}-tf{tf}-rdd{rdd}"))
    return out


def _trace() -> None:
    """Print each better bound of a run: stage, seconds since the search began, bound, UB."""
    prove = Search.prove

    def traced(search: Search, value: int) -> None:
        before = search.bound
        prove(search, value)
        if search.bound > before:
            print(f"    st{search.stats.get('stage')} {time.perf_counter() - search.started:7.3f}s "
                  f"bound {search.bound} ub {search.upper} it {search.stats.get('iterations', 0)}")

    Search.prove = traced  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--standin", type=int, nargs="*", default=[])
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--only", type=int, nargs="*", default=[], help="class indices to keep")
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--profile", action="store_true",
                        help="cProfile each run; print the top functions by own time")
    parser.add_argument("--trace", action="store_true",
                        help="print every better bound with its stage and time")
    parser.add_argument("--variant", nargs="+", action="append", metavar=("NAME", "K=V"),
                        help="a named variant and its constants (repeatable)")
    args = parser.parse_args()
    variants = [(v[0], {k: _value(x) for k, x in (s.split("=", 1) for s in v[1:])})
                for v in (args.variant or [["base"]])]
    if args.trace:
        _trace()
    schedkit.solve(schedkit.generate.smtt(12, 0.6, 0.4, seed=1, weighted=True), "bdp")
    times: dict[str, list[float]] = {name: [] for name, _ in variants}
    proven = dict.fromkeys(times, 0)
    for instance in _instances(args):
        for name, settings in variants:
            saved = _patch(settings)
            try:
                profiler = cProfile.Profile() if args.profile else None
                started = time.perf_counter()
                if profiler is not None:
                    profiler.enable()
                if profiler is None:
                    result = schedkit.solve(instance, "bdp", time_limit=args.limit, workers=1)
                else:  # in this thread (solve runs methods in a guarded thread)
                    result = method.solve_bdp.__wrapped__(  # type: ignore[attr-defined]
                        instance, SolveOptions(time_limit=args.limit))
                seconds = time.perf_counter() - started
                if profiler is not None:
                    profiler.disable()
                    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
            finally:
                for (module, key), value in saved.items():
                    setattr(module, key, value)
            report = schedkit.check(instance, result)
            assert report.feasible and report.objective == result.objective, instance.name
            times[name].append(seconds)
            proven[name] += result.status == "optimal"
            s = result.stats
            figures = " ".join(f"{f.replace('_seconds', 's').replace('_iterations', 'i')}="
                               f"{s[f]}" for f in FIELDS if f in s)
            print(f"{instance.name} {name}: {result.status} {result.bound}/{result.objective} "
                  f"{seconds:.2f}s st{s.get('stage', '')} b2={s.get('stage2_bound', '')} {figures} "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    for name in times:
        print(f"== {name}: proven {proven[name]}/{len(times[name])}, median "
              f"{statistics.median(times[name]):.2f}s, mean {statistics.mean(times[name]):.2f}s")


if __name__ == "__main__":
    main()
