"""Probes for the j60 instances `cpsat` leaves unproven at 30 s: does any cheap lever prove more?

Four probes, each printing one JSON line per run (report: benchmarks/reports/rcpsp_j60_probes.md):

    python benchmarks/rcpsp_j60_probes.py variants --time-limit 30 base,tt,hp j6030_2 ...
    python benchmarks/rcpsp_j60_probes.py variants --time-limit 30 lb_nolp,lb_maxlp,lb_shave j6030_2
    python benchmarks/rcpsp_j60_probes.py variants --time-limit 30 base,full2,cliques j6025_9 ...
    python benchmarks/rcpsp_j60_probes.py variants --time-limit 30 base,energy j6029_6 ...
    python benchmarks/rcpsp_j60_probes.py methods --time-limit 30 cpsat,cpsat-lns j6030_2 ...
    python benchmarks/rcpsp_j60_probes.py decide --time-limit 30 j6030_2 ...
    python benchmarks/rcpsp_j60_probes.py tilp j6029_4 ...

`variants`: `cpsat` with CP-SAT parameters changed (cumulative propagators, or the two workers'
subsolvers, or `energy`: the implied precedences lengthened by the work that must fit between two
activities), interleaved per instance (who goes first rotates). `methods`: whole methods,
interleaved. `decide`: the model of `cpsat` as a decision problem with the horizon at the known
optimum minus one (infeasible: a proof). `tilp`: the destructive bound of the time-indexed LP
(step variables y_jt = "started by t", disaggregated precedences), binary search over the horizon.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import schedkit  # noqa: E402
from schedkit.common.cpsat import new_solver  # noqa: E402
from schedkit.rcpsp.bounds import lower_bound  # noqa: E402
from schedkit.rcpsp.heuristics.kernels import earliest_starts, latest_starts  # noqa: E402
from schedkit.rcpsp.model import RCPSPInstance  # noqa: E402
from schedkit.rcpsp.solvers import cpsat  # noqa: E402

PARAMETERS = {
    "base": {},
    "tt": {"use_timetable_edge_finding_in_cumulative": True,
           "use_overload_checker_in_cumulative": True},
    "full2": {"num_full_subsolvers": 2},  # both workers full searches (the default: 1 + LNS)
    "hp": {"use_hard_precedences_in_cumulative": True, "exploit_all_precedences": True,
           "use_dynamic_precedence_in_cumulative": True},
}
PORTFOLIOS = {
    "lb_nolp": ("objective_lb_search", "no_lp"),  # the method's own pair
    "lb_maxlp": ("objective_lb_search", "max_lp"),
    "lb_shave": ("objective_lb_search", "objective_shaving"),
    "lbtree_nolp": ("lb_tree_search", "no_lp"),
}
REFERENCES = ROOT / "instances" / "rcpsp" / "references.csv"


def _load(name: str) -> RCPSPInstance:
    return schedkit.load(ROOT / "instances" / "rcpsp" / "j60" / f"{name}.sm")


def _emit(**fields: Any) -> None:
    print(json.dumps({**fields, "load": round(os.getloadavg()[0], 1)}), flush=True)


def _rotated(items: list[str], k: int) -> list[str]:
    k %= len(items)
    return items[k:] + items[:k]


own_distances = cpsat._distances  # the model's own, restored after the `energy` variant


def energy_distances(instance: RCPSPInstance) -> np.ndarray:
    """cpsat's start-to-start distances, lengthened where the work of the activities that must
    run between i and j (successors of i and predecessors of j) needs longer at some resource's
    capacity than the longest path, then closed again over paths (max-plus)."""
    dist = own_distances(instance)
    n, d = instance.n, instance.durations
    reach = ((dist >= 0) & ~np.eye(n, dtype=bool)).astype(np.int64)
    lag = np.zeros_like(dist)
    for k, capacity in enumerate(instance.capacities.tolist()):
        if capacity > 0:
            work = (reach * (d * instance.demands[:, k])[None, :]) @ reach
            lag = np.maximum(lag, -(-work // capacity))
    longer = np.where(reach > 0, np.maximum(dist, d[:, None] + lag), dist)
    for m in range(n):
        joined = (longer[:, m:m + 1] >= 0) & (longer[m:m + 1, :] >= 0)
        longer = np.maximum(longer, np.where(joined, longer[:, m:m + 1] + longer[m:m + 1, :], -1))
    return longer


def variants(names: list[str], chosen: list[str], limit: float) -> None:
    """`cpsat` with each variant's parameters, interleaved per instance."""
    own = cpsat._solver
    current = {"name": "base"}

    def patched(cp_model: Any, options: Any) -> Any:
        solver = own(cp_model, options)
        if current["name"] in PORTFOLIOS:
            solver.parameters.subsolvers.clear()
            solver.parameters.subsolvers.extend(PORTFOLIOS[current["name"]])
        for key, value in PARAMETERS.get(current["name"], {}).items():
            setattr(solver.parameters, key, value)
        return solver

    cpsat._solver = patched
    for k, name in enumerate(names):
        instance = _load(name)
        for variant in _rotated(chosen, k):
            current["name"] = variant
            cpsat.CLIQUES = variant == "cliques"  # the redundant no_overlap cliques
            cpsat._distances = energy_distances if variant == "energy" else own_distances
            _run(instance, name, "cpsat", variant, limit)


def methods(names: list[str], chosen: list[str], limit: float) -> None:
    """Whole methods, interleaved per instance."""
    for k, name in enumerate(names):
        instance = _load(name)
        for method in _rotated(chosen, k):
            _run(instance, name, method, method, limit)


def _run(instance: RCPSPInstance, name: str, method: str, label: str, limit: float) -> None:
    began = time.perf_counter()
    result = schedkit.solve(instance, method, time_limit=limit, workers=2)
    report = schedkit.check(instance, result.solution, result.objective)
    if not report:
        sys.exit(f"{name} {label}: {report.summary()}")
    _emit(instance=name, variant=label, objective=result.objective, bound=result.bound,
          status=result.status, seconds=round(time.perf_counter() - began, 1))


def decide(names: list[str], references: dict[str, dict[str, str]], limit: float) -> None:
    """Is makespan <= optimum - 1 proven infeasible within `limit` (the `cpsat` model, 2 workers)?"""
    from ortools.sat.python import cp_model
    for name in names:
        instance = _load(name)
        horizon = int(references[name]["lower_bound"]) - 1
        began = time.perf_counter()
        if horizon < lower_bound(instance):
            _emit(instance=name, horizon=horizon, status="below the simple lower bound")
            continue
        model = cp_model.CpModel()
        mirrored, intervals = cpsat._variables(model, instance, horizon)
        cpsat.add_cumulatives(model, instance, intervals)
        cpsat._precedences(model, instance, mirrored)
        cpsat._makespan(model, instance, mirrored, lower_bound(instance), horizon)
        dist = cpsat._distances(instance)
        cpsat._implied_precedences(model, instance, mirrored, dist)
        cpsat._disjunctions(model, instance, mirrored, dist, np.zeros(instance.n, dtype=np.int64))
        solver = new_solver(cp_model, 2, 0, limit)
        status = solver.solve(model)
        _emit(instance=name, horizon=horizon, status=solver.status_name(status),
              seconds=round(time.perf_counter() - began, 1))


def _lp_feasible(instance: RCPSPInstance, horizon: int, highs: Any) -> bool:
    """Is the time-indexed LP with every activity done by `horizon` feasible?"""
    import highspy
    d = instance.durations
    es = earliest_starts(instance.order, d, instance.pred_ptr, instance.pred_idx)
    ls = latest_starts(instance.order, d, instance.succ_ptr, instance.succ_idx, horizon)
    if np.any(ls < es):
        return False
    first = np.concatenate([[0], np.cumsum(ls - es)])  # y_jt for t in [es_j, ls_j - 1]
    lower: list[float] = []
    upper: list[float] = []
    ptr: list[int] = [0]
    index: list[int] = []
    value: list[float] = []

    def add_row(terms: list[tuple[int, int, float]], cap: float) -> bool:
        """sum c * y_jt <= cap, y fixed to 0 before es and 1 from ls; False if violated alone."""
        constant, row = 0.0, dict[int, float]()
        for j, t, c in terms:
            if t >= ls[j]:
                constant += c
            elif t >= es[j]:
                key = int(first[j] + t - es[j])
                row[key] = row.get(key, 0.0) + c
        row = {key: c for key, c in row.items() if c != 0}
        if not row:
            return constant <= cap + 1e-9
        lower.append(-highspy.kHighsInf)
        upper.append(cap - constant)
        index.extend(row)
        value.extend(row.values())
        ptr.append(len(index))
        return True

    for j in range(instance.n):
        for t in range(int(es[j]), int(ls[j]) - 1):
            add_row([(j, t, 1.0), (j, t + 1, -1.0)], 0.0)
    for i, successors in enumerate(instance.successors):
        for j in successors.tolist():
            for t in range(int(es[j]), int(ls[j])):
                if not add_row([(j, t, 1.0), (i, t - int(d[i]), -1.0)], 0.0):
                    return False
    for k, capacity in enumerate(instance.capacities.tolist()):
        users = [j for j in range(instance.n) if instance.demands[j, k] > 0 and d[j] > 0]
        for tau in range(horizon):
            terms = []
            for j in users:
                if es[j] <= tau < ls[j] + d[j]:
                    q = float(instance.demands[j, k])
                    terms += [(j, tau, q), (j, tau - int(d[j]), -q)]
            if terms and not add_row(terms, float(capacity)):
                return False
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = int(first[-1]), len(lower)
    lp.col_cost_ = np.zeros(lp.num_col_)
    lp.col_lower_, lp.col_upper_ = np.zeros(lp.num_col_), np.ones(lp.num_col_)
    lp.row_lower_, lp.row_upper_ = np.array(lower), np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(ptr, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)
    highs.clearModel()
    highs.passModel(lp)
    highs.run()
    return bool(highs.getModelStatus() == highspy.HighsModelStatus.kOptimal)


def tilp(names: list[str], references: dict[str, dict[str, str]]) -> None:
    """The smallest horizon whose time-indexed LP is feasible, by binary search."""
    import highspy
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    for name in names:
        instance = _load(name)
        low, high = lower_bound(instance), int(references[name]["upper_bound"])
        began, lps = time.perf_counter(), 0
        while low < high:
            middle = (low + high) // 2
            lps += 1
            if _lp_feasible(instance, middle, highs):
                high = middle
            else:
                low = middle + 1
        _emit(instance=name, simple_bound=lower_bound(instance), lp_bound=low,
              optimum_or_best_lb=int(references[name]["lower_bound"]), lps=lps,
              seconds=round(time.perf_counter() - began, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("probe", choices=("variants", "methods", "decide", "tilp"))
    parser.add_argument("arguments", nargs="+",
                        help="variants/methods: a comma-separated list, then j60 names")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    with REFERENCES.open() as handle:
        references = {row["instance"]: row for row in csv.DictReader(handle)}
    if args.probe in ("variants", "methods"):
        chosen, names = args.arguments[0].split(","), args.arguments[1:]
        (variants if args.probe == "variants" else methods)(names, chosen, args.time_limit)
    elif args.probe == "decide":
        decide(args.arguments, references, args.time_limit)
    else:
        tilp(args.arguments, references)


if __name__ == "__main__":
    main()
