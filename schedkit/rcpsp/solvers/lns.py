"""`cpsat-lns`: phased CP-SAT for large projects (120 activities and more); on mid-size ones
(below MID_SIZE activities) the probe takes MID_PROBE_SHARE of the budget (the proofs), then the
GA improves its schedule until the end (no LNS, no second whole model).

1. Warm start (WARM_SHARE of the budget left after imports and numba compilation): sampling
   with forward-backward improvement, then the whole model briefly (PROBE_SHARE, hinted with
   the sample's best: it proves many easy projects at once and raises the bound), then the
   activity-list genetic algorithm of heuristics/ga.py seeded with the best so far, one
   population per worker.
2. Large neighbourhood search (until WARM_SHARE + LNS_SHARE of the budget): free a set of
   activities, keep every other pair that shares a resource in the incumbent's order
   (S_j >= S_i + d_i where i ends before j starts), and let CP-SAT re-place the free ones with
   the makespan at most the incumbent's (a second or so each, hinted with the incumbent).
   Neighbourhoods, in turn: a time window (consecutive activities in start order), a
   resource-critical set (users of a busy resource nearest a random time) and a random block
   (a connected piece of the precedence network). The size adapts: larger after a proof, smaller
   after a timeout without gain.
3. The whole model of solvers/cpsat.py from the best schedule for the rest, for the bound.
Keeping the other pairs' order keeps every sub-problem feasible: intervals that overlap pairwise
overlapped in the incumbent, so by Helly's property all at once, within capacity.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import numpy as np

from schedkit.common.compile import wait_until
from schedkit.common.cpsat import new_solver
from schedkit.common.finish import finish
from schedkit.common.incumbents import Incumbents
from schedkit.common.walks import walk_count
from schedkit.deadline import offer
from schedkit.errors import ProblemTooLarge
from schedkit.rcpsp.bounds import lower_bound, work
from schedkit.rcpsp.heuristics.compiled import ensure_compiled, ensure_ga_compiled
from schedkit.rcpsp.heuristics.ga import best_walk, evolve_walks
from schedkit.rcpsp.heuristics.kernels import earliest_starts, latest_starts, makespan
from schedkit.rcpsp.heuristics.methods import refuse_lags, sample
from schedkit.rcpsp.model import RCPSPInstance, RCPSPSolution
from schedkit.rcpsp.solvers.cpsat import (
    MAX_INTERVALS,
    exact_phase,
    import_cp_model,
    kernel_or_plain_hint,
)
from schedkit.rcpsp.solvers.cpsat_bound import CG_SHARE, LP_STATS, cg_share
from schedkit.registry import SolveOptions, register
from schedkit.result import Result

DEFAULT_TIME_LIMIT = 60.0
WARM_SHARE = 0.3  # of the time left after imports and compilation
SAMPLE_SHARE = 0.075  # at most, for sampling with forward-backward improvement (1000 schedules)
PROBE_SHARE = 0.05  # the whole model right after sampling, out of the warm start's share
LNS_SHARE = 0.45
MID_SIZE = 100  # activities, dummies included: below, the MID_ shares and no LNS
MID_PROBE_SHARE = 0.8  # the probe first, as long as plain cpsat needs for its j60 proofs at 30 s
# (the slowest: 22 s); then the GA until the end (benchmarks/reports/rcpsp_j60_proofs.md)
SUB_SECONDS = 1.0  # per sub-problem
KINDS = ("window", "resource", "block")


def _window(start: np.ndarray, size: int, rng: np.random.Generator, instance: RCPSPInstance
            ) -> np.ndarray:
    """`size` activities consecutive in start order."""
    order = np.argsort(start, kind="stable")
    first = int(rng.integers(0, max(1, instance.n - size + 1)))
    return order[first:first + size]


def _resource(start: np.ndarray, size: int, rng: np.random.Generator, instance: RCPSPInstance
              ) -> np.ndarray:
    """The users of a resource (drawn by its load) whose intervals lie nearest a random time."""
    d, q, c = instance.durations, instance.demands, instance.capacities
    load = np.array(work(instance), dtype=np.float64) / np.maximum(c, 1)
    if instance.resources == 0 or load.sum() == 0:
        return _window(start, size, rng, instance)
    k = int(rng.choice(instance.resources, p=load / load.sum()))
    users = np.flatnonzero((q[:, k] > 0) & (d > 0))
    t = int(rng.integers(0, int(makespan(start, d)) + 1))
    distance = np.maximum(0, np.maximum(start[users] - t, t - (start[users] + d[users])))
    return users[np.argsort(distance, kind="stable")[:size]]


def _block(start: np.ndarray, size: int, rng: np.random.Generator, instance: RCPSPInstance
           ) -> np.ndarray:
    """A connected piece of the precedence network grown from a random activity."""
    seen = {int(rng.integers(0, instance.n))}
    frontier = list(seen)
    while frontier and len(seen) < size:
        j = frontier.pop(int(rng.integers(0, len(frontier))))
        near = np.concatenate([instance.succ_idx[instance.succ_ptr[j]:instance.succ_ptr[j + 1]],
                               instance.pred_idx[instance.pred_ptr[j]:instance.pred_ptr[j + 1]]])
        for i in rng.permutation(near).tolist():
            if i not in seen and len(seen) < size:
                seen.add(i)
                frontier.append(i)
    return np.array(sorted(seen), dtype=np.int64)


NEIGHBOURHOODS = {"window": _window, "resource": _resource, "block": _block}


def _kept_orders(instance: RCPSPInstance, start: np.ndarray, free: np.ndarray
                 ) -> list[tuple[int, int]]:
    """Pairs (i, j) of fixed activities of positive duration sharing a resource, i ending before
    j starts, enough to imply every such pair: per resource only the latest predecessors of j
    (an earlier i ends before some kept one starts, a chain of kept pairs). The kept i of one
    j overlap pairwise, so there are at most a resource's concurrency of them, not n²."""
    fixed = np.ones(instance.n, dtype=bool)
    fixed[free] = False
    d = instance.durations
    end = start + d
    pairs: set[tuple[int, int]] = set()
    for k in range(instance.capacities.size):
        users = np.flatnonzero((instance.demands[:, k] > 0) & (d > 0) & fixed)
        if users.size < 2:
            continue
        users = users[np.argsort(end[users], kind="stable")]
        latest_start = np.maximum.accumulate(start[users])  # over the users ending first
        ends = end[users]
        done = np.searchsorted(ends, start[users], side="right")  # per j: users ending by S_j
        first = np.searchsorted(ends, latest_start[np.maximum(done - 1, 0)], side="right")
        for j, a, b in zip(users.tolist(), first.tolist(), done.tolist(), strict=True):
            pairs.update((i, j) for i in users[a:b].tolist())
    return sorted(pairs)


def _subproblem(cp_model: Any, instance: RCPSPInstance, start: np.ndarray, free: np.ndarray,
                seconds: float, workers: int, seed: int) -> tuple[np.ndarray | None, bool]:
    """(a schedule no longer than `start` with only `free` re-placed, or None; proved)."""
    d = instance.durations
    span = int(makespan(start, d))
    es = earliest_starts(instance.order, d, instance.pred_ptr, instance.pred_idx)
    ls = latest_starts(instance.order, d, instance.succ_ptr, instance.succ_idx, span)
    model = cp_model.CpModel()
    starts = [model.new_int_var(int(es[j]), int(ls[j]), f"S{j}") for j in range(instance.n)]
    intervals = [model.new_fixed_size_interval_var(starts[j], int(d[j]), f"I{j}")
                 for j in range(instance.n)]
    for k, capacity in enumerate(instance.capacities.tolist()):
        users = [j for j in np.flatnonzero(instance.demands[:, k] > 0).tolist() if d[j] > 0]
        if users:
            model.add_cumulative([intervals[j] for j in users],
                                 [int(instance.demands[j, k]) for j in users], int(capacity))
    for i, row in enumerate(instance.successors):
        for j in row.tolist():
            model.add(starts[j] >= starts[i] + int(d[i]))
    for i, j in _kept_orders(instance, start, free):
        model.add(starts[j] >= starts[i] + int(d[i]))
    cmax = model.new_int_var(0, span, "Cmax")
    for j in range(instance.n):
        model.add(cmax >= starts[j] + int(d[j]))
        model.add_hint(starts[j], int(start[j]))
    model.minimize(cmax)
    solver = new_solver(cp_model, workers, seed, seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return np.array([solver.value(s) for s in starts], dtype=np.int64), status == cp_model.OPTIMAL


def _search(cp_model: Any, instance: RCPSPInstance, options: SolveOptions, start: np.ndarray,
            bound: int, until: float, stats: dict[str, Any]) -> np.ndarray:
    """Phase 2: neighbourhoods in turn until `until` or the bound; the best schedule."""
    rng = np.random.default_rng(options.seed)
    d = instance.durations
    span = int(makespan(start, d))
    size = int(max(6, min(20, instance.n // 8)))
    tries = dict.fromkeys(KINDS, 0)
    gains = dict.fromkeys(KINDS, 0)
    step = 0
    while span > bound and time.perf_counter() + 0.1 < until:
        kind = KINDS[step % len(KINDS)]
        step += 1
        free = NEIGHBOURHOODS[kind](start, min(size, instance.n), rng, instance)
        seconds = min(SUB_SECONDS, until - time.perf_counter())
        found, proved = _subproblem(cp_model, instance, start, free, seconds, options.workers,
                                    options.seed + step)
        tries[kind] += 1
        gained = found is not None and int(makespan(found, d)) < span
        if found is not None and int(makespan(found, d)) <= span:
            gains[kind] += int(gained)
            start, span = found, int(makespan(found, d))
            if gained:
                offer(finish(span, bound, False, RCPSPSolution(start.copy()),
                             {"workers": options.workers, "offered": "an LNS improvement"}))
        if proved:
            size = min(instance.n, size + 2)
        elif not gained:
            size = max(5, size - 1)
    stats.update(lns_steps=step, lns_tries=tries, lns_improvements=gains, lns_size=size,
                 lns_makespan=span)
    return start


def _probe(cp_model: Any, instance: RCPSPInstance, options: SolveOptions, start: np.ndarray,
           bound: int, seconds: float, stats: dict[str, Any]) -> Result:
    """The whole model for `seconds` from `start`: the Result (optimal ends the run), its
    status and bound recorded in `stats` as probe_status and probe_bound (and what the LP bound
    after a wide gap did: solvers/cpsat_bound.py)."""
    until = min(time.perf_counter() - options.started + seconds, options.time_limit or math.inf)
    result = exact_phase(cp_model, instance, replace(options, time_limit=until), start, bound,
                         dict(stats))
    probe = {"probe_status": result.stats.get("solver_status"), "probe_bound": result.bound,
             **{key: value for key, value in result.stats.items() if key in LP_STATS}}
    stats.update(probe)
    result.stats.update(probe)
    return result


@register(
    "rcpsp", "cpsat-lns", exact=True, options={"cg_share": CG_SHARE},
    description="phased CP-SAT for large projects: GA warm start, LNS of time-window, "
    f"resource-critical and block neighbourhoods, then the whole model; below {MID_SIZE} "
    f"activities the whole model first, then the GA (default budget {DEFAULT_TIME_LIMIT:g} s)",
)
def solve_cpsat_lns(instance: RCPSPInstance, options: SolveOptions) -> Result:
    """Warm start, LNS, then the whole model for the proof (shares of the time limit)."""
    cg_share(options)
    refuse_lags(instance, "cpsat-lns")
    if instance.n > MAX_INTERVALS:
        raise ProblemTooLarge(f"cpsat-lns: {instance.n} activities exceeds {MAX_INTERVALS}")
    if options.time_limit is None:
        options = replace(options, time_limit=DEFAULT_TIME_LIMIT)
    assert options.time_limit is not None
    bound = lower_bound(instance)
    ready, compile_seconds = ensure_compiled(wait_until(options))
    if ready:
        ready, more = ensure_ga_compiled(wait_until(options))
        compile_seconds += more
    if not ready:  # a cold cache: the whole model, hinted as cpsat's while the kernels compile
        hint, hint_stats = kernel_or_plain_hint(instance, options, bound)  # (offered)
        hint_stats["compile_seconds"] = round(compile_seconds + hint_stats["compile_seconds"], 6)
        return exact_phase(import_cp_model(), instance, options, hint, bound, hint_stats)
    began = time.perf_counter()  # phases share what imports and compilation left
    left = options.remaining() or 0.0
    mid = instance.n < MID_SIZE
    warm_share, lns_share = (1.0, 0.0) if mid else (WARM_SHARE, LNS_SHARE)
    probe_share = MID_PROBE_SHARE if mid else PROBE_SHARE
    warm_until = began + warm_share * left
    start, span, _ = sample(instance, began + SAMPLE_SHARE * left, 1000,
                            options.seed, parallel=False, improve=True, bound=bound)
    stats: dict[str, Any] = {"workers": options.workers, "lower_bound": bound,
                             "compile_seconds": compile_seconds, "fbi": span,
                             "warm_share": warm_share, "lns_share": lns_share}
    offer(finish(span, bound, False, RCPSPSolution(start.copy()), {**stats, "offered": "fbi"}))
    # OR-Tools' import after that offer: a fresh process under load can spend a 1 s limit on it
    cp_model = import_cp_model()
    if probe_share > 0:
        probe = _probe(cp_model, instance, options, start, bound, probe_share * left, stats)
        if probe.status == "optimal":
            return probe
        if probe.bound is not None:
            bound = max(bound, int(probe.bound))
        if probe.solution is not None and probe.objective is not None and probe.objective < span:
            start, span = probe.solution.start, int(probe.objective)
    runs = evolve_walks(instance, warm_until, None, options.seed, bound, walk_count(options.workers), start,
                        incumbents=Incumbents(stats={"workers": options.workers}))
    found = runs[best_walk(runs)]
    start, span = found.start, found.span
    stats.update(warm_start=span, generations=sum(run.generations for run in runs),
                 ga_schedules=sum(run.schedules for run in runs), ga_walks=len(runs))
    offer(finish(span, bound, False, RCPSPSolution(start.copy()),
                 {**stats, "offered": "after the genetic algorithm"}))
    if span == bound or mid:  # met the bound, or (mid-size) the probe was the whole model's run
        last = "none" if span == bound else stats.get("probe_status", "none")
        return finish(span, bound, span == bound, RCPSPSolution(start), {**stats, "solver_status": last})
    start = _search(cp_model, instance, options, start, bound,
                    began + (warm_share + lns_share) * left, stats)
    return exact_phase(cp_model, instance, options, start, bound, stats)
