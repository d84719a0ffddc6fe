"""`auto` for VMR: LNS on one thread, neighbourhood MIPs then the whole MIP on the other
(default budget 30 s).

With two or more workers: greedy gives the start (and the result at once when it meets the
migration bound). On clusters above RESTRICT_ABOVE_NODES nodes a second thread runs MIP-guided
LNS (issue 23): the MIP restricted to a neighbourhood of the incumbent (the nodes its
migrations touch, so that it is the MIP start, plus random nodes at a non-zero residue: 20 in
the first, fresh ones in each next, 20 more whenever one is optimal without a gain), solved
exactly by HiGHS on one thread and warm-started from the incumbent; before each, the thread
takes LNS's best plan when that is better. A neighbourhood of about 110 of 600 nodes holds
the optimum of most hard 300-machine clusters and HiGHS solves it at its root in 1-3 s, where
the whole MIP needs 12-85 s. The neighbourhoods get NEIGHBOURHOOD_SHARE of the budget (at
least NEIGHBOURHOOD_SECONDS, so all of a short one); then the whole MIP, warm-started from the
best plan, runs for the bound when WHOLE_MIN_SECONDS are left (on smaller clusters it runs at
once). This thread runs LNS from greedy, restarts it from a better neighbourhood plan, and
pauses it while a neighbourhood MIP runs (beside LNS, HiGHS ran about half as fast on the
loaded 2-core machine). The run ends when the whole MIP is done, when the best plan meets its
dual bound so far (rounded to the residue class) or the migration bound, or at the time limit.

Nondeterministic under a time limit: the two threads race (how far LNS has got when a
neighbourhood asks for its plan, when a neighbourhood plan arrives, when a bound proves the
plan) and every stage stops on the clock. `deterministic=True` runs `mip` with fixed work
limits instead (one sequence, no race): the same answer every run. With one worker it is `mip`.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np

from schedkit.common.auto import run_method
from schedkit.common.finish import integral_bound
from schedkit.common.highs_deadline import Background, DeadlineControl
from schedkit.common.incumbents import Incumbents
from schedkit.common.mip import RunControl, import_pulp
from schedkit.registry import SolveOptions, register
from schedkit.result import Result
from schedkit.vmr.bounds import migration_bound, round_to_residue
from schedkit.vmr.heuristics.arrays import VMRArrays
from schedkit.vmr.heuristics.methods import (
    arrays_then_compile,
    deterministic_flag,
    greedy_plan,
    plan_result,
    unmoved_result,
)
from schedkit.vmr.heuristics.search import Plan, lns
from schedkit.vmr.model import VMRInstance
from schedkit.vmr.solvers.common import exact_result, min_model_seconds, proven_start
from schedkit.vmr.solvers.mip import MIN_MODEL_SECONDS, Outcome, build_model, plan_nodes, solve_model

AUTO_DEFAULT_TIME_LIMIT = 30.0
RESTRICT_ABOVE_NODES = 200  # smaller clusters (100 two-NUMA machines) go straight to the whole MIP
NEIGHBOURHOOD_SHARE = 0.4  # of the budget left after greedy for neighbourhood MIPs ...
NEIGHBOURHOOD_SECONDS = 8.0  # ... but at least this (all of a short budget: the whole MIP proves
# no hard 300-machine cluster in a few seconds, a neighbourhood finds its optimum in one or two)
MIN_NEIGHBOURHOOD_SECONDS = 0.3  # less left: no new neighbourhood
GROW_NODES = 20  # more random nodes in the next neighbourhood when one is optimal without a gain
PAUSE_LNS = True  # LNS waits while a neighbourhood MIP runs (tuning set: 7/10 beside it, 8/10 paused)
FIRST_EXTRA = 20  # random nodes in the first neighbourhood (tuning set: 8/10 with none, 10/10 with 20)
HANDOVER_WAIT = 0.15  # seconds the MIP thread waits, at most, for LNS's best plan
WHOLE_MIN_SECONDS = 2.0  # less left after the neighbourhoods: the whole MIP is not built
JOIN_GRACE = 0.2  # seconds past the deadline the whole MIP may take to hand over its result


@register("vmr", "auto", exact=True, options={"deterministic": False},
          description=f"greedy, then neighbourhood MIPs and the whole MIP (HiGHS) on a second thread "
                      f"beside LNS; one worker or deterministic=True: mip; "
                      f"default budget {AUTO_DEFAULT_TIME_LIMIT:g} s")
def solve_auto(instance: VMRInstance, options: SolveOptions) -> Result:
    """Neighbourhood MIPs and the whole MIP beside LNS (or `mip` alone with one worker or
    deterministic=True); `stats["chosen"]` says which ran and `stats["plan_from"]` which part
    gave the plan."""
    limit = AUTO_DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit
    deterministic = deterministic_flag(options)
    if deterministic or options.workers < 2:
        result = run_method("vmr", "mip", instance, options, limit, deterministic=deterministic)
        return result.with_context(stats={**result.stats, "chosen": "mip"})
    return _side_by_side(instance, replace(options, time_limit=limit))


@dataclass
class _Shared:
    """What the MIP thread hands to this one: the best neighbourhood MIP plan when it beats
    greedy, the whole model's objective constant once built, whether the whole MIP has
    returned, and how many neighbourhoods were solved."""

    restricted: Plan | None = None
    restricted_objective: int | None = None
    constant: float | None = None
    whole_done: bool = False
    neighbourhoods: int = 0
    asked: bool = False  # the MIP thread wants LNS's best plan ...
    lns_plan: Plan | None = None  # ... which this thread hands over here
    solving: threading.Event = field(default_factory=threading.Event)  # a neighbourhood MIP runs


def _ask_lns(shared: _Shared, stopping: threading.Event) -> Plan | None:
    """LNS's best plan so far, asked for and waited for HANDOVER_WAIT seconds at most (None
    when LNS did not answer: it has ended)."""
    shared.lns_plan, shared.asked = None, True
    until = time.perf_counter() + HANDOVER_WAIT
    while shared.asked and not stopping.is_set() and time.perf_counter() < until:
        time.sleep(0.005)
    return shared.lns_plan


class _Relay(RunControl):
    """The HiGHS runs of the MIP thread one after another, seen as one control: `cancel()`
    stops the current run and every later one at once."""

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline
        self._current: DeadlineControl | None = None

    def next(self, deadline: float, control: DeadlineControl | None = None) -> DeadlineControl:
        """A control for the next run (`control` if given), cancelled already if `cancel` came."""
        with self._lock:
            self._current = control if control is not None else DeadlineControl(deadline)
            if self.requested:
                self._current.cancel()
            return self._current

    def cancel(self) -> None:
        with self._lock:
            self.requested = True
            if self._current is not None:
                self._current.cancel()


def neighbourhood_nodes(a: VMRArrays, plan: Plan, extra: int, rng: np.random.Generator) -> np.ndarray:
    """The node mask of a neighbourhood of `plan`: the nodes it touches (so that it is the MIP
    start) and `extra` nodes drawn at random among the other nodes at a non-zero residue (only
    those can gain)."""
    allowed = plan_nodes(a, plan)
    others = np.flatnonzero(((a.free_cpu0 % a.fragment) != 0) & ~allowed)
    if extra > 0 and others.size:
        allowed[rng.choice(others, size=min(extra, others.size), replace=False)] = True
    return allowed


def _neighbourhoods(pulp: Any, instance: VMRInstance, a: VMRArrays, start: Plan, options: SolveOptions,
                    until: float, relay: _Relay, shared: _Shared, stopping: threading.Event) -> Plan:
    """MIP-guided LNS: the MIP restricted to the nodes the incumbent (the better of its own
    and LNS's best) touches, first alone, then with GROW_NODES random nodes at a non-zero
    residue more (fresh ones each time, GROW_NODES more for every neighbourhood solved to
    optimality without a better plan), warm-started from the incumbent and solved exactly by
    HiGHS, until `until` or until a neighbourhood holding every node at a non-zero residue is
    optimal. Returns the best plan."""
    rng = np.random.default_rng(options.seed)
    spare = int(np.count_nonzero((a.free_cpu0 % a.fragment) != 0))
    one = replace(options, workers=1, time_limit=None)
    incumbent, extra = start, FIRST_EXTRA
    while not stopping.is_set() and until - time.perf_counter() > MIN_NEIGHBOURHOOD_SECONDS:
        searched = _ask_lns(shared, stopping)
        if searched is not None and searched.objective < incumbent.objective:
            incumbent = searched
        allowed = neighbourhood_nodes(a, incumbent, extra, rng)
        model = build_model(pulp, instance, a, incumbent, allowed=allowed)
        shared.solving.set()
        try:
            outcome = solve_model(pulp, model, a, one, "highs", relay.next(until))
        finally:
            shared.solving.clear()
        shared.neighbourhoods += 1
        found = outcome.found
        if found is not None and found.objective < incumbent.objective:
            incumbent = shared.restricted = found
            shared.restricted_objective = found.objective
            extra = max(extra, GROW_NODES)
            continue
        if not outcome.stats.get("solver_optimal") or extra >= spare:
            break
        extra += GROW_NODES
    if shared.restricted_objective is None:
        shared.restricted_objective = incumbent.objective
    return incumbent


def _mip_thread(pulp: Any, instance: VMRInstance, a: VMRArrays, start: Plan, options: SolveOptions,
                relay: _Relay, control: DeadlineControl, shared: _Shared,
                stopping: threading.Event) -> Outcome:
    """Above RESTRICT_ABOVE_NODES nodes (where the whole MIP is slow) neighbourhood MIPs
    around the incumbent for NEIGHBOURHOOD_SHARE of the budget (at least
    NEIGHBOURHOOD_SECONDS); then the whole MIP warm-started from the best plan, until the
    deadline, when at least WHOLE_MIN_SECONDS are left. Its Outcome carries a bound only from
    the whole model."""
    warm = start
    if a.nodes > RESTRICT_ABOVE_NODES:
        remaining = options.deadline - time.perf_counter()
        until = min(options.deadline, time.perf_counter() + max(NEIGHBOURHOOD_SECONDS,
                                                                NEIGHBOURHOOD_SHARE * remaining))
        warm = _neighbourhoods(pulp, instance, a, start, options, until, relay, shared, stopping)
    if stopping.is_set() or options.deadline - time.perf_counter() < WHOLE_MIN_SECONDS:
        return Outcome(warm if warm is not start else None, True, None, {"solver": "highs",
                       "solver_status": "whole model not run: too little time left"})
    model = build_model(pulp, instance, a, warm)
    shared.constant = float(model.problem.objective.constant or 0)
    whole = replace(options, workers=max(1, options.workers - 1), time_limit=None)
    outcome = solve_model(pulp, model, a, whole, "highs", relay.next(options.deadline, control))
    shared.whole_done = True
    return outcome


def _side_by_side(instance: VMRInstance, options: SolveOptions) -> Result:
    """Greedy; then on a thread of its own neighbourhood MIPs and after them the whole MIP, while
    this thread runs LNS (restarted from a better neighbourhood plan, paused while one runs)."""
    pulp = import_pulp("highs")
    a, ready, compile_stats = arrays_then_compile(instance, options)
    stats: dict[str, Any] = {"workers": options.workers, "chosen": "mip+restricted+lns", **compile_stats}
    if not ready:
        return unmoved_result(instance, a, stats)
    start = greedy_plan(a, options.deadline)
    done = proven_start(instance, a, start, dict(stats))
    if done is not None:
        return done
    bound = migration_bound(instance)
    remaining = options.remaining() or 0.0
    if remaining < min_model_seconds(a, MIN_MODEL_SECONDS):
        searched, counters = lns(a, start, options.deadline, options.seed, stop_at=bound)
        best = searched if searched.objective < start.objective else start
        stats.update(chosen="lns", greedy_objective=start.objective, lns_iterations=counters["iterations"])
        return plan_result(instance, a, best, None, **stats)
    control = DeadlineControl(options.deadline)
    relay = _Relay(options.deadline)
    shared, stopping = _Shared(), threading.Event()
    worker = Background(relay, lambda: _mip_thread(pulp, instance, a, start, options, relay, control,
                                                   shared, stopping))

    def settled(best: int) -> bool:
        """The whole MIP is done, or its dual bound so far proves `best` optimal."""
        if shared.constant is not None:
            proven = integral_bound(control.dual_bound + shared.constant)
            if proven is not None and round_to_residue(proven, instance.total_free_cpu,
                                                       instance.fragment_size) >= best:
                return True
        return shared.whole_done

    def interrupt(best: int) -> bool:
        """Stop LNS when settled, when a neighbourhood MIP has a better plan to restart from, or
        when the MIP thread asks for LNS's best plan (and it beats what it has)."""
        better = shared.restricted is not None and shared.restricted.objective < best
        restricted = shared.restricted
        asked = shared.asked and (restricted is None or best < restricted.objective)
        return better or asked or settled(best) or (PAUSE_LNS and shared.solving.is_set())

    best, source, iterations, restarts = start, "greedy", 0, 0
    incumbents = Incumbents()  # LNS's and the neighbourhood MIPs' new bests, for progress
    as_result = partial(plan_result, instance, a, **stats, offered="lns or a neighbourhood MIP")
    incumbents.improved(start.objective, partial(as_result, start))
    while True:
        searched, counters = lns(a, best, options.deadline, options.seed + restarts, stop_at=bound,
                                 stop=interrupt, incumbents=incumbents, as_result=as_result)
        iterations += counters["iterations"]
        if searched.objective < best.objective:
            best, source = searched, "lns"
        if shared.asked:
            shared.lns_plan, shared.asked = best, False
        while PAUSE_LNS and shared.solving.is_set() and time.perf_counter() < options.deadline:
            time.sleep(0.01)
        if time.perf_counter() >= options.deadline or best.objective <= bound or settled(best.objective):
            break
        offered = shared.restricted
        if offered is not None and offered.objective < best.objective:
            best, source = offered, "restricted mip"
            incumbents.improved(best.objective, partial(as_result, best))
        restarts += 1
    stopping.set()
    relay.cancel()
    mip = worker.join_by(options.deadline + JOIN_GRACE)
    if mip is None:  # still busy: the whole model's bound so far is still a bound
        proven = None if shared.constant is None else integral_bound(control.dual_bound + shared.constant)
        mip = Outcome(shared.restricted, True, proven,
                      {"solver": "highs", "solver_status": "cancelled at the deadline"})
    stats.update(mip.stats)
    stats.update(chosen="mip+restricted+lns", workers=options.workers, greedy_objective=start.objective,
                 restricted_objective=shared.restricted_objective, lns_iterations=iterations,
                 lns_restarts=restarts, neighbourhoods=shared.neighbourhoods)
    better_mip = mip.found is not None and mip.found.objective < best.objective
    from_mip = "restricted mip" if mip.found is shared.restricted else "mip"
    stats["plan_from"] = from_mip if better_mip else source
    return exact_result(instance, a, best, mip.found, mip.reached, mip.bound, stats)
